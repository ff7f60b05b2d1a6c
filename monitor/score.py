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
    certain  = fine if a cause is sure   a measured slow/unanswered wait, a flag backed by a strong rule's
               else 0                    contact (phone, QQ, WeChat ID: monitor/detect/rules.py) or a
                                         rule-only flag (p = 1): the lower end of the range beside `expected`
Each order keeps `breakdown`, a list with one entry per rule fined ({"rule", "causes": [cause, ...],
"fine", "expected", "certain", "count"}): the order's yuan as the sum of its causes, so a new kind of
cause (a broken promise, pestering by behaviour) is one more entry, not a new column.
A consultation (a session linked to no order) is fined only when [penalties] charge_consultations.
A sure cause counts with p = 1 in `expected` too, so certain ≤ expected ≤ worst.
An order's totals are the sums over its rules. A message is a cause only when the classifier predicted
the label (it is in `labels`); a flagged label without a probability (a rule-only flag) counts as p = 1.
So expected ≤ worst, and an order without any flag or slow/unanswered wait has no exposure (and no row).

An order's exposure under a rule is split evenly among the agents responsible for it: the sender of a
flagged message, the agent who finally answered a slow wait, or '(无人回复)' for an unanswered one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
                 "certain_yuan", "breakdown", "reasons", "sessions"]
AGENT_COLUMNS = ["shop", "agent", "expected_yuan", "worst_yuan", *VIOLATION_LABELS, "slow_waits", "unanswered"]
SHOP_COLUMNS = ["shop", "messages", "sessions", "orders", "flagged", "slow_orders", "unanswered_orders",
                "exposure_expected_yuan", "exposure_worst_yuan", "exposure_certain_yuan", "exposure_by_rule",
                "acknowledgements_excluded", "penalties"]
CAUSE_COLUMNS = ["shop", "session_id", "cause", "p", "agent", "source", "wait_s", "text", "sure"]


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
            "agent": slow["agent"], "source": slow["start_source"], "wait_s": slow["wait_s"], "text": None,
            "sure": True}))
        open_ = waits[~waits["answered"].astype(bool)]
        parts.append(pd.DataFrame({
            "shop": open_["shop"], "session_id": open_["session_id"], "cause": "unanswered", "p": 1.0,
            "agent": NO_ONE, "source": open_["start_source"], "wait_s": np.nan, "text": None, "sure": True}))
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
            "text": flagged["text"].values,
            # sure: a contact one of the strong rules found for this label, or probability 1
            "sure": _rule_backed(flagged) | (np.nan_to_num(p, nan=1.0) >= 1.0)}))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=[*CAUSE_COLUMNS, "rule"])
    c = pd.concat(parts, ignore_index=True)
    c["p"] = c["p"].astype(float).clip(0.0, 1.0)
    # a shop rule's label is a rule of its own (monitor/shop_rules.py)
    c["rule"] = c["cause"].map(RULE_OF).fillna("shop_rule:" + c["cause"].astype(str))
    c["sure"] = c["sure"].astype(bool)
    # a sure cause is certain in the expectation too, so expected always lies inside [certain, worst]
    c.loc[c["sure"], "p"] = 1.0
    return c


