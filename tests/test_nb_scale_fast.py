"""NBScaled scales a csr matrix's stored values by their column's r in place of scipy's broadcasting
multiply: the same matrix (values bit for bit, same places), so the same decisions and probabilities."""

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.svm import LinearSVC

from monitor.detect.nb_scale import NBScaled


@st.composite
def sparse_and_r(draw):
    n, f = draw(st.integers(1, 8)), draw(st.integers(1, 12))
    density = draw(st.sampled_from([0.0, 0.2, 0.6, 1.0]))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = sp.random(n, f, density=density, format="csr", random_state=rng, data_rvs=lambda k: rng.normal(size=k))
    if draw(st.booleans()):
        X.data[: len(X.data) // 3] = 0.0            # explicit zeros, as a product of weights can leave
    r = rng.normal(size=f) * draw(st.sampled_from([1.0, 1e-300, 1e300]))
    r[rng.random(f) < 0.2] = 0.0
    return X, r


@settings(max_examples=300, deadline=None)
@given(sparse_and_r())
def test_scaled_matrix_is_scipys_product(case):
    X, r = case
    m = NBScaled()
    m.r_ = r
    got = m._scale(X)
    ref = sp.csr_matrix(X).multiply(r).tocsr()
    np.testing.assert_array_equal(got.toarray(), ref.toarray())
    w = np.random.default_rng(0).normal(size=X.shape[1])
    assert np.array_equal(got @ w, ref @ w)        # the products a linear model takes, bit for bit


def test_fitted_model_decides_as_on_the_broadcast_product():
    rng = np.random.default_rng(3)
    X = sp.random(60, 30, density=0.3, format="csr", random_state=rng)
    y = (X[:, :5].sum(axis=1).A.ravel() > 0.3).astype(int)
    m = NBScaled(LinearSVC(random_state=0)).fit(X, y)
    ref = m.estimator_.decision_function(sp.csr_matrix(X).multiply(m.r_).tocsr())
    assert np.array_equal(m.decision_function(X), ref)
