"""normalise() has two paths: the normalised string by C-level passes (the map back to the original
built only when asked for) and the character-by-character path that builds the map. They must give
the same NormalisedText for every input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.text import normalise
from monitor.text.normalise import NormalisedText, _normalise_mapped, _normalised_string
from real_texts import corpus_texts, eval_texts, needs_eval

_PIECES = st.sampled_from(list("加我微薇威维信vVxX扣企鹅🐧❤♥💚\ufe0f一三八零幺两①❶⑴１３８ 　-_.*/|，。\x00\u200b\u0301親評ßﬁ㈱") +
                          ["weixin", "jia wo", "qq", "绿泡泡", "好评返现", "13800138000", "加V", "+v", "wei xin"])
MIXED = st.lists(_PIECES, max_size=40).map("".join)


@pytest.mark.parametrize("text, norm, offsets, ends", [
    ("好 评-返", "好评返", (0, 2, 4), (1, 3, 5)),  # noise between characters goes
    ("加 微-信", "加微信", (0, 2, 2), (1, 5, 5)),  # 微信 is a contact word: both cover 微-信
    ("ß", "ss", (0, 0), (1, 1)),                 # one character folds to two
    ("绿泡泡", "微信", (0, 0), (3, 3)),            # a variant covers the whole original word
    ("威❤", "微信", (0, 0), (2, 2)),               # a heart for 信 (the mapped path), then 威信 → 微信
    ("", "", (), ()),
])
def test_literal_cases(text, norm, offsets, ends):
    n = normalise(text)
    assert (n.text, n.offsets, n.ends) == (norm, offsets, ends)


def test_the_map_is_built_only_when_asked_for():
    n = normalise("请加abc123")
    assert n._offsets is None and n.text == "请加abc123"
    assert n.offsets == tuple(range(8)) and n._offsets is not None


def test_a_normalised_text_cannot_be_changed():
    n = normalise("好评")
    with pytest.raises(AttributeError):
        n.text = "差评"


def test_hearts_take_the_mapped_path():
    assert _normalised_string("威❤") is None
    assert _normalised_string("加我微信") == "加我微信"


def test_equal_records_are_equal_and_hash_alike():
    a, b = normalise("好 评-返"), NormalisedText("好 评-返", "好评返", (0, 2, 4), (1, 3, 5))
    assert a == b and hash(a) == hash(b)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=120), MIXED))
def test_both_paths_agree(text):
    assert normalise(text) == _normalise_mapped(text)


def test_both_paths_agree_on_the_corpus():
    texts = corpus_texts()
    assert len(texts) > 10_000
    assert [t for t in texts if _normalised_string(t) not in (None, _normalise_mapped(t).text)] == []


@needs_eval
def test_both_paths_agree_on_real_text():
    texts = eval_texts("real_*.csv")
    assert len(texts) > 50_000
    assert [t for t in texts if _normalised_string(t) not in (None, _normalise_mapped(t).text)] == []
