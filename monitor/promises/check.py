"""Seller promises found in a night's chats, checked against the orders export: kept, broken or open.

A promise is a message of a human agent (role `agent`) that the classifier labels `promise`, unless
its wording is policy or a hedge (NOT_A_COMMITMENT: 一般, 尽量, 可能, 下单后, 16点前下单, a question). Its
kind comes from its words (kinds.py), its deadline from its time (deadline.py), its order from the
session's link (monitor/orders.link_orders). Then, per kind, only with evidence:

    发货    kept when 发货时间 ≤ deadline, or the order shows shipped in an export made before the
            deadline; broken when 发货时间 > deadline, or the export, made after the deadline, still
            shows the order waiting to ship (等待卖家发货 …)
    到货    kept when 确认收货时间 ≤ deadline (the export records the buyer's confirmation, not the
            delivery: an unconfirmed order proves nothing, so it is never broken by the data)
    退款    kept when 退款状态 says done (退款成功 …) or 退款金额 > 0; broken when the export, made after
            the deadline, shows the refund still waiting on the seller (等待卖家同意 …) or 退款金额 0
    any     broken when a later seller message in the same conversation admits it (抱歉还没发, 今天发不了了
            …), said after the deadline or saying the deadline cannot be met
Everything else is open, with the reason: not yet due, no deadline stated, the session not linked to an
order in the export, the order closed, or no column that settles the kind (补发, 换货, 赠品, 发票, 回复, 价保
are never in the order report). The export's time is not in the file: it is taken as its latest
timestamp (an export cannot be older than the newest time it holds), so a status proves something
after a deadline only when the export holds a later time.

A broken promise is fined per the shop's [penalties]: broken_promise_rate × the order's paid amount,
clamped to [broken_promise_min_yuan, broken_promise_max_yuan] (Taobao's 违背承诺 rule, 2024: 5%, at
least 5 and at most 30 yuan), once per order and promise kind; an order without a paid amount is
fined the minimum, and the reason says so.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..config import Config
from .deadline import Workdays, find_deadline
from .kinds import promise_kind

PROMISE_COLUMNS = ["shop", "session_id", "conversation_id", "buyer", "agent", "ts", "text", "source", "p",
                   "kind", "deadline", "deadline_phrase", "order_id", "amount", "state", "reason", "evidence",
                   "fine", "fined"]
KEPT, BROKEN, OPEN = "kept", "broken", "open"
STATE_NAMES = {KEPT: "已兑现", BROKEN: "未兑现", OPEN: "待定"}

# 订单状态 values (Taobao's wording and common variants)
_CLOSED = re.compile(r"关闭|取消|已退款|全额退款")
_NOT_SHIPPED = re.compile(r"等待卖家发货|待发货|买家已付款|已付款|未发货")
_SHIPPED = re.compile(r"已发货|等待买家确认|待收货|待确认收货|交易成功|已完成|已签收|已收货|运输中")
# 退款状态 values
_REFUND_DONE = re.compile(r"退款成功|已退款|退款完成|成功")
_REFUND_WAITING = re.compile(r"等待卖家|待卖家|卖家拒绝|拒绝退款|等待商家|待商家|处理中|退款中")
# a later seller message admitting the promise was not kept
_ADMIT = re.compile(r"还没(?:有)?(?:发|寄|退|补|开|处理|回复|安排|给您)|没来得及|发不了|发不出|寄不出|来不及|赶不上|"
                    r"没能按时|没按时|忘了(?:发|寄|退|补|开)|延迟发货|晚发|耽误了|还在排队")
_CANNOT = re.compile(r"发不了|发不出|寄不出|来不及|赶不上|没能按时")
_ADMIT_VERB = {"发货": "发|寄|出库|安排|排队", "补发": "发|寄|补|安排", "换货": "发|寄|换|安排", "赠品": "发|寄|补",
               "到货": "发|寄|到", "退款": "退|处理", "价保": "退|处理", "发票": "开|处理", "回复": "回复|回电|联系|处理"}


# Wording that makes a message policy or a hedge rather than a commitment, kept out even when the
# classifier says `promise` (its hard negatives, as a rule: 一般48小时内发货, 16点前下单当天发, 尽量今天发,
# 可能明天发, 明天发可以吗？)
NOT_A_COMMITMENT = re.compile(r"一般|通常|正常情况|尽量|可能|争取|大概|估计|预计|左右|不一定|不敢保证|保证不了|"
                              r"下单后|付款后|拍下|前下单|前付款|现在下单|下单的|付款的|[吗么嘛]\s*[？?]?\s*$|[？?]\s*$")


def workdays_of(config: Config, shop: str) -> Workdays:
    return Workdays.from_config(config.for_shop(shop).promises)


def find_promises(messages: pd.DataFrame, config: Config) -> pd.DataFrame:
    """One row per agent message labelled `promise`, with its kind and deadline (no order yet)."""
    cols = ["shop", "session_id", "conversation_id", "buyer", "agent", "ts", "text", "source", "p", "kind",
            "deadline", "deadline_phrase"]
    if messages.empty or "labels" not in messages:
        return pd.DataFrame(columns=cols)
    labels = messages["labels"].astype(str)
    hit = labels.str.contains("promise", regex=False).to_numpy() & (messages["role"] == "agent").to_numpy()
    m = messages[hit]
    if m.empty:
        return pd.DataFrame(columns=cols)
    m = m[m["labels"].astype(str).str.split("|").map(lambda ls: "promise" in ls)]
    m = m[~m["text"].astype(str).str.contains(NOT_A_COMMITMENT)]
    rows = []
    wd = {s: workdays_of(config, s) for s in m["shop"].unique()}
    p = m["p_promise"] if "p_promise" in m else pd.Series(np.nan, index=m.index)
    for shop, sid, conv, buyer, agent, ts, text, source, prob in zip(
            m["shop"], m.get("session_id", pd.Series(None, index=m.index)), m["conversation_id"], m["buyer"],
            m["sender"], m["ts"], m["text"], m["source"], p):
        dl = find_deadline(str(text), pd.Timestamp(ts).to_pydatetime(), wd[shop]) if not pd.isna(ts) else None
        rows.append({"shop": shop, "session_id": sid, "conversation_id": conv, "buyer": buyer, "agent": agent,
                     "ts": ts, "text": text, "source": source,
                     "p": 1.0 if pd.isna(prob) else float(prob), "kind": promise_kind(str(text)),
                     "deadline": pd.Timestamp(dl.due) if dl else pd.NaT, "deadline_phrase": dl.phrase if dl else None})
    out = pd.DataFrame(rows, columns=cols)
    out["deadline"] = pd.to_datetime(out["deadline"]).astype("datetime64[s]")
    return out


def fine_for(amount: float, penalties: dict) -> tuple[float, str]:
    """(yuan, how it was computed) for one broken promise on an order of `amount` yuan paid."""
    rate = float(penalties["broken_promise_rate"])
    lo, hi = float(penalties["broken_promise_min_yuan"]), float(penalties["broken_promise_max_yuan"])
    if amount is None or pd.isna(amount):
        return lo, f"订单无实付金额，按下限 {lo:g} 元"
    raw = rate * float(amount)
    fine = min(max(raw, lo), hi)
    how = f"实付 {float(amount):g} 元 × {rate:g} = {raw:g} 元"
    if fine != raw:
        how += f"，按{'下限' if fine == lo else '上限'} {fine:g} 元"
    return round(fine, 2), how


def _as_of(orders: pd.DataFrame | None):
    """The earliest time the orders export can have been made: its latest timestamp."""
    if orders is None or orders.empty:
        return pd.NaT
    times = [orders[c].max() for c in ("created", "shipped", "confirmed") if c in orders]
    times = [t for t in times if not pd.isna(t)]
    return max(times) if times else pd.NaT


def _text(value) -> str:
    """A cell as text; '' for an empty one (None or NaN)."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


