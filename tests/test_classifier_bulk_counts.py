"""Counting terms against a fitted vocabulary in bulk gives sklearn's count matrix exactly."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from monitor.detect.features import bulk_counts, make_features, transform, words
from monitor.text import normalise_text

# Chinese, Latin, digits, whitespace runs, an emoji and a character beyond the BMP (𠀀), full width
ALPHABET = "亲好的加我微信发货谢谢 \t\n　abcXYZ019０１😀𠀀,.，。"
TEXTS = st.lists(st.text(alphabet=ALPHABET, min_size=0, max_size=25), min_size=1, max_size=12)
FIT = ["亲 加我微信 abc123", "好的 谢谢😀", "发货了\n\n明天到", "𠀀字 ０１２", "加  我"]


def _same(a, b):
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.parametrize("vec", [
    TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalise_text, lowercase=False),
    CountVectorizer(analyzer="char", ngram_range=(2, 3)),          # lowercasing preprocessor, no unigrams
    CountVectorizer(analyzer="char", ngram_range=(1, 1)),
    TfidfVectorizer(analyzer=words),
    CountVectorizer(analyzer="word", ngram_range=(1, 2)),
])
@settings(max_examples=60, deadline=None)
@given(docs=TEXTS)
def test_bulk_counts_equal_sklearns(vec, docs):
    vec.fit(FIT + docs[:2])
    _same(bulk_counts(vec, docs), vec._count_vocab(docs, fixed_vocab=True)[1])


def test_known_counts():
    vec = CountVectorizer(analyzer="char", ngram_range=(1, 2), lowercase=False).fit(["加我加", "我"])
    X = bulk_counts(vec, ["加我加我", "好"]).toarray()
    # vocabulary: 加 我 加我 我加
    assert dict(zip(vec.get_feature_names_out(), X[0])) == {"加": 2, "我": 2, "加我": 2, "我加": 1}
    assert X[1].sum() == 0


def test_feature_union_transform_is_unchanged():
    fu = make_features().fit(FIT)
    docs = ["加我微信 abc123 谢谢", "", "  ", "😀😀 好的", "𠀀字"]
    _same(transform(fu, docs), fu.transform(docs))
    # and the hooks are gone afterwards (a saved model holds plain vectorisers)
    assert all("_count_vocab" not in part.__dict__ for _, part in fu.transformer_list)


def test_words_of_a_batch_are_words_of_each_text():
    from monitor.detect.features import _words_many

    docs = ["加我微信 abc123", "  ", "", "好的 谢谢😀\n\n明天到", "𠀀字 ０１２", "亲　在的"]
    assert _words_many(docs) == [words(d) for d in docs]
    assert words.many is _words_many
