"""Normalisation: the normalised string and its map back to the original (literal cases)."""

import pytest

from monitor.text import NormalisedText, normalise, normalise_text


@pytest.mark.parametrize("text, expected", [
    ("ＶＸ：Kefu88", "微信kefu88"),
    ("加 微-信", "加微信"),
    ("親，請加我的微信", "亲请加我的微信"),
    ("威❤信", "微信"),
    ("❤信", "微信"),
    ("微\u0301信", "微信"),                 # a combining mark between the characters
    ("加\u200b微\u200d信", "加微信"),        # zero-width characters
    ("绿泡泡", "微信"),
    ("小绿软件", "微信"),
    ("vx", "微信"),
    ("wx", "微信"),
    ("v信", "微信"),
    ("微x", "微信"),
    ("加V", "加微信"),
    ("+v", "加微信"),
    ("扣扣", "qq"),
    ("🐧号", "qq号"),
    ("企鹅号", "qq"),
    ("企鹅玩偶", "企鹅玩偶"),
    ("jia wo wei xin", "加我微信"),
    ("koukou", "qq"),
    ("dianhua", "电话"),
    ("🅥🅧", "微信"),
    ("Ⓥ信", "微信"),
    ("维修", "维修"),
    ("卫生", "卫生"),
    ("威力", "威力"),
    ("微信支付", "微信支付"),
    ("加V领", "加v领"),
    ("家wifi", "家wifi"),
    ("一三八零零一三八零零零", "13800138000"),
    ("①③⑧⓪⓪", "13800"),
    ("⑴⑶⑻", "138"),
    ("¹³⁸⁰⁰", "13800"),
    ("壹贰叁肆伍", "12345"),
    ("下三滥", "下三滥"),
    ("一起去，三天到", "一起去三天到"),
    ("一三五发货", "一三五发货"),
    ("三三两两 一起", "三三两两一起"),
    ("ß", "ss"),
    ("", ""),
    ("😀😀👍", ""),
])
def test_normalised_text(text, expected):
    assert normalise_text(text) == expected
    assert normalise(text).text == expected


def test_offsets_point_into_the_original():
    n = normalise("好 评-返")
    assert n == NormalisedText(original="好 评-返", text="好评返", offsets=(0, 2, 4), ends=(1, 3, 5))
    assert n.span_to_original(1, 3) == (2, 5)


def test_a_rewritten_word_maps_to_the_whole_original_word():
    n = normalise("加绿泡泡")
    assert n.text == "加微信"
    assert n.offsets == (0, 1, 1)
    assert n.span_to_original(1, 3) == (1, 4)
    assert n.span_to_original(0, 3) == (0, 4)


@pytest.mark.parametrize("start, end, expected", [
    (0, 0, (0, 0)), (0, 1, (0, 1)), (1, 2, (1, 2)), (2, 2, (3, 3)), (5, 9, (3, 3)), (0, 99, (0, 2)), (1, 0, (1, 1)),
])
def test_empty_and_out_of_range_spans(start, end, expected):
    assert normalise("ab!").span_to_original(start, end) == expected


def test_none_is_empty_text():
    assert normalise(None).text == ""
