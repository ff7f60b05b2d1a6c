"""The classifier's features: jieba words and character 1-3-grams of the normalised text, and the
rule counts. Module-level functions so a fitted pipeline pickles and loads anywhere."""

from __future__ import annotations

from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from ..text import normalise_text
from .rules import RuleFeatures

try:       # rjieba (Rust) gives jieba's cuts much faster; jieba itself is the fallback
    import rjieba as _rjieba

    def _cut(text: str) -> list[str]:
        return _rjieba.cut(text)
except ImportError:  # pragma: no cover - depends on the optional extra
    import jieba as _jieba
    import logging as _logging
    _jieba.setLogLevel(_logging.WARNING)

    def _cut(text: str) -> list[str]:
        return _jieba.lcut(text)


@lru_cache(maxsize=200_000)
def words(text: str) -> list[str]:
    """jieba words of the normalised text (whitespace-free, so every token is a word)."""
    return [w for w in _cut(normalise_text(text)) if w.strip()]


def make_features(max_char_features: int = 200_000) -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), preprocessor=normalise_text,
                                  lowercase=False, sublinear_tf=True, min_df=1, max_features=max_char_features)),
        ("rules", RuleFeatures()),
    ])
