"""Penalty exposure per order, agent and shop, in yuan, expected and worst case.

Causes and the rule each falls under (amounts from the shop's [penalties] config, `config.for_shop`):
    slow wait (p = 1), unanswered wait (p = 1), negative message (p = p_negative)  -> the service rule,
        ONE fine per order however many causes (slow_reply_yuan / no_reply_yuan / negative_yuan; when
        an order has causes with different amounts, the largest applies)
    harassment message (p = p_harassment)  -> harassment_yuan, one case per order (a buyer pestered
        five times is one complaint, one compensation)
    diversion / qr_lure message (p = p_label) -> diversion_yuan / qr_lure_yuan, once per order

Per order and rule:
    expected = fine × (1 − Π(1 − p_i))   the chance that at least one cause is real, if each flag is
                                         right with its calibrated probability, times the fine
    worst    = fine                      every flag is fined
An order's totals are the sums over its rules. A message is a cause only when the classifier predicted
the label (it is in `labels`); a flagged label without a probability (a rule-only flag) counts as p = 1.
So expected ≤ worst, and an order without any flag or slow/unanswered wait has no exposure (and no row).

An order's exposure under a rule is split evenly among the agents responsible for it: the sender of a
flagged message, the agent who finally answered a slow wait, or '(无人回复)' for an unanswered one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import Config
from .detect.types import LABELS, VIOLATION_LABELS

NO_ONE = "(无人回复)"
RULE_OF = {"slow": "service", "unanswered": "service", "negative": "service",
           "harassment": "harassment", "diversion": "diversion", "qr_lure": "qr_lure"}
FINE_KEY = {"slow": "slow_reply_yuan", "unanswered": "no_reply_yuan", "negative": "negative_yuan",
            "harassment": "harassment_yuan", "diversion": "diversion_yuan", "qr_lure": "qr_lure_yuan"}
ORDER_COLUMNS = ["shop", "order_id", "buyer", "link", "amount", "agents", "causes", "expected_yuan", "worst_yuan",
                 "reasons"]
AGENT_COLUMNS = ["shop", "agent", "expected_yuan", "worst_yuan", *VIOLATION_LABELS, "slow_waits", "unanswered"]
SHOP_COLUMNS = ["shop", "messages", "sessions", "orders", "flagged", "slow_orders", "unanswered_orders",
                "exposure_expected_yuan", "exposure_worst_yuan"]
CAUSE_COLUMNS = ["shop", "session_id", "cause", "p", "agent", "source", "wait_s", "text"]


@dataclass
class Exposure:
    orders: pd.DataFrame     # ORDER_COLUMNS, one row per order (or consultation) with exposure
    agents: pd.DataFrame     # AGENT_COLUMNS, every agent who wrote, plus (无人回复) when waits went unanswered
    shops: pd.DataFrame      # SHOP_COLUMNS: the summary.json figures per shop
    causes: pd.DataFrame     # one row per cause (wait or flagged message), with order_id, rule and fine
    # issue 19: every promise with its state (monitor.promises.check.PROMISE_COLUMNS) and the
    # harassment-by-behaviour cases (monitor.pestering.CASE_COLUMNS); both empty when not computed
    promises: pd.DataFrame = None
    pestering: pd.DataFrame = None


def _labels_of(value) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [v for v in str(value).split("|") if v and v != "ok"]


def _flag_rows(messages: pd.DataFrame, labels_scored=VIOLATION_LABELS) -> pd.DataFrame:
    """One row per (message, predicted label) for the labels we score (violations; `promise` is
    scored only when broken, by monitor/promises; shop rules' labels when given)."""
    if messages.empty or "labels" not in messages:
        return pd.DataFrame(columns=[*messages.columns, "_label"])
    labels = messages["labels"]
    # most messages carry no label: skip them before the per-row parse
    some = labels.notna() & ~labels.astype(str).isin(["", "ok", "[]"])
    m = messages[some]
    exploded = m.assign(_label=m["labels"].map(_labels_of)).explode("_label")
    return exploded[exploded["_label"].isin(labels_scored)]


def causes_table(messages: pd.DataFrame, waits: pd.DataFrame, flagged: pd.DataFrame | None = None) -> pd.DataFrame:
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
    flagged = _flag_rows(messages) if flagged is None else flagged
    if not flagged.empty:
        # each row's probability is its own label's column: pick it per label, vectorised
        p = np.full(len(flagged), np.nan)
        for lab in VIOLATION_LABELS:
            if f"p_{lab}" in flagged:
                hit = (flagged["_label"] == lab).to_numpy()
                p[hit] = pd.to_numeric(flagged[f"p_{lab}"], errors="coerce").to_numpy(dtype=float)[hit]
        parts.append(pd.DataFrame({
            "shop": flagged["shop"].values, "session_id": flagged["session_id"].values,
            "cause": flagged["_label"].values, "p": np.nan_to_num(p, nan=1.0),
            "agent": flagged["sender"].values, "source": flagged["source"].values, "wait_s": np.nan,
            "text": flagged["text"].values}))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=[*CAUSE_COLUMNS, "rule"])
    c = pd.concat(parts, ignore_index=True)
    c["p"] = c["p"].astype(float).clip(0.0, 1.0)
    # a shop rule's label is a rule of its own (monitor/shop_rules.py)
    c["rule"] = c["cause"].map(RULE_OF).fillna("shop_rule:" + c["cause"].astype(str))
    return c


