"""One-vs-rest linear classifier with probabilities calibrated on folds grouped by family.

Why not sklearn's OneVsRestClassifier(CalibratedClassifierCV(...)): its calibration folds are
random, so a message and its near-duplicates (or its own augmented disguises) land on both sides
and the sigmoid learns to trust the model far too much. Here every calibration split keeps a
family on one side, so the probabilities mean what they say on unseen wording.
"""

from __future__ import annotations

import weakref

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .distinct import distinct_rows
from .folds import grouped_folds
from .nb_scale import NBScaled

try:    # scipy's own csr kernels (what csr_matrix @ vector calls), private: without them, sklearn's path
    from scipy.sparse import _sparsetools
except ImportError:  # pragma: no cover - a scipy that moved them
    _sparsetools = None


class _Constant:
    """A label with a single class in training: always that class's probability."""

    def __init__(self, value: float):
        self.value = value

    def predict_proba(self, X):
        return np.column_stack([np.full(X.shape[0], 1 - self.value), np.full(X.shape[0], self.value)])


class _SoftVote:
    """A label's calibrated views (plain and NB-scaled, fitted on the same splits): the mean of
    their probabilities."""

    def __init__(self, views):
        self.views = views

    def predict_proba(self, X):
        return np.mean([v.predict_proba(X) for v in self.views], axis=0)

    def coef(self) -> np.ndarray:
        return np.mean([_mean_coef(v) for v in self.views], axis=0)


def _mean_coef(calibrated) -> np.ndarray:
    return np.mean([c.estimator.coef_.ravel() for c in calibrated.calibrated_classifiers_], axis=0)


