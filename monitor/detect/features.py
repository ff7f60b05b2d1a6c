"""The classifier's features: jieba words and character 1-3-grams of the normalised text, and the
rule counts. Module-level functions only, so a fitted pipeline pickles and loads anywhere."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline

from ..text import digit_runs, normalise_text
from .rules import RuleFeatures

# rjieba (jieba-rs, compiled) is a default dependency: on the 25,624 real agent replies it cut 75k texts per
# CPU-second against jieba's 4.9k, and cut 1 of them differently (0 of the 13,127 labelled texts the shipped
# model was trained on); bench/RESULTS.md, "Segmentation". jieba stays the reference and the fallback for a
# platform without an rjieba wheel.
try:
    import rjieba as _rjieba

    SEGMENTER = "rjieba"

    def _cut(text: str) -> list[str]:
        return _rjieba.cut(text)
except ImportError:  # pragma: no cover - only where no rjieba wheel installs
    import logging as _logging

    import jieba as _jieba
    _jieba.setLogLevel(_logging.WARNING)
    SEGMENTER = "jieba"

    def _cut(text: str) -> list[str]:
        return _jieba.lcut(text)


@lru_cache(maxsize=200_000)
def _words(norm: str) -> tuple[str, ...]:
    return tuple(w for w in _cut(norm) if w.strip())


def words(text: str) -> list[str]:
    """jieba words of the normalised text (cached on the normalised string: chats repeat a lot)."""
    return list(_words(normalise_text(text)))


# the words depend on the normalised text only: training analyses each normalised text once
# (monitor.detect.textwork), not each of its disguises
words.depends_only_on = normalise_text


_LATIN_ID = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_\-]{5,19}(?![A-Za-z0-9_])")
_TRACKING = re.compile(r"^[A-Za-z]{1,4}\d{8,}[A-Za-z]{0,2}$")   # SF1234567890123, EA123456789CN
# 8+ digits inside a token: an order, tracking or serial number (ORDERID_10003935), not a chosen handle
_LONG_DIGITS = re.compile(r"\d{8,}")
SHAPE_NAMES = ("contact_length_number", "id_like_token", "len_le_4", "len_5_10", "len_11_30", "len_gt_30")


def shape_vector(text: str) -> list[float]:
    """Shapes no n-gram sees: a digit run of phone/QQ length (5-11 digits, in any digit style:
    一一二二三三, ①③⑧), an ID-like Latin token with a digit or underscore (WeChat IDs), and the
    message length bucket (a two-character reply carries little evidence; the model should know)."""
    # a run glued to Latin letters is a code (EA123456789CN, SF…), not a phone or QQ number
    runs = [d for a, _, d in digit_runs(text) if 5 <= len(d) <= 11 and not (a and text[a - 1].isascii()
                                                                           and (text[a - 1].isalpha()
                                                                                or text[a - 1] == "_"))]
    ids = [m.group(0) for m in _LATIN_ID.finditer(text)
           if re.search(r"[0-9_]", m.group(0)) and not _TRACKING.match(m.group(0))
           and not _LONG_DIGITS.search(m.group(0))]
    n = len(normalise_text(text))
    return [min(len(runs), 2) / 2, min(len(ids), 2) / 2, float(n <= 4), float(5 <= n <= 10),
            float(11 <= n <= 30), float(n > 30)]


class ShapeFeatures(BaseEstimator, TransformerMixin):
    """shape_vector of each text as a sparse matrix. Stateless."""

    def fit(self, X, y=None):
        return self

    def row(self, text) -> list[float]:
        """One text's row (what transform stacks; training caches it per text, monitor.detect.textwork)."""
        return shape_vector(str(text))

    def transform(self, X):
        rows = [self.row(t) for t in X]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(SHAPE_NAMES)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"shape={n}" for n in SHAPE_NAMES], dtype=object)


def make_features(hashing: bool = False, max_char_features: int = 300_000, char_range=(1, 3),
                  min_df: int = 1) -> FeatureUnion:
    """words TF-IDF + char 1-3-gram TF-IDF + rule counts + message shape.

    Fitted vocabularies are the default: they give readable feature names for evidence
    ("model:加我") and, on our corpus size, a model of a few MB. `hashing=True` is kept for
    corpora too big for a vocabulary in memory (train.py measures both on the same folds).
    """
    if hashing:
        words_vec = make_pipeline(HashingVectorizer(analyzer=words, n_features=2 ** 20, alternate_sign=False,
                                                    norm=None), TfidfTransformer(sublinear_tf=True))
        chars_vec = make_pipeline(HashingVectorizer(analyzer="char", ngram_range=tuple(char_range), preprocessor=normalise_text,
                                                    lowercase=False, n_features=2 ** 20, alternate_sign=False,
                                                    norm=None), TfidfTransformer(sublinear_tf=True))
    else:
        words_vec = TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=min_df)
        chars_vec = TfidfVectorizer(analyzer="char", ngram_range=tuple(char_range), preprocessor=normalise_text,
                                    lowercase=False, sublinear_tf=True, min_df=min_df, max_features=max_char_features)
    return FeatureUnion([("words", words_vec), ("chars", chars_vec), ("rules", RuleFeatures()),
                         ("shape", ShapeFeatures())])
