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
    secs = _seconds(ts) % 86400          # wall-clock times without a zone: seconds into their day
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
    """CASE_COLUMNS, one row per case. messages: canonical + session_id, sorted by shop, conversation
    and time as monitor.timing leaves them (its `messages`)."""
    if messages.empty or "session_id" not in messages:
        return pd.DataFrame(columns=CASE_COLUMNS)
    keep = (messages["ts"].notna() & messages["role"].isin(("buyer", "agent", "auto"))).to_numpy()
    m = messages[keep] if not keep.all() else messages
    if m.empty:
        return pd.DataFrame(columns=CASE_COLUMNS)
    cases: list[dict] = []
    shops = m["shop"].to_numpy()
    # rows are grouped by shop already: cut at the changes instead of grouping by the strings
    cuts = np.r_[0, np.flatnonzero(shops[1:] != shops[:-1]) + 1, len(m)]
    for a, b in zip(cuts[:-1], cuts[1:]):
        g = m.iloc[a:b]
        settings = config.for_shop(shops[a]).pestering
        cases += _quiet(g, settings)
        cases += _runs(g, settings)
        cases += _review(g, settings)
    return pd.DataFrame(cases, columns=CASE_COLUMNS)


def _starts(values: np.ndarray) -> np.ndarray:
    """True where a run of equal neighbours begins (rows of one session or conversation are adjacent)."""
    return np.r_[True, values[1:] != values[:-1]] if len(values) else np.zeros(0, dtype=bool)


def _within(flags: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Running count of `flags` inside each run (this row included), runs beginning at `starts`."""
    total = np.cumsum(flags)
    before = (total - flags)[starts]
    return total - np.repeat(before, np.diff(np.r_[np.flatnonzero(starts), len(flags)]))


def _quiet(g: pd.DataFrame, settings: dict) -> list[dict]:
    buyer = (g["role"] == "buyer").to_numpy()
    quiet = in_quiet_hours(g["ts"], str(settings["quiet_hours"]))
    if not (quiet & ~buyer).any():
        return []
    # buyer messages so far in the session (this one included)
    seen = _within(buyer.astype(np.int64), _starts(g["session_id"].to_numpy()))
    hit = ~buyer & (seen == 0) & quiet
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
    role = g["role"].to_numpy()
    agent = role == "agent"
    if agent.sum() < count:
        return []
    buyer = role == "buyer"
    # a run: the agent messages of a conversation since the buyer's last message, keyed by integers
    # (conversation number, buyer messages so far in it): rows of a conversation are adjacent
    starts = _starts(g["conversation_id"].to_numpy())
    run = (np.cumsum(starts).astype(np.int64) << 32) + _within(buyer.astype(np.int64), starts)
    key = run[agent]
    secs = _seconds(g["ts"])[agent]
    new_run = np.r_[True, key[1:] != key[:-1]]
    spaced = new_run | (np.r_[0, np.diff(secs)] >= gap)
    key, secs = key[spaced], secs[spaced]
    uniq, inverse, sizes = np.unique(key, return_inverse=True, return_counts=True)
    keep = sizes[inverse] >= count
    if not keep.any():
        return []
    rows_all = g[agent][spaced]
    out = []
    for k in np.unique(key[keep]):
        sel = key == k
        rows, t = rows_all[sel], secs[sel]
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
    buyer = (g["role"] == "buyer").to_numpy()
    refusal_re = re.compile("|".join(map(re.escape, words)))
    # a refusal: a buyer message with a refusal word (only buyer texts are searched), in a conversation
    # the seller asked about a review
    cand = np.zeros(len(g), dtype=bool)
    # one regex pass over the buyer texts joined (a refusal is rare; a search per text costs more)
    texts = [t if isinstance(t, str) else str(t) for t in g["text"].to_numpy()[buyer].tolist()]
    if texts:
        ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
        hits = [m.start() for m in refusal_re.finditer("\x00".join(texts))]
        if hits:
            rows = np.flatnonzero(buyer)[np.searchsorted(ends, hits, side="right")]
            cand[rows] = True
    if not cand.any():
        return []
    out = []
    # each candidate conversation's rows as positions (in order), read from whole-shop arrays: a
    # boolean selection of the shop's frame per conversation took seconds on a real-text night,
    # where many buyers write a refusal word; a frame is made only for a case
    codes, _ = pd.factorize(g["conversation_id"].to_numpy(), use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(codes))]
    all_text = g["text"].astype(str).to_numpy()
    all_role = g["role"].to_numpy()
    for c in pd.unique(codes[cand]):
        at = order[bounds[c]:bounds[c + 1]]
        r_text, r_role = all_text[at], all_role[at]
        r_about = np.array([bool(_REVIEW.search(t)) for t in r_text])
        refused_at = None
        for k in range(len(at)):
            if r_role[k] == "buyer" and refusal_re.search(r_text[k]) and (r_about[k] or r_about[:k].any()):
                refused_at = k
                break
        if refused_at is None:
            continue
        after = [k for k in range(refused_at + 1, len(at)) if r_role[k] == "agent" and r_about[k]]
        if after:
            rows = g.iloc[at]
            part = rows.iloc[[refused_at, *after]]
            t = pd.Timestamp(rows["ts"].iloc[refused_at])
            reason = f"买家 {t:%m-%d %H:%M} 已拒绝（「{r_text[refused_at][:30]}」），之后仍就评价联系 {len(after)} 次"
            case = _case(part, "review", reason)
            case["agent"] = rows["sender"].iloc[after[0]]
            case["ts"] = rows["ts"].iloc[after[0]]
            case["source"] = rows["source"].iloc[after[0]]
            out.append(case)
    return out
