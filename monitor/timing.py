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
- A buyer's closing acknowledgement (好的, 谢谢, 好的我加一下 …; monitor/acknowledge.py, [latency] ack_*)
  opens no wait: it needs no reply. `acknowledged` counts, per session, the waits not opened so (an
  acknowledgement inside a wait a question already opened changes nothing and is not counted).
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
from .csv_safety import frame_to_csv
from .acknowledge import acknowledgement_mask
from .config import Config, parse_hours
from .schema import TS_FORMAT

SESSION_COLUMNS = ["shop", "conversation_id", "buyer", "session_id", "start", "end", "messages",
                   "buyer_messages", "agent_messages", "agents", "first_response_s", "mean_response_s",
                   "max_response_s", "waits", "slow_waits", "warn_waits", "unanswered", "rate_waits",
                   "within_3min_rate", "acknowledged"]
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


def _sort_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques): integer codes that sort as pandas sorts the values, missing last."""
    codes, uniques = pd.factorize(values, sort=True)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniques), codes)
    return codes, np.asarray(uniques, dtype=object)


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Positions where a run of equal consecutive keys begins."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])


def sessionise(messages: pd.DataFrame, gap_by_shop: dict[str, float]) -> pd.DataFrame:
    """Sort stably and add session_id (conversation_id + '#' + 1-based session number)."""
    return _sessionise(messages, gap_by_shop)[0]


def _sorting_keys(messages: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """(order, shop codes, shop names, conversation codes, ns, NaT mask), codes and times in input order.

    `order` sorts by shop, conversation and time (NaT last), stably, as
    sort_values(["shop", "conversation_id", "ts"], kind="stable") does, but on integer codes: a sort on
    the string columns compares strings row against row.
    """
    shop_c, shop_u = _sort_codes(messages["shop"].to_numpy())
    conv_c, _ = _sort_codes(messages["conversation_id"].to_numpy())
    ts = messages["ts"].to_numpy(dtype="datetime64[ns]")
    nat = np.isnat(ts)
    ns = ts.astype("int64")
    order = np.lexsort((np.where(nat, np.iinfo(np.int64).max, ns), conv_c, shop_c))
    return order, shop_c, shop_u, conv_c, ns, nat


def _taken(messages: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """messages in `order` with a fresh RangeIndex; rows already in order are not copied."""
    if np.array_equal(order, np.arange(len(order))):
        return messages.reset_index(drop=True)      # copy-on-write: shares the columns until changed
    return messages.take(order).reset_index(drop=True)


def sort_messages(messages: pd.DataFrame) -> pd.DataFrame:
    """Messages sorted by shop, conversation and time (NaT last), stably, with a fresh index."""
    return _taken(messages, _sorting_keys(messages)[0])


def _sessionise(messages: pd.DataFrame, gap_by_shop: dict[str, float]) -> tuple[pd.DataFrame, np.ndarray]:
    """sessionise(), plus each row's session as an integer (0, 1, 2 … in row order).

    Sorting, run detection and grouping work on integer codes: sorting or grouping by the string
    columns compares or hashes a string per row, and that was most of the timing stage on a big night.
    """
    n = len(messages)
    order, shop_c, shop_u, conv_c, ns, nat = _sorting_keys(messages)
    m = _taken(messages, order)
    shop_c, conv_c, ns, nat = shop_c[order], conv_c[order], ns[order], nat[order]

    same_conv = np.zeros(n, dtype=bool)
    same_conv[1:] = (shop_c[1:] == shop_c[:-1]) & (conv_c[1:] == conv_c[:-1])
    gap = np.full(n, np.nan)
    gap[1:] = np.where(nat[1:] | nat[:-1], np.nan, (ns[1:] - ns[:-1]) / 1e9)
    limit = np.array([float(gap_by_shop.get(s, np.nan)) for s in shop_u] + [np.nan])[shop_c]
    with np.errstate(invalid="ignore"):
        new = ~same_conv | (gap > limit)
    session = np.cumsum(new) - 1
    # 1-based number within the conversation: the session minus the conversation's first session
    number = session - np.maximum.accumulate(np.where(same_conv, 0, session)) + 1

    # session ids must be unique across shops: a reader whose conversation ids do not carry the shop
    # (the same buyer nick in two shops) gets the shop prefixed, only where ids would collide.
    present = shop_c < len(shop_u)
    pairs = np.unique(conv_c[present] * (len(shop_u) + 1) + shop_c[present])
    shops_per_conv = np.bincount(pairs // (len(shop_u) + 1), minlength=(conv_c.max() + 1) if n else 0)
    # one id string per session, not per row
    first = np.flatnonzero(new)
    conv_s = m["conversation_id"].to_numpy()[first].tolist()
    shop_s = m["shop"].to_numpy()[first].tolist()
    shared = (shops_per_conv[conv_c[first]] > 1).tolist()
    ids = [f"{s}|{c}#{k}" if sh else f"{c}#{k}"
           for c, s, sh, k in zip(conv_s, shop_s, shared, number[first].tolist())]
    if len(set(ids)) < len(ids):
        ids = _distinct(ids)
    m["session_id"] = pd.Series(np.asarray(ids, dtype=object)[session] if n else [], dtype="str")
    return m, session


def _distinct(ids: list[str]) -> list[str]:
    """Repeated session ids get '/2', '/3' … appended, in order.

    Only a night mixing conversation ids with and without the shop can repeat one (a shared nick
    prefixed '店|小猫' and another reader's '店|小猫'); those are different sessions and must stay apart.
    """
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        k = seen[i] = seen.get(i, 0) + 1
        out.append(i if k == 1 else f"{i}/{k}")
    return out


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _objects(values: np.ndarray) -> pd.Series:
    # object dtype, as the columns it comes from (pandas 3 would infer its own string dtype)
    return pd.Series(values, dtype=object)


def _firsts(column: pd.Series, rows: np.ndarray, group: np.ndarray, first: np.ndarray) -> pd.Series:
    """Per group of `rows` (runs of equal `group`), the first non-missing value, as groupby "first"."""
    values = column.to_numpy()[rows]
    if not pd.isna(values).any():
        return _objects(values[first])
    return _objects(pd.Series(values, dtype=object).groupby(group, sort=False).first().to_numpy())


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
    m, session = _sessionise(messages, {s: settings[s]["session_gap_s"] for s in shops})
    n = len(m)
    role = m["role"].to_numpy()
    is_buyer, is_agent, is_auto = role == "buyer", role == "agent", role == "auto"

    # agent messages up to and including each row, within its session
    agents_so_far = np.cumsum(is_agent)
    first = _run_starts(session)
    answered_before = agents_so_far - (agents_so_far[first] - is_agent[first])[session]

    # working clock and thresholds per shop (settings differ per shop); a shop's rows are one run
    ts = m["ts"]
    texts = m["text"].to_numpy()
    ack = np.zeros(n, dtype=bool)
    clock = np.zeros(n, dtype="int64")
    rate_hit = np.zeros(n, dtype=bool)
    slow_s, warn_s = np.zeros(n), np.zeros(n)
    shop_col = m["shop"].to_numpy()
    bounds = [*_run_starts(shop_col).tolist(), n]
    for a, b in zip(bounds[:-1], bounds[1:]):
        st = settings[shop_col[a]]
        clock[a:b] = working_clock(ts.iloc[a:b], day_intervals(st["working_hours"]))
        rate_hit[a:b] = in_window(ts.iloc[a:b], day_intervals(st["rate_window"]))
        slow_s[a:b], warn_s[a:b] = float(st["slow_reply_s"]), float(st["warn_reply_s"])
        if st.get("ack_exclude", False):
            rows = np.flatnonzero(is_buyer[a:b]) + a
            if len(rows):
                ack[rows] = acknowledgement_mask(texts[rows].tolist(), st)
    # an acknowledgement is a buyer message that opens no wait (nor joins one: a wait's first buyer
    # message is the one that needs the reply)
    opens = is_buyer & ~ack

    # a wait is the buyer messages of one session that follow the same number of agent messages;
    # rows are sorted, so each wait is a run, keyed by session × (max waits + 1) + wait number
    width = int(answered_before.max()) + 2
    b = np.flatnonzero(opens)
    b_key = session[b] * width + answered_before[b]
    b_first = _run_starts(b_key)
    w_rows = b[b_first]                      # each wait's first buyer message
    w_key = b_key[b_first]                   # ascending and unique
    w_session = session[w_rows]
    ts_arr = ts.to_numpy()
    w = pd.DataFrame({
        "session_id": m["session_id"].iloc[w_rows].reset_index(drop=True),
        "wait_no": answered_before[w_rows],
        "shop": _objects(shop_col[w_rows]),
        "conversation_id": _objects(m["conversation_id"].to_numpy()[w_rows]),
        "buyer": _firsts(m["buyer"], b, b_key, b_first),
        "start": ts_arr[w_rows],
        "start_clock": clock[w_rows],
        "in_rate_window": rate_hit[w_rows],
        "start_source": _firsts(m["source"], b, b_key, b_first),
        "start_pos": w_rows,
    })
    # wait k of a session is ended by its agent message k+1 (keys of agent rows are unique too)
    ag = np.flatnonzero(is_agent)
    a_key = session[ag] * width + answered_before[ag] - 1
    at = np.minimum(np.searchsorted(a_key, w_key), max(len(a_key) - 1, 0))
    found = (a_key[at] == w_key) if len(a_key) else np.zeros(len(w_key), dtype=bool)
    end_rows = ag[at[found]]
    end = np.full(len(w), np.datetime64("NaT"), dtype=ts_arr.dtype)
    end[found] = ts_arr[end_rows]
    end_clock = np.full(len(w), np.nan)
    end_clock[found] = clock[end_rows]
    agent, end_source = np.full(len(w), np.nan, dtype=object), np.full(len(w), np.nan, dtype=object)
    agent[found] = m["sender"].to_numpy()[end_rows]
    end_source[found] = m["source"].to_numpy()[end_rows]
    w["end"], w["end_clock"], w["agent"], w["end_source"] = end, end_clock, _objects(agent), _objects(end_source)
    w["answered"] = found
    w["wait_s"] = (w["end_clock"] - w["start_clock"]).where(w["answered"]).astype(float)

    # auto replies of wait k follow its first buyer message and precede agent message k+1; rows, not
    # timestamps, decide "follow" so a robot greeting in the same second as the question is still inside
    au = np.flatnonzero(is_auto)
    u_key = session[au] * width + answered_before[au]
    at = np.minimum(np.searchsorted(w_key, u_key), max(len(w_key) - 1, 0))
    inside = (w_key[at] == u_key) & (au > w_rows[at]) if len(w_key) else np.zeros(len(au), dtype=bool)
    w["auto_replies"] = np.bincount(at[inside], minlength=len(w)).astype(int)

    w_slow, w_warn = slow_s[w_rows], warn_s[w_rows]
    w["slow"] = w["answered"] & (w["wait_s"] > w_slow)
    w["warn"] = w["answered"] & (w["wait_s"] > w_warn)
    w["_fast"] = w["answered"] & (w["wait_s"] <= w_slow)
    # waits are already in (shop, conversation, start) order: they follow the sorted messages

    # waits the acknowledgements would have opened: a run of buyer messages (same session, same
    # number of agent messages before) made only of acknowledgements
    skipped = np.zeros(len(first), dtype=np.int64)
    if ack.any():
        all_keys = np.unique(session[is_buyer] * width + answered_before[is_buyer])
        lost = np.setdiff1d(all_keys, w_key, assume_unique=True)
        skipped = np.bincount(lost // width, minlength=len(first)).astype(np.int64)
    sessions = _sessions(m, session, first, is_buyer, is_agent, w, w_session, skipped)
    waits = w[WAIT_COLUMNS]
    return Latency(sessions=sessions, waits=waits, messages=m)


def _agent_names(m: pd.DataFrame, session: np.ndarray, is_agent: np.ndarray, n_sessions: int) -> np.ndarray:
    """Per session, its agents' names joined by '|' in order of their first message ('' for none)."""
    rows = np.flatnonzero(is_agent)
    codes, _ = pd.factorize(m["sender"].to_numpy()[rows])
    pair = session[rows] * (int(codes.max()) + 2 if len(codes) else 1) + codes
    _, first = np.unique(pair, return_index=True)
    keep = rows[np.sort(first)]              # each session's distinct agents, in row order
    sess, names = session[keep], m["sender"].to_numpy()[keep]
    out = np.full(n_sessions, "", dtype=object)
    out[sess] = names                        # one agent: the name itself (the last write wins below)
    many = np.flatnonzero(np.bincount(sess, minlength=n_sessions) > 1)
    if len(many):
        # the few sessions more than one agent wrote in: join in Python
        sel = np.isin(sess, many)
        joined: dict = {}
        for s, name in zip(sess[sel].tolist(), names[sel].tolist()):
            joined.setdefault(s, []).append(name)
        out[list(joined)] = ["|".join(v) for v in joined.values()]
    return out


def _sessions(m: pd.DataFrame, session: np.ndarray, first: np.ndarray, is_buyer: np.ndarray,
              is_agent: np.ndarray, w: pd.DataFrame, w_session: np.ndarray, skipped: np.ndarray) -> pd.DataFrame:
    # rows are sorted by session and time: first/last rows and run lengths give the session's fields
    n_sessions = len(first)
    last = np.r_[first[1:], len(m)] - 1
    ts = m["ts"].to_numpy()
    base = pd.DataFrame({
        "session_id": m["session_id"].iloc[first].reset_index(drop=True),
        "shop": _firsts(m["shop"], np.arange(len(m)), session, first),
        "conversation_id": _firsts(m["conversation_id"], np.arange(len(m)), session, first),
        "buyer": _firsts(m["buyer"], np.arange(len(m)), session, first),
        "start": ts[first], "end": ts[last], "messages": last - first + 1,
        "buyer_messages": np.add.reduceat(is_buyer.astype(np.int64), first),
        "agent_messages": np.add.reduceat(is_agent.astype(np.int64), first),
        "acknowledged": skipped,
    })
    # the dtype a groupby join gives: text, or plain objects when nobody wrote (no string was joined)
    base["agents"] = pd.Series(_agent_names(m, session, is_agent, n_sessions), dtype="str" if is_agent.any() else object)
    if w.empty:
        stats = pd.DataFrame(index=base.index)
    else:
        w = w.assign(_open=(~w["answered"]).astype(int), _slow=w["slow"].astype(int), _warn=w["warn"].astype(int))
        # integer session keys: grouping hashes a number per wait, not a string
        g = w.groupby(w_session, sort=False)
        w_first = _run_starts(w_session)     # waits are in session and wait_no order
        rate = w[w["in_rate_window"]].groupby(w_session[w["in_rate_window"].to_numpy()], sort=False)
        stats = pd.DataFrame({
            "first_response_s": pd.Series(w["wait_s"].to_numpy()[w_first], index=w_session[w_first]),
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
    for col in ("buyer_messages", "agent_messages", "acknowledged"):
        out[col] = out[col].astype(int)
    for col in ("waits", "slow_waits", "warn_waits", "unanswered", "rate_waits"):
        out[col] = out.get(col, pd.Series(0, index=out.index)).fillna(0).astype(int)
    for col in ("first_response_s", "mean_response_s", "max_response_s", "within_3min_rate"):
        out[col] = out.get(col, pd.Series(np.nan, index=out.index)).astype(float)
    return out[SESSION_COLUMNS]


def _first_waits(w: pd.DataFrame) -> pd.DataFrame:
    """Each session's first wait (lowest wait_no), keyed by integer session codes, not strings."""
    if w.empty:
        return w
    codes, _ = pd.factorize(w["session_id"])
    order = np.lexsort((w["wait_no"].to_numpy(), codes))
    firsts = order[_run_starts(codes[order])]
    return w.iloc[np.sort(firsts)]


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
    m = latency.messages
    if m.empty:
        return pd.DataFrame(columns=[*by, "咨询人数", "接待人数", "未回复人数", "平均响应时长", "首次响应时长",
                                     "3分钟人工响应率", "慢响应人数", "答问比"])
    # only the columns used: filtering the whole messages frame copies every column of every row kept
    w = latency.waits[["shop", "agent", "buyer", "session_id", "wait_no", "answered", "slow", "in_rate_window",
                       "wait_s"]].copy()
    w["_fast"] = w["answered"] & ~w["slow"]
    first_waits = _first_waits(w)
    role = m["role"].to_numpy()
    is_buyer, is_agent = role == "buyer", role == "agent"
    if by == ["shop"]:
        buyers_asked = m.loc[is_buyer, ["shop", "buyer"]].groupby("shop")["buyer"].nunique()
        buyers_served = w[w["answered"]].groupby("shop")["buyer"].nunique()
        rate_w = w[w["in_rate_window"]]
        out = pd.DataFrame({
            "咨询人数": buyers_asked,
            "接待人数": buyers_served,
            "平均响应时长": w[w["answered"]].groupby("shop")["wait_s"].mean(),
            "首次响应时长": first_waits[first_waits["answered"]].groupby("shop")["wait_s"].mean(),
            "3分钟人工响应率": rate_w.groupby("shop")["_fast"].mean(),
            "慢响应人数": w[w["slow"]].groupby("shop")["buyer"].nunique(),
            "答问比": pd.Series(is_agent).groupby(m["shop"].to_numpy()).sum()
                     / pd.Series(is_buyer).groupby(m["shop"].to_numpy()).sum().replace(0, np.nan),
        })
        out.index.name = "shop"
        out[["咨询人数", "接待人数", "慢响应人数"]] = out[["咨询人数", "接待人数", "慢响应人数"]].fillna(0).astype(int)
        out["未回复人数"] = out["咨询人数"] - out["接待人数"]
        out = out.reset_index()
    elif by == ["shop", "agent"]:
        am = m.loc[is_agent, ["shop", "sender", "session_id"]].rename(columns={"sender": "agent"})
        writers = am[["shop", "agent"]].drop_duplicates().set_index(["shop", "agent"]).index
        served = w[w["answered"]].groupby(["shop", "agent"])["buyer"].nunique().reindex(writers, fill_value=0)
        # buyer messages per session: the sessions table has counted them
        counts = latency.sessions[["session_id", "buyer_messages"]].rename(columns={"buyer_messages": "b"})
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
        text = frame_to_csv(pd.DataFrame(recs, columns=LATENCY_JSON_KEYS))
        encoding = "utf-8-sig"
    else:
        raise ValueError(f"unknown format {fmt!r} (csv or jsonl)")
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_open(output, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
