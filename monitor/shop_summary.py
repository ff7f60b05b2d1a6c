"""A shop's night summary: the one shape summary.json, the index page and the shop pages read.

Its own module so the scan (which makes summaries) and the reports (which read them back from the
history) both depend on it, not on each other.
"""

from __future__ import annotations

import json

import pandas as pd

from .detect.types import LABELS, VIOLATION_LABELS


def shop_summary(shop_row: dict) -> dict:
    """A shop's night (its row of the history's nights table, or of a batch's analysis) as summary.json
    and the pages show it: counts as int, money rounded to the fen, JSON columns as dicts, flag counts
    for the violation labels and any shop-rule label, promises by state."""
    keys = ("messages", "sessions", "orders", "flagged", "slow_orders", "unanswered_orders",
            "exposure_expected_yuan", "exposure_worst_yuan", "exposure_certain_yuan", "exposure_by_rule",
            "acknowledgements_excluded", "penalties")
    out = {k: shop_row.get(k) for k in keys}
    for k in ("messages", "sessions", "orders", "slow_orders", "unanswered_orders", "acknowledgements_excluded"):
        out[k] = 0 if out[k] is None or pd.isna(out[k]) else int(out[k])
    for k in ("exposure_expected_yuan", "exposure_worst_yuan", "exposure_certain_yuan"):
        out[k] = 0.0 if out[k] is None or pd.isna(out[k]) else round(float(out[k]), 2)
    # the rules in force that night (score.penalty_table); None in a history written before they were kept
    rules = out["penalties"]
    if isinstance(rules, str):
        rules = json.loads(rules)
    out["penalties"] = rules if isinstance(rules, dict) else None
    by_rule = out["exposure_by_rule"]
    if isinstance(by_rule, str):
        by_rule = json.loads(by_rule)
    out["exposure_by_rule"] = by_rule if isinstance(by_rule, dict) else {}
    flagged = out["flagged"]
    if isinstance(flagged, str):
        flagged = json.loads(flagged)
    # violations, then any shop-rule label; `promise` is not a flag (old histories may hold it: dropped)
    flagged = flagged or {}
    out["flagged"] = {lab: int(flagged.get(lab, 0)) for lab in
                      [*VIOLATION_LABELS, *sorted(k for k in flagged if k not in LABELS)]}
    # issue 19: promises by state, apart from the flags (absent from older histories: zeros)
    promises = shop_row.get("promises")
    if isinstance(promises, str):
        promises = json.loads(promises) if promises else {}
    promises = promises if isinstance(promises, dict) else {}
    out["promises"] = {k: int(promises.get(k, 0) or 0) for k in ("kept", "broken", "open")}
    return out
