"""The shipped classifier's public API: shapes, dedupe, robustness, labels with evidence."""

import hashlib
import json

import numpy as np
import pytest

from monitor.detect import LABELS, load_model
from monitor.errors import ChatmonError


@pytest.fixture(scope="module")
def clf():
    return load_model()


def test_predict_proba_shape_and_range(clf):
    p = clf.predict_proba(["加我微信 abc12345 发你优惠", "好的亲，马上为您发货", ""])
    assert p.shape == (3, 5)            # diversion, qr_lure, negative, harassment, promise
    assert ((p >= 0) & (p <= 1)).all()
    assert p[2].tolist() == [0.0, 0.0, 0.0, 0.0, 0.0]


def test_each_distinct_normalised_text_is_scored_once(clf, monkeypatch):
    features = clf.pipeline.named_steps["features"]
    seen = []
    real = features.transform
    monkeypatch.setattr(features, "transform", lambda X: seen.append(list(X)) or real(X))
    # "您好 亲" normalises to "您好亲" (spaces are noise), so only two texts reach the model
    p = clf.predict_proba(["您好亲", "您好 亲", "您好亲", "发货了哦"])
    assert [len(batch) for batch in seen] == [2]
    assert np.array_equal(p[0], p[1]) and np.array_equal(p[0], p[2])


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x00\x01\x07控制字符\x1b[0m", "😊😊🎉", "🐧",
                                  "Hello 你好 こんにちは 안녕하세요 Привет", "啊" * 10_000, "加微" * 5_000])
def test_odd_inputs_do_not_crash(clf, text):
    [c] = clf.classify([text])
    assert set(c.scores) == set(LABELS)
    assert all(0.0 <= v <= 1.0 for v in c.scores.values())
    for e in c.evidence:
        assert text[e.start:e.end] == e.match


def test_empty_and_whitespace_are_ok(clf):
    assert clf.predict(["", "   ", "\n"]) == [[], [], []]


def test_contact_number_is_diversion_with_rule_evidence(clf):
    text = "有事打我电话13912345678"
    [c] = clf.classify([text])
    assert "diversion" in c.labels
    rules = {e.rule for e in c.evidence if e.label == "diversion"}
    assert "phone_number" in rules
    phone = [e for e in c.evidence if e.rule == "phone_number"][0]
    assert phone.match == "13912345678" and text[phone.start:phone.end] == phone.match


def test_plain_service_reply_is_ok(clf):
    assert clf.predict(["好的亲，马上为您发货"]) == [[]]


def test_model_evidence_points_into_the_original_text(clf):
    text = "亲 加 我 威❤信 聊 哦"
    ev = clf.model_evidence(text, "diversion")
    assert ev and all(e.label == "diversion" for e in ev)
    for e in ev:
        assert text[e.start:e.end] == e.match
        assert e.rule == "model" or e.rule.startswith("model:")


def test_repeated_inputs_keep_their_order(clf):
    texts = ["好的亲", "加我微信 abc12345 发你优惠", "好的亲"]
    out = clf.classify(texts)
    assert [c.text for c in out] == texts
    assert out[0].labels == [] and "diversion" in out[1].labels and out[2].labels == []


def test_thresholds_and_card(clf):
    assert set(clf.thresholds) == set(LABELS)
    assert all(0 < t < 1 for t in clf.thresholds.values())
    assert clf.card["labels"] == list(LABELS)


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ChatmonError, match="no model.joblib"):
        load_model(tmp_path)


def test_foreign_model_file_is_a_clear_error(tmp_path):
    (tmp_path / "model.joblib").write_bytes(b"not a model")
    # its card vouches for it (so the file is read): still a clear error, not a traceback
    (tmp_path / "card.json").write_text(json.dumps({"model_sha256": hashlib.sha256(b"not a model").hexdigest()}),
                                        encoding="utf-8")
    with pytest.raises(ChatmonError, match="cannot load the model"):
        load_model(tmp_path)
