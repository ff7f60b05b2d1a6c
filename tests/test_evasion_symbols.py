import pytest

from evidence import labels, triples


@pytest.mark.parametrize("text, expected", [
    ("加 微-信 发你图", [("diversion", "加 微-信 发你", "lexicon:diversion")]),
    ("加*我*微*信", [("diversion", "加*我*微*信", "lexicon:diversion")]),
    ("好.评.返.现", [("qr_lure", "好.评.返.现", "lexicon:qr_lure")]),
    ("爱 买 不 买", [("negative", "爱 买 不 买", "lexicon:negative")]),
])
def test_symbols_and_spaces_inside_words(text, expected):
    assert triples(text) == expected


def test_separated_ordinary_sentence_is_not_flagged():
    assert labels("好的，稍等，马上发货。") == set()
