"""Numbers written to dodge filters (一三八, ①③⑧, 壹叁捌, 幺/拐/洞, mixed, spaced), and numbers
that are NOT contacts (tracking, order, price, size, date, schedule, hotline)."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("电话一三八 0013 8000", [("diversion", 2, 15, "一三八 0013 8000", "phone_number")]),
    ("打①③⑧①②③④⑤⑥⑦⑧", [("diversion", 1, 12, "①③⑧①②③④⑤⑥⑦⑧", "phone_number")]),
    ("❶❸❽❶❷❸❹❺❻❼❽", [("diversion", 0, 11, "❶❸❽❶❷❸❹❺❻❼❽", "phone_number")]),
    ("幺三九-壹贰叁肆-伍陆柒捌", [("diversion", 0, 13, "幺三九-壹贰叁肆-伍陆柒捌", "phone_number")]),
    ("电话：壹叁捌零零壹叁捌零零零", [("diversion", 3, 14, "壹叁捌零零壹叁捌零零零", "phone_number")]),
    ("一三八洞洞一三八拐拐拐", [("diversion", 0, 11, "一三八洞洞一三八拐拐拐", "phone_number")]),
    ("13８一三⑤67890", [("diversion", 0, 11, "13８一三⑤67890", "phone_number")]),
    ("电话㈠㈢㈧㈠㈡㈢㈣㈤㈥㈦㈧", [("diversion", 2, 13, "㈠㈢㈧㈠㈡㈢㈣㈤㈥㈦㈧", "phone_number")]),
    ("+86 139 1234 5678", [("diversion", 0, 17, "+86 139 1234 5678", "phone_number")]),
    ("0086 13800138000", [("diversion", 0, 16, "0086 13800138000", "phone_number")]),
    ("手机13800138000/13900139000", [("diversion", 2, 13, "13800138000", "phone_number"),
                                    ("diversion", 14, 25, "13900139000", "phone_number")]),
    ("我的电话13800138000", [("diversion", 4, 15, "13800138000", "phone_number")]),
    ("电话0755-12345678", [("diversion", 2, 15, "0755-12345678", "landline")]),
    ("座机 010 8888 6666", [("diversion", 3, 16, "010 8888 6666", "landline")]),
    ("群号 567891234 进群领券", [("diversion", 3, 12, "567891234", "qq_number")]),
    ("扣群 567891234", [("diversion", 3, 12, "567891234", "qq_number")]),
    ("qq12345678", [("diversion", 2, 10, "12345678", "qq_number")]),
    ("微信号 88886666", [("diversion", 0, 3, "微信号", "lexicon:diversion"),
                       ("diversion", 4, 12, "88886666", "wechat_id")]),
])
def test_contact_numbers_in_any_digit_style(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "顺丰单号SF1234567890123已发出",
    "运单号：YT1234567890123",
    "JT0012345678901 明天到",
    "快递单号 138 0013 8000 已发",
    "订单号 123456789012345678 已发货",
    "您的订单1234567890123456789已付款",
    "中通 78912345678901 明天到",
    "一三五发货，周末不发",
    "三三两两 一起 下三滥 一下",
    "价格¥199，尺码170/88A，36码",
    "2026-11-22 10:00 发出",
    "请核对收货电话13800138000是否正确",
    "你的手机号是13800138000吗",
    "淘宝客服95188",
    "淘宝群号 567891234",
    "型号 ABC-12345 有现货",
    "体重120斤，身高165cm",
])
def test_numbers_that_are_not_contacts(text):
    assert find_evidence(text) == []


@pytest.mark.parametrize("text, expected", [
    ("订单有问题联系我13800138000", [("diversion", 8, 19, "13800138000", "phone_number")]),
    ("快递有问题打我电话13800138000", [("diversion", 5, 9, "打我电话", "lexicon:diversion"),
                                      ("diversion", 9, 20, "13800138000", "phone_number")]),
])
def test_a_phone_in_a_sentence_about_the_order_is_still_a_phone(text, expected):
    assert spans(text) == expected
