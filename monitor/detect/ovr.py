"""One-vs-rest linear classifier with probabilities calibrated on folds grouped by family.

Why not sklearn's OneVsRestClassifier(CalibratedClassifierCV(...)): its calibration folds are
random, so a message and its near-duplicates (or its own augmented disguises) land on both sides
and the sigmoid learns to trust the model far too much. Here every calibration split keeps a
family on one side, so the probabilities mean what they say on unseen wording.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from scipy.sparse import _sparsetools
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .distinct import distinct_rows
from .folds import grouped_folds
from .nb_scale import NBScaled


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
        plan = _fused_plan(self.estimators_, X)
        if plan is not None:
            return _fused_proba(plan, X)
        return self._predict_proba_each(X)

    def _predict_proba_each(self, X) -> np.ndarray:
        """predict_proba through each label's sklearn objects (the reference _fused_proba must equal)."""
        return np.column_stack([est.predict_proba(X)[:, 1] for est in self.estimators_])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)

    def label_weights(self, n_features: int) -> np.ndarray:
        """(n_labels, n_features) mean linear weights per label, for evidence ("which n-grams pushed")."""
        rows = []
        for est in self.estimators_:
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
# sparse product per model. _fused_proba computes the same numbers with the same floating-point
# operations in the same order: the matrix restricted to the columns it uses (order of the stored values
# kept), the 15 plain models in one sparse product with 15 columns (scipy's csr_matvecs adds each row's
# products in the order csr_matvec does), the NB folds' scaling done block by block of rows so the
# temporaries stay in cache, then each fold's sigmoid (the calibrator's own predict), the fold mean and
# the view mean as CalibratedClassifierCV and _SoftVote take them. Anything it does not know (another
# calibration method, a non-linear model, a dense or non-float64 matrix) goes through sklearn instead.
# tests/test_ovr_fused_proba.py checks it against _predict_proba_each bit for bit.

_BLOCK_VALUES = 32_768      # stored values per block of rows when scaling for the NB folds


def _linear(est, n_features: int) -> bool:
    """A binary linear model whose decision_function is X @ coef_.T + intercept_ (classes 0, 1)."""
    return (isinstance(est, (LinearSVC, LogisticRegression)) and getattr(est, "coef_", None) is not None
            and est.coef_.shape == (1, n_features) and np.shape(est.intercept_) == (1,)
            and list(est.classes_) == [0, 1])


def _fold_kind(cal, n_features: int):
    """("plain", coef, intercept) or ("nb", r, coef, intercept) for one fold, or None (not fusable)."""
    calibrators = getattr(cal, "calibrators", None)
    if getattr(cal, "method", None) != "sigmoid" or calibrators is None or len(calibrators) != 1 \
            or type(calibrators[0]) is not _SigmoidCalibration or list(cal.classes) != [0, 1]:
        return None
    est = cal.estimator
    if type(est) is NBScaled and _linear(est.estimator_, n_features) and list(est.classes_) == [0, 1] \
            and np.asarray(est.r_).size == n_features:
        inner = est.estimator_
        return ("nb", np.asarray(est.r_).ravel(), inner.coef_[0], inner.intercept_)
    if type(est) in (LinearSVC, LogisticRegression) and _linear(est, n_features):
        return ("plain", est.coef_[0], est.intercept_)
    return None


def _fused_plan(estimators, X):
    """Per label: ("constant", value) or ("views", [[(fold kind, calibrator), ...] per view]); None
    when some part is not fusable or X is not a float64 sparse matrix."""
    if not sp.issparse(X) or X.dtype != np.float64 or X.ndim != 2:
        return None
    n_features = X.shape[1]
    plan = []
    for est in estimators:
        if isinstance(est, _Constant):
            plan.append(("constant", est.value))
            continue
        views = est.views if isinstance(est, _SoftVote) else [est]
        label = []
        for view in views:
            if type(view) is not CalibratedClassifierCV or list(view.classes_) != [0, 1]:
                return None
            folds = []
            for cal in view.calibrated_classifiers_:
                kind = _fold_kind(cal, n_features)
                if kind is None:
                    return None
                folds.append((kind, cal.calibrators[0]))
            label.append(folds)
        plan.append(("views", label, isinstance(est, _SoftVote)))
    return plan


def _fused_proba(plan, X) -> np.ndarray:
    X = sp.csr_matrix(X)
    n, n_features = X.shape
    out = np.empty((n, len(plan)))
    if n == 0:
        return out
    data, indptr = X.data, X.indptr
    # the columns this X uses, renumbered in the same order (the stored values keep their order)
    cols = np.flatnonzero(np.bincount(X.indices, minlength=n_features))
    renumber = np.zeros(n_features, dtype=indptr.dtype)     # (sparsetools wants one index dtype)
    renumber[cols] = np.arange(len(cols), dtype=indptr.dtype)
    idx = renumber[X.indices]
    folds = [f for label in plan if label[0] == "views" for view in label[1] for f in view]
    plain = [kind for kind, _ in folds if kind[0] == "plain"]
    nb = [kind for kind, _ in folds if kind[0] == "nb"]
    decision: dict[int, np.ndarray] = {}
    if plain:
        W = np.empty((len(cols), len(plain)))
        for j, kind in enumerate(plain):
            W[:, j] = kind[1][cols]
        D = np.zeros((n, len(plain)))
        _sparsetools.csr_matvecs(n, len(cols), len(plain), indptr, idx, data, W.ravel(), D.ravel())
        for j, kind in enumerate(plain):
            decision[id(kind)] = D[:, j] + kind[2]      # what LinearClassifierMixin.decision_function adds
    if nb:
        r = [kind[1][cols] for kind in nb]
        w = [kind[2][cols] for kind in nb]
        D = np.zeros((len(nb), n))
        start = 0
        while start < n:
            # rows [start, stop): about _BLOCK_VALUES stored values, at least one row
            stop = int(np.searchsorted(indptr, indptr[start] + _BLOCK_VALUES, side="right")) - 1
            stop = min(n, max(stop, start + 1))
            lo, hi = indptr[start], indptr[stop]
            block_idx, block_data = idx[lo:hi], data[lo:hi]
            block_ptr = indptr[start:stop + 1] - lo
            scaled = np.empty(hi - lo)
            for f in range(len(nb)):
                np.take(r[f], block_idx, out=scaled)
                np.multiply(block_data, scaled, out=scaled)      # NBScaled._scale: x * r, value by value
                _sparsetools.csr_matvec(stop - start, len(cols), block_ptr, block_idx, scaled, w[f],
                                        D[f, start:stop])
            start = stop
        for f, kind in enumerate(nb):
            decision[id(kind)] = D[f] + kind[3]
    for k, label in enumerate(plan):
        if label[0] == "constant":
            out[:, k] = label[1]
            continue
        view_p = []
        for view in label[1]:
            # CalibratedClassifierCV.predict_proba: the mean of the folds' calibrated probabilities
            mean = np.zeros(n)
            for kind, calibrator in view:
                p = calibrator.predict(decision[id(kind)])
                p[(1.0 < p) & (p <= 1.0 + 1e-5)] = 1.0
                mean += p
            mean /= len(view)
            view_p.append(mean)
        out[:, k] = np.mean(view_p, axis=0) if label[2] else view_p[0]
    return out
