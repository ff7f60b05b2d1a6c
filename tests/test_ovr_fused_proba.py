"""GroupCalibratedOVR.predict_proba computes all labels at once (_fused_proba) with the same numbers,
bit for bit, as asking each label's sklearn objects (_predict_proba_each)."""

import numpy as np
import pytest
import scipy.sparse as sp

from monitor.detect import load_model
from monitor.detect.features import transform
from monitor.detect.labelled import read_labelled
import pickle

from monitor.detect.ovr import GroupCalibratedOVR

TEXTS = ["加我微信，电话13800138000", "好的亲", "爱买不买", "好评返现五元", "亲，明天发货哦", "滚",
         "求求你 拜托 改一下评价吧 求求你", "ＶＸ：ｗｘｉｄ＿ａｂｃｄｅｆ１２３", "您的收货电话是13912345678吗？"]


def _fitted(base, nb_view, constant_label=False, n=240, seed=0):
    rng = np.random.default_rng(seed)
    X = sp.random(n, 60, density=0.15, format="csr", random_state=seed, dtype=np.float64)
    Y = (rng.random((n, 3)) < 0.4).astype(int)
    if constant_label:
        Y[:, 2] = 0            # a label with one class: the _Constant path
    groups = np.arange(n) // 3
    return GroupCalibratedOVR(base=base, nb_view=nb_view, seed=seed).fit(X, Y, groups=groups), X


@pytest.mark.parametrize("base", ["svc", "lr"])
@pytest.mark.parametrize("nb_view", [False, True])
@pytest.mark.parametrize("constant_label", [False, True])
def test_fused_equals_each_label_on_small_models(base, nb_view, constant_label):
    clf, X = _fitted(base, nb_view, constant_label)
    assert clf.fused(X.shape[1]) is not None                 # the fused path is the one taken
    np.testing.assert_array_equal(clf.predict_proba(X), clf._predict_proba_each(X))
    # each row's stored values in reverse order (unsorted indices), and an empty first row
    indptr = X.indptr.copy()
    indptr[1:] -= X.indptr[1] - X.indptr[0]
    indptr[0] = 0
    rows = [(X.indices[a:b][::-1], X.data[a:b][::-1]) for a, b in zip(X.indptr[1:-1], X.indptr[2:])]
    Xu = sp.csr_matrix((np.concatenate([d for _, d in rows]), np.concatenate([i for i, _ in rows]), indptr),
                       shape=X.shape)
    assert not Xu.has_sorted_indices and Xu[0].nnz == 0
    np.testing.assert_array_equal(clf.predict_proba(Xu), clf._predict_proba_each(Xu))
    assert clf.predict_proba(X[:0]).shape == (0, 3)


def test_blocks_of_any_size_give_the_same_numbers(monkeypatch):
    import monitor.detect.fused as fused_mod

    clf, X = _fitted("svc", True)
    want = clf._predict_proba_each(X)
    for block in (1, 7, 100, 10 ** 9):
        monkeypatch.setattr(fused_mod, "_BLOCK_VALUES", block)
        np.testing.assert_array_equal(clf.predict_proba(X), want)


def test_dense_input_goes_through_sklearn():
    clf, X = _fitted("svc", True)
    np.testing.assert_allclose(clf.predict_proba(X.toarray()), clf._predict_proba_each(X), rtol=0, atol=1e-12)


def test_shipped_model_fused_equals_each_label_on_corpus_texts():
    model = load_model(sklearn=True)   # the sklearn objects: compared with their own predict_proba
    clf = model.pipeline.named_steps["clf"]
    texts = TEXTS + read_labelled(["data/labelled"])["text"].sample(1500, random_state=3).tolist()
    X = transform(model.pipeline.named_steps["features"], texts).tocsr()
    assert clf.fused(X.shape[1]) is not None
    got = clf.predict_proba(X)
    np.testing.assert_array_equal(got, clf._predict_proba_each(X))
    # rows scored alone or in another block split are the same
    for k in (0, 5, 700):
        np.testing.assert_array_equal(clf.predict_proba(X[k:k + 1]), got[k:k + 1])


def test_weights_are_held_once_and_a_fused_model_pickles_as_before():
    clf, X = _fitted("svc", True)
    before = pickle.dumps(clf)
    fused = clf.fused(X.shape[1])
    # each model's weights are now a view of the fused matrix (one copy in memory)
    cal = clf.estimators_[0].views[1].calibrated_classifiers_[0]
    assert np.shares_memory(cal.estimator.estimator_.coef_, fused.W)
    assert np.shares_memory(cal.estimator.r_, fused.R)
    assert np.shares_memory(clf.estimators_[0].views[0].calibrated_classifiers_[0].estimator.coef_, fused.W)
    # the same bytes pickled (no cache in it, the views saved as their values), the same sklearn answers
    assert pickle.dumps(clf) == before
    np.testing.assert_array_equal(pickle.loads(before)._predict_proba_each(X), clf._predict_proba_each(X))


def test_a_refit_builds_new_fused_weights():
    clf, X = _fitted("svc", True)
    first = clf.fused(X.shape[1])
    clf.fit(X, (np.arange(X.shape[0])[:, None] % np.array([2, 3, 5]) == 0).astype(int), groups=np.arange(X.shape[0]) // 3)
    assert clf.fused(X.shape[1]) is not first
    np.testing.assert_array_equal(clf.predict_proba(X), clf._predict_proba_each(X))


@pytest.mark.parametrize("nb_view", [False, True])
@pytest.mark.parametrize("constant_label", [False, True])
def test_label_weights_kept_at_fusing_are_the_same_means(nb_view, constant_label):
    clf, X = _fitted("svc", nb_view, constant_label)
    unfused = clf.label_weights(X.shape[1])          # before fusing: from each model's own weights
    clf.fused(X.shape[1])
    kept = clf.label_weights(X.shape[1])
    assert kept.tobytes() == unfused.tobytes() and kept.shape == (3, 60)
    kept[:] = 0                                      # a copy: the next caller gets the means again
    assert clf.label_weights(X.shape[1]).tobytes() == unfused.tobytes()
