"""Which model a scan's stored flags came from: the id the history keeps beside each scanned file,
so a file scanned again with the same model reuses its flags and a new model classifies it anew.

The id can be read from a model's card alone (a few KB of JSON, no scikit-learn imported), so the
scan can start reading the night's exports, and look up which of them it has already scanned with
this model, while the model itself is still loading (~1.5 s of imports and unpickling).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ChatmonError
from .model_file import DEFAULT_MODEL_DIR, read_card


def id_for(card: dict, thresholds) -> str:
    """The id of a model with this card used at these thresholds."""
    base = str(card.get("model_id") or card.get("training_data_sha256") or card.get("trained_at") or "unknown")
    # other thresholds give other flags: the quiet operating point is a model of its own for the history
    points = card.get("operating_points") or {}
    for name, point in points.items():
        if name != "balanced" and thresholds == point and point != points.get("balanced"):
            return f"{base}:{name}"
    return base


def model_id(classifier) -> str:
    """The id of a loaded classifier (its card and the thresholds it flags at)."""
    return id_for(getattr(classifier, "card", None) or {}, getattr(classifier, "thresholds", None))


def card_model_id(path=None) -> str | None:
    """The id load_model(path) will give, from the card alone, when the card's default operating point
    is one whose thresholds load_model takes from the card (any but `balanced`, whose thresholds are
    the model file's); else None, as when the card cannot be read (load_model then says why)."""
    try:
        card = read_card(Path(path) if path else DEFAULT_MODEL_DIR)
    except ChatmonError:
        return None
    point = card.get("default_point") or "balanced"
    thresholds = (card.get("operating_points") or {}).get(point)
    if point == "balanced" or thresholds is None:
        return None
    return id_for(card, thresholds)