def _rule_backed(flagged: pd.DataFrame) -> np.ndarray:
    """Per flagged row, whether its evidence holds a strong-rule span (phone, QQ, WeChat ID …) for its label."""
    if "evidence" not in flagged:
        return np.zeros(len(flagged), dtype=bool)
    import json
    from .detect.rules import STRONG_RULES

    cache: dict = {}
    out = []
    for ev, label in zip(flagged["evidence"].tolist(), flagged["_label"].tolist()):
        key = (ev if isinstance(ev, str) else repr(ev), label)
        if key not in cache:
            try:
                items = json.loads(ev) if isinstance(ev, str) else (ev or [])
            except ValueError:
                items = []
            cache[key] = any(isinstance(e, dict) and e.get("rule") in STRONG_RULES and e.get("label") == label
                             for e in items)
        out.append(cache[key])
    return np.asarray(out, dtype=bool)


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
        # consultations cost nothing where the shop's rules do not charge them
        free = causes["shop"].map({s: not bool(f.get("charge_consultations", True)) for s, f in fines.items()})
        causes.loc[free.astype(bool) & (causes["link"] == "consult"), "fine"] = 0.0
        causes["q"] = 1.0 - causes["p"]

    if causes.empty:
        per_rule = pd.DataFrame(columns=["shop", "order_id", "rule", "fine", "q", "expected", "worst", "certain"])
    else:
        per_rule = causes.groupby(["shop", "order_id", "rule"], sort=False).agg(
            fine=("fine", "max"), q=("q", "prod"), sure=("sure", "max")).reset_index()
        per_rule["expected"] = per_rule["fine"] * (1.0 - per_rule["q"])
        per_rule["worst"] = per_rule["fine"]
        per_rule["certain"] = np.where(per_rule["sure"].astype(bool) | (per_rule["q"] <= 0.0), per_rule["fine"], 0.0)

    orders_out = _orders(causes, per_rule, sessions, links, orders)
    agents_out = _agents(causes, per_rule, messages, flagged, latency.waits)
    shops_out = _shops(messages, flagged, sessions, links, causes, per_rule, promises)
    if not shops_out.empty:
        shops_out["penalties"] = [penalty_table(config.for_shop(s).penalties) for s in shops_out["shop"]]
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
                # the break is evidence; that the message was a promise is the classifier's probability
                "sure": b["p"].astype(float).to_numpy() >= 1.0,
                "_detail": [f"{k}承诺，期限 {pd.Timestamp(d):%Y-%m-%d %H:%M}：{r}"
                            for k, d, r in zip(b["kind"], b["deadline"], b["reason"])]}))
    if pestering is not None and not pestering.empty:
        parts.append(pd.DataFrame({
            "shop": pestering["shop"].values, "session_id": pestering["session_id"].values, "cause": "pestering",
            "p": 1.0, "agent": pestering["agent"].values, "source": pestering["source"].values, "wait_s": np.nan,
            "text": ["\n".join(m) for m in pestering["messages"]], "rule": "harassment", "_fine": np.nan,
            "sure": True,           # times and counts are facts
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
    totals = per_rule.groupby(["shop", "order_id"], sort=False)[["expected", "worst", "certain"]].sum().reset_index()
    breakdown = _breakdown(causes, per_rule)
    # agents, causes and reasons per order: one pass over the causes into dicts (a groupby lambda per
    # order is tens of seconds on a big night; this is linear)
    agents: dict = {}
    kinds: dict = {}
    reasons: dict = {}
    sessions_of: dict = {}
    for key, session in zip(zip(causes["shop"].tolist(), causes["order_id"].tolist()), causes["session_id"].tolist()):
        if isinstance(session, str):
            sessions_of.setdefault(key, {})[session] = None
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
        "certain_yuan": totals["certain"].astype(float),
        "breakdown": [breakdown.get(k, []) for k in keys],
        "reasons": [reasons[k] for k in keys],
        # the chats whose causes the order holds: lets the message lists name the order (订单 column)
        "sessions": [list(sessions_of.get(k, {})) for k in keys],
    })
    return out[ORDER_COLUMNS].reset_index(drop=True)


# the order rules are listed in, and the causes in each (display order)
RULE_ORDER = ["service", "harassment", "diversion", "qr_lure"]
CAUSE_ORDER = ["slow", "unanswered", "negative", "harassment", "pestering", "diversion", "qr_lure", "broken_promise"]


def _breakdown(causes: pd.DataFrame, per_rule: pd.DataFrame) -> dict:
    """{(shop, order_id): [{"rule", "causes", "fine", "expected", "certain", "count"}, ...]} per order."""
    kinds: dict = {}
    for key, cause in zip(zip(causes["shop"].tolist(), causes["order_id"].tolist(), causes["rule"].tolist()),
                          causes["cause"].tolist()):
        kinds.setdefault(key, {}).setdefault(cause, 0)
        kinds[key][cause] += 1
    out: dict = {}
    rank = {r: i for i, r in enumerate(RULE_ORDER)}
    for shop, oid, rule, fine, exp, cert in zip(per_rule["shop"].tolist(), per_rule["order_id"].tolist(),
                                                 per_rule["rule"].tolist(), per_rule["fine"].tolist(),
                                                 per_rule["expected"].tolist(), per_rule["certain"].tolist()):
        counts = kinds.get((shop, oid, rule), {})
        names = sorted(counts, key=lambda c: CAUSE_ORDER.index(c) if c in CAUSE_ORDER else len(CAUSE_ORDER))
        out.setdefault((shop, oid), []).append({
            "rule": rule, "causes": names, "fine": float(fine), "expected": round(float(exp), 4),
            "certain": float(cert), "count": int(sum(counts.values()))})
    for parts in out.values():
        parts.sort(key=lambda d: rank.get(d["rule"], len(rank)))
    return out


# Where each default amount comes from (shown beside the rule table; a shop's own figure says so).
PENALTY_SOURCES = {
    "service": "淘宝客服服务考核：慢回复、未回复、消极回复，按单赔付消费者 20 元（2024 年起，据公开报道）",
    "harassment": "淘宝争议处理：骚扰买家（含求改差评）赔付消费者 300 元/次（据公开报道）",
    "diversion": "平台以扣分、下架、扣保证金处罚站外导流，无固定金额：默认 20 元为估算，请按本店情况设置",
    "qr_lure": "好评返现、包裹卡：平台以扣分、删评处罚，无固定金额：默认 20 元为估算，请按本店情况设置",
    # issue 19
    "broken_promise": "淘宝《违背承诺实施细则》（2024）：按订单实付金额 5% 赔付，最低 5 元、最高 30 元（据公开报道）",
    "shop_rule": "本店规则（--config 的 [rules]）",
}


@lru_cache(maxsize=1)
def _default_penalties() -> dict:
    from .config import load_config

    return dict(load_config().base["penalties"])


def penalty_table(penalties: dict) -> dict:
    """The rules in force for a shop, as the report shows them: amount, basis and source per rule."""
    defaults = _default_penalties()

    def src(rule: str, keys: tuple[str, ...]) -> str:
        own = any(float(penalties.get(k, 0)) != float(defaults.get(k, 0)) for k in keys)
        return ("本店设置（--config）" if own else PENALTY_SOURCES[rule])

    return {
        "rules": [
            {"rule": "service", "causes": ["slow", "unanswered", "negative"],
             "yuan": {c: float(penalties[FINE_KEY[c]]) for c in ("slow", "unanswered", "negative")},
             "basis": "每单一次（同一订单多条原因只罚一次，取最高额）",
             "source": src("service", ("slow_reply_yuan", "no_reply_yuan", "negative_yuan"))},
            {"rule": "harassment", "causes": ["harassment", "pestering"],
             "yuan": {"harassment": float(penalties["harassment_yuan"]), "pestering": float(penalties["harassment_yuan"])},
             "basis": "每单一次（同一买家多次骚扰算一次投诉；按行为：夜间主动联系、连续未回复仍发、拒绝后仍谈评价）",
             "source": src("harassment", ("harassment_yuan",))},
            {"rule": "diversion", "causes": ["diversion"], "yuan": {"diversion": float(penalties["diversion_yuan"])},
             "basis": "每单一次", "source": src("diversion", ("diversion_yuan",))},
            {"rule": "qr_lure", "causes": ["qr_lure"], "yuan": {"qr_lure": float(penalties["qr_lure_yuan"])},
             "basis": "每单一次", "source": src("qr_lure", ("qr_lure_yuan",))},
            # issue 19: broken promises, fined from the order's paid amount
            {"rule": "broken_promise", "causes": ["broken_promise"],
             "yuan": {"rate": float(penalties["broken_promise_rate"]), "min": float(penalties["broken_promise_min_yuan"]),
                      "max": float(penalties["broken_promise_max_yuan"])},
             "basis": (f"每单每类承诺一次：实付 × {float(penalties['broken_promise_rate']):g}，"
                       f"最低 {float(penalties['broken_promise_min_yuan']):g} 元、最高 {float(penalties['broken_promise_max_yuan']):g} 元"),
             "source": src("broken_promise", ("broken_promise_rate", "broken_promise_min_yuan", "broken_promise_max_yuan"))},
        ],
        "charge_consultations": bool(penalties.get("charge_consultations", True)),
    }


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


def _by_rule(per_rule: pd.DataFrame | None) -> dict:
    """{rule: {"orders", "expected_yuan", "worst_yuan"}}: a shop's yuan split by the rule fined."""
    if per_rule is None or per_rule.empty:
        return {}
    g = per_rule[per_rule["worst"] > 0].groupby("rule", sort=False)
    out = {rule: {"orders": int(len(part)), "expected_yuan": round(float(part["expected"].sum()), 2),
                  "worst_yuan": round(float(part["worst"].sum()), 2)} for rule, part in g}
    return {r: out[r] for r in sorted(out, key=lambda r: RULE_ORDER.index(r) if r in RULE_ORDER else len(RULE_ORDER))}


def _shops(messages, flagged, sessions, links, causes, per_rule, promises=None) -> pd.DataFrame:
    if messages.empty:
        return pd.DataFrame(columns=SHOP_COLUMNS)
    shops = sorted(set(messages["shop"].unique()))
    label_counts = flagged.groupby(["shop", "_label"]).size() if not flagged.empty else pd.Series(dtype=int)
    orders_per_shop = links.merge(sessions[["session_id", "shop"]], on="session_id").groupby("shop")["order_id"].nunique()
    # one grouping pass per table, not a boolean mask of every row per shop (O(shops × rows))
    n_messages = messages["shop"].value_counts()
    n_sessions = sessions["shop"].value_counts()
    n_acks = (sessions.groupby("shop")["acknowledged"].sum() if "acknowledged" in sessions and not sessions.empty
              else pd.Series(dtype=int))
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
            "exposure_certain_yuan": round(float(r["certain"].sum()), 2) if r is not None else 0.0,
            "exposure_by_rule": _by_rule(r),
            "acknowledgements_excluded": int(n_acks.get(shop, 0)),
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