class GroupCalibratedOVR(ClassifierMixin, BaseEstimator):
    """Per label: a linear model (LinearSVC or LogisticRegression) + sigmoid calibration on
    `cv` folds grouped by the `groups` given to fit (random folds when none are given).

    `merge_duplicates`: fit on the distinct (features, labels, group) rows, each weighted by how many
    rows it stands for (monitor.detect.distinct): the same objective, several times fewer rows for the
    solver on an augmented corpus. The calibration folds are drawn on the rows as given either way.

    `n_jobs`: how many labels are fitted at once, in worker processes (joblib); the fitted model is
    the same for any n_jobs. Processes, not threads: liblinear releases the GIL, but its solver draws
    from one process-wide random generator (seeded at the start of each fit), so two fits in threads
    would disturb each other's draws and the model would depend on timing.

    `nb_view`: each label also gets the same linear model on NB-scaled features (monitor.detect.nb_scale),
    calibrated on the same splits, and its probability is the mean of the two views'."""

    def __init__(self, base: str = "svc", C: float = 2.0, class_weight=None, cv: int = 3, seed: int = 13,
                 merge_duplicates: bool = False, n_jobs: int | None = None, nb_view: bool = False):
        self.base = base
        self.C = C
        self.class_weight = class_weight
        self.cv = cv
        self.seed = seed
        self.merge_duplicates = merge_duplicates
        self.n_jobs = n_jobs
        self.nb_view = nb_view

    def _estimator(self):
        cw = self.class_weight
        if isinstance(cw, dict):   # JSON gives "0"/"1" keys; liblinear needs the class values
            cw = {int(k): float(v) for k, v in cw.items()}
        if self.base == "lr":
            return LogisticRegression(C=self.C, class_weight=cw, solver="liblinear", max_iter=2000)
        # tol 1e-3 (default 1e-4): half the liblinear iterations on the corpus, and the calibrated
        # probabilities move by less than the threshold grid step; max_iter 5000 so it never stops short
        return LinearSVC(C=self.C, class_weight=cw, random_state=self.seed, tol=1e-3, max_iter=5000)

    def _splits(self, y, groups):
        n_groups = len(np.unique(groups)) if groups is not None else len(y)
        k = max(2, min(self.cv, int(min(y.sum(), len(y) - y.sum())), n_groups))
        if groups is None:
            groups = np.arange(len(y))
        splits = grouped_folds(y, groups, k, self.seed)
        # a calibration fold needs both classes in its training part
        return [(tr, te) for tr, te in splits if 0 < y[tr].sum() < len(tr)]

    def _fit_label(self, X, y, groups, merged=None):
        """X: every row, or with `merged` = (representative, inverse, count) only the distinct rows."""
        # one BLAS thread: the sigmoid calibration's L-BFGS-B makes tiny BLAS calls every iteration,
        # and a multi-threaded OpenBLAS wakes its threads for each (7x the CPU of one thread, a fifth
        # of a fit at 10k rows). joblib's workers are limited already; this covers fitting in-process.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit_label_1(X, y, groups, merged)

    def _fit_label_1(self, X, y, groups, merged=None):
        if y.min() == y.max():
            return _Constant(float(y[0]))
        splits = self._splits(y, groups)   # drawn on every row, merged or not
        fit_args: tuple = (X, y)
        fit_kw: dict = {}
        if merged is not None:
            rep, inverse, count = merged
            # a distinct row stands for rows of one group, so it lies on one side of every split
            splits = [(np.unique(inverse[tr]), np.unique(inverse[te])) for tr, te in splits]
            fit_args, fit_kw = (X, y[rep]), {"sample_weight": count}
        views = [self._estimator()] + ([NBScaled(self._estimator())] if self.nb_view else [])
        fitted = [CalibratedClassifierCV(v, method="sigmoid", cv=splits or 2).fit(*fit_args, **fit_kw)
                  for v in views]
        return _SoftVote(fitted) if self.nb_view else fitted[0]

    def fit(self, X, Y, groups=None):
        Y = np.asarray(Y)
        groups = None if groups is None else np.asarray(groups)
        merged = None
        if self.merge_duplicates and groups is not None:
            merged = distinct_rows(X, Y, groups)
            X = X[merged[0]]
        ys = [Y[:, k].astype(int) for k in range(Y.shape[1])]
        jobs = min(self.n_jobs or 1, len(ys))
        if jobs > 1:
            self.estimators_ = Parallel(n_jobs=jobs)(delayed(self._fit_label)(X, y, groups, merged) for y in ys)
        else:
            self.estimators_ = [self._fit_label(X, y, groups, merged) for y in ys]
        self.n_labels_ = Y.shape[1]
        self.n_features_ = X.shape[1]
        return self

    def predict_proba(self, X) -> np.ndarray:
        """(n, n_labels): the probability of each label (not a distribution over labels)."""
        if sp.issparse(X) and X.ndim == 2 and X.dtype == np.float64:
            fused = self.fused(X.shape[1])
            if fused is not None:
                return fused.predict_proba(X)
        return self._predict_proba_each(X)

    def fused(self, n_features: int | None = None) -> "_Fused | None":
        """Every label's linear models as one _Fused, built on first use (or now: load_model asks
        before a scan forks its workers, so they share it); None when some part is not fusable."""
        n_features = n_features or getattr(self, "n_features_", None)
        if n_features is None or not hasattr(self, "estimators_") or _sparsetools is None:
            return None
        got = _FUSED.get(self)
        if got is None or got.estimators is not self.estimators_ or got.n_features != n_features:
            got = _Fused.build(self.estimators_, n_features)
            _FUSED[self] = got
        return got if got.plan is not None else None

    def _predict_proba_each(self, X) -> np.ndarray:
        """predict_proba through each label's sklearn objects (the reference _Fused.predict_proba must equal)."""
        return np.column_stack([est.predict_proba(X)[:, 1] for est in self.estimators_])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)

    def label_weights(self, n_features: int) -> np.ndarray:
        """(n_labels, n_features) mean linear weights per label, for evidence ("which n-grams pushed")."""
        fused = _FUSED.get(self)
        if fused is not None and fused.estimators is self.estimators_ and fused.n_features == n_features \
                and fused.mean_weights is not None:
            return fused.mean_weights.copy()
        return _label_weights(self.estimators_, n_features)


