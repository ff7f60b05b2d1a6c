"""Response latency: sessions, waits and per-session metrics, exactly as DESIGN.md defines them.

- A session is a run of messages in one conversation with no gap over `session_gap_s`; it may cross
  midnight.
- A wait starts at the first buyer message not yet answered and ends at the next `agent` message.
  Auto-replies and system messages never end a wait (they are counted in it); buyer messages inside a
  wait do not restart it. A wait still open when its session ends is unanswered.
- Working hours pause the clock: a wait's length is the working time between its start and its end,
  so a wait that starts outside the hours starts counting at the next opening.
- The 3-minute rate (`within_3min_rate`) is the share of the waits that START inside the daily
  `rate_window` (Taobao 08:00-24:00) that a human answered within `slow_reply_s` (180 s by default; a
  setting because the rule changes); unanswered waits count against it, auto-replies never count for
  it. NaN for a session without such a wait. `rate_waits` says how many waits it was computed over.
- The waits table keeps the raw message times (`start`, `end`, `start_source`, `end_source` for
  evidence); only `wait_s` is working time.

Everything is vectorised: the k-th wait of a session is the set of buyer messages that follow exactly
k agent messages, and it is ended by agent message k+1; sessions come from a cumulative sum of gaps.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import time

import numpy as np
import pandas as pd

from .atomic import atomic_open
from .config import Config, parse_hours
from .schema import TS_FORMAT

SESSION_COLUMNS = ["shop", "conversation_id", "buyer", "session_id", "start", "end", "messages",
                   "buyer_messages", "agent_messages", "agents", "first_response_s", "mean_response_s",
                   "max_response_s", "waits", "slow_waits", "warn_waits", "unanswered", "rate_waits",
                   "within_3min_rate"]
WAIT_COLUMNS = ["shop", "conversation_id", "session_id", "buyer", "wait_no", "start", "end", "wait_s",
                "answered", "agent", "slow", "warn", "in_rate_window", "auto_replies", "start_source", "end_source"]
LATENCY_JSON_KEYS = ["shop", "conversation_id", "buyer", "start", "end", "first_response_s", "mean_response_s",
                     "max_response_s", "waits", "slow_waits", "unanswered", "within_3min_rate"]
DAY = 86_400


@dataclass
class Latency:
    sessions: pd.DataFrame
    waits: pd.DataFrame
    messages: pd.DataFrame      # the input, sorted, with session_id


def _seconds(t: time | None) -> int:
    return DAY if t is None else t.hour * 3600 + t.minute * 60 + t.second


def day_intervals(spec: str) -> list[tuple[int, int]]:
    """'09:00-01:00' -> [(0, 3600), (32400, 86400)]: the spec as [start, end) seconds within a day."""
    start, end = parse_hours(spec)
    a, b = _seconds(start), _seconds(end)
    if a == b or (a == 0 and b == DAY):
        return [(0, DAY)]
    if a < b:
        return [(a, b)]
    return [(0, b), (a, DAY)]       # overnight: the early-morning tail, then the evening


def working_clock(ts: pd.Series, intervals: list[tuple[int, int]]) -> np.ndarray:
    """Working seconds from 1970-01-01 to each timestamp; a wait is the difference of two readings."""
    secs = ts.to_numpy(dtype="datetime64[s]").astype("int64")
    days, tod = np.divmod(secs, DAY)
    per_day = sum(b - a for a, b in intervals)
    worked = np.zeros_like(tod)
    for a, b in intervals:
        worked += np.clip(tod - a, 0, b - a)
    return days * per_day + worked


def in_window(ts: pd.Series, intervals: list[tuple[int, int]]) -> np.ndarray:
    tod = ts.to_numpy(dtype="datetime64[s]").astype("int64") % DAY
    hit = np.zeros(len(tod), dtype=bool)
    for a, b in intervals:
        hit |= (tod >= a) & (tod < b)
    return hit


def sessionise(messages: pd.DataFrame, gap_by_shop: dict[str, float]) -> pd.DataFrame:
    """Sort stably and add session_id (conversation_id + '#' + 1-based session number)."""
    m = messages.copy()
    m["_order"] = np.arange(len(m))
    m = m.sort_values(["shop", "conversation_id", "ts", "_order"], kind="stable").reset_index(drop=True)
    same_conv = (m["conversation_id"] == m["conversation_id"].shift()) & (m["shop"] == m["shop"].shift())
    gap = (m["ts"] - m["ts"].shift()).dt.total_seconds()
    new = ~same_conv | (gap > m["shop"].map(gap_by_shop).astype(float))
    number = new.astype(int).groupby([m["shop"], m["conversation_id"]]).cumsum()
    # session ids must be unique across shops: a reader whose conversation ids do not carry the shop
    # (the same buyer nick in two shops) gets the shop prefixed, only where ids would collide.
    conv = m["conversation_id"]
    shared = m.groupby("conversation_id")["shop"].transform("nunique") > 1
    conv = conv.where(~shared, m["shop"] + "|" + conv)
    m["session_id"] = conv + "#" + number.astype(str)
    return m.drop(columns="_order")


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def compute_latency(messages: pd.DataFrame, config: Config) -> Latency:
    """Sessions, waits and the messages (sorted, with session_id) of canonical messages.

    A message without a time cannot be placed in its conversation: it is left out of the timing and
    kept at the end of `messages` with session_id None (it can still be classified and shown).
    """
    untimed = messages[messages["ts"].isna()]
    if not untimed.empty:
        lat = compute_latency(messages[messages["ts"].notna()], config)
        rest = untimed.assign(session_id=pd.Series(None, index=untimed.index, dtype=object))
        lat.messages = pd.concat([lat.messages, rest], ignore_index=True)
        return lat
    if messages.empty:
        m = messages.copy()
        m["session_id"] = pd.Series(dtype=object)
        return Latency(_empty(SESSION_COLUMNS), _empty(WAIT_COLUMNS), m)

    shops = messages["shop"].unique()
    settings = {s: config.for_shop(s).latency for s in shops}
    m = sessionise(messages, {s: settings[s]["session_gap_s"] for s in shops})

    is_agent = (m["role"] == "agent").astype(int)
    answered_before = is_agent.groupby(m["session_id"]).cumsum()     # agent messages up to this row

    # working clock per shop (working hours differ per shop)
    clock = np.zeros(len(m), dtype="int64")
    rate_hit = np.zeros(len(m), dtype=bool)
    for s in shops:
        rows = (m["shop"] == s).to_numpy()
        clock[rows] = working_clock(m.loc[rows, "ts"], day_intervals(settings[s]["working_hours"]))
        rate_hit[rows] = in_window(m.loc[rows, "ts"], day_intervals(settings[s]["rate_window"]))
    m["_clock"] = clock
    m["_rate"] = rate_hit
    m["_pos"] = np.arange(len(m))

    buyers = m[m["role"] == "buyer"].assign(wait_no=answered_before[m["role"] == "buyer"])
    starts = buyers.groupby(["session_id", "wait_no"], sort=False).agg(
        shop=("shop", "first"), conversation_id=("conversation_id", "first"), buyer=("buyer", "first"),
        start=("ts", "first"), start_clock=("_clock", "first"), in_rate_window=("_rate", "first"),
        start_source=("source", "first"), start_pos=("_pos", "first")).reset_index()
    agents = m[m["role"] == "agent"].assign(wait_no=answered_before[m["role"] == "agent"] - 1)
    ends = agents[["session_id", "wait_no", "ts", "_clock", "sender", "source"]].rename(
        columns={"ts": "end", "_clock": "end_clock", "sender": "agent", "source": "end_source"})
    w = starts.merge(ends, on=["session_id", "wait_no"], how="left")
    w["answered"] = w["end"].notna()
    w["wait_s"] = (w["end_clock"] - w["start_clock"]).where(w["answered"]).astype(float)

    # auto replies of wait k follow its first buyer message and precede agent message k+1; rows, not
    # timestamps, decide "follow" so a robot greeting in the same second as the question is still inside
    autos = m.loc[m["role"] == "auto", ["session_id", "_pos"]].assign(wait_no=answered_before[m["role"] == "auto"])
    a = autos.merge(w[["session_id", "wait_no", "start_pos"]], on=["session_id", "wait_no"])
    counts = a[a["_pos"] > a["start_pos"]].groupby(["session_id", "wait_no"]).size().rename("auto_replies")
    w = w.merge(counts, left_on=["session_id", "wait_no"], right_index=True, how="left")
    w["auto_replies"] = w["auto_replies"].fillna(0).astype(int)

    slow_s = w["shop"].map({s: settings[s]["slow_reply_s"] for s in shops}).astype(float)
    warn_s = w["shop"].map({s: settings[s]["warn_reply_s"] for s in shops}).astype(float)
    w["slow"] = w["answered"] & (w["wait_s"] > slow_s)
    w["warn"] = w["answered"] & (w["wait_s"] > warn_s)
    w["_fast"] = w["answered"] & (w["wait_s"] <= slow_s)
    waits = w.sort_values(["shop", "conversation_id", "start"], kind="stable").reset_index(drop=True)

    sessions = _sessions(m, waits)
    waits = waits[WAIT_COLUMNS]
    return Latency(sessions=sessions, waits=waits, messages=m.drop(columns=["_clock", "_rate", "_pos"]))


def _sessions(m: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    # counts as sums of boolean columns: a Python lambda per group is minutes on a night of a big shop
    g = m.assign(_b=(m["role"] == "buyer").astype(int), _a=(m["role"] == "agent").astype(int)).groupby(
        "session_id", sort=False)
    base = g.agg(shop=("shop", "first"), conversation_id=("conversation_id", "first"), buyer=("buyer", "first"),
                 start=("ts", "min"), end=("ts", "max"), messages=("ts", "size"),
                 buyer_messages=("_b", "sum"), agent_messages=("_a", "sum"))
    senders = m.loc[m["role"] == "agent", ["session_id", "sender"]].drop_duplicates()
    agent_names = senders.groupby("session_id", sort=False)["sender"].agg("|".join)
    base["agents"] = agent_names.reindex(base.index).fillna("")
    if w.empty:
        stats = pd.DataFrame(index=base.index)
    else:
        w = w.assign(_open=(~w["answered"]).astype(int), _slow=w["slow"].astype(int), _warn=w["warn"].astype(int))
        g = w.groupby("session_id")
        first = w.sort_values(["session_id", "wait_no"]).groupby("session_id")["wait_s"].first(skipna=False)
        rate = w[w["in_rate_window"]].groupby("session_id")
        stats = pd.DataFrame({
            "first_response_s": first,
            "mean_response_s": g["wait_s"].mean(),
            "max_response_s": g["wait_s"].max(),
            "waits": g.size(),
            "slow_waits": g["_slow"].sum(),
            "warn_waits": g["_warn"].sum(),
            "unanswered": g["_open"].sum(),
            "rate_waits": rate.size(),
            "within_3min_rate": rate["_fast"].mean(),
        })
    out = base.join(stats, how="left")
    for col in ("buyer_messages", "agent_messages"):
        out[col] = out[col].astype(int)
    for col in ("waits", "slow_waits", "warn_waits", "unanswered", "rate_waits"):
        out[col] = out.get(col, pd.Series(0, index=out.index)).fillna(0).astype(int)
    for col in ("first_response_s", "mean_response_s", "max_response_s", "within_3min_rate"):
        out[col] = out.get(col, pd.Series(np.nan, index=out.index)).astype(float)
    return out.reset_index()[SESSION_COLUMNS]


def platform_metrics(latency: Latency, by: list[str]) -> pd.DataFrame:
    """Per shop (by=["shop"]) or per agent (by=["shop", "agent"]), under 生意参谋 客服 names.

    咨询人数   buyers who sent at least one message
               (per agent: = 接待人数, the platform assigns buyers to agents and we do not see it)
    接待人数   buyers who got a human reply: at least one of their waits ended by an agent message
               (per agent: waits that agent ended; an agent's message that answers nothing, e.g. a
               shipping notice, is not a reply)
    未回复人数 咨询人数 − 接待人数: buyers none of whose waits a human answered
               (per agent: 0, an unanswered buyer has no agent; see the shop row)
    平均响应时长 mean working-time seconds of answered waits (per agent: the waits the agent ended)
    首次响应时长 mean seconds of each session's first wait, where answered (per agent: where the agent
               answered it)
    3分钟人工响应率 share of the waits starting inside `rate_window` answered by a human within
               slow_reply_s; unanswered ones count against it (per agent: the answered waits the agent
               ended, as an unanswered wait has no agent)
    慢响应人数 buyers with at least one answered wait over slow_reply_s (per agent: ended by the agent)
    答问比     agent messages / buyer messages (per agent: the agent's messages / buyer messages of the
               sessions the agent wrote in)
    """
    m, w = latency.messages, latency.waits.copy()
    if m.empty:
        return pd.DataFrame(columns=[*by, "咨询人数", "接待人数", "未回复人数", "平均响应时长", "首次响应时长",
                                     "3分钟人工响应率", "慢响应人数", "答问比"])
    w["_fast"] = w["answered"] & ~w["slow"]
    first_waits = w.sort_values("wait_no").groupby("session_id").head(1)
    if by == ["shop"]:
        buyers_asked = m[m["role"] == "buyer"].groupby("shop")["buyer"].nunique()
        buyers_served = w[w["answered"]].groupby("shop")["buyer"].nunique()
        rate_w = w[w["in_rate_window"]]
        out = pd.DataFrame({
            "咨询人数": buyers_asked,
            "接待人数": buyers_served,
            "平均响应时长": w[w["answered"]].groupby("shop")["wait_s"].mean(),
            "首次响应时长": first_waits[first_waits["answered"]].groupby("shop")["wait_s"].mean(),
            "3分钟人工响应率": rate_w.groupby("shop")["_fast"].mean(),
            "慢响应人数": w[w["slow"]].groupby("shop")["buyer"].nunique(),
            "答问比": (m["role"] == "agent").groupby(m["shop"]).sum() / (m["role"] == "buyer").groupby(m["shop"]).sum()
                     .replace(0, np.nan),
        })
        out.index.name = "shop"
        out[["咨询人数", "接待人数", "慢响应人数"]] = out[["咨询人数", "接待人数", "慢响应人数"]].fillna(0).astype(int)
        out["未回复人数"] = out["咨询人数"] - out["接待人数"]
        out = out.reset_index()
    elif by == ["shop", "agent"]:
        am = m[m["role"] == "agent"].rename(columns={"sender": "agent"})
        writers = am[["shop", "agent"]].drop_duplicates().set_index(["shop", "agent"]).index
        served = w[w["answered"]].groupby(["shop", "agent"])["buyer"].nunique().reindex(writers, fill_value=0)
        counts = (m["role"] == "buyer").astype(int).groupby(m["session_id"]).sum().rename("b").reset_index()
        own = am.groupby(["shop", "agent", "session_id"]).size().rename("a").reset_index()
        ratio = own.merge(counts, on="session_id").groupby(["shop", "agent"])[["a", "b"]].sum()
        wa = w[w["answered"]]
        fa = first_waits[first_waits["answered"]]
        rate_w = w[w["in_rate_window"] & w["answered"]]
        out = pd.DataFrame({
            "咨询人数": served,
            "接待人数": served,
            "平均响应时长": wa.groupby(["shop", "agent"])["wait_s"].mean(),
            "首次响应时长": fa.groupby(["shop", "agent"])["wait_s"].mean(),
            "3分钟人工响应率": rate_w.groupby(["shop", "agent"])["_fast"].mean(),
            "慢响应人数": w[w["slow"]].groupby(["shop", "agent"])["buyer"].nunique(),
            "答问比": ratio["a"] / ratio["b"].replace(0, np.nan),
        })
        out = out[out.index.isin(served.index)]
        out.index.names = ["shop", "agent"]
        out[["咨询人数", "接待人数", "慢响应人数"]] = out[["咨询人数", "接待人数", "慢响应人数"]].fillna(0).astype(int)
        out["未回复人数"] = 0
        out = out.reset_index()
    else:
        raise ValueError(f"platform_metrics by {by!r}: use ['shop'] or ['shop', 'agent']")
    cols = [*by, "咨询人数", "接待人数", "未回复人数", "平均响应时长", "首次响应时长", "3分钟人工响应率", "慢响应人数", "答问比"]
    return out[cols]


def session_records(sessions: pd.DataFrame) -> list[dict]:
    """DESIGN.md's latency objects: seconds as numbers, null where no wait was answered."""
    recs = []
    for row in sessions[LATENCY_JSON_KEYS].to_dict("records"):
        for k in ("start", "end"):
            row[k] = pd.Timestamp(row[k]).strftime(TS_FORMAT)
        for k in ("first_response_s", "mean_response_s", "max_response_s", "within_3min_rate"):
            v = row[k]
            row[k] = None if v is None or pd.isna(v) else (round(float(v), 4) if k == "within_3min_rate" else float(v))
        for k in ("waits", "slow_waits", "unanswered"):
            row[k] = int(row[k])
        recs.append(row)
    return recs


def write_sessions(sessions: pd.DataFrame, output: str | None, fmt: str = "csv") -> None:
    recs = session_records(sessions)
    if fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)
        encoding = "utf-8"
    elif fmt == "csv":
        text = pd.DataFrame(recs, columns=LATENCY_JSON_KEYS).to_csv(index=False)
        encoding = "utf-8-sig"
    else:
        raise ValueError(f"unknown format {fmt!r} (csv or jsonl)")
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_open(output, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
