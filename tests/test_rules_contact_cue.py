"""Rule `contact_cue`: a contacting verb, a few characters, then qq/微信; and the id/加 cue fixes."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("请加人事果果QQ来应聘", [("diversion", 0, 8, "请加人事果果QQ", "contact_cue")]),
    ("详情咨询QQ", [("diversion", 0, 6, "详情咨询QQ", "contact_cue")]),
    ("关注我们官方微信领券", [("diversion", 0, 8, "关注我们官方微信", "contact_cue")]),
    ("售后问题联系客服扣扣", [("diversion", 4, 10, "联系客服扣扣", "contact_cue")]),
    ("添加售后vx哦", [("diversion", 0, 6, "添加售后vx", "contact_cue")]),
    ("咨询热线13800138000同微信", [("diversion", 4, 15, "13800138000", "phone_number"),
                               ("diversion", 15, 18, "同微信", "lexicon:diversion")]),
])
def test_contact_app_after_a_contacting_verb(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "支持微信支付哦",                 # paying
    "加购物车后用微信付款就行",         # paying
    "联系客服领取微信红包封面",         # 微信红包 is no contact
    "平台规定不能联系微信哦",           # refused
    "参加微信活动的账号名称发一下",      # 参加 is no adding
    "目前微信聊天窗口里也有原图选项",    # talking about the app
    "加微信",                         # counted once, by the lexicon, not twice
])
def test_no_contact_cue(text):
    assert [e.rule for e in find_evidence(text) if e.rule == "contact_cue"] == []


@pytest.mark.parametrize("text", [
    "[ORDERID_10003034]，[ORDERID_10003034]",   # …orderid is no `id` cue for the next token
    "打开WiFi，选择网络标识SSID：ChinaNet",       # ssid is no `id` cue
    "参加微信活动的账号名称发一下",
])
def test_no_diversion_at_all(text):
    assert spans(text) == []


def test_id_as_its_own_word_is_still_a_cue():
    assert spans("我的id: kefu_8899") == [("diversion", 6, 15, "kefu_8899", "wechat_id")]


@pytest.mark.parametrize("text, expected", [
    ("工作详情QQ", [("diversion", 2, 6, "详情QQ", "contact_cue")]),
    ("前十名报名QQ", [("diversion", 3, 7, "报名QQ", "contact_cue")]),
    ("请QQ验证", [("diversion", 0, 3, "请QQ", "contact_cue")]),
    ("详情微信了解", [("diversion", 0, 4, "详情微信", "contact_cue")]),
    ("需要的私聊我", [("diversion", 3, 5, "私聊", "lexicon:diversion")]),
])
def test_advertising_shorthand(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "请用微信扫码验证真伪",         # an anti-counterfeit check, not a contact
    "详情微信扫一扫商品码",          # scanning, not contacting
    "找微信客服是不行的，这边处理",   # 找 only cues qq
    "应聘没有qq也可以",             # a negation in the gap
    "有问题私聊客服哦",             # the shop's own private chat (safe phrase)
    "群里有事旺旺私聊就行",          # Wangwang is on the platform
    "不要私聊",                     # refused
])
def test_no_advertising_shorthand(text):
    assert spans(text) == []


@pytest.mark.parametrize("text", [
    "领取后可以添加至微信卡包使用",     # a card in the phone's wallet, nobody to contact
    "会员卡支持添加到微信卡包",
])
def test_wallet_is_no_contact_cue(text):
    assert [e.rule for e in find_evidence(text)] == []