def _with_sessions(messages: pd.DataFrame, latency, config: Config) -> pd.DataFrame:
    """Flagged messages straight from the classifier have no session_id: cut sessions the same way."""
    if "session_id" in messages or messages.empty:
        return messages if "session_id" in messages else messages.assign(session_id=pd.Series(dtype=object))
    from .timing import sessionise
    gaps = {s: config.for_shop(s).latency["session_gap_s"] for s in messages["shop"].unique()}
    return sessionise(messages, gaps)


def score_exposure(messages: pd.DataFrame, latency, links: pd.DataFrame, config: Config,
                   orders: pd.DataFrame | None = None, promises: pd.DataFrame | None = None,
                   pestering: pd.DataFrame | None = None) -> Exposure:
    """Exposure of flagged messages and slow/unanswered waits, per order, agent and shop.

    messages: canonical messages + `labels` (list or |-joined) + `p_<label>` columns (latency.messages
        of flagged messages, or the flagged messages themselves: sessions are then cut again).
    latency: monitor.timing.Latency of the same messages; links: monitor.orders.link_orders output.
    orders: the orders export, only for the `amount` column.
    """
    messages = _with_sessions(messages, latency, config)
    shop_rule_yuan = _shop_rule_yuan(config)
    flagged = _flag_rows(messages, (*VIOLATION_LABELS, *shop_rule_yuan))
    causes = causes_table(messages, latency.waits, flagged)
    # ---- issue 19: broken promises and harassment by behaviour, as causes of their own ----
    behaviour = _behaviour_causes(promises, pestering)
    if not behaviour.empty:
        causes = pd.concat([c for c in (causes, behaviour) if not c.empty], ignore_index=True)
    # ---- end issue 19 ----
    sessions = latency.sessions
    if not causes.empty:
        causes = causes.merge(links[["session_id", "order_id", "link"]], on="session_id", how="left")
        # a session missing from links (should not happen) is still scored, as its own consultation
        lost = causes["order_id"].isna()
        # (a message without a time has no session: it is a consultation named after its source)
        own = causes.loc[lost, "session_id"].fillna("untimed:" + causes.loc[lost, "source"].astype(str))
        causes.loc[lost, "order_id"] = "consult:" + own
        causes.loc[lost, "link"] = "consult"
        fines = {s: config.for_shop(s).penalties for s in causes["shop"].unique()}
        causes["fine"] = [_fine_of(fines[s], c, own, shop_rule_yuan)
                          for s, c, own in zip(causes["shop"], causes["cause"],
                                               causes["_fine"] if "_fine" in causes else [np.nan] * len(causes))]
        causes["q"] = 1.0 - causes["p"]

    if causes.empty:
        per_rule = pd.DataFrame(columns=["shop", "order_id", "rule", "fine", "q", "expected", "worst"])
    else:
        per_rule = causes.groupby(["shop", "order_id", "rule"], sort=False).agg(
            fine=("fine", "max"), q=("q", "prod")).reset_index()
        per_rule["expected"] = per_rule["fine"] * (1.0 - per_rule["q"])
        per_rule["worst"] = per_rule["fine"]

    orders_out = _orders(causes, per_rule, sessions, links, orders)
    agents_out = _agents(causes, per_rule, messages, flagged, latency.waits)
    shops_out = _shops(messages, flagged, sessions, links, causes, per_rule, promises)
    return Exposure(orders=orders_out, agents=agents_out, shops=shops_out, causes=causes,
                    promises=promises if promises is not None else pd.DataFrame(),
                    pestering=pestering if pestering is not None else pd.DataFrame())


# ---- issue 19: broken promises, harassment by behaviour and the shop's own rules ----
def _shop_rule_yuan(config: Config) -> dict:
    from .shop_rules import rule_labels
    return rule_labels(getattr(config, "rules", []) or [])


