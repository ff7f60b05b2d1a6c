import pytest

from evidence import labels, triples


@pytest.mark.parametrize("text, expected", [
    ("电话一三八 0013 8000", [("diversion", "一三八 0013 8000", "phone_number")]),
    ("打①③⑧①②③④⑤⑥⑦⑧", [("diversion", "①③⑧①②③④⑤⑥⑦⑧", "phone_number")]),
    ("幺三九-壹贰叁肆-伍陆柒捌", [("diversion", "幺三九-壹贰叁肆-伍陆柒捌", "phone_number")]),
    ("+86 139 1234 5678", [("diversion", "+86 139 1234 5678", "phone_number")]),
])
def test_phone_numbers_in_any_digit_style(text, expected):
    assert triples(text) == expected


@pytest.mark.parametrize("text", [
    "顺丰单号SF1234567890123已发出",
    "订单号 123456789012345678 已发货",
    "中通 78912345678901 明天到",
    "一三五发货，周末不发",
    "价格199元，尺码170/88A",
    "请核对收货电话13800138000是否正确",
    "2026-11-22 10:00 发出",
])
def test_numbers_that_are_not_contacts(text):
    assert labels(text) == set()
