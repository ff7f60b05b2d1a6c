"""One shop's night: everything the report needs, whether fresh from a scan or re-read from history."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from .detect.types import VIOLATION_LABELS


@dataclass
class ShopNight:
    """The scan's result for one shop and one night.

    messages: canonical columns + msg_key, session_id, labels (|-joined, '' for ok),
              p_<label> per label (NaN where not classified), evidence (JSON list of Evidence dicts)
    sessions, waits: monitor.timing tables for this shop
    orders, agents: monitor.score Exposure tables for this shop
    metrics: platform (生意参谋) metrics per agent, plus one row with agent == '(全店)'
    summary: the shop's entry of summary.json
    history: nights table rows for the shop (oldest first, includes this night)
    failures: the night's failures shown at the top of the page (monitor.report.nights.night_failures:
              rejected files, failed and missing shops, a failed night); {} when none are known
    """

    shop: str
    night: str
    summary: dict
    messages: pd.DataFrame
    sessions: pd.DataFrame
    waits: pd.DataFrame
    orders: pd.DataFrame
    agents: pd.DataFrame
    metrics: pd.DataFrame
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    # issue 19: promises with their state (monitor.promises.check) and pestering cases (monitor.pestering)
    promises: pd.DataFrame = field(default_factory=pd.DataFrame)
    pestering: pd.DataFrame = field(default_factory=pd.DataFrame)
    failures: dict = field(default_factory=dict)

    @property
    def previous(self) -> dict | None:
        """The most recent earlier night's headline row, for "change since last night"."""
        if self.history is None or self.history.empty:
            return None
        earlier = self.history[self.history["night"] < self.night]
        if earlier.empty:
            return None
        return earlier.iloc[-1].to_dict()

    def flagged(self) -> pd.DataFrame:
        """Flagged messages only, riskiest first (computed once per messages table; do not modify it)."""
        cached = self.__dict__.get("_flagged_cache")
        if cached is not None and cached[0] is self.messages:
            return cached[1]
        out = self._flagged()
        self.__dict__["_flagged_cache"] = (self.messages, out)
        return out

    def _flagged(self) -> pd.DataFrame:
        m = self.messages
        if m.empty or "labels" not in m:
            return m.iloc[0:0]
        labels = m["labels"].fillna("").astype(str)
        # a promise alone is not a flag (monitor/promises checks it): keep messages with another label
        out = m[(labels != "") & (labels != "promise")].copy()
        pcols = [f"p_{lab}" for lab in VIOLATION_LABELS if f"p_{lab}" in out]
        out["risk"] = out[pcols].max(axis=1) if pcols else 0.0
        return out.sort_values(["risk", "ts"], ascending=[False, True])

    @staticmethod
    def evidence_of(row) -> list[dict]:
        ev = row.get("evidence") if isinstance(row, dict) else row["evidence"]
        if isinstance(ev, str) and ev:
            try:
                return json.loads(ev)
            except ValueError:
                return []
        return list(ev) if isinstance(ev, list) else []
