"""Penalty exposure per order, agent and shop, in yuan, expected and worst case.

Causes and the rule each falls under (amounts from the shop's [penalties] config):
    slow wait (p = 1), unanswered wait (p = 1), negative message (p = p_negative)  -> the service rule,
        ONE fine per order however many causes (slow_reply_yuan / no_reply_yuan / negative_yuan; when
        an order has causes with different amounts, the largest applies)
    harassment message (p = p_harassment)  -> harassment_yuan, one case per order (a buyer pestered
        five times is one complaint)
    diversion / qr_lure message (p = p_label) -> diversion_yuan / qr_lure_yuan, once per order

Per order and rule: expected = fine × (1 − Π(1 − p_i)), the chance that at least one cause is real
if each flag is right with its calibrated probability; worst case = fine (every flag is fined).
A message counts as a cause only when it was flagged with that label, so expected ≤ worst case.

An order's exposure under a rule is split evenly among the agents responsible: the sender of a
flagged message, the agent who finally answered a slow wait, or '(无人回复)' for an unanswered one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import Config
from .detect.types import LABELS

NO_ONE = "(无人回复)"
RULE_OF = {"slow": "service", "unanswered": "service", "negative": "service",
           "harassment": "harassment", "diversion": "diversion", "qr_lure": "qr_lure"}
FINE_KEY = {"slow": "slow_reply_yuan", "unanswered": "no_reply_yuan", "negative": "negative_yuan",
            "harassment": "harassment_yuan", "diversion": "diversion_yuan", "qr_lure": "qr_lure_yuan"}
ORDER_COLUMNS = ["shop", "order_id", "buyer", "link", "amount", "agents", "causes", "expected_yuan", "worst_yuan",
                 "reasons"]
AGENT_COLUMNS = ["shop", "agent", "expected_yuan", "worst_yuan", *LABELS, "slow_waits", "unanswered"]


@dataclass
class Exposure:
    orders: pd.DataFrame
    agents: pd.DataFrame
    shops: pd.DataFrame
    causes: pd.DataFrame     # one row per cause (wait or flagged message), for evidence


def _labels_of(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return list(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [v for v in str(value).split("|") if v]


def has_label(labels: pd.Series, label: str) -> pd.Series:
    """Vectorised `label in labels` for a column of |-joined label strings (or lists)."""
    if labels.empty:
        return pd.Series(False, index=labels.index)
    if labels.map(lambda v: isinstance(v, (list, tuple))).any():
        labels = labels.map(lambda v: "|".join(v) if isinstance(v, (list, tuple)) else v)
    joined = "|" + labels.fillna("").astype(str) + "|"
    return joined.str.contains(f"|{label}|", regex=False)


def causes_table(messages: pd.DataFrame, waits: pd.DataFrame) -> pd.DataFrame:
    parts = []
    if not waits.empty:
        slow = waits[waits["slow"].astype(bool)]
        parts.append(pd.DataFrame({
            "shop": slow["shop"], "session_id": slow["session_id"], "cause": "slow", "p": 1.0,
            "agent": slow["agent"], "source": slow["start_source"], "wait_s": slow["wait_s"], "text": None}))
        open_ = waits[~waits["answered"].astype(bool)]
        parts.append(pd.DataFrame({
            "shop": open_["shop"], "session_id": open_["session_id"], "cause": "unanswered", "p": 1.0,
            "agent": NO_ONE, "source": open_["start_source"], "wait_s": np.nan, "text": None}))
    if not messages.empty and "labels" in messages:
        # only flagged messages are parsed: most messages have no label
        some = messages[messages["labels"].map(lambda v: bool(v) if isinstance(v, (list, tuple)) else
                                               isinstance(v, str) and v != "")]
        labs = some["labels"].map(_labels_of)
        flagged = some.assign(_label=labs).explode("_label")
        if not flagged.empty:
            # the probability of each flagged label, picked column by column (no iterrows)
            p = np.ones(len(flagged))
            for lab in LABELS:
                if f"p_{lab}" in flagged:
                    hit = (flagged["_label"] == lab).to_numpy()
                    p[hit] = flagged[f"p_{lab}"].to_numpy(dtype=float)[hit]
            parts.append(pd.DataFrame({
                "shop": flagged["shop"].values, "session_id": flagged["session_id"].values,
                "cause": flagged["_label"].values, "p": np.nan_to_num(p, nan=1.0),
                "agent": flagged["sender"].values, "source": flagged["source"].values, "wait_s": np.nan,
                "text": flagged["text"].values}))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["shop", "session_id", "cause", "p", "agent", "source", "wait_s", "text", "rule"])
    c = pd.concat(parts, ignore_index=True)
    c["rule"] = c["cause"].map(RULE_OF)
    return c


def score_exposure(messages: pd.DataFrame, latency, links: pd.DataFrame, config: Config,
                   orders: pd.DataFrame | None = None) -> Exposure:
    causes = causes_table(messages, latency.waits)
    sessions = latency.sessions
    if not causes.empty:
        causes = causes.merge(links[["session_id", "order_id", "link"]], on="session_id", how="left")
        fines = {s: config.for_shop(s).penalties for s in causes["shop"].unique()}
        causes["fine"] = [float(fines[s][FINE_KEY[c]]) for s, c in zip(causes["shop"], causes["cause"])]
        causes["q"] = 1.0 - causes["p"].clip(0, 1)

    # per order and rule
    if causes.empty:
        per_rule = pd.DataFrame(columns=["shop", "order_id", "rule", "fine", "q", "expected", "worst"])
    else:
        per_rule = causes.groupby(["shop", "order_id", "rule"], sort=False).agg(
            fine=("fine", "max"), q=("q", "prod")).reset_index()
        per_rule["expected"] = per_rule["fine"] * (1.0 - per_rule["q"])
        per_rule["worst"] = per_rule["fine"]

    if not per_rule.empty:
        # one pass over the causes, then one groupby: a Python loop per order was the scan's hot spot
        causes["reason"] = [_reason(*r) for r in zip(causes["cause"], causes["rule"], causes["agent"], causes["source"],
                                                       causes["p"], causes["fine"], causes["wait_s"], causes["text"])]
        first = links.drop_duplicates("order_id").set_index("order_id")
        buyer_of = sessions.set_index("session_id")["buyer"]
        totals = per_rule.groupby(["shop", "order_id"], sort=False)[["expected", "worst"]].sum()
        grouped = causes.groupby(["shop", "order_id"], sort=False).agg(
            agents=("agent", lambda a: "|".join(dict.fromkeys(x for x in a if x))),
            causes=("cause", lambda c: sorted(set(c))),
            reasons=("reason", list)).join(totals).reset_index()
        amounts = orders.drop_duplicates("order_id").set_index("order_id")["amount"] if orders is not None \
            and not orders.empty else pd.Series(dtype=float)
        grouped["buyer"] = grouped["order_id"].map(first["session_id"]).map(buyer_of)
        grouped["link"] = grouped["order_id"].map(first["link"])
        amt = grouped["order_id"].map(amounts).astype(float)
        grouped["amount"] = amt.astype(object).where(amt.notna(), None)
        grouped["expected_yuan"] = grouped["expected"].round(4)
        grouped["worst_yuan"] = grouped["worst"].astype(float)
        orders_out = grouped[ORDER_COLUMNS]
    else:
        orders_out = pd.DataFrame(columns=ORDER_COLUMNS)

    agents_out = _agents(causes, per_rule, messages, latency.waits)
    shops_out = _shops(messages, sessions, links, causes, per_rule)
    return Exposure(orders=orders_out, agents=agents_out, shops=shops_out, causes=causes)


def _reason(cause, rule, agent, source, p, fine, wait_s, text) -> dict:
    d = {"cause": cause, "rule": rule, "agent": agent, "source": source,
         "probability": round(float(p), 4), "fine": float(fine)}
    if not pd.isna(wait_s):
        d["wait_s"] = float(wait_s)
    if text is not None and not isinstance(text, float):
        d["text"] = text
    return d


def _agents(causes, per_rule, messages, waits) -> pd.DataFrame:
    if causes.empty:
        share = pd.DataFrame(columns=["shop", "agent", "expected_yuan", "worst_yuan"])
    else:
        resp = causes[["shop", "order_id", "rule", "agent"]].drop_duplicates()
        resp["n"] = resp.groupby(["shop", "order_id", "rule"])["agent"].transform("size")
        resp = resp.merge(per_rule[["shop", "order_id", "rule", "expected", "worst"]], on=["shop", "order_id", "rule"])
        resp["expected_yuan"] = resp["expected"] / resp["n"]
        resp["worst_yuan"] = resp["worst"] / resp["n"]
        share = resp.groupby(["shop", "agent"])[["expected_yuan", "worst_yuan"]].sum().reset_index()
    everyone = pd.concat([
        messages.loc[messages["role"] == "agent", ["shop", "sender"]].rename(columns={"sender": "agent"}),
        share[["shop", "agent"]]]).drop_duplicates()
    out = everyone.merge(share, on=["shop", "agent"], how="left")
    for lab in LABELS:
        if "labels" in messages and not messages.empty:
            hit = messages[has_label(messages["labels"], lab)]
            counts = hit.groupby(["shop", "sender"]).size().rename(lab).reset_index().rename(columns={"sender": "agent"})
            out = out.merge(counts, on=["shop", "agent"], how="left")
        else:
            out[lab] = 0
    if not waits.empty:
        slow = waits[waits["slow"].astype(bool)].groupby(["shop", "agent"]).size().rename("slow_waits").reset_index()
        out = out.merge(slow, on=["shop", "agent"], how="left")
        nobody = waits[~waits["answered"].astype(bool)].groupby("shop").size().rename("unanswered").reset_index()
        nobody["agent"] = NO_ONE
        out = out.merge(nobody, on=["shop", "agent"], how="left")
    for col in AGENT_COLUMNS:
        if col not in out:
            out[col] = 0
    out[["expected_yuan", "worst_yuan"]] = out[["expected_yuan", "worst_yuan"]].fillna(0.0).astype(float)
    for col in (*LABELS, "slow_waits", "unanswered"):
        out[col] = out[col].fillna(0).astype(int)
    return out[AGENT_COLUMNS].sort_values(["shop", "expected_yuan"], ascending=[True, False]).reset_index(drop=True)


def _shops(messages, sessions, links, causes, per_rule) -> pd.DataFrame:
    rows = []
    for shop in sorted(set(messages["shop"])) if not messages.empty else []:
        m = messages[messages["shop"] == shop]
        sess = sessions[sessions["shop"] == shop]
        lk = links[links["session_id"].isin(sess["session_id"])]
        c = causes[causes["shop"] == shop] if not causes.empty else causes
        r = per_rule[per_rule["shop"] == shop] if not per_rule.empty else per_rule
        rows.append({
            "shop": shop, "messages": int(len(m)), "sessions": int(len(sess)),
            "orders": int(lk["order_id"].nunique()),
            "flagged": {lab: int(has_label(m["labels"], lab).sum()) if "labels" in m else 0 for lab in LABELS},
            "slow_orders": int(c.loc[c["cause"] == "slow", "order_id"].nunique()) if not c.empty else 0,
            "unanswered_orders": int(c.loc[c["cause"] == "unanswered", "order_id"].nunique()) if not c.empty else 0,
            "exposure_expected_yuan": round(float(r["expected"].sum()), 2) if not r.empty else 0.0,
            "exposure_worst_yuan": round(float(r["worst"].sum()), 2) if not r.empty else 0.0,
        })
    return pd.DataFrame(rows, columns=["shop", "messages", "sessions", "orders", "flagged", "slow_orders",
                                       "unanswered_orders", "exposure_expected_yuan", "exposure_worst_yuan"])
