"""Flag hand-built transcripts and score them (score tests)."""

import numpy as np

from monitor.config import load_config
from monitor.detect.types import LABELS
from monitor.orders import link_orders
from monitor.score import score_exposure
from monitor.timing import compute_latency


def flag(messages, flags: dict[int, dict[str, float]]):
    """flags: row index -> {label: probability}; every listed label counts as predicted."""
    m = messages.copy()
    m["labels"] = ""
    for lab in LABELS:
        m[f"p_{lab}"] = np.nan
    for i, probs in flags.items():
        m.loc[i, "labels"] = "|".join(probs)
        for lab, p in probs.items():
            m.loc[i, f"p_{lab}"] = p
    return m


def score(messages, config=None, orders=None):
    config = config or load_config()
    lat = compute_latency(messages, config)
    links = link_orders(lat.sessions, lat.messages, orders, config)
    return score_exposure(lat.messages, lat, links, config, orders=orders)
