"""The classifier's features: jieba words and character 1-3-grams of the normalised text, and the
rule counts. Module-level functions only, so a fitted pipeline pickles and loads anywhere."""

from __future__ import annotations

from functools import lru_cache

from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline

from ..text import normalise_text
from .rules import RuleFeatures

try:       # rjieba (Rust) gives jieba's cuts much faster; jieba itself is the fallback
    import rjieba as _rjieba

    def _cut(text: str) -> list[str]:
        return _rjieba.cut(text)
except ImportError:  # pragma: no cover - depends on the optional extra
    import logging as _logging

    import jieba as _jieba
    _jieba.setLogLevel(_logging.WARNING)

    def _cut(text: str) -> list[str]:
        return _jieba.lcut(text)


@lru_cache(maxsize=200_000)
def _words(norm: str) -> tuple[str, ...]:
    return tuple(w for w in _cut(norm) if w.strip())


def words(text: str) -> list[str]:
    """jieba words of the normalised text (cached on the normalised string: chats repeat a lot)."""
    return list(_words(normalise_text(text)))


def make_features(hashing: bool = False, max_char_features: int = 300_000) -> FeatureUnion:
    """words TF-IDF + char 1-3-gram TF-IDF + rule counts.

    Fitted vocabularies are the default: they give readable feature names for evidence
    ("model:加我") and, on our corpus size, a model of a few MB. `hashing=True` is kept for
    corpora too big for a vocabulary in memory (train.py measures both on the same folds).
    """
    if hashing:
        words_vec = make_pipeline(HashingVectorizer(analyzer=words, n_features=2 ** 20, alternate_sign=False,
                                                    norm=None), TfidfTransformer(sublinear_tf=True))
        chars_vec = make_pipeline(HashingVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalise_text,
                                                    lowercase=False, n_features=2 ** 20, alternate_sign=False,
                                                    norm=None), TfidfTransformer(sublinear_tf=True))
    else:
        words_vec = TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)
        chars_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalise_text,
                                    lowercase=False, sublinear_tf=True, min_df=1, max_features=max_char_features)
    return FeatureUnion([("words", words_vec), ("chars", chars_vec), ("rules", RuleFeatures())])
