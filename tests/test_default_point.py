"""A model's default operating point: load_model(None) uses the card's `default_point`, named points
still win, and a point the card does not list is an error naming the ones it has."""

import json

import pytest

from monitor.detect import load_model
from monitor.detect.train import train_model
from monitor.errors import ChatmonError
from tiny_corpus import ROWS

LIVE = {"diversion": 0.9, "qr_lure": 0.95, "negative": 0.85, "harassment": 0.8, "promise": 0.7}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("point")
    (d / "l.csv").write_text("text,labels\n" + "".join(f"{t},{lab}\n" for lab, ts in ROWS.items() for t in ts),
                             encoding="utf-8")
    train_model([str(d / "l.csv")], d / "m", seed=1, echo=lambda m: None, cv=False)
    return d / "m"


def _set_card(model_dir, **changes):
    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    card.update(changes)
    card["operating_points"] = {**card["operating_points"], "live": LIVE}
    (model_dir / "card.json").write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    return card


def test_without_a_default_point_the_model_is_balanced(model_dir):
    card = _set_card(model_dir)
    card.pop("default_point", None)
    (model_dir / "card.json").write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    assert load_model(model_dir).thresholds == card["operating_points"]["balanced"]


def test_the_default_point_is_used_and_named_points_still_win(model_dir):
    card = _set_card(model_dir, default_point="live")
    assert load_model(model_dir).thresholds == LIVE
    assert load_model(model_dir, "balanced").thresholds == card["operating_points"]["balanced"]
    assert load_model(model_dir, "quiet").thresholds == card["operating_points"]["quiet"]


def test_an_unknown_default_point_names_the_ones_listed(model_dir):
    _set_card(model_dir, default_point="nightly")
    with pytest.raises(ChatmonError, match="no 'nightly' operating point .*balanced, quiet, live"):
        load_model(model_dir)