def _fine_of(penalties: dict, cause: str, own: float, shop_rule_yuan: dict) -> float:
    """A cause's fine: its own (a broken promise's, computed from the order's amount), a shop rule's
    figure, or the [penalties] amount of its kind (harassment by behaviour: harassment_yuan)."""
    if own is not None and not pd.isna(own):
        return float(own)
    if cause in FINE_KEY:
        return float(penalties[FINE_KEY[cause]])
    if cause == "pestering":
        return float(penalties["harassment_yuan"])
    return float(shop_rule_yuan.get(cause, 0.0))


def _behaviour_causes(promises: pd.DataFrame | None, pestering: pd.DataFrame | None) -> pd.DataFrame:
    """Cause rows for fined broken promises (rule broken_promise:<kind>, one per order and kind; p is
    the classifier's probability that the message is a promise) and pestering cases (rule harassment,
    p = 1: the times are facts, and an order pestered by words and behaviour is still one case)."""
    parts = []
    if promises is not None and not promises.empty:
        b = promises[promises["fined"].astype(bool)]
        if not b.empty:
            parts.append(pd.DataFrame({
                "shop": b["shop"].values, "session_id": b["session_id"].values, "cause": "broken_promise",
                "p": b["p"].astype(float).clip(0, 1).values, "agent": b["agent"].values,
                "source": b["source"].values, "wait_s": np.nan, "text": b["text"].values,
                "rule": ("broken_promise:" + b["kind"].astype(str)).values, "_fine": b["fine"].astype(float).values,
                "_detail": [f"{k}承诺，期限 {pd.Timestamp(d):%Y-%m-%d %H:%M}：{r}"
                            for k, d, r in zip(b["kind"], b["deadline"], b["reason"])]}))
    if pestering is not None and not pestering.empty:
        parts.append(pd.DataFrame({
            "shop": pestering["shop"].values, "session_id": pestering["session_id"].values, "cause": "pestering",
            "p": 1.0, "agent": pestering["agent"].values, "source": pestering["source"].values, "wait_s": np.nan,
            "text": ["\n".join(m) for m in pestering["messages"]], "rule": "harassment", "_fine": np.nan,
            "_detail": pestering["reason"].values}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
# ---- end issue 19 ----


def _reasons(causes: pd.DataFrame) -> list[dict]:
    # plain column lists, not to_dict("records"): one dict per cause is all the Python work
    cols = [causes[c].tolist() for c in ("cause", "rule", "agent", "source", "p", "fine", "wait_s", "text")]
    details = causes["_detail"].tolist() if "_detail" in causes else [None] * len(causes)
    out = []
    for (cause, rule, agent, source, p, fine, wait_s, text), detail in zip(zip(*cols), details):
        d = {"cause": cause, "rule": rule, "agent": agent, "source": source,
             "probability": round(float(p), 4), "fine": float(fine)}
        if isinstance(detail, str):
            d["detail"] = detail          # issue 19: why a promise is broken / what the pestering was
        if not pd.isna(wait_s):
            d["wait_s"] = float(wait_s)
        if isinstance(text, str):
            d["label"] = cause
            d["text"] = text
        out.append(d)
    return out


def _orders(causes, per_rule, sessions, links, orders) -> pd.DataFrame:
    if causes.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ORDER_COLUMNS})
    totals = per_rule.groupby(["shop", "order_id"], sort=False)[["expected", "worst"]].sum().reset_index()
    # agents, causes and reasons per order: one pass over the causes into dicts (a groupby lambda per
    # order is tens of seconds on a big night; this is linear)
    agents: dict = {}
    kinds: dict = {}
    reasons: dict = {}
    for key, agent, cause, reason in zip(zip(causes["shop"].tolist(), causes["order_id"].tolist()),
                                         causes["agent"].tolist(), causes["cause"].tolist(), _reasons(causes)):
        if isinstance(agent, str) and agent:
            agents.setdefault(key, {})[agent] = None
        kinds.setdefault(key, set()).add(cause)
        reasons.setdefault(key, []).append(reason)
    keys = list(zip(totals["shop"], totals["order_id"]))
    first = links.drop_duplicates("order_id").set_index("order_id")
    buyer_of = sessions.set_index("session_id")["buyer"]
    amounts = (orders.drop_duplicates("order_id").set_index("order_id")["amount"].astype(float)
               if orders is not None and not orders.empty else pd.Series(dtype=float))
    out = pd.DataFrame({
        "shop": totals["shop"], "order_id": totals["order_id"],
        "buyer": totals["order_id"].map(first["session_id"]).map(buyer_of),
        "link": totals["order_id"].map(first["link"]),
        "amount": totals["order_id"].map(amounts).astype(float),
        "agents": ["|".join(agents.get(k, {})) for k in keys],
        "causes": [sorted(kinds[k]) for k in keys],
        "expected_yuan": totals["expected"].astype(float).round(4),
        "worst_yuan": totals["worst"].astype(float),
        "reasons": [reasons[k] for k in keys],
    })
    return out[ORDER_COLUMNS].reset_index(drop=True)


