"""The inference stand-ins (monitor/detect/standins.py) give sklearn's numbers to the last bit: the shipped
model loaded both ways, the same feature matrices and predict_proba arrays on corpus and real text."""

import numpy as np
import pytest

from monitor.detect import load_model
from monitor.detect.features import transform
from monitor.detect.standins import FeatureUnion, OneVsRest, Pipeline
from real_texts import corpus_texts, eval_texts, needs_eval

ODD = ["", "   ", "加我薇信 abc12345 发你优惠", "好的亲，马上为您发货", "有事打我电话13912345678", "啊" * 3_000,
       "Hello 你好 こんにちは", "😊🐧", "ＶＸ：ａｂｃ１２３４５", "亲  亲\t亲", "\x00\x07控制"]


@pytest.fixture(scope="module")
def both():
    return load_model(), load_model(sklearn=True)


def test_load_model_gives_the_stand_ins_and_sklearn_on_request(both):
    standin, real = both
    assert type(standin.pipeline) is Pipeline
    assert type(standin.pipeline.named_steps["features"]) is FeatureUnion
    assert type(standin.pipeline.named_steps["clf"]) is OneVsRest
    assert type(real.pipeline).__module__ == "sklearn.pipeline"


def _same_matrix(a, b):
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape and a.dtype == b.dtype == np.float64
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)      # bit for bit: not allclose


def test_corpus_features_and_probabilities_are_sklearns(both):
    standin, real = both
    texts = ODD + corpus_texts()[:3_000]
    _same_matrix(transform(standin.pipeline.named_steps["features"], texts),
                 transform(real.pipeline.named_steps["features"], texts))
    got, want = standin.predict_proba(texts), real.predict_proba(texts)
    assert got.shape == (len(texts), 5)
    assert np.array_equal(got, want)


@needs_eval
def test_real_text_features_and_probabilities_are_sklearns(both):
    standin, real = both
    texts = list(dict.fromkeys(eval_texts()))[:6_000]
    assert len(texts) >= 2_000
    features = [m.pipeline.named_steps["features"] for m in both]
    # each vectoriser alone against sklearn's own transform (its own counting too): TF-IDF is
    # 1 + log(tf), times idf, then each row scaled to unit l2 norm, summed in sklearn's order
    for (name, mine), (_, theirs) in zip(features[0].transformer_list, features[1].transformer_list):
        if name in ("words", "chars"):
            _same_matrix(mine.transform(texts), theirs.transform(texts))
    _same_matrix(transform(features[0], texts), transform(features[1], texts))
    assert np.array_equal(standin.predict_proba(texts), real.predict_proba(texts))


def test_labels_scores_and_evidence_are_the_same(both):
    standin, real = both
    texts = ODD + corpus_texts()[3_000:4_000]
    assert [c.to_dict() for c in standin.classify(texts)] == [c.to_dict() for c in real.classify(texts)]


def test_label_weights_and_feature_names_are_the_same(both):
    standin, real = both
    w_mine, names_mine = standin._weights()
    w_real, names_real = real._weights()
    assert np.array_equal(w_mine, w_real)
    assert names_mine.tolist() == names_real.tolist()
