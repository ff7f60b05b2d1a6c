"""The model id a scan stores, read from the card alone (so the first pass can start before the model
loads): equal to the loaded model's id whenever the card can tell it, None where only the file can."""

import json

import pytest

from monitor.detect import load_model
from monitor.detect.model_id import card_model_id, model_id

POINTS = {"balanced": {"diversion": 0.5}, "quiet": {"diversion": 0.8}, "live": {"diversion": 0.6}}


def _card(tmp_path, **card):
    (tmp_path / "card.json").write_text(json.dumps(card), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("card, expected", [
    ({"model_id": "abc", "operating_points": POINTS, "default_point": "live"}, "abc:live"),
    ({"model_id": "abc", "operating_points": POINTS, "default_point": "quiet"}, "abc:quiet"),
    # live equal to balanced: the balanced model's id, as model_id gives for those thresholds
    ({"model_id": "abc", "operating_points": {**POINTS, "live": {"diversion": 0.5}}, "default_point": "live"}, "abc"),
    # balanced thresholds are the model file's: only loading it tells
    ({"model_id": "abc", "operating_points": POINTS, "default_point": "balanced"}, None),
    ({"model_id": "abc", "operating_points": POINTS}, None),
    # a default point the card does not list: load_model's error says so
    ({"model_id": "abc", "operating_points": {"balanced": {"diversion": 0.5}}, "default_point": "live"}, None),
])
def test_card_model_id(tmp_path, card, expected):
    assert card_model_id(_card(tmp_path, **card)) == expected


def test_an_unreadable_or_missing_card_leaves_it_to_load_model(tmp_path):
    assert card_model_id(tmp_path) is None
    (tmp_path / "card.json").write_text("{not json", encoding="utf-8")
    assert card_model_id(tmp_path) is None


def test_the_shipped_model_id_is_read_from_its_card():
    assert card_model_id() == model_id(load_model())
    assert card_model_id().endswith(":live")
