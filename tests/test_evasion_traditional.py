import pytest

from evidence import triples


@pytest.mark.parametrize("text, expected", [
    ("親，請加我微信", [("diversion", "加我微信", "lexicon:diversion")]),
    ("好評返現五元", [("qr_lure", "好評返現", "lexicon:qr_lure")]),
    ("求改差評", [("harassment", "求改差評", "lexicon:harassment")]),
])
def test_traditional_characters(text, expected):
    assert triples(text) == expected
