"""Hard negatives: contact words in fine sentences (payment, refusals, platform groups, anti-counterfeit)."""

import pytest

from monitor.detect.rules import RULE_NAMES, find_evidence, rule_labels, rule_vector


@pytest.mark.parametrize("text", [
    "支持微信支付吗",
    "只支持支付宝哦",
    "微信付款可以吗",
    "亲，平台规定不能加微信哦，有问题直接旺旺问我",
    "不方便留电话哦亲",
    "我们不搞好评返现的哦",
    "欢迎加入我们的淘宝群",
    "加入店铺粉丝群领券",
    "吊牌上有防伪码，扫码验真",
    "吊牌上的防伪二维码扫码验真",
    "说明书二维码扫码看安装视频",
    "收到满意的话给个好评哦",
    "店铺红包在首页领取",
    "拼多多上有同款吗",
    "拜托啦亲，帮忙确认收货哦",
    "滚筒洗衣机明天发",
    "好的，稍等",
    "",
    "   ",
])
def test_fine_messages_have_no_strong_evidence(text):
    assert find_evidence(text) == []
    assert rule_labels(find_evidence(text)) == set()


@pytest.mark.parametrize("text, rule, count", [
    ("支持微信支付吗", "safe_phrase", 2.0),      # 支持微信 and 微信支付
    ("平台规定不能加微信哦", "negated_contact", 2.0),   # 加微信 and 微信, both refused
    ("顺丰单号SF1234567890123", "long_number", 0.0),     # glued to letters: an ID, not a number
    ("订单号 123456789012345678", "long_number", 1.0),
    ("朋友圈有实拍", "lexicon:diversion:weak", 1.0),
])
def test_hard_negatives_still_inform_the_classifier(text, rule, count):
    assert rule_vector(text)[RULE_NAMES.index(rule)] == count


@pytest.mark.parametrize("text", [
    "加微信不行哦，有图片直接这里发",
    "您说的“加V”是指什么呢",
    "任何自称客服加微信说给您退款的都是骗子",
    "我们没有好评返现，按真实感受评价就好",
    "本店不会在包裹里放任何需要您扫码加好友的卡片",
    "我们不私下交易，请在淘宝下单哦",
])
def test_refused_quoted_or_warned_contacts(text):
    assert find_evidence(text) == []


@pytest.mark.parametrize("text, match", [
    ("要不要加个微信聊", "加个微信聊"),        # A-not-A questions ask, they do not refuse
    ("能不能加个微信", "加个微信"),
    ("没问题，加我微信", "加我微信"),          # the negation is in another clause
])
def test_questions_and_other_clauses_are_not_refusals(text, match):
    assert [e.match for e in find_evidence(text)] == [match]


@pytest.mark.parametrize("text", [
    "加不了微信哦亲 有事这里说就行",                     # 加…微信 with 不 in the gap is a refusal
    "加微信就不用了哈 有什么问题在这问我就行",             # refused right after
    "请勿相信自称客服要求加微信退款的电话",               # a scam warning
    "所有退款都只能在平台上操作，不存在 线下退款 或 私下转账 的情况",
])
def test_refusals_and_warnings_are_no_contact(text):
    assert [e for e in find_evidence(text) if e.label == "diversion"] == []


@pytest.mark.parametrize("text, rule", [
    ("加微信不用等", "lexicon:diversion"),               # 不用 after it is no refusal of the contact
    ("联系客服微信", "contact_cue"),
])
def test_contact_still_found_near_those_words(text, rule):
    assert [e.rule for e in find_evidence(text)] == [rule]
