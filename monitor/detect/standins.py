"""Predicting with a saved model without importing scikit-learn: stand-ins for the classes it pickles.

Importing sklearn (and the scipy.stats, joblib and calibration modules it pulls in) took ~0.9 of the
~4 CPU seconds of `chatmon classify` on 60k messages, and classifying uses none of it: the fitted
pipeline only counts terms (monitor.detect.features.bulk_counts), weighs them by TF-IDF and scores
them with the fused linear models (monitor.detect.fused). `loads` unpickles a model file with each
sklearn class (and each chatmon estimator class that imports sklearn) replaced by a small class here
that takes the same pickled attributes and computes transform / predict_proba the way sklearn
1.9 does, with the same floating-point operations in the same order: the same bits, which
tests/test_standins_proba.py checks against the real objects on thousands of texts.

What a stand-in does not cover (another class in the pickle, a hashing or word-analyzer vectoriser,
l1 norm, transformer weights, a model the fused predictor cannot plan, ...) makes `loads` return None,
and the caller unpickles the same bytes the ordinary way, with sklearn. The stand-ins cannot be
pickled again (they would name classes sklearn does not know): a model is saved from its sklearn
objects, i.e. by training or after load_model(..., sklearn=True).
"""

from __future__ import annotations

import io
import pickle

import numpy as np
import scipy.sparse as sp

from ..gcpause import collector_paused
from .features import SHAPE_NAMES, ShapeCounts, bulk_counts
from .fused import Fused, Kinds, label_weights
from .rules import RULE_NAMES, RuleCounts


class _NotCovered(Exception):
    """The pickle names a class the stand-ins do not replace."""


class _StandIn:
    """Takes the pickled attributes as they are (sklearn's BaseEstimator.__setstate__ less its version
    warning: what counts is whether the attributes used below are there, which `covered` checks)."""

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)

    def __reduce_ex__(self, protocol):
        raise TypeError(f"{type(self).__name__} is an inference stand-in (monitor.detect.standins) and is not "
                        "pickled; save a model from its sklearn objects (load_model(..., sklearn=True))")


# -- the pipeline and its features --------------------------------------------------------------------

class Pipeline(_StandIn):
    """sklearn.pipeline.Pipeline: its steps by name (what Classifier reads)."""

    @property
    def named_steps(self) -> dict:
        return dict(self.steps)


class FeatureUnion(_StandIn):
    """sklearn.pipeline.FeatureUnion.transform: each part's matrix, side by side."""

    counts_in_bulk = True   # features.transform: this transform counts with bulk_counts itself

    def transform(self, X):
        # FeatureUnion._hstack of sparse parts (no transformer weights: `covered` checks)
        return sp.hstack([part.transform(X) for _, part in self.transformer_list]).tocsr()


class TfidfTransformer(_StandIn):
    """sklearn.feature_extraction.text.TfidfTransformer: idf_, norm, sublinear_tf (see TfidfVectorizer)."""


class TfidfVectorizer(_StandIn):
    """sklearn.feature_extraction.text.TfidfVectorizer.transform, for a fitted vocabulary and a char
    (1-3) or callable analyzer: the term counts (features.bulk_counts, the same matrix as sklearn's
    _count_vocab), then TfidfTransformer.transform: 1 + log(tf), times idf, rows scaled to unit l2 norm."""

    def decode(self, doc):
        # _VectorizerMixin.decode for input="content" (`covered` requires it)
        if isinstance(doc, bytes):
            doc = doc.decode(self.encoding, self.decode_error)
        if doc is np.nan:
            raise ValueError("np.nan is an invalid document, expected byte or unicode string.")
        return doc

    def build_preprocessor(self):
        # a preprocessor given is used as it is; without one, `covered` requires no lowercasing and no
        # accent stripping, which makes sklearn's _preprocess the identity
        return self.preprocessor if self.preprocessor is not None else _identity

    def build_analyzer(self):
        # a callable analyzer: decode, then the analyzer (sklearn's _analyze with only those two)
        if not callable(self.analyzer):
            raise TypeError("the stand-in builds callable analyzers only")
        analyzer, decode = self.analyzer, self.decode
        return lambda doc: analyzer(decode(doc))

    def get_feature_names_out(self, input_features=None):
        # CountVectorizer.get_feature_names_out (monitor.detect.feature_names does without the sort)
        return np.asarray([t for t, _ in sorted(self.vocabulary_.items(), key=lambda item: item[1])], dtype=object)

    def transform(self, raw_documents):
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        X = bulk_counts(self, list(raw_documents))
        tfidf = self._tfidf
        data = X.data
        if tfidf.sublinear_tf:
            np.log(data, data)
            data += 1.0
        idf = tfidf.__dict__.get("idf_")
        if idf is not None:
            data *= idf[X.indices]
        if tfidf.norm == "l2":
            l2_normalise_rows(data, X.indptr)
        return X


