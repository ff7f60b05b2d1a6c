import pytest

from evidence import triples


@pytest.mark.parametrize("text, expected", [
    ("ＶＸ：Kefu_Mei88", [("diversion", "Kefu_Mei88", "wechat_id")]),
    ("加ＱＱ：１２３４５６７８", [("diversion", "加ＱＱ", "lexicon:diversion"), ("diversion", "１２３４５６７８", "qq_number")]),
    ("电话１３８００１３８０００", [("diversion", "１３８００１３８０００", "phone_number")]),
])
def test_full_width_letters_and_digits(text, expected):
    assert triples(text) == expected