def _label_weights(estimators, n_features: int) -> np.ndarray:
    rows = []
    for est in estimators:
        if isinstance(est, _Constant):
            rows.append(np.zeros(n_features))
        elif isinstance(est, _SoftVote):
            rows.append(est.coef())
        else:
            rows.append(_mean_coef(est))
    return np.vstack(rows)


# -- predicting all labels at once ----------------------------------------------------------------------
# The shipped model asks 30 linear models per text (5 labels x 2 views x 3 calibration folds), each
# through sklearn's predict_proba: its input checks, a csr matrix scaled again for each NB fold, one
# sparse product per model, each reading its own 1.3 MB weight vector. _Fused computes the same numbers
# with the same floating-point operations in the same order: the weights of all models side by side in
# one matrix (a feature's 30 weights in one row, so a batch reads the rows of the columns it uses), the
# batch's matrix restricted to those columns (the order of its stored values kept), the 15 plain models
# in one sparse product with 15 columns (scipy's csr_matvecs adds each row's products in the order
# csr_matvec does), the NB folds' scaling done block by block of rows so the temporaries stay in cache,
# then each fold's sigmoid (_SigmoidCalibration.predict's formula), the fold mean and the view mean as
# CalibratedClassifierCV and _SoftVote take them. The models' own weight arrays become views of that
# matrix (the same values; one copy of the weights in memory, not two), so sklearn's path still sees
# them. Anything it does not know (another calibration method, a non-linear model, a dense or
# non-float64 matrix) goes through sklearn instead. tests/test_ovr_fused_proba.py checks it against
# _predict_proba_each bit for bit.

_BLOCK_VALUES = 32_768      # stored values per block of rows when scaling for the NB folds
_FUSED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # GroupCalibratedOVR -> _Fused


def _linear(est, n_features: int) -> bool:
    """A binary linear model whose decision_function is X @ coef_.T + intercept_ (classes 0, 1)."""
    return (type(est) in (LinearSVC, LogisticRegression) and getattr(est, "coef_", None) is not None
            and np.shape(est.coef_) == (1, n_features) and np.shape(est.intercept_) == (1,)
            and list(est.classes_) == [0, 1])


def _fold(cal, n_features: int):
    """("plain", model) or ("nb", NBScaled model) for one calibrated fold, or None (not fusable)."""
    calibrators = getattr(cal, "calibrators", None)
    if getattr(cal, "method", None) != "sigmoid" or calibrators is None or len(calibrators) != 1 \
            or type(calibrators[0]) is not _SigmoidCalibration or list(cal.classes) != [0, 1]:
        return None
    est = cal.estimator
    if type(est) is NBScaled and _linear(est.estimator_, n_features) and list(est.classes_) == [0, 1] \
            and np.size(est.r_) == n_features:
        return ("nb", est)
    if _linear(est, n_features):
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


class _Fused:
    def __init__(self, estimators, n_features: int):
        self.estimators = estimators    # the list it was built from (a refit makes a new one)
        self.n_features = n_features
        self.plan = None
        self.mean_weights = None

    @classmethod
    def build(cls, estimators, n_features: int) -> "_Fused":
        self = cls(estimators, n_features)
        plan, plain, nb = [], [], []
        for est in estimators:
            if isinstance(est, _Constant):
                plan.append(("constant", est.value))
                continue
            views = est.views if isinstance(est, _SoftVote) else [est]
            label = []
            for view in views:
                if type(view) is not CalibratedClassifierCV or list(view.classes_) != [0, 1]:
                    return self
                folds = []
                for cal in view.calibrated_classifiers_:
                    kind = _fold(cal, n_features)
                    if kind is None:
                        return self
                    group = plain if kind[0] == "plain" else nb
                    folds.append((kind[0], len(group), cal.calibrators[0]))
                    group.append(kind[1])
                label.append(folds)
            plan.append(("views", label, isinstance(est, _SoftVote)))
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
        self.mean_weights = _label_weights(estimators, n_features)
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
