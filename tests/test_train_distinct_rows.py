"""Identical training rows merge into one weighted row; the merged fit is the same model."""

import numpy as np
import scipy.sparse as sp

from monitor.detect.distinct import distinct_rows
from monitor.detect.features import make_features
from monitor.detect.ovr import GroupCalibratedOVR


def test_rows_merge_only_when_features_labels_and_group_all_match():
    X = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 2.0], [1.0, 0.0]]))
    Y = np.array([[1, 0], [1, 0], [0, 1], [1, 0], [1, 0], [1, 0]])
    groups = np.array(["a", "a", "a", "b", "a", "a"])
    rep, inverse, count = distinct_rows(X, Y, groups)
    # row 2: other labels; row 3: other group; row 4: other features; rows 0, 1, 5: one row
    assert rep.tolist() == [0, 2, 3, 4]
    assert inverse.tolist() == [0, 0, 1, 2, 3, 0]
    assert count.tolist() == [3.0, 1.0, 1.0, 1.0]


def test_unsorted_indices_of_an_equal_row_still_match():
    a = sp.csr_matrix((np.array([1.0, 2.0]), np.array([0, 1]), np.array([0, 2])), shape=(1, 2))
    b = sp.csr_matrix((np.array([2.0, 1.0]), np.array([1, 0]), np.array([0, 2])), shape=(1, 2))
    X = sp.vstack([a, b], format="csr")
    X.has_sorted_indices = False
    rep, inverse, count = distinct_rows(X, np.zeros((2, 1)), np.array(["g", "g"]))
    assert rep.tolist() == [0] and inverse.tolist() == [0, 0] and count.tolist() == [2.0]


TEXTS = ["加我微信聊", "加我微信聊", "加 我 微 信 聊", "加我vx发你", "有事加我扣扣", "私聊我的微信号", "加我威信领券",
         "留个电话我打给你", "好的亲", "好的亲", "好的 亲", "马上为您发货", "您好在的", "亲亲稍等", "已为您备注",
         "感谢支持", "支持微信支付吗", "只支持支付宝哦"]
Y = np.array([[1]] * 8 + [[0]] * 10)
FAMILIES = ["f0", "f0", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f6", "f6", "f7", "f8", "f9", "f10", "f11",
            "f12", "f13"]


def test_merged_fit_gives_the_same_probabilities_as_the_fit_on_every_row():
    features = make_features().fit(TEXTS)
    X = features.transform(TEXTS)
    assert len(distinct_rows(X, Y, np.asarray(FAMILIES))[0]) < len(TEXTS)   # there is something to merge
    probe = features.transform(["加我微信", "好的", "支持微信支付吗"])
    every = GroupCalibratedOVR(C=2.0, cv=2).fit(X, Y, groups=FAMILIES)
    merged = GroupCalibratedOVR(C=2.0, cv=2, merge_duplicates=True).fit(X, Y, groups=FAMILIES)
    assert np.allclose(every.predict_proba(probe), merged.predict_proba(probe), atol=1e-3)
