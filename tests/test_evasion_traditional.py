"""Traditional characters (親, 請, 評, 現, 號, 電話)."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("親，請加我微信", [("diversion", 3, 7, "加我微信", "lexicon:diversion")]),
    ("加我薇信號", [("diversion", 0, 5, "加我薇信號", "lexicon:diversion")]),
    ("好評返現五元", [("qr_lure", 0, 4, "好評返現", "lexicon:qr_lure")]),
    ("求改差評", [("harassment", 0, 4, "求改差評", "lexicon:harassment")]),
    ("愛買不買", [("negative", 0, 4, "愛買不買", "lexicon:negative")]),
    ("電話：13800138000", [("diversion", 3, 14, "13800138000", "phone_number")]),
])
def test_traditional_characters(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["親，請稍等", "支持微信支付嗎", "發貨了，請注意查收"])
def test_traditional_fine_messages(text):
    assert find_evidence(text) == []
