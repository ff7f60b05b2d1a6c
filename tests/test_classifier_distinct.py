"""Classifier.classify does its work once per distinct (text, representative): repeated texts share
one result object across batches, and grouping, batching and dropping cached scores change nothing."""

import pytest

import monitor.detect.model as model_mod
from monitor.detect import load_model

TEXTS = ["好的亲", "加我微信abc123", "您好 亲", "您好亲", "好的亲", "", "   ", "加我微信abc123", "您好亲", "好的亲"]


@pytest.fixture(scope="module")
def clf():
    return load_model()


def _dicts(results):
    return [c.to_dict() for c in results]


def test_repeats_share_one_object_across_batches(clf):
    out = clf.classify(TEXTS, batch=3)
    assert [c.text for c in out] == TEXTS
    assert out[0] is out[4] is out[9] and out[1] is out[7]


def test_results_do_not_depend_on_batching_or_grouping(clf, monkeypatch):
    one_by_one = [clf.classify([t])[0].to_dict() for t in TEXTS]
    assert _dicts(clf.classify(TEXTS, batch=1)) == one_by_one
    expected = _dicts(clf.classify(TEXTS))
    monkeypatch.setattr(model_mod, "SCORE_AT_LEAST", 1)
    monkeypatch.setattr(model_mod, "KEEP_SCORED", 1)
    assert _dicts(clf.classify(TEXTS, batch=2)) == _dicts(clf.classify(TEXTS, batch=2, progress=False))
    assert _dicts(clf.classify(TEXTS)) == expected


def test_texts_with_one_key_are_scored_through_the_first_in_their_batch(clf, monkeypatch):
    features = clf.pipeline.named_steps["features"]
    seen = []
    real = features.transform
    monkeypatch.setattr(features, "transform", lambda X: seen.append(list(X)) or real(X))
    out = clf.classify(["您好 亲", "您好亲", "您好亲"])
    assert seen == [["您好 亲"]]
    assert [c.text for c in out] == ["您好 亲", "您好亲", "您好亲"] and out[1] is out[2]
    assert out[0].scores == out[1].scores


def test_new_texts_are_scored_in_groups(clf, monkeypatch):
    features = clf.pipeline.named_steps["features"]
    seen = []
    real = features.transform
    monkeypatch.setattr(features, "transform", lambda X: seen.append(list(X)) or real(X))
    monkeypatch.setattr(model_mod, "SCORE_AT_LEAST", 3)
    clf.classify(["a1", "a1", "b2", "c3", "d4", "c3"], batch=2)
    # batches [a1 a1] [b2 c3] -> 3 new texts, scored together; then [d4 c3] at the end
    assert seen == [["a1", "b2", "c3"], ["d4"]]
