"""feature_names: the same array as sklearn's get_feature_names_out, built without sorting."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from monitor.detect import load_model
from monitor.detect.feature_names import feature_names
from monitor.detect.features import ShapeFeatures, make_features


def test_small_union_literal():
    union = FeatureUnion([("chars", TfidfVectorizer(analyzer="char")), ("shape", ShapeFeatures())])
    union.fit(["加我", "好的"])
    names = feature_names(union)
    assert names.dtype == object
    assert names[:4].tolist() == ["chars__加", "chars__好", "chars__我", "chars__的"]
    assert names.tolist() == union.get_feature_names_out().tolist()


def test_max_features_vocabulary_with_numpy_indices():
    union = FeatureUnion([("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), max_features=5))])
    union.fit(["加我微信", "好的亲", "加我qq", "好的好的"])
    assert any(isinstance(v, np.integer) for v in union.transformer_list[0][1].vocabulary_.values())
    assert feature_names(union).tolist() == union.get_feature_names_out().tolist()


def test_the_shipped_model():
    features = load_model(sklearn=True).pipeline.named_steps["features"]
    assert feature_names(features).tolist() == features.get_feature_names_out().tolist()


def test_hashed_features_raise_like_sklearn():
    union = make_features(hashing=True).fit(["加我微信", "好的亲"])
    with pytest.raises((AttributeError, ValueError)):
        feature_names(union)
