"""Pinyin for contact words (weixin, wei xin, jia wo, koukou, dianhua, shouji)."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("jia wo wei xin", [("diversion", 0, 14, "jia wo wei xin", "lexicon:diversion")]),
    ("加我weixin细聊", [("diversion", 0, 8, "加我weixin", "lexicon:diversion")]),
    ("Wei Xin 同号", [("diversion", 0, 10, "Wei Xin 同号", "lexicon:diversion")]),
    ("koukou号 12345678", [("diversion", 0, 7, "koukou号", "lexicon:diversion"),
                          ("diversion", 8, 16, "12345678", "qq_number")]),
    ("dianhua 13800138000", [("diversion", 8, 19, "13800138000", "phone_number")]),
    ("打我dianhua", [("diversion", 0, 9, "打我dianhua", "lexicon:diversion")]),
])
def test_pinyin_contact_words(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["weight 2kg", "size xl", "new xbox controller", "show xin"])
def test_english_words_are_not_pinyin(text):
    assert find_evidence(text) == []