def _identity(doc):
    return doc


def l2_normalise_rows(data: np.ndarray, indptr: np.ndarray) -> None:
    """Scale each csr row to unit l2 norm in place, as sklearn's inplace_csr_row_normalize_l2 does:
    per row, sum = 0.0, then sum += x * x value by value in stored order, skip the row if the sum is 0,
    else divide each value by sqrt(sum). numpy's own sums add in another order (pairwise), which can
    differ in the last bit; here the k-th value of every row that has one is added in step k, so each
    row's sum is built in its own order, all rows at once."""
    n = len(indptr) - 1
    if n <= 0 or not len(data):
        return
    lens = np.diff(indptr).astype(np.int64)
    order = np.argsort(-lens, kind="stable")          # longest rows first: step k uses a prefix of them
    starts = indptr[:-1].astype(np.int64)[order]
    sorted_lens = lens[order]
    squares = data * data
    sums = np.zeros(n)
    # rows with more than k values, for each step k (sorted_lens is descending)
    active = np.searchsorted(-sorted_lens, -np.arange(int(sorted_lens[0])), side="left")
    for k, m in enumerate(active.tolist()):
        sums[:m] += squares[starts[:m] + k]
    norms = np.ones(n)
    nonzero = sums != 0.0
    norms[order[nonzero]] = np.sqrt(sums[nonzero])
    data /= np.repeat(norms, lens)


class RuleRows(_StandIn, RuleCounts):
    """monitor.detect.rules.RuleFeatures (stateless): the rule counts."""


class ShapeRows(_StandIn, ShapeCounts):
    """monitor.detect.features.ShapeFeatures (stateless): the message shapes."""


# -- the one-vs-rest model --------------------------------------------------------------------------

class Constant(_StandIn):
    """monitor.detect.ovr._Constant: `value`."""


class SoftVote(_StandIn):
    """monitor.detect.ovr._SoftVote: `views`."""


class CalibratedCV(_StandIn):
    """sklearn.calibration.CalibratedClassifierCV: `classes_`, `calibrated_classifiers_`."""


class CalibratedFold(_StandIn):
    """sklearn.calibration._CalibratedClassifier: `estimator`, `calibrators`, `classes`, `method`."""


class Sigmoid(_StandIn):
    """sklearn.calibration._SigmoidCalibration: `a_`, `b_`."""


class Linear(_StandIn):
    """sklearn's LinearSVC and LogisticRegression, binary: `coef_`, `intercept_`, `classes_`."""


class NBScaled(_StandIn):
    """monitor.detect.nb_scale.NBScaled: `estimator_` (linear), `r_`, `classes_`."""

    @property
    def coef_(self) -> np.ndarray:
        """The weights on the unscaled features (NBScaled.coef_, for evidence)."""
        return self.estimator_.coef_ * self.r_


KINDS = Kinds(constant=(Constant,), soft_vote=(SoftVote,), calibrated=(CalibratedCV,), sigmoid=(Sigmoid,),
              linear=(Linear,), nb=(NBScaled,))


class OneVsRest(_StandIn):
    """monitor.detect.ovr.GroupCalibratedOVR, predicting only through its fused models."""

    def fused(self, n_features: int | None = None) -> Fused | None:
        n_features = n_features or getattr(self, "n_features_", None)
        if n_features is None or not hasattr(self, "estimators_"):
            return None
        got = self.__dict__.get("_fused")
        if got is None or got.n_features != n_features:
            got = self.__dict__["_fused"] = Fused.build(self.estimators_, n_features, KINDS)
        return got if got.plan is not None else None

    def predict_proba(self, X) -> np.ndarray:
        """(n, n_labels): the probability of each label (GroupCalibratedOVR.predict_proba's fused path)."""
        if not (sp.issparse(X) and X.ndim == 2 and X.dtype == np.float64):
            raise TypeError("the inference stand-in predicts from a sparse float64 matrix only "
                            "(the classifier's features); load the model with sklearn=True for others")
        fused = self.fused(X.shape[1])
        if fused is None:
            raise TypeError(f"this model's {X.shape[1]} features do not fit its fused linear models")
        return fused.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= 0.5).astype(int)

    def label_weights(self, n_features: int) -> np.ndarray:
        fused = self.fused(n_features)
        if fused is not None and fused.mean_weights is not None:
            return fused.mean_weights.copy()
        return label_weights(self.estimators_, n_features, KINDS)


# -- unpickling -------------------------------------------------------------------------------------

