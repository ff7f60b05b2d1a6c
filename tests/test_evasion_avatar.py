"""Pointing at the profile (头像, 名字, 朋友圈) instead of writing the contact."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("看我头像加好友", [("diversion", 0, 4, "看我头像", "lexicon:diversion"),
                      ("diversion", 4, 7, "加好友", "lexicon:diversion")]),
    ("名字就是微信号", [("diversion", 0, 7, "名字就是微信号", "lexicon:diversion")]),
    ("看 头 像", [("diversion", 0, 5, "看 头 像", "lexicon:diversion")]),
    ("看我朋友圈有实拍", [("diversion", 0, 6, "看我朋友圈有", "lexicon:diversion")]),  # two phrases, one span
])
def test_pointing_at_the_profile(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["头像是我们的店铺logo", "朋友圈有人推荐的吧", "换了个头像"])
def test_avatar_mentioned_innocently(text):
    assert find_evidence(text) == []
