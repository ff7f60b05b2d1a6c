"""All labels' calibrated linear models as one computation, for predicting (no scikit-learn imported).

GroupCalibratedOVR (monitor.detect.ovr, training) fuses the sklearn objects it fitted; the inference
stand-ins (monitor.detect.standins, what `chatmon classify` and the scan load) fuse their own copies of
the same pickled state. Either way the caller says which classes play which part (Kinds), and the
numbers are the same: tests/test_ovr_fused_proba.py and tests/test_standins_proba.py compare them with
sklearn's own predict_proba bit for bit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

try:    # scipy's own csr kernels (what csr_matrix @ vector calls), private: without them, sklearn's path
    from scipy.sparse import _sparsetools
except ImportError:  # pragma: no cover - a scipy that moved them
    _sparsetools = None


class Kinds(NamedTuple):
    """The classes (exact types) that play each part of a fitted one-vs-rest model."""
    constant: tuple      # a label with one class in training: `.value`
    soft_vote: tuple     # a label's views, averaged: `.views`
    calibrated: tuple    # CalibratedClassifierCV: `.classes_`, `.calibrated_classifiers_` (each with
    #                      `.method`, `.calibrators`, `.classes`, `.estimator`)
    sigmoid: tuple       # _SigmoidCalibration: `.a_`, `.b_`
    linear: tuple        # LinearSVC / LogisticRegression: `.coef_`, `.intercept_`, `.classes_`
    nb: tuple            # NBScaled: `.estimator_` (linear), `.r_`, `.classes_`, `.coef_`


def mean_coef(calibrated) -> np.ndarray:
    """The mean weights of a calibrated view's fold models."""
    return np.mean([c.estimator.coef_.ravel() for c in calibrated.calibrated_classifiers_], axis=0)


def label_weights(estimators, n_features: int, kinds: Kinds) -> np.ndarray:
    """(n_labels, n_features) mean linear weights per label, for evidence ("which n-grams pushed")."""
    rows = []
    for est in estimators:
        if type(est) in kinds.constant:
            rows.append(np.zeros(n_features))
        elif type(est) in kinds.soft_vote:
            rows.append(np.mean([mean_coef(v) for v in est.views], axis=0))
        else:
            rows.append(mean_coef(est))
    return np.vstack(rows)


# -- predicting all labels at once ----------------------------------------------------------------------
# The shipped model asks 30 linear models per text (5 labels x 2 views x 3 calibration folds), each
# through sklearn's predict_proba: its input checks, a csr matrix scaled again for each NB fold, one
# sparse product per model, each reading its own 1.3 MB weight vector. Fused computes the same numbers
# with the same floating-point operations in the same order: the weights of all models side by side in
# one matrix (a feature's 30 weights in one row, so a batch reads the rows of the columns it uses), the
# batch's matrix restricted to those columns (the order of its stored values kept), the 15 plain models
# in one sparse product with 15 columns (scipy's csr_matvecs adds each row's products in the order
# csr_matvec does), the NB folds' scaling done block by block of rows so the temporaries stay in cache,
# then each fold's sigmoid (_SigmoidCalibration.predict's formula), the fold mean and the view mean as
# CalibratedClassifierCV and _SoftVote take them. The models' own weight arrays become views of that
# matrix (the same values; one copy of the weights in memory, not two), so sklearn's path still sees
# them. Anything it does not know (another calibration method, a non-linear model) leaves the plan
# None: GroupCalibratedOVR then goes through sklearn, and load_model through sklearn's objects.

_BLOCK_VALUES = 32_768      # stored values per block of rows when scaling for the NB folds


def _linear(est, n_features: int, kinds: Kinds) -> bool:
    """A binary linear model whose decision_function is X @ coef_.T + intercept_ (classes 0, 1)."""
    return (type(est) in kinds.linear and getattr(est, "coef_", None) is not None
            and np.shape(est.coef_) == (1, n_features) and np.shape(est.intercept_) == (1,)
            and list(est.classes_) == [0, 1])


def _fold(cal, n_features: int, kinds: Kinds):
    """("plain", model) or ("nb", NBScaled model) for one calibrated fold, or None (not fusable)."""
    calibrators = getattr(cal, "calibrators", None)
    if getattr(cal, "method", None) != "sigmoid" or calibrators is None or len(calibrators) != 1 \
            or type(calibrators[0]) not in kinds.sigmoid or list(cal.classes) != [0, 1]:
        return None
    est = cal.estimator
    if type(est) in kinds.nb and _linear(est.estimator_, n_features, kinds) and list(est.classes_) == [0, 1] \
            and np.size(est.r_) == n_features:
        return ("nb", est)
    if _linear(est, n_features, kinds):
        return ("plain", est)
    return None


def _share(owner, name: str, column: np.ndarray) -> None:
    """owner.<name> (whose values `column` was just filled with) becomes a view of `column` in its own
    shape, when it is a float64 ndarray: the weights are then held once, in the fused matrix."""
    old = getattr(owner, name)
    if type(old) is not np.ndarray or old.dtype != np.float64 or old.size != column.size:
        return
    view = column.reshape(old.shape)
    if np.shares_memory(view, column):
        setattr(owner, name, view)


