"""Spaces, punctuation and symbols put between the characters of a word."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("加 微-信 发你图", [("diversion", 0, 8, "加 微-信 发你", "lexicon:diversion")]),
    ("加*我*微*信", [("diversion", 0, 7, "加*我*微*信", "lexicon:diversion")]),
    ("加/我/v/x", [("diversion", 0, 7, "加/我/v/x", "lexicon:diversion")]),
    ("好.评.返.现", [("qr_lure", 0, 7, "好.评.返.现", "lexicon:qr_lure")]),
    ("爱 买 不 买", [("negative", 0, 7, "爱 买 不 买", "lexicon:negative")]),
    ("求|改|差|评", [("harassment", 0, 7, "求|改|差|评", "lexicon:harassment")]),
    ("电话 138-0013-8000", [("diversion", 3, 16, "138-0013-8000", "phone_number")]),
    ("1 3 8 0 0 1 3 8 0 0 0", [("diversion", 0, 21, "1 3 8 0 0 1 3 8 0 0 0", "phone_number")]),
    ("q.q：1234-5678", [("diversion", 4, 13, "1234-5678", "qq_number")]),
])
def test_symbols_and_spaces_inside_words(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "好的，稍等，马上发货。",
    "尺码：S/M/L/XL",
    "价格：¥199.00，包邮",
    "发货时间 2026-11-22 10:00",
    "11.23 13:00 前发货",
])
def test_separated_ordinary_text_is_not_flagged(text):
    assert find_evidence(text) == []
