"""Masking: buyers' nicks and every phone number, QQ number and WeChat ID are shown only partly."""

import pytest

from monitor.report.mask import mask_contacts, mask_nick


@pytest.mark.parametrize("nick, expected", [
    ("tb_88213489", "tb_****89"),
    ("快乐的小猫咪", "快****咪"),
    ("阿花", "阿*"),
    ("jennyshop", "je****op"),
    ("", ""),
    (None, ""),
])
def test_nicks(nick, expected):
    assert mask_nick(nick) == expected


@pytest.mark.parametrize("text, expected", [
    ("电话13800138000", "电话138****8000"),
    ("打 138-0013-8000 找我", "打 138****8000 找我"),
    ("加我微信 ab_shop2024 发你实拍", "加我微信 ab****24 发你实拍"),
    ("ＶＸ：Kefu_Mei88", "ＶＸ：Ke****88"),
    ("Q 12345678 加我", "Q 12****78 加我"),
    ("一三八零零一三八零零零 微信同号", "一三八****八零零零 微信同号"),
])
def test_contacts_are_masked(text, expected):
    assert mask_contacts(text) == expected


@pytest.mark.parametrize("text", [
    "订单号 123456789012345678 已发货",   # an order number is not personal
    "顺丰单号 SF1234567890123",
    "价格199元，尺码170/88A",
    "三天内发货，一起寄出",
])
def test_ordinary_numbers_are_kept(text):
    assert mask_contacts(text) == text


def test_piece_of_a_message_is_judged_by_the_whole_message():
    # a highlighted span "ab_shop2024" has no cue of its own; its message does
    assert mask_contacts("ab_shop2024", cue=True) == "ab****24"
    assert mask_contacts("ab_shop2024", cue=False) == "ab_shop2024"