def _fmt(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M")


def _admission(promise, later: pd.DataFrame):
    """The first later seller message of the conversation that admits this promise was not kept."""
    if later is None or later.empty:
        return None
    verbs = _ADMIT_VERB.get(promise["kind"])
    if verbs is None:
        return None          # a promise of no known kind: an admission cannot be matched to it
    for ts, text, source in zip(later["ts"], later["text"], later["source"]):
        if ts <= promise["ts"]:
            continue
        t = str(text)
        m = _ADMIT.search(t)
        if not m:
            continue
        if not re.search(verbs, m.group(0)) and not _CANNOT.search(t) and "耽误" not in m.group(0):
            continue
        late = not pd.isna(promise["deadline"]) and ts > promise["deadline"]
        if late or _CANNOT.search(t):
            return f"{_fmt(ts)} 客服承认：「{t[:60]}」（{source}）"
    return None


def _judge(promise, order, has: set, as_of) -> tuple[str, str, str | None]:
    """(state, reason, evidence) of one promise from its order row (None: not in the export)."""
    kind, due = promise["kind"], promise["deadline"]
    if pd.isna(due):
        return OPEN, "承诺未说明可核对的期限（如“马上”“尽快”）", None
    if order is None:
        oid = str(promise.get("order_id") or "")
        why = "会话未关联到订单" if oid.startswith("consult:") or not oid else "订单不在订单导出中"
        return OPEN, why + "，无法核对", None
    status = _text(order.get("status"))
    if _CLOSED.search(status) and kind not in ("退款", "价保"):
        return OPEN, f"订单状态为「{status}」，承诺不再适用", None
    after_due = not pd.isna(as_of) and as_of > due
    before_due = not pd.isna(as_of) and as_of <= due
    if kind == "发货":
        shipped = order.get("shipped") if "shipped" in has else None
        if shipped is not None and not pd.isna(shipped):
            if shipped <= due:
                return KEPT, f"发货时间 {_fmt(shipped)} 不晚于期限 {_fmt(due)}", f"发货时间 {_fmt(shipped)}"
            return BROKEN, f"发货时间 {_fmt(shipped)} 晚于期限 {_fmt(due)}", f"发货时间 {_fmt(shipped)}"
        if _NOT_SHIPPED.search(status):
            if after_due:
                return (BROKEN, f"期限 {_fmt(due)} 已过，订单导出（不早于 {_fmt(as_of)}）仍为「{status}」",
                        f"订单状态「{status}」")
            return OPEN, f"未到期（期限 {_fmt(due)}），订单仍为「{status}」", None
        if _SHIPPED.search(status):
            if before_due:
                return KEPT, f"期限 {_fmt(due)} 前的订单导出已显示「{status}」", f"订单状态「{status}」"
            return OPEN, f"订单已发货（「{status}」），但导出没有发货时间，无法核对是否按时", None
        return OPEN, "订单导出没有可核对发货的订单状态或发货时间", None
    if kind == "到货":
        confirmed = order.get("confirmed") if "confirmed" in has else None
        if confirmed is not None and not pd.isna(confirmed) and confirmed <= due:
            return KEPT, f"确认收货时间 {_fmt(confirmed)} 不晚于期限 {_fmt(due)}", f"确认收货时间 {_fmt(confirmed)}"
        return OPEN, "订单导出只记录买家确认收货，不记录签收，无法证明未按时送达", None
    if kind in ("退款",):
        if "refund_status" not in has and "refund_amount" not in has:
            return OPEN, "订单导出没有退款金额/退款状态列，无法核对退款", None
        rstatus = _text(order.get("refund_status")) if "refund_status" in has else ""
        ramount = order.get("refund_amount") if "refund_amount" in has else np.nan
        if _REFUND_DONE.search(rstatus) or (not pd.isna(ramount) and float(ramount) > 0):
            what = f"退款状态「{rstatus}」" if _REFUND_DONE.search(rstatus) else f"退款金额 {float(ramount):g} 元"
            return KEPT, f"订单导出显示{what}", what
        if after_due and _REFUND_WAITING.search(rstatus):
            return (BROKEN, f"期限 {_fmt(due)} 已过，订单导出（不早于 {_fmt(as_of)}）退款状态仍为「{rstatus}」",
                    f"退款状态「{rstatus}」")
        if after_due and "refund_amount" in has and not pd.isna(ramount) and float(ramount) == 0 and not rstatus:
            return (BROKEN, f"期限 {_fmt(due)} 已过，订单导出（不早于 {_fmt(as_of)}）退款金额仍为 0",
                    "退款金额 0")
        if not after_due:
            return OPEN, f"未到期（期限 {_fmt(due)}）或导出早于期限", None
        return OPEN, f"退款状态「{rstatus or '空'}」不能说明卖家未退款", None
    return OPEN, f"订单导出没有能核对「{kind}」的列", None


def check_promises(promises: pd.DataFrame, links: pd.DataFrame, orders: pd.DataFrame | None,
                   messages: pd.DataFrame, config: Config) -> pd.DataFrame:
    """PROMISE_COLUMNS: every promise with its order, state, reason, evidence and fine.

    promises: find_promises(); links: link_orders() (session_id -> order_id); orders: read_orders();
    messages: the same night's messages (for later admissions in the conversation).
    """
    if promises.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PROMISE_COLUMNS})
    out = promises.copy()
    out["order_id"] = out["session_id"].map(links.drop_duplicates("session_id").set_index("session_id")["order_id"]) \
        if not links.empty else None
    has = set(orders.columns) if orders is not None else set()
    by_id = orders.drop_duplicates("order_id").set_index("order_id") if orders is not None and not orders.empty \
        else pd.DataFrame()
    as_of = _as_of(orders)
    seller = messages[messages["role"].isin(("agent", "auto"))] if not messages.empty else messages
    later_by_conv = {c: g for c, g in seller[seller["conversation_id"].isin(set(out["conversation_id"]))]
                     .groupby("conversation_id")} if not seller.empty else {}
    states, reasons, evidence, amounts = [], [], [], []
    for _, pr in out.iterrows():
        oid = pr["order_id"]
        order = by_id.loc[oid].to_dict() if isinstance(oid, str) and oid in by_id.index else None
        admitted = _admission(pr, later_by_conv.get(pr["conversation_id"]))
        if admitted:          # said after the deadline, or saying it cannot be met (_admission)
            state, reason, ev = BROKEN, "后续消息承认未兑现", admitted
        else:
            state, reason, ev = _judge(pr, order, has, as_of)
        states.append(state)
        reasons.append(reason)
        evidence.append(ev)
        amounts.append(float(order["amount"]) if order is not None and not pd.isna(order.get("amount")) else np.nan)
    out["state"], out["reason"], out["evidence"], out["amount"] = states, reasons, evidence, amounts
    # fined once per order and kind: the first broken promise of each (order, kind) carries the fine
    out["fine"] = 0.0
    out["fined"] = False
    # a consultation has no order, so no paid amount to fine: its broken promises are shown, not fined
    linked = out["order_id"].notna() & ~out["order_id"].astype(str).str.startswith("consult:")
    for i in out.index[(out["state"] == BROKEN) & ~linked]:
        out.at[i, "reason"] = f"{out.at[i, 'reason']}；会话未关联订单，不计罚"
    broken = out[(out["state"] == BROKEN) & linked].sort_values("ts", kind="stable")
    first = broken.drop_duplicates(["shop", "order_id", "kind"]).index
    for i in first:
        fine, how = fine_for(out.at[i, "amount"], config.for_shop(out.at[i, "shop"]).penalties)
        out.at[i, "fine"] = fine
        out.at[i, "fined"] = True
        out.at[i, "reason"] = f"{out.at[i, 'reason']}；罚 {fine:g} 元（{how}）"
    for i in broken.index.difference(first):
        out.at[i, "reason"] = f"{out.at[i, 'reason']}；同一订单同类承诺已计罚一次"
    return out[PROMISE_COLUMNS].reset_index(drop=True)


def due_soon(promises: pd.DataFrame, now, hours: float = 24.0) -> pd.DataFrame:
    """Open promises whose deadline falls in (now, now + hours]: the morning's list, earliest first."""
    if promises is None or promises.empty or pd.isna(now):
        return promises.iloc[0:0] if promises is not None else pd.DataFrame(columns=PROMISE_COLUMNS)
    d = pd.to_datetime(promises["deadline"])
    keep = (promises["state"] == OPEN) & (d > now) & (d <= now + pd.Timedelta(hours=hours))
    return promises[keep].sort_values("deadline")
