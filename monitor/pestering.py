"""Harassment by behaviour: when and how often the seller writes, not what the words say.

Three patterns, each a harassment case with its own reason (Taobao's 2024 rules count contacting a
buyer 频繁 or 在非适宜时段 as harassment, 300 yuan to the buyer by default: harassment_yuan):

    quiet_hours   a seller message inside the shop's quiet hours ([pestering] quiet_hours, default
                  22:00-08:00) in a session where the buyer has not written yet: the seller started the
                  contact at night. A buyer who writes first at 23:00 may be answered at 23:00.
    run           run_count or more seller messages to a buyer who has not replied since, within
                  run_window_s (one a day by default: a conversation's messages in the batch, across
                  sessions and past midnight). Messages sent within run_min_gap_s of the previous one
                  are one burst, counted once: an answer typed as three quick messages is not a run.
    review        seller messages about a review (评价, 差评, 好评 …) after the buyer refused in words
                  ([pestering] review_refusal: 不改, 不会改, 别再 …) in a message about the review.

Auto-replies never count where they answer the buyer: a robot's message counts only as the opening of
a session at night (a robot writing first, e.g. a 催付 reminder at 23:00); runs and review contacts
count human agents' messages only. One case per pattern and session (a run: the session of its last
message), so the score's "one harassment case per order" holds.
"""

from __future__ import annotations

import re
from datetime import time

import numpy as np
import pandas as pd

from .config import Config, parse_hours

CASE_COLUMNS = ["shop", "session_id", "conversation_id", "buyer", "agent", "pattern", "reason", "ts", "source",
                "messages"]
PATTERN_NAMES = {"quiet_hours": "非适宜时段主动联系", "run": "连续发消息未获回复", "review": "买家拒绝后仍就评价联系"}
_REVIEW = re.compile(r"评价|差评|好评|中评|追评|改评|删评|五星|评分|晒图")


def in_quiet_hours(ts: pd.Series, spec: str) -> np.ndarray:
    """True where the time of day is inside `spec` ('22:00-08:00' wraps past midnight)."""
    start, end = parse_hours(spec)
    secs = (ts.dt.hour * 3600 + ts.dt.minute * 60 + ts.dt.second).to_numpy()
    a = start.hour * 3600 + start.minute * 60
    b = 86400 if end is None else end.hour * 3600 + end.minute * 60
    return (secs >= a) & (secs < b) if a < b else (secs >= a) | (secs < b)


def _seconds(ts: pd.Series) -> np.ndarray:
    """Epoch seconds, whatever the datetime resolution (the canonical ts is datetime64[s])."""
    return pd.to_datetime(ts).to_numpy().astype("datetime64[s]").astype(np.int64)


def _line(ts, text) -> str:
    return f"{pd.Timestamp(ts):%m-%d %H:%M} {str(text)[:60]}"


def _case(rows: pd.DataFrame, pattern: str, reason: str) -> dict:
    last = rows.iloc[-1]
    first = rows.iloc[0]
    return {"shop": last["shop"], "session_id": last["session_id"], "conversation_id": last["conversation_id"],
            "buyer": last["buyer"], "agent": first["sender"], "pattern": pattern, "reason": reason,
            "ts": first["ts"], "source": first["source"],
            "messages": [_line(t, x) for t, x in zip(rows["ts"], rows["text"])]}


def find_pestering(messages: pd.DataFrame, config: Config) -> pd.DataFrame:
    """CASE_COLUMNS, one row per case. messages: canonical + session_id (monitor.timing's messages)."""
    if messages.empty or "session_id" not in messages:
        return pd.DataFrame(columns=CASE_COLUMNS)
    m = messages[messages["ts"].notna() & messages["role"].isin(("buyer", "agent", "auto"))]
    if m.empty:
        return pd.DataFrame(columns=CASE_COLUMNS)
    m = m.sort_values(["shop", "conversation_id", "ts"], kind="stable")
    cases: list[dict] = []
    for shop, g in m.groupby("shop", sort=False):
        settings = config.for_shop(shop).pestering
        cases += _quiet(g, settings)
        cases += _runs(g, settings)
        cases += _review(g, settings)
    return pd.DataFrame(cases, columns=CASE_COLUMNS)


