"""The rules of a batch in one pass (rule_rows): the same rule rows and evidence as analysing each text,
and a text the one-pass triggers skip is one the rules have nothing to say about."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.detect import rules
from monitor.detect.rules import RULE_NAMES, RuleFeatures, _analyse, _hit_texts, find_evidence, rule_rows
from monitor.text import normalise_text
from real_texts import corpus_texts, eval_texts, needs_eval

ZERO = tuple([0] * len(RULE_NAMES))


def _reference_rows(texts):
    """rule_vector as it was: each text analysed alone, counts capped at 3."""
    return np.array([[float(min(c, 3)) for c in _analyse(t)[1]] for t in texts]).reshape(len(texts), len(RULE_NAMES))


def _check(texts):
    rules._NO_HITS.clear()
    got = rule_rows(texts)
    np.testing.assert_array_equal(got, _reference_rows(texts))
    # evidence after the batch (texts it skipped answer from its record) is what analysing gives
    assert [find_evidence(t) for t in texts] == [list(_analyse(t)[0]) for t in texts]
    # the triggers never skip a text the rules have something to say about
    hit = _hit_texts(texts, [normalise_text(t) for t in texts])
    skipped = [t for t, h in zip(texts, hit) if not h]
    assert all(_analyse(t) == ((), ZERO) for t in skipped)
    return hit


def test_corpus_texts():
    texts = corpus_texts()
    hit = _check(texts)
    assert 0 < hit.sum() < len(texts)


@needs_eval
def test_eval_texts():
    texts = eval_texts()
    hit = _check(texts)
    # most real replies trip no rule: the point of the one pass
    assert hit.mean() < 0.6


def test_literal_rows():
    rows = rule_rows(["好的亲", "加我微信，电话13800138000", "", None, "微信 abc_12345"])
    named = [dict(zip(RULE_NAMES, r)) for r in rows]
    assert rows[0].sum() == 0 and rows[2].sum() == 0 and rows[3].sum() == 0
    assert named[1]["phone_number"] == 1.0 and named[1]["lexicon:diversion:strong"] >= 1.0
    assert named[4]["wechat_id"] == 1.0


def test_skipped_and_analysed_texts():
    texts = ["好的亲", "明天发货", "加我微信", "订单12345678", "SKU abcdef1", "谢谢"]
    hit = _hit_texts(texts, [normalise_text(t) for t in texts])
    assert hit.tolist() == [False, False, True, True, True, False]


def test_texts_side_by_side_do_not_join():
    # the separator ends a digit run, an ID and a phrase: each pair below is a hit written as one text,
    # none when its halves are two texts of the batch
    pairs = [("明天123", "45到"), ("ab", "cdef1"), ("给个五", "星吧"), ("晒", "图")]
    halves = [h for pair in pairs for h in pair]
    assert not _hit_texts(halves, [normalise_text(t) for t in halves]).any()
    whole = ["".join(pair) for pair in pairs]
    assert _hit_texts(whole, [normalise_text(t) for t in whole]).all()
    np.testing.assert_array_equal(rule_rows(halves), _reference_rows(halves))


def test_transform_is_the_rows_as_a_sparse_matrix():
    texts = ["加我微信", "好的", "qq 3305821947"]
    assert (RuleFeatures().transform(texts).toarray() == _reference_rows(texts)).all()


ALPHABET = "加我微信qQvV薇扣好评返现五元手机电话号码联系方式留下您的不能骗子一二三0123456789０１２abcxyz_-。，！？ \n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=8))
def test_generated_texts(texts):
    _check(texts)


WIDE = "abwxidWXID09_-ｗｘｉｄａｂＷＸＩＤ０９＿－Ａｚ 加。\n"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=WIDE, max_size=40))
def test_wide_id_pattern_is_the_id_pattern_on_the_ascii_view(text):
    assert [m.span() for m in rules._ID_RE_WIDE.finditer(text)] == \
           [m.span() for m in rules._ID_RE.finditer(rules._ascii_view(text))]


def test_wide_id_pattern_literal_cases():
    assert [m.group(0) for m in rules._ID_RE_WIDE.finditer("ＶＸ：ｗｘｉｄ＿ａｂｃｄ 和 abc_12345")] == ["ｗｘｉｄ＿ａｂｃｄ", "abc_12345"]
    assert not rules._ID_RE_WIDE.search("ａｂｃ１２ 和 abcde")       # 5 characters: too short for an ID
