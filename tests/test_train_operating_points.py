"""Operating points: thresholds chosen under a per-label bound on flagged ok rows, stored in the card
as `balanced` and `quiet`, and selected at load time."""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from monitor.detect import LABELS, load_model
from monitor.detect.train import choose_thresholds, train_model
from monitor.errors import ChatmonError
from monitor.scan import model_id

from test_train_tiny import ROWS


def _validation_rows():
    # diversion only: 10 ok rows (one scored 0.6, a false alarm below it) and 10 positives at 0.95,
    # one of them at 0.5 (below the false alarm)
    y = np.zeros((20, len(LABELS)), dtype=int)
    y[10:, 0] = 1
    p = np.zeros((20, len(LABELS)))
    p[:10, 0] = 0.1
    p[0, 0] = 0.6
    p[10:, 0] = 0.95
    p[10, 0] = 0.5
    return y, p, np.zeros((20, len(LABELS)), dtype=int)


def test_without_a_bound_the_best_f1_keeps_the_false_alarm():
    # t <= 0.5: 10 caught, 1 false alarm (F1 0.952) beats t > 0.6: 9 caught, none (0.947)
    assert choose_thresholds(*_validation_rows(), None) == {
        "diversion": 0.325, "qr_lure": 0.5, "negative": 0.5, "harassment": 0.5, "promise": 0.5}


def test_a_per_label_bound_moves_only_that_label():
    assert choose_thresholds(*_validation_rows(), {"diversion": 0.0}) == {
        "diversion": 0.8, "qr_lure": 0.5, "negative": 0.5, "harassment": 0.5, "promise": 0.5}


def test_a_bound_that_allows_the_false_alarm_changes_nothing():
    assert choose_thresholds(*_validation_rows(), {"diversion": 0.1}) == {
        "diversion": 0.325, "qr_lure": 0.5, "negative": 0.5, "harassment": 0.5, "promise": 0.5}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("points")
    lines = ["text,labels"] + [f"{t},{lab or 'ok'}" for lab, ts in ROWS.items() for t in ts]
    (d / "l.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a quiet bound of 0 forces the strictest thresholds the validation rows allow
    card = train_model([str(d / "l.csv")], d / "model", seed=5, echo=lambda m: None,
                       params={"quiet_max_ok_fpr": 0.0})
    return d, card


def test_card_lists_both_operating_points(trained):
    _, card = trained
    points = card["operating_points"]
    assert set(points) == {"balanced", "quiet"}
    assert points["balanced"] == card["thresholds"]
    assert set(points["quiet"]) == set(LABELS)
    assert set(LABELS) <= set(card["metrics"]["cv_grouped_5fold"]["quiet"])


def test_load_model_selects_the_operating_point(trained):
    d, card = trained
    assert load_model(d / "model").thresholds == card["thresholds"]
    assert load_model(d / "model", "balanced").thresholds == card["thresholds"]
    assert load_model(d / "model", "quiet").thresholds == card["operating_points"]["quiet"]


def test_a_card_without_the_point_is_a_clear_error(trained, tmp_path):
    d, _ = trained
    (tmp_path / "model.joblib").write_bytes((d / "model" / "model.joblib").read_bytes())
    sha = json.loads((d / "model" / "card.json").read_text(encoding="utf-8"))["model_sha256"]
    (tmp_path / "card.json").write_text(json.dumps({"model_id": "x", "model_sha256": sha}), encoding="utf-8")
    with pytest.raises(ChatmonError, match="no 'quiet' operating point"):
        load_model(tmp_path, "quiet")


def test_quiet_thresholds_get_their_own_model_id():
    points = {"balanced": {"diversion": 0.5}, "quiet": {"diversion": 0.8}}
    card = {"model_id": "abc", "operating_points": points}
    assert model_id(SimpleNamespace(card=card, thresholds={"diversion": 0.5})) == "abc"
    assert model_id(SimpleNamespace(card=card, thresholds={"diversion": 0.8})) == "abc:quiet"
