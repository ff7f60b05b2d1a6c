"""The per-shop risk page and the fleet overview page, as self-contained HTML (inline CSS and SVG)."""

from __future__ import annotations

import math
from html import escape

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from ..detect.types import LABELS, VIOLATION_LABELS
from ..shopnight import ShopNight
from .charts import bar_chart_svg, trend_svg, wait_histogram
from .mask import has_contact_cue, mask_contacts, mask_nick, mask_sender

LABEL_NAMES = {"diversion": "导流站外", "qr_lure": "好评返现/二维码", "negative": "消极回复", "harassment": "骚扰买家",
               "promise": "服务承诺"}
CAUSE_NAMES = {**LABEL_NAMES, "slow": "回复慢", "slow_reply": "回复慢", "unanswered": "未回复", "no_reply": "未回复",
               "broken_promise": "违背承诺", "pestering": "骚扰（按行为）"}
ROLE_NAMES = {"buyer": "买家", "agent": "客服", "auto": "自动回复", "system": "系统"}
EVIDENCE_LIMIT = 60      # flagged messages shown with context; the xlsx and flagged.csv hold all of them
ORDER_LIMIT = 20
CONTEXT = 2              # messages shown before and after each flagged one

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("monitor.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True, lstrip_blocks=True,
)


def yuan(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "¥0"
    return f"¥{float(value):,.0f}" if abs(float(value)) >= 100 else f"¥{float(value):,.1f}".replace(".0", "")


def pct(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{100 * float(value):.1f}%"


def seconds(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v = float(value)
    return f"{v:.0f}秒" if v < 120 else f"{v / 60:.1f}分"


_env.filters.update(yuan=yuan, pct=pct, seconds=seconds, mask_nick=mask_nick, mask_contacts=mask_contacts)


def highlighted(text: str, spans: list[tuple[int, int]]) -> Markup:
    """The message with evidence spans in <mark>, every segment masked separately and escaped."""
    text = "" if text is None else str(text)
    spans = sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s)
    cue = has_contact_cue(text)
    out, pos = [], 0
    for s, e in spans:
        if s < pos:          # overlapping spans: extend the previous mark instead of nesting
            s = pos
        if e <= s:
            continue
        out.append(escape(mask_contacts(text[pos:s], cue)))
        out.append(f"<mark>{escape(mask_contacts(text[s:e], cue))}</mark>")
        pos = e
    out.append(escape(mask_contacts(text[pos:], cue)))
    return Markup("".join(out))


def _evidence_items(sn: ShopNight) -> list[dict]:
    flagged = sn.flagged().head(EVIDENCE_LIMIT)
    if flagged.empty:
        return []
    # context is needed only for the conversations that hold shown evidence
    msgs = sn.messages[sn.messages["conversation_id"].isin(set(flagged["conversation_id"]))]
    msgs = msgs.sort_values(["conversation_id", "ts"], kind="stable")
    # plain lists, not pandas rows: a few thousand context lines per shop
    cols = {c: msgs[c].tolist() for c in ("conversation_id", "ts", "sender", "role", "text")}
    by_conv: dict = {}
    pos_of: dict = {}
    for i, (label, cid) in enumerate(zip(msgs.index.tolist(), cols["conversation_id"])):
        conv = by_conv.setdefault(cid, [])
        pos_of[label] = (cid, len(conv))
        conv.append(i)
    labels_of = msgs.index.tolist()
    items = []
    for idx, row in flagged.iterrows():
        cid, pos = pos_of[idx]
        conv = by_conv[cid]
        window = conv[max(0, pos - CONTEXT): pos + CONTEXT + 1]
        ev = ShopNight.evidence_of(row)
        context = []
        for i in window:
            is_it = labels_of[i] == idx
            spans = [(e["start"], e["end"]) for e in ev] if is_it else []
            role = cols["role"][i]
            context.append({
                "time": pd.Timestamp(cols["ts"][i]).strftime("%H:%M:%S"),
                "who": mask_sender(cols["sender"][i], role),
                "role": ROLE_NAMES.get(role, role),
                "role_key": role,
                "html": highlighted(cols["text"][i], spans),
                "flagged": is_it,
            })
        labels = [lab for lab in str(row["labels"]).split("|") if lab]
        items.append({
            "labels": [LABEL_NAMES.get(lab, lab) for lab in labels],
            "scores": {LABEL_NAMES.get(lab, lab): row.get(f"p_{lab}") for lab in labels},
            "agent": row["sender"],
            "buyer": mask_nick(row["buyer"]),
            "time": pd.Timestamp(row["ts"]).strftime("%m-%d %H:%M:%S"),
            "source": row["source"],
            "rules": sorted({f"{LABEL_NAMES.get(e['label'], e['label'])}: {e['rule']}" for e in ev}),
            "context": context,
        })
    return items


def _records(df: pd.DataFrame) -> list[dict]:
    if df is None or df.empty:
        return []
    return df.replace({np.nan: None}).to_dict("records")


def _reasons_text(reasons) -> str:
    if isinstance(reasons, str):
        import json
        try:
            reasons = json.loads(reasons)
        except ValueError:
            return reasons
    parts = []
    for r in reasons or []:
        if not isinstance(r, dict):
            parts.append(str(r))
            continue
        cause = CAUSE_NAMES.get(r.get("cause"), r.get("cause", ""))
        if r.get("detail"):          # issue 19: a broken promise's or a pestering case's reason
            parts.append(f"{cause}：{mask_contacts(str(r['detail']))[:120]}")
        elif r.get("wait_s") is not None:
            parts.append(f"{cause} {seconds(r['wait_s'])}")
        elif r.get("text"):
            parts.append(f"{cause}「{mask_contacts(str(r['text']))[:40]}」")
        else:
            parts.append(str(cause))
    return "；".join(parts)


def shop_context(sn: ShopNight) -> dict:
    s = sn.summary
    prev = sn.previous
    waits = sn.waits
    wait_s = waits["wait_s"].tolist() if not waits.empty and "wait_s" in waits else []
    unanswered = int((~waits["answered"].astype(bool)).sum()) if not waits.empty and "answered" in waits else 0
    shop_metrics = sn.metrics[sn.metrics["agent"] == "(全店)"] if not sn.metrics.empty else sn.metrics
    rate = shop_metrics["3分钟人工响应率"].iloc[0] if not shop_metrics.empty and "3分钟人工响应率" in shop_metrics else None
    agents = sn.agents.sort_values("expected_yuan", ascending=False) if not sn.agents.empty else sn.agents
    per_agent_metrics = sn.metrics[sn.metrics["agent"] != "(全店)"] if not sn.metrics.empty else sn.metrics
    if not agents.empty and not per_agent_metrics.empty:
        agents = agents.merge(per_agent_metrics.drop(columns=["shop"], errors="ignore").drop(columns=["night"], errors="ignore"),
                              on="agent", how="left")
    orders = sn.orders.sort_values(["expected_yuan", "worst_yuan"], ascending=False) if not sn.orders.empty else sn.orders
    order_rows = []
    for o in _records(orders.head(ORDER_LIMIT)):
        o["buyer_masked"] = mask_nick(o.get("buyer"))
        o["reasons_text"] = _reasons_text(o.get("reasons"))
        o["is_consult"] = str(o.get("order_id", "")).startswith("consult:")
        order_rows.append(o)
    hist = sn.history if sn.history is not None else pd.DataFrame()
    trend = None
    if not hist.empty and len(hist) >= 2:
        trend = Markup(trend_svg(list(hist["night"]), {
            "预计罚款": list(hist["exposure_expected_yuan"].fillna(0)),
            "最坏情况": list(hist["exposure_worst_yuan"].fillna(0)),
        }, title="近14晚罚款风险趋势"))
    delta = None
    if prev:
        delta = float(s["exposure_expected_yuan"]) - float(prev.get("exposure_expected_yuan") or 0)
    return {
        "shop": sn.shop,
        "night": sn.night,
        "s": s,
        "prev": prev,
        "delta": delta,
        "labels": [(lab, LABEL_NAMES.get(lab, lab), n) for lab, n in s["flagged"].items()],
        "rate": rate,
        "hist_svg": Markup(bar_chart_svg(wait_histogram(wait_s, unanswered), title="等待时长分布")),
        "waits_total": len(wait_s),
        "trend_svg": trend,
        "agents": _records(agents),
        "orders": order_rows,
        "orders_total": len(orders),
        "evidence": _evidence_items(sn),
        "flagged_total": len(sn.flagged()),
        "label_names": LABEL_NAMES,
        **promise_context(sn),
    }


# ---- issue 19: promises due soon, broken promises and pestering cases on the shop page ----
PROMISE_LIMIT = 50


def _now_of(sn: ShopNight):
    """The night's "now": its latest message (a re-rendered old night keeps its own list)."""
    if sn.messages is None or sn.messages.empty or "ts" not in sn.messages:
        return pd.NaT
    return pd.to_datetime(sn.messages["ts"]).max()


def _promise_rows(df: pd.DataFrame) -> list[dict]:
    rows = []
    for p in _records(df.head(PROMISE_LIMIT)):
        oid = str(p.get("order_id") or "")
        rows.append({
            "order": "咨询（无订单）" if oid.startswith("consult:") or not oid else oid,
            "agent": p.get("agent") or "", "buyer": mask_nick(p.get("buyer")),
            "time": pd.Timestamp(p["ts"]).strftime("%m-%d %H:%M") if p.get("ts") is not None else "",
            "deadline": pd.Timestamp(p["deadline"]).strftime("%m-%d %H:%M") if p.get("deadline") is not None
            and not pd.isna(p.get("deadline")) else "未说明",
            "kind": p.get("kind") or "", "text": mask_contacts(str(p.get("text") or "")),
            "reason": mask_contacts(str(p.get("reason") or "")), "fine": p.get("fine") or 0.0,
            "evidence": mask_contacts(str(p.get("evidence") or "")), "source": p.get("source") or "",
        })
    return rows


def promise_context(sn: ShopNight) -> dict:
    from ..promises.check import BROKEN, due_soon

    promises = sn.promises if sn.promises is not None else pd.DataFrame()
    out = {"promise_counts": sn.summary.get("promises", {"kept": 0, "broken": 0, "open": 0}),
           "promises_due": [], "promises_broken": [], "pestering": [], "due_hours": 24}
    if not promises.empty:
        promises = promises.copy()
        for c in ("ts", "deadline"):
            promises[c] = pd.to_datetime(promises[c])
        out["promises_due"] = _promise_rows(due_soon(promises, _now_of(sn), out["due_hours"]))
        out["promises_broken"] = _promise_rows(promises[promises["state"] == BROKEN].sort_values("ts"))
    cases = sn.pestering if sn.pestering is not None else pd.DataFrame()
    if not cases.empty:
        import json
        from ..pestering import PATTERN_NAMES
        for c in _records(cases.sort_values("ts")):
            msgs = c.get("messages")
            if isinstance(msgs, str):
                try:
                    msgs = json.loads(msgs)
                except ValueError:
                    msgs = [msgs]
            out["pestering"].append({
                "pattern": PATTERN_NAMES.get(c.get("pattern"), c.get("pattern")), "agent": c.get("agent") or "",
                "buyer": mask_nick(c.get("buyer")), "reason": c.get("reason") or "", "source": c.get("source") or "",
                "messages": [mask_contacts(str(m)) for m in (msgs or [])]})
    return out
# ---- end issue 19 ----


def render_shop_html(sn: ShopNight) -> str:
    return _env.get_template("shop.html.j2").render(**shop_context(sn))


def render_index_html(rows: list[dict], night: str) -> str:
    rows = sorted(rows, key=lambda r: (-float(r["exposure_expected_yuan"]), r["shop"]))
    totals = {
        "expected": sum(float(r["exposure_expected_yuan"]) for r in rows),
        "worst": sum(float(r["exposure_worst_yuan"]) for r in rows),
        "flagged": sum(sum(r["flagged"].values()) for r in rows),
    }
    return _env.get_template("index.html.j2").render(rows=rows, night=night, totals=totals,
                                                     label_names=LABEL_NAMES, labels=VIOLATION_LABELS)
