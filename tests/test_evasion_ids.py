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


@pytest.mark.parametrize("text, expected", [
    ("这边聊天会被看 换个地方说 加q 3305821947", [("diversion", 17, 27, "3305821947", "qq_number")]),
    ("招评论员 扣 2748193605", [("diversion", 7, 17, "2748193605", "qq_number")]),
])
def test_lone_q_or_kou_before_a_number(text, expected):
    assert [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)] == expected


@pytest.mark.parametrize("text", ["运费扣 12345元", "会扣 12345", "扣 12345元", "faq 123456"])
def test_kou_as_deduction_or_q_in_a_word_is_no_qq(text):
    assert find_evidence(text) == []
