"""Emoji inside contact words, and emoji that stand for a contact (🐧, ❤信, 🅥🅧, 🇻🇽)."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("加我微❤信", [("diversion", 0, 5, "加我微❤信", "lexicon:diversion")]),
    ("加我威💚信", [("diversion", 0, 5, "加我威💚信", "lexicon:diversion")]),
    ("加我❤信", [("diversion", 0, 4, "加我❤信", "lexicon:diversion")]),
    ("🐧号 87654321", [("diversion", 0, 2, "🐧号", "lexicon:diversion"),
                      ("diversion", 3, 11, "87654321", "qq_number")]),
    ("🅥🅧：kefu_mei88", [("diversion", 3, 13, "kefu_mei88", "wechat_id")]),
    ("加🇻🇽", [("diversion", 0, 3, "加🇻🇽", "lexicon:diversion")]),  # regional indicators V X
    ("好评😊返现", [("qr_lure", 0, 5, "好评😊返现", "lexicon:qr_lure")]),
    # a heart for 信 (心, xin) after a 微-like character
    ("咱们加个威❤聊吧", [("diversion", 2, 7, "加个威❤聊", "lexicon:diversion")]),
    ("微 ❤ 同号", [("diversion", 0, 6, "微 ❤ 同号", "lexicon:diversion")]),
])
def test_emoji_inside_or_as_contact_words(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["😀😀👍", "收到❤️谢谢亲", "🌹🌹🌹", "亲❤信封已经放进包裹", "微笑❤收到啦",
                                  "I love❤ you"])
def test_emoji_in_fine_messages(text):
    assert find_evidence(text) == []
