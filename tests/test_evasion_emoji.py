import pytest

from evidence import labels, triples


@pytest.mark.parametrize("text, expected", [
    ("加我微❤信", [("diversion", "加我微❤信", "lexicon:diversion")]),
    ("加我威💚信", [("diversion", "加我威💚信", "lexicon:diversion")]),
    ("🐧号 87654321", [("diversion", "🐧号", "lexicon:diversion"), ("diversion", "87654321", "qq_number")]),
])
def test_emoji_inside_or_as_contact_words(text, expected):
    assert triples(text) == expected


def test_emoji_only_is_ok():
    assert labels("😀😀👍") == set()