def _agents(causes, per_rule, messages, flagged, waits) -> pd.DataFrame:
    if causes.empty:
        share = pd.DataFrame(columns=["shop", "agent", "expected_yuan", "worst_yuan"])
    else:
        resp = causes[["shop", "order_id", "rule", "agent"]].fillna({"agent": NO_ONE}).drop_duplicates()
        resp["n"] = resp.groupby(["shop", "order_id", "rule"])["agent"].transform("size")
        resp = resp.merge(per_rule[["shop", "order_id", "rule", "expected", "worst"]], on=["shop", "order_id", "rule"])
        resp["expected_yuan"] = resp["expected"] / resp["n"]
        resp["worst_yuan"] = resp["worst"] / resp["n"]
        share = resp.groupby(["shop", "agent"])[["expected_yuan", "worst_yuan"]].sum().reset_index()
    everyone = pd.concat([
        messages.loc[messages["role"] == "agent", ["shop", "sender"]].rename(columns={"sender": "agent"}),
        share[["shop", "agent"]]]).drop_duplicates()
    out = everyone.merge(share, on=["shop", "agent"], how="left")
    if not flagged.empty:
        counts = flagged.groupby(["shop", "sender", "_label"]).size().unstack("_label")
        counts = counts.rename_axis(index=["shop", "agent"], columns=None).reset_index()
        out = out.merge(counts, on=["shop", "agent"], how="left")
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
    for col in (*VIOLATION_LABELS, "slow_waits", "unanswered"):
        out[col] = out[col].fillna(0).astype(int)
    return out[AGENT_COLUMNS].sort_values(["shop", "expected_yuan"], ascending=[True, False]).reset_index(drop=True)


def _shops(messages, flagged, sessions, links, causes, per_rule, promises=None) -> pd.DataFrame:
    if messages.empty:
        return pd.DataFrame(columns=SHOP_COLUMNS)
    shops = sorted(set(messages["shop"].unique()))
    label_counts = flagged.groupby(["shop", "_label"]).size() if not flagged.empty else pd.Series(dtype=int)
    orders_per_shop = links.merge(sessions[["session_id", "shop"]], on="session_id").groupby("shop")["order_id"].nunique()
    # one grouping pass per table, not a boolean mask of every row per shop (O(shops × rows))
    n_messages = messages["shop"].value_counts()
    n_sessions = sessions["shop"].value_counts()
    if not causes.empty:
        slow = causes.loc[causes["cause"] == "slow"].groupby("shop")["order_id"].nunique()
        unanswered = causes.loc[causes["cause"] == "unanswered"].groupby("shop")["order_id"].nunique()
    else:
        slow = unanswered = pd.Series(dtype=int)
    # a shop's yuan are summed over its rows in their order, exactly as before (float sums depend on it)
    rule_rows = per_rule.groupby("shop", sort=False).indices if not per_rule.empty else {}
    rows = []
    for shop in shops:
        r = per_rule.iloc[rule_rows[shop]] if shop in rule_rows else None
        rows.append({
            "shop": shop, "messages": int(n_messages.get(shop, 0)),
            "sessions": int(n_sessions.get(shop, 0)),
            "orders": int(orders_per_shop.get(shop, 0)),
            "flagged": {lab: int(label_counts.get((shop, lab), 0)) for lab in _shop_labels(label_counts, shop)},
            "slow_orders": int(slow.get(shop, 0)),
            "unanswered_orders": int(unanswered.get(shop, 0)),
            "exposure_expected_yuan": round(float(r["expected"].sum()), 2) if r is not None else 0.0,
            "exposure_worst_yuan": round(float(r["worst"].sum()), 2) if r is not None else 0.0,
        })
    out = pd.DataFrame(rows, columns=SHOP_COLUMNS)
    # issue 19: promises are not flags; each shop's count per state, shown apart from "flagged"
    out["promises"] = [_promise_counts(promises, s) for s in out["shop"]]
    return out


def _shop_labels(label_counts, shop) -> list:
    """The violation labels, then any shop-rule label flagged in this shop."""
    extra = sorted({lab for (s, lab) in label_counts.index if s == shop} - set(VIOLATION_LABELS)) \
        if len(label_counts) else []
    return [*VIOLATION_LABELS, *extra]


def _promise_counts(promises, shop) -> dict:
    if promises is None or promises.empty:
        return {"kept": 0, "broken": 0, "open": 0}
    states = promises.loc[promises["shop"] == shop, "state"].value_counts()
    return {k: int(states.get(k, 0)) for k in ("kept", "broken", "open")}
