"""The message-shape rows of a batch (shape_rows, one regex pass per view) equal shape_vector text by text."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.detect.features import SHAPE_NAMES, ShapeFeatures, shape_rows, shape_vector
from real_texts import corpus_texts, eval_texts, needs_eval


def _same(texts):
    want = np.array([shape_vector(t) for t in texts], dtype=np.float64).reshape(len(texts), len(SHAPE_NAMES))
    np.testing.assert_array_equal(shape_rows(texts), want)


def test_corpus_texts():
    _same(corpus_texts())


@needs_eval
def test_eval_texts():
    _same(eval_texts())


def test_literal_rows():
    rows = shape_rows(["好", "加我 13800138000", "微信 abc_12345", "SF1234567890123", "", "一二三四五六七八九十一"])
    assert rows.tolist() == [
        [0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
        [0.5, 0.0, 0.0, 0.0, 1.0, 0.0],
        [0.0, 0.5, 0.0, 1.0, 0.0, 0.0],     # normalised: 微信abc12345, 10 characters
        [0.0, 0.0, 0.0, 0.0, 1.0, 0.0],     # a tracking number: neither a phone run nor an ID
        [0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
        [0.5, 0.0, 0.0, 0.0, 1.0, 0.0],     # spoken digits: normalised 123456789十一, a 9-digit run
    ]


def test_halves_of_a_number_in_two_texts_are_no_run():
    _same(["电话138", "0013", "abc", "def_12"])
    assert shape_rows(["电话138", "0013"])[:, 0].tolist() == [0.0, 0.0]
    assert shape_rows(["电话1380013"])[0, 0] == 0.5          # one text: a 7-digit run


def test_transform_is_the_rows_as_a_sparse_matrix():
    texts = ["加我 13800138000", "好的"]
    assert (ShapeFeatures().transform(texts).toarray() == shape_rows(texts)).all()
    assert ShapeFeatures().transform([]).shape == (0, len(SHAPE_NAMES))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="加我电话一三八0123456789０１abcxyz_-SF ，\n", max_size=25), min_size=1, max_size=8))
def test_generated_texts(texts):
    _same(texts)
