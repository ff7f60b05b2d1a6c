"""Properties of normalise() on arbitrary text (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.detect.rules import find_evidence
from monitor.text import digit_runs, normalise, normalise_text

# text that exercises the interesting paths: contact words, numerals, emoji, noise, controls
_PIECES = st.sampled_from(list("加我微薇威信vVxX扣企鹅🐧❤💚一三八零幺两①❶⑴１３８ 　-_.*/|，。\x00\x1f\u200b\u0301親評ß") +
                          ["weixin", "jia wo", "qq", "绿泡泡", "好评返现", "求求你", "13800138000"])
MIXED = st.lists(_PIECES, max_size=40).map("".join)
ANY = st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY, MIXED))
def test_offsets_are_consistent(text):
    n = normalise(text)
    assert n.original == text
    assert len(n.offsets) == len(n.text) == len(n.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(n.offsets, n.ends))
    assert list(n.offsets) == sorted(n.offsets)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=100), MIXED))
def test_normalising_twice_changes_nothing_more(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@settings(max_examples=200, deadline=None)
@given(st.one_of(ANY, MIXED))
def test_evidence_spans_point_into_the_original(text):
    for e in find_evidence(text):
        assert text[e.start:e.end] == e.match and e.start < e.end


@settings(max_examples=200, deadline=None)
@given(st.one_of(ANY, MIXED))
def test_digit_runs_are_digits_in_the_original(text):
    for s, e, digits in digit_runs(text):
        assert 0 <= s < e <= len(text) and digits.isascii() and digits.isdigit() and len(digits) >= 5


def test_long_and_control_text_does_not_crash():
    text = "加\x00微\x1f信" + "好" * 10_000
    n = normalise(text)
    assert n.text.startswith("加微信") and len(n.text) == 10_003
    assert [(e.start, e.end, e.match) for e in find_evidence(text)] == [(0, 5, "加\x00微\x1f信")]


def test_emoji_only_and_empty_text():
    assert normalise("😀🎉👍🏻").text == ""
    assert find_evidence("😀🎉👍🏻") == []
    assert find_evidence("") == [] and find_evidence(None) == []
