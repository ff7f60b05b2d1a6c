import pytest

from evidence import labels, triples


@pytest.mark.parametrize("text, expected", [
    ("看我头像加好友", [("diversion", "看我头像", "lexicon:diversion"), ("diversion", "加好友", "lexicon:diversion")]),
    ("名字就是微信号", [("diversion", "名字就是微信号", "lexicon:diversion")]),
])
def test_pointing_at_the_profile(text, expected):
    assert triples(text) == expected


def test_avatar_mentioned_innocently():
    assert labels("头像是我们的店铺logo") == set()
