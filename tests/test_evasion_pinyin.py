import pytest

from evidence import triples


@pytest.mark.parametrize("text, expected", [
    ("jia wo wei xin", [("diversion", "jia wo wei xin", "lexicon:diversion")]),
    ("加我weixin细聊", [("diversion", "加我weixin", "lexicon:diversion")]),
    ("koukou号 12345678", [("diversion", "koukou号", "lexicon:diversion"), ("diversion", "12345678", "qq_number")]),
])
def test_pinyin_contact_words(text, expected):
    assert triples(text) == expected
