"""WeChat IDs written after a cue, however the cue is disguised (vx, V:, 薇:, id:, 搜我), and
product codes or searches that look like IDs but are not."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("V：kefu_mei88", [("diversion", 2, 12, "kefu_mei88", "wechat_id")]),
    ("薇：meimei2024", [("diversion", 2, 12, "meimei2024", "wechat_id")]),
    ("vx kefu123456", [("diversion", 3, 13, "kefu123456", "wechat_id")]),
    ("id：kefu_mei88", [("diversion", 3, 13, "kefu_mei88", "wechat_id")]),
    ("搜我 xiaomei_88", [("diversion", 3, 13, "xiaomei_88", "wechat_id")]),
    ("微信：abcdefgh", [("diversion", 3, 11, "abcdefgh", "wechat_id")]),
    ("私聊 abc123456", [("diversion", 0, 2, "私聊", "lexicon:diversion"),
                        ("diversion", 3, 12, "abc123456", "wechat_id")]),
    ("wxid_ab12cd34ef", [("diversion", 0, 15, "wxid_ab12cd34ef", "wechat_id")]),
    ("加 wx: abc_12345", [("diversion", 0, 4, "加 wx", "lexicon:diversion"),
                         ("diversion", 6, 15, "abc_12345", "wechat_id")]),
])
def test_wechat_ids_after_a_cue(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "搜索 SKU-12345 就能找到",
    "搜一下 iPhone15Pro 手机壳",
    "店铺搜 meiyi2024 旗舰店",
    "型号 XYZ-2000 联系客服确认",
    "加购 ABC123456 这款",
    "优惠码 SAVE2024 下单用",
    "加我 zhangsan",                      # a plain word needs a WeChat cue, not just 加我
    "联系快递 SF1234567890",
    "kefu_mei88",                         # an ID with no cue at all
])
def test_product_codes_and_searches_are_not_wechat_ids(text):
    assert find_evidence(text) == []
