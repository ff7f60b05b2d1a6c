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
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .distinct import distinct_rows
from .folds import grouped_folds
from .fused import Fused, Kinds, label_weights, mean_coef
from .fused import _sparsetools
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
        return np.mean([mean_coef(v) for v in self.views], axis=0)


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

    def fused(self, n_features: int | None = None) -> "Fused | None":
        """Every label's linear models as one Fused (monitor.detect.fused), built on first use (or now: load_model asks
        before a scan forks its workers, so they share it); None when some part is not fusable."""
        n_features = n_features or getattr(self, "n_features_", None)
        if n_features is None or not hasattr(self, "estimators_") or _sparsetools is None:
            return None
        got = _FUSED.get(self)
        if got is None or got.estimators is not self.estimators_ or got.n_features != n_features:
            got = Fused.build(self.estimators_, n_features, _KINDS)
            _FUSED[self] = got
        return got if got.plan is not None else None

    def _predict_proba_each(self, X) -> np.ndarray:
        """predict_proba through each label's sklearn objects (the reference Fused.predict_proba must equal)."""
        return np.column_stack([est.predict_proba(X)[:, 1] for est in self.estimators_])

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)

    def label_weights(self, n_features: int) -> np.ndarray:
        """(n_labels, n_features) mean linear weights per label, for evidence ("which n-grams pushed")."""
        fused = _FUSED.get(self)
        if fused is not None and fused.estimators is self.estimators_ and fused.n_features == n_features \
                and fused.mean_weights is not None:
            return fused.mean_weights.copy()
        return label_weights(self.estimators_, n_features, _KINDS)


# which sklearn (and chatmon) classes play which part when the fitted models are fused
_KINDS = Kinds(constant=(_Constant,), soft_vote=(_SoftVote,), calibrated=(CalibratedClassifierCV,),
               sigmoid=(_SigmoidCalibration,), linear=(LinearSVC, LogisticRegression), nb=(NBScaled,))
_FUSED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # GroupCalibratedOVR -> Fused