def _quiet(g: pd.DataFrame, settings: dict) -> list[dict]:
    buyer = (g["role"] == "buyer").to_numpy()
    # buyer messages so far in the session (this one included)
    seen = pd.Series(buyer.astype(int), index=g.index).groupby(g["session_id"].to_numpy()).cumsum().to_numpy()
    hit = ~buyer & (seen == 0) & in_quiet_hours(g["ts"], str(settings["quiet_hours"]))
    if not hit.any():
        return []
    out = []
    for sid, rows in g[hit].groupby("session_id", sort=False):
        t0 = pd.Timestamp(rows["ts"].iloc[0])
        reason = (f"{t0:%H:%M} 在非适宜时段（{settings['quiet_hours']}）主动联系买家，买家在本次会话中此前未发消息"
                  f"（{len(rows)} 条）")
        out.append(_case(rows, "quiet_hours", reason))
    return out


def _runs(g: pd.DataFrame, settings: dict) -> list[dict]:
    count, window = int(settings["run_count"]), float(settings["run_window_s"])
    gap = float(settings.get("run_min_gap_s", 60))
    buyer = (g["role"] == "buyer").to_numpy()
    conv = g["conversation_id"].to_numpy()
    # a run: the agent messages of a conversation since the buyer's last message
    run = pd.Series(buyer.astype(int), index=g.index).groupby(conv).cumsum().to_numpy()
    agent = (g["role"] == "agent").to_numpy()
    a = g[agent].assign(_run=run[agent])
    if len(a) < count:
        return []
    key = a["conversation_id"].astype(str) + "\x1f" + a["_run"].astype(str)
    secs = _seconds(a["ts"])
    new_run = np.r_[True, key.to_numpy()[1:] != key.to_numpy()[:-1]]
    spaced = new_run | (np.r_[0, np.diff(secs)] >= gap)
    a = a[spaced]
    secs = secs[spaced]
    key = key[spaced]
    sizes = key.groupby(key.to_numpy()).transform("size").to_numpy()
    keep = sizes >= count
    if not keep.any():
        return []
    out = []
    for _, rows in a[keep].groupby(key[keep].to_numpy(), sort=False):
        t = _seconds(rows["ts"])
        # the first window of `count` messages inside run_window_s
        for i in range(len(t) - count + 1):
            if t[i + count - 1] - t[i] <= window:
                j = i + count
                while j < len(t) and t[j] - t[i] <= window:
                    j += 1
                part = rows.iloc[i:j]
                span = (t[j - 1] - t[i]) / 3600
                reason = (f"{len(part)} 条消息（{span:.1f} 小时内）发给未回复的买家，"
                          f"超过设定的 {count} 条 / {window / 3600:g} 小时")
                out.append(_case(part, "run", reason))
                break
    return out


def _review(g: pd.DataFrame, settings: dict) -> list[dict]:
    words = [w for w in settings.get("review_refusal", []) if w]
    if not words:
        return []
    text = g["text"].astype(str)
    buyer = (g["role"] == "buyer").to_numpy()
    about = text.str.contains(_REVIEW).to_numpy()
    refusal_re = re.compile("|".join(map(re.escape, words)))
    # a refusal: a buyer message with a refusal word, in a conversation the seller asked about a review
    cand = buyer & text.str.contains(refusal_re).to_numpy()
    if not cand.any():
        return []
    out = []
    conv = g["conversation_id"].to_numpy()
    for c in pd.unique(conv[cand]):
        rows = g[conv == c]
        r_text = rows["text"].astype(str).to_numpy()
        r_role = rows["role"].to_numpy()
        r_about = about[conv == c]
        refused_at = None
        for k in range(len(rows)):
            if r_role[k] == "buyer" and refusal_re.search(r_text[k]) and (r_about[k] or r_about[:k].any()):
                refused_at = k
                break
        if refused_at is None:
            continue
        after = [k for k in range(refused_at + 1, len(rows)) if r_role[k] == "agent" and r_about[k]]
        if after:
            part = rows.iloc[[refused_at, *after]]
            t = pd.Timestamp(rows["ts"].iloc[refused_at])
            reason = f"买家 {t:%m-%d %H:%M} 已拒绝（「{r_text[refused_at][:30]}」），之后仍就评价联系 {len(after)} 次"
            case = _case(part, "review", reason)
            case["agent"] = rows["sender"].iloc[after[0]]
            case["ts"] = rows["ts"].iloc[after[0]]
            case["source"] = rows["source"].iloc[after[0]]
            out.append(case)
    return out
