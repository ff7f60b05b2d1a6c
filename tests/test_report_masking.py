"""Masking: one rule everywhere. What the detector finds as a contact is masked, at most a third shown;
nothing else is touched."""

import pytest
from hypothesis import given, strategies as st

from monitor.report.html import highlighted
from monitor.report.mask import contact_spans, mask_contacts, mask_id, mask_nick


@pytest.mark.parametrize("nick, expected", [
    ("tb_88213489", "tb****9"),
    ("快乐的小猫咪", "快****咪"),
    ("阿花", "阿*"),
    ("jennyshop", "je****p"),
    ("", ""),
    (None, ""),
])
def test_nicks(nick, expected):
    assert mask_nick(nick) == expected


@pytest.mark.parametrize("value, expected", [
    ("abc12345", "a****5"),          # not abc12****45
    ("xyz888", "x****8"),
    ("abc_123", "a****3"),
    ("13800138000", "13****0"),
])
def test_at_most_a_third_of_an_id_is_shown(value, expected):
    assert mask_id(value) == expected


@given(st.text(min_size=1, max_size=40))
def test_masked_form_never_shows_more_than_a_third(value):
    shown = mask_id(value).replace("****", "", 1)
    assert len(shown) <= len(value) // 3


@pytest.mark.parametrize("text, expected", [
    ("电话13800138000", "电话13****0"),
    ("打 138-0013-8000 找我", "打 13****0 找我"),
    ("加我微信 ab_shop2024 发你实拍", "加我微信 ab****4 发你实拍"),
    ("加我微信 xyz888", "加我微信 x****8"),
    ("加我微信 abc_123", "加我微信 a****3"),
    ("ＶＸ：Kefu_Mei88", "ＶＸ：Ke****8"),
    ("一三八零零一三八零零零 微信同号", "一三****零 微信同号"),
])
def test_contacts_are_masked(text, expected):
    assert mask_contacts(text) == expected


@pytest.mark.parametrize("text", [
    "订单号 123456789012345678 已发货",   # an order number is not personal
    "顺丰单号 SF1234567890123",
    "价格199元，尺码170/88A",
    "三天内发货，一起寄出",
    "=HYPERLINK(\"http://x\",\"点我\")",   # only what the detector finds is masked
    "这款是 abc12345 型号的吗",           # an ID-like word with no contact cue is no contact
])
def test_ordinary_text_is_kept(text):
    assert mask_contacts(text) == text


def test_a_mark_cutting_a_contact_never_shows_more_of_it():
    text = "加我微信 ab_shop2024 发你"
    s = text.index("shop")
    html = str(highlighted(text, [(s, s + 4)]))
    assert "shop" not in html and "2024" not in html and "ab****4" in html


def test_spans_are_the_detectors():
    text = "加我微信 ab_shop2024 或 QQ 12345678"
    assert [text[s:e] for s, e in contact_spans(text)] == ["ab_shop2024", "12345678"]


def test_evidence_that_repeats_a_contact_is_masked():
    from monitor.report.mask import masked_evidence
    text = "返现请加微信 fx8826"
    s = text.index("fx8826")
    ev = [{"label": "qr_lure", "start": s, "end": s + 6, "match": "fx8826", "rule": "model:fx8826"},
          {"label": "qr_lure", "start": 0, "end": 2, "match": "返现", "rule": "model:返现"}]
    assert [(e["match"], e["rule"]) for e in masked_evidence(ev, text)] == [
        ("f****6", "model:f****6"), ("返现", "model:返现")]
