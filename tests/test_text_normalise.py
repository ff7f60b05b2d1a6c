"""Normalisation: literal cases and properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.text import digit_runs, normalise, normalise_text


@pytest.mark.parametrize("text, expected", [
    ("ＶＸ：Kefu88", "微信kefu88"),
    ("加 微-信", "加微信"),
    ("親，請加我的微信", "亲请加我的微信"),
    ("下三滥", "下三滥"),
    ("一起去，三天到", "一起去三天到"),
    ("维修", "维修"),
    ("🐧号", "qq号"),
    ("企鹅玩偶", "企鹅玩偶"),
    ("jia wo wei xin", "加我微信"),
    ("", ""),
])
def test_normalised_text(text, expected):
    assert normalise_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("一三八 0013 8000", [(0, 13, "13800138000")]),
    ("①③⑧", []),
    ("壹贰叁肆伍", [(0, 5, "12345")]),
    ("一三五发货", []),
])
def test_digit_runs(text, expected):
    assert digit_runs(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_offsets_are_consistent(text):
    n = normalise(text)
    assert len(n.starts) == len(n.text) == len(n.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(n.starts, n.ends))
    assert list(n.starts) == sorted(n.starts)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=100))
def test_normalising_twice_changes_nothing_more(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


def test_long_and_control_text_does_not_crash():
    n = normalise("加\x00微\x1f信" + "好" * 10_000)
    assert n.text.startswith("加微信") and len(n.text) == 10_003