_STAND_INS = {
    ("sklearn.pipeline", "Pipeline"): Pipeline,
    ("sklearn.pipeline", "FeatureUnion"): FeatureUnion,
    ("sklearn.feature_extraction.text", "TfidfVectorizer"): TfidfVectorizer,
    ("sklearn.feature_extraction.text", "TfidfTransformer"): TfidfTransformer,
    ("sklearn.calibration", "CalibratedClassifierCV"): CalibratedCV,
    ("sklearn.calibration", "_CalibratedClassifier"): CalibratedFold,
    ("sklearn.calibration", "_SigmoidCalibration"): Sigmoid,
    ("sklearn.svm._classes", "LinearSVC"): Linear,
    ("sklearn.linear_model._logistic", "LogisticRegression"): Linear,
    ("monitor.detect.ovr", "GroupCalibratedOVR"): OneVsRest,
    ("monitor.detect.ovr", "_SoftVote"): SoftVote,
    ("monitor.detect.ovr", "_Constant"): Constant,
    ("monitor.detect.nb_scale", "NBScaled"): NBScaled,
    ("monitor.detect.rules", "RuleFeatures"): RuleRows,
    ("monitor.detect.features", "ShapeFeatures"): ShapeRows,
}
# modules that import sklearn (or are it): a name from them that is not replaced above is not covered
_SKLEARN_MODULES = ("sklearn", "joblib", "scipy.stats", "monitor.detect.ovr", "monitor.detect.nb_scale",
                    "monitor.detect.estimators", "monitor.detect.textwork", "monitor.detect.train")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        got = _STAND_INS.get((module, name))
        if got is not None:
            return got
        if any(module == m or module.startswith(m + ".") for m in _SKLEARN_MODULES):
            raise _NotCovered(f"{module}.{name}")
        return super().find_class(module, name)


def loads(raw: bytes):
    """The model pickled in `raw` with stand-ins, when they cover all of it (`covered`); else None."""
    try:
        with collector_paused():     # (as model_file's pickle.loads: ~300k objects, no cycles)
            blob = _Unpickler(io.BytesIO(raw)).load()
        return blob if covered(blob) else None
    except Exception:   # noqa: BLE001 - not covered, or a file only sklearn can read or say what is wrong with
        return None


def covered(blob) -> bool:
    """Does the unpickled model consist of what the stand-ins compute as sklearn does?"""
    pipe = blob.get("pipeline") if isinstance(blob, dict) else None
    if type(pipe) is not Pipeline:
        return False
    steps = getattr(pipe, "steps", None)
    if not isinstance(steps, list) or [name for name, _ in steps] != ["features", "clf"]:
        return False
    features, clf = steps[0][1], steps[1][1]
    # (feature_names, for the model evidence, takes the union's names as sklearn does when they are
    # prefixed with each part's name)
    if type(features) is not FeatureUnion or getattr(features, "transformer_weights", None) \
            or getattr(features, "verbose_feature_names_out", None) is not True \
            or not isinstance(getattr(features, "transformer_list", None), list) or not features.transformer_list:
        return False
    n_features = 0
    for _, part in features.transformer_list:
        if type(part) is TfidfVectorizer:
            if not _vectoriser_covered(part):
                return False
            n_features += len(part.vocabulary_)
        elif type(part) is RuleRows:
            n_features += len(RULE_NAMES)
        elif type(part) is ShapeRows:
            n_features += len(SHAPE_NAMES)
        else:
            return False
    return type(clf) is OneVsRest and getattr(clf, "n_features_", n_features) == n_features \
        and clf.fused(n_features) is not None


def _vectoriser_covered(vec: TfidfVectorizer) -> bool:
    d = vec.__dict__
    vocabulary, tfidf = d.get("vocabulary_"), d.get("_tfidf")
    if not isinstance(vocabulary, dict) or not vocabulary or type(tfidf) is not TfidfTransformer:
        return False
    if d.get("input") != "content" or d.get("binary") is not False or d.get("dtype") is not np.float64:
        return False
    analyzer = d.get("analyzer")
    if analyzer == "char":
        ngrams = d.get("ngram_range")
        if not (isinstance(ngrams, tuple) and len(ngrams) == 2 and 1 <= ngrams[0] <= ngrams[1] <= 3):
            return False
        if d.get("preprocessor") is None and (d.get("lowercase") or d.get("strip_accents") is not None):
            return False
        if d.get("preprocessor") is not None and not callable(d["preprocessor"]):
            return False
    elif not callable(analyzer):
        return False
    t = tfidf.__dict__
    if t.get("norm") not in ("l2", None) or not isinstance(t.get("sublinear_tf"), bool):
        return False
    idf = t.get("idf_")
    if idf is not None and (type(idf) is not np.ndarray or idf.dtype != np.float64 or idf.shape != (len(vocabulary),)):
        return False
    return True
