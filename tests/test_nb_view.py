"""The NB-scaled second view of each label (monitor.detect.nb_scale) and its soft vote with the plain one."""

import numpy as np
import scipy.sparse as sp
from sklearn.svm import LinearSVC

from monitor.detect.features import make_features
from monitor.detect.nb_scale import NBScaled
from monitor.detect.ovr import GroupCalibratedOVR

# columns: a word only in positive rows, one only in negative rows, one in both
X = sp.csr_matrix(np.array([[1.0, 0.0, 1.0],
                            [0.5, 0.0, 1.0],
                            [0.0, 1.0, 1.0],
                            [0.0, 2.0, 0.0]]))
y = np.array([1, 1, 0, 0])


def test_log_count_ratio_of_literal_rows():
    m = NBScaled(LinearSVC(), alpha=1.0).fit(X, y)
    # presence counts, alpha 1: p = [3, 1, 3] (sum 7), q = [1, 3, 2] (sum 6)
    expected = np.log((np.array([3, 1, 3]) / 7) / (np.array([1, 3, 2]) / 6))
    np.testing.assert_allclose(m.r_, expected)
    assert m.r_[0] > 0 > m.r_[1]                       # the positive word scales up, the negative one flips


def test_a_weight_of_two_counts_as_a_repeated_row():
    weighted = NBScaled(LinearSVC(), alpha=1.0).fit(X, y, sample_weight=np.array([2.0, 1.0, 1.0, 1.0]))
    repeated = NBScaled(LinearSVC(), alpha=1.0).fit(sp.vstack([X, X[0]]), np.append(y, 1))
    np.testing.assert_allclose(weighted.r_, repeated.r_)


def test_decision_and_weights_are_those_of_the_scaled_features():
    m = NBScaled(LinearSVC(random_state=0), alpha=1.0).fit(X, y)
    scaled = X.multiply(m.r_).tocsr()
    np.testing.assert_allclose(m.decision_function(X), m.estimator_.decision_function(scaled))
    np.testing.assert_allclose(m.coef_, m.estimator_.coef_ * m.r_)
    assert m.predict(X).tolist() == y.tolist()


TEXTS = ["加我微信聊", "加我vx发你", "有事加我扣扣", "私聊我的微信号", "加我威信领券", "留个电话我打给你",
         "好的亲", "马上为您发货", "您好在的", "亲亲稍等", "已为您备注", "感谢支持", "支持微信支付吗", "只支持支付宝哦"]
Y = np.array([[1]] * 6 + [[0]] * 8)
FAMILIES = [f"f{i}" for i in range(len(TEXTS))]


def test_soft_vote_is_the_mean_of_the_plain_and_the_nb_view():
    features = make_features().fit(TEXTS)
    Xt = features.transform(TEXTS)
    probe = features.transform(["加我微信", "好的", "支持微信支付吗"])
    plain = GroupCalibratedOVR(C=2.0, cv=2).fit(Xt, Y, groups=FAMILIES)
    both = GroupCalibratedOVR(C=2.0, cv=2, nb_view=True).fit(Xt, Y, groups=FAMILIES)
    vote = both.estimators_[0]
    assert len(vote.views) == 2
    # the plain view is the plain model, fitted on the same splits
    np.testing.assert_allclose(vote.views[0].predict_proba(probe), plain.estimators_[0].predict_proba(probe))
    mean = (vote.views[0].predict_proba(probe)[:, 1] + vote.views[1].predict_proba(probe)[:, 1]) / 2
    np.testing.assert_allclose(both.predict_proba(probe)[:, 0], mean)
    assert both.predict_proba(probe)[0, 0] > both.predict_proba(probe)[1, 0]   # 加我微信 above 好的
    # evidence weights: one row per label, one column per feature, the mean of the two views' weights
    w = both.label_weights(Xt.shape[1])
    assert w.shape == (1, Xt.shape[1]) and both.n_features_ == Xt.shape[1]
    np.testing.assert_allclose(w[0], vote.coef())