class Fused:
    """The fused weights and plan of one list of fitted label models (plan None: not fusable)."""

    def __init__(self, estimators, n_features: int):
        self.estimators = estimators    # the list it was built from (a refit makes a new one)
        self.n_features = n_features
        self.plan = None
        self.mean_weights = None

    @classmethod
    def build(cls, estimators, n_features: int, kinds: Kinds) -> "Fused":
        self = cls(estimators, n_features)
        plan, plain, nb = [], [], []
        for est in estimators:
            if type(est) in kinds.constant:
                plan.append(("constant", est.value))
                continue
            vote = type(est) in kinds.soft_vote
            views = est.views if vote else [est]
            label = []
            for view in views:
                if type(view) not in kinds.calibrated or list(view.classes_) != [0, 1]:
                    return self
                folds = []
                for cal in view.calibrated_classifiers_:
                    kind = _fold(cal, n_features, kinds)
                    if kind is None:
                        return self
                    group = plain if kind[0] == "plain" else nb
                    folds.append((kind[0], len(group), cal.calibrators[0]))
                    group.append(kind[1])
                label.append(folds)
            plan.append(("views", label, vote))
        self.n_plain, self.n_nb = len(plain), len(nb)
        # row f: feature f's weight in every plain model, then in every NB model's linear model; and
        # feature f's NB ratio in each NB model (stacked as rows, then transposed in one pass: filling
        # the columns one by one would sweep the whole matrix once per model)
        weights = [m.coef_.ravel() for m in plain] + [m.estimator_.coef_.ravel() for m in nb]
        self.W = np.ascontiguousarray(np.array(weights, dtype=np.float64).reshape(len(weights), n_features).T)
        self.R = np.ascontiguousarray(np.array([np.asarray(m.r_, dtype=np.float64).ravel() for m in nb],
                                               dtype=np.float64).reshape(len(nb), n_features).T)
        del weights
        self.intercepts = ([m.intercept_ for m in plain], [m.estimator_.intercept_ for m in nb])
        # each label's mean weights (label_weights, for evidence), taken now while every model's weights
        # are still its own contiguous array: once they are strided columns of W (below) the same means
        # took 0.069 s instead of 0.022, in every scan worker that gave evidence
        self.mean_weights = label_weights(estimators, n_features, kinds)
        for j, m in enumerate(plain):
            _share(m, "coef_", self.W[:, j])
        for f, m in enumerate(nb):
            _share(m.estimator_, "coef_", self.W[:, len(plain) + f])
            _share(m, "r_", self.R[:, f])
        self.plan = plan
        return self

    def predict_proba(self, X) -> np.ndarray:
        X = sp.csr_matrix(X)
        n, n_features = X.shape
        out = np.empty((n, len(self.plan)))
        if n == 0:
            return out
        data, indptr = X.data, X.indptr
        # the columns this X uses, renumbered in the same order (the stored values keep their order)
        cols = np.flatnonzero(np.bincount(X.indices, minlength=n_features))
        renumber = np.zeros(n_features, dtype=indptr.dtype)     # (sparsetools wants one index dtype)
        renumber[cols] = np.arange(len(cols), dtype=indptr.dtype)
        idx = renumber[X.indices]
        W = self.W[cols]
        n_plain, n_nb = self.n_plain, self.n_nb
        plain = np.zeros((n, n_plain))
        if n_plain:
            _sparsetools.csr_matvecs(n, len(cols), n_plain, indptr, idx, data,
                                     np.ascontiguousarray(W[:, :n_plain]).ravel(), plain.ravel())
        nb = np.zeros((n_nb, n))
        if n_nb:
            r = np.ascontiguousarray(self.R[cols].T)
            w = np.ascontiguousarray(W[:, n_plain:].T)
            start = 0
            while start < n:
                # rows [start, stop): about _BLOCK_VALUES stored values, at least one row
                stop = int(np.searchsorted(indptr, indptr[start] + _BLOCK_VALUES, side="right")) - 1
                stop = min(n, max(stop, start + 1))
                lo, hi = indptr[start], indptr[stop]
                block_idx, block_data = idx[lo:hi], data[lo:hi]
                block_ptr = indptr[start:stop + 1] - lo
                scaled = np.empty(hi - lo)
                for f in range(n_nb):
                    np.take(r[f], block_idx, out=scaled)
                    np.multiply(block_data, scaled, out=scaled)      # NBScaled._scale: x * r, value by value
                    _sparsetools.csr_matvec(stop - start, len(cols), block_ptr, block_idx, scaled, w[f],
                                            nb[f, start:stop])
                start = stop
        for k, label in enumerate(self.plan):
            if label[0] == "constant":
                out[:, k] = label[1]
                continue
            view_p = []
            for view in label[1]:
                # CalibratedClassifierCV.predict_proba: the mean of the folds' calibrated probabilities
                mean = np.zeros(n)
                for kind, j, calibrator in view:
                    # decision_function (X @ coef_.T + intercept_), then _SigmoidCalibration.predict
                    d = plain[:, j] + self.intercepts[0][j] if kind == "plain" else nb[j] + self.intercepts[1][j]
                    p = expit(-(calibrator.a_ * d + calibrator.b_))
                    p[(1.0 < p) & (p <= 1.0 + 1e-5)] = 1.0
                    mean += p
                mean /= len(view)
                view_p.append(mean)
            out[:, k] = np.mean(view_p, axis=0) if label[2] else view_p[0]
        return out
