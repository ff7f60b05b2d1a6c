"""digit_runs: the digits-only projection of spoken numbers, with spans in the original."""

import pytest

from monitor.text import digit_runs, normalise, runs_with_groups


@pytest.mark.parametrize("text, expected", [
    ("一三八 0013 8000", [(0, 13, "13800138000")]),
    ("电话：壹叁捌零零壹叁捌零零零", [(3, 14, "13800138000")]),
    ("①③⑧", []),
    ("①③⑧⓪⓪", [(0, 5, "13800")]),
    ("❶❸❽❶❷❸", [(0, 6, "138123")]),
    ("⑴⑶⑻⑴⑵", [(0, 5, "13812")]),
    ("壹贰叁肆伍", [(0, 5, "12345")]),
    ("㈠㈢㈧㈠㈡", [(0, 5, "13812")]),         # bracketed numerals are a digit style, not words
    ("㊀㊂㊇㊀㊁", [(0, 5, "13812")]),
    ("¹³⁸¹²", [(0, 5, "13812")]),
    ("１３８１２", [(0, 5, "13812")]),
    ("幺两拐洞勾幺两", [(0, 7, "1270912")]),
    ("13８一三⑤67890", [(0, 11, "13813567890")]),
    ("一二三四五", []),                      # five numerals that also live in words: not enough
    ("一三五发货", []),
    ("三三两两 一起", []),
    ("价格199元", []),
    ("订单123456789012345678", [(2, 20, "123456789012345678")]),
    ("SF1234567890123", [(2, 15, "1234567890123")]),
    ("", []),
])
def test_digit_runs(text, expected):
    assert digit_runs(text) == expected


@pytest.mark.parametrize("text, groups", [
    ("138 0013 8000", (3, 4, 4)),
    ("13800138000/13900139000", (11, 11)),
    ("一三八-零零一三-八零零零", (3, 4, 4)),
    ("⑽⑽⑽", (6,)),                           # one character folding to two digits is not a gap
])
def test_groups_follow_the_separators_of_the_original(text, groups):
    assert [g for *_, g in runs_with_groups(normalise(text))] == [groups]
