"""l2_normalise_rows (monitor/detect/standins.py) scales csr rows exactly as sklearn's normalize does: each
row's sum of squares added in stored order, so the same bits, not just close values."""

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

from monitor.detect.standins import l2_normalise_rows


def _mine(X):
    X = X.copy()
    l2_normalise_rows(X.data, X.indptr)
    return X


def test_literal_rows():
    X = sp.csr_matrix(np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [0.0, 2.0, 0.0]]))
    got = _mine(X)
    assert got.toarray().tolist() == [[0.6, 0.8, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_a_long_row_where_pairwise_and_sequential_sums_differ():
    # values whose sum of squares depends on the order of the additions (numpy's sum is pairwise)
    rng = np.random.default_rng(3)
    values = rng.lognormal(0, 3, 5_000)
    assert np.sum(values * values) != sum((v * v for v in values), 0.0)   # the two orders part here
    X = sp.csr_matrix((values, np.arange(5_000), [0, 5_000]), shape=(1, 5_000))
    assert np.array_equal(_mine(X).data, normalize(X, copy=True).data)


rows = st.lists(st.lists(st.one_of(st.floats(1e-3, 1e3), st.floats(-50, 50), st.just(0.0), st.floats(1e-170, 1e-160)),
                         min_size=0, max_size=60), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_the_same_bits_as_sklearn(values):
    data = np.array([v for row in values for v in row], dtype=np.float64)
    indptr = np.cumsum([0] + [len(row) for row in values])
    indices = np.concatenate([np.arange(len(row)) for row in values]) if len(data) else np.zeros(0, dtype=np.int64)
    X = sp.csr_matrix((data, indices, indptr), shape=(len(values), 60))
    assert np.array_equal(_mine(X).data, normalize(X, copy=True).data)
