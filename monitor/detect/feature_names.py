"""The fitted FeatureUnion's feature names (for model evidence), without sklearn's sort.

sklearn's get_feature_names_out sorts each vocabulary's ~100k (term, numpy int) pairs by index, which
costs ~0.2 s of every `chatmon classify`. A fitted vocabulary's indices are 0..n-1, each once, so
placing each term at its index gives the same array. Anything this does not recognise (a dropped or
passthrough part, names without the "<part>__" prefix) is left to sklearn.
"""

from __future__ import annotations

import numpy as np


def _vocabulary_terms(vocabulary: dict) -> np.ndarray | None:
    n = len(vocabulary)
    index = np.fromiter(vocabulary.values(), dtype=np.int64, count=n)
    if not np.array_equal(np.sort(index), np.arange(n)):
        return None
    terms = np.empty(n, dtype=object)
    terms[index] = np.fromiter(vocabulary.keys(), dtype=object, count=n)
    return terms


def feature_names(features) -> np.ndarray:
    """features.get_feature_names_out() as an object array (raises as it does for hashed features)."""
    parts = getattr(features, "transformer_list", None)
    if (not _is_union(features) or features.verbose_feature_names_out is not True
            or any(isinstance(t, str) for _, t in parts)):
        return np.asarray(features.get_feature_names_out(), dtype=object)
    names: list[str] = []
    for part, transformer in parts:
        vocabulary = getattr(transformer, "vocabulary_", None)
        terms = _vocabulary_terms(vocabulary) if isinstance(vocabulary, dict) else None
        if terms is None:
            terms = transformer.get_feature_names_out()
        names += [f"{part}__{t}" for t in terms]
    return np.asarray(names, dtype=object)


def _is_union(features) -> bool:
    """sklearn's FeatureUnion, or its inference stand-in (monitor.detect.standins, which imports no sklearn)."""
    if getattr(features, "counts_in_bulk", False):
        return True
    from sklearn.pipeline import FeatureUnion      # (features is sklearn's: imported already)

    return isinstance(features, FeatureUnion)
