"""The per-shop risk page and the fleet overview page, as self-contained HTML (inline CSS and SVG)."""

from __future__ import annotations

import math
from html import escape

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from ..detect.explain import describe
from ..detect.types import LABELS, VIOLATION_LABELS
from ..shopnight import ShopNight
from .charts import bar_chart_svg, sparkline_svg, trend_svg, wait_histogram
from .mask import mask_contacts, mask_nick, mask_sender, masked_evidence, masked_segments

LABEL_NAMES = {"diversion": "导流站外", "qr_lure": "好评返现/二维码", "negative": "消极回复", "harassment": "骚扰买家",
               "promise": "服务承诺"}
CAUSE_NAMES = {**LABEL_NAMES, "slow": "回复慢", "slow_reply": "回复慢", "unanswered": "未回复", "no_reply": "未回复",
               "broken_promise": "违背承诺", "pestering": "骚扰（按行为）"}
RULE_NAMES = {"service": "客服服务", "harassment": "骚扰买家", "diversion": "站外导流", "qr_lure": "好评返现/二维码",
              "promise": "违背承诺", "broken_promise": "违背承诺"}
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


def yuan2(value) -> str:
    """¥ with two decimals, for the workbook's text cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "¥0.00"
    return f"¥{float(value):,.2f}"


def seconds_mmss(value) -> str:
    """Seconds as 分:秒 (719.9 -> 12:00), for the workbook's text cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    total = int(round(float(value)))
    return f"{total // 60}:{total % 60:02d}"


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
    """The message with evidence spans in <mark>, every contact masked (mask.masked_segments), escaped."""
    return Markup("".join(f"<mark>{escape(piece)}</mark>" if inside else escape(piece)
                          for piece, inside in masked_segments(text, spans)))


def source_name(source) -> str:
    """`out/demo/exports/甲店.txt:12` -> `甲店.txt:12`: the export's file name and line, not our folders."""
    if source is None or (isinstance(source, float) and math.isnan(source)):
        return ""
    s = str(source).replace("\\", "/")
    return s.rsplit("/", 1)[-1]


def _short_sender(who: str, shop: str) -> str:
    """`店铺:小美` -> `小美` on the shop's own page (the shop is in the title): the name, not the prefix."""
    prefix = f"{shop}:"
    return who[len(prefix):] if who.startswith(prefix) and len(who) > len(prefix) else who


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
    # rows as dicts (to_dict: the cells iterrows gave, without a Series per row)
    for idx, row in zip(flagged.index.tolist(), flagged.to_dict("records")):
        cid, pos = pos_of[idx]
        conv = by_conv[cid]
        window = conv[max(0, pos - CONTEXT): pos + CONTEXT + 1]
        ev = masked_evidence(ShopNight.evidence_of(row), row["text"])
        context = []
        for i in window:
            is_it = labels_of[i] == idx
            spans = [(e["start"], e["end"]) for e in ev] if is_it else []
            role = cols["role"][i]
            context.append({
                "time": pd.Timestamp(cols["ts"][i]).strftime("%H:%M:%S"),
                "who": _short_sender(mask_sender(cols["sender"][i], role), sn.shop),
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
            "source": source_name(row["source"]),
            # the evidence in plain Chinese per label (违规引流 — 规则: 微信号), quoted words masked
            "rules": sorted({f"{LABEL_NAMES.get(e['label'], e['label'])} — {mask_contacts(describe(e))}" for e in ev}),
            "context": context,
        })
    return items


def _json_value(value):
    if isinstance(value, str):
        import json
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def breakdown_text(breakdown) -> str:
    """An order's yuan as the sum of its rules: '回复慢+未回复 ¥20 + 导流站外 ¥20' (each rule's fine).

    Entries are score._breakdown's; an unknown rule or cause (a newer kind) is shown by its name."""
    parts = []
    for b in _json_value(breakdown) or []:
        if not isinstance(b, dict):
            continue
        names = "+".join(CAUSE_NAMES.get(c, c) for c in b.get("causes") or []) or RULE_NAMES.get(b.get("rule"), b.get("rule", ""))
        count = int(b.get("count") or 0)
        parts.append(f"{names}{f'（{count}处）' if count > 1 else ''} {yuan(b.get('fine'))}")
    return " + ".join(parts)


def rules_rows(penalties) -> tuple[list[dict], bool | None]:
    """The rule table in force (score.penalty_table) as rows for the page; defaults when unknown."""
    table = _json_value(penalties)
    if not isinstance(table, dict):
        from ..config import load_config
        from ..score import penalty_table
        table = penalty_table(load_config().base["penalties"])
    rows = []
    for r in table.get("rules", []):
        amounts = r.get("yuan", {})
        distinct = sorted(set(amounts.values()))
        if r.get("rule") == "broken_promise":      # issue 19: a share of the order's paid amount, clamped
            amount = (f"实付 × {100 * float(amounts.get('rate', 0)):g}%（{yuan(amounts.get('min'))}–"
                      f"{yuan(amounts.get('max'))}）")
        else:
            amount = (yuan(distinct[0]) if len(distinct) == 1
                      else "、".join(f"{CAUSE_NAMES.get(c, c)} {yuan(v)}" for c, v in amounts.items()))
        rows.append({"rule": RULE_NAMES.get(r.get("rule"), r.get("rule")),
                     "causes": "、".join(CAUSE_NAMES.get(c, c) for c in r.get("causes", [])),
                     "amount": amount, "basis": r.get("basis", ""), "source": r.get("source", "")})
    return rows, table.get("charge_consultations")


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
        o["breakdown_text"] = breakdown_text(o.get("breakdown"))
        o["is_consult"] = str(o.get("order_id", "")).startswith("consult:")
        order_rows.append(o)
    hist = sn.history if sn.history is not None else pd.DataFrame()
    trend = None
    if not hist.empty and len(hist) >= 2:
        # one line: the headline figure (expected and worst lie close together and hid each other)
        trend = Markup(trend_svg(list(hist["night"]), {
            "预计罚款": list(hist["exposure_expected_yuan"].fillna(0)),
        }, title="近14晚预计罚款趋势"))
    delta = None
    if prev:
        delta = float(s["exposure_expected_yuan"]) - float(prev.get("exposure_expected_yuan") or 0)
    rules, consult = rules_rows(s.get("penalties"))
    return {
        "rules": rules,
        "charge_consultations": consult,
        "certain": s.get("exposure_certain_yuan"),
        "acks": s.get("acknowledgements_excluded"),
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
        # report-nights: the night's failures, in red at the top of the page
        "failures": sn.failures or {},
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


def render_overview_html(ctx: dict) -> str:
    """A night's overview (monitor.report.nights.overview builds ctx from the history)."""
    from .names import href

    rows = sorted(ctx["rows"], key=lambda r: (-float(r["exposure_expected_yuan"]), r["shop"]))
    base = ctx.get("base", "")
    fleet_nights = ctx.get("fleet_nights", [])
    for r in rows:
        r["href"] = base + href(r["dir"], "report.html")
        r["spark"] = Markup(sparkline_svg(r.get("fleet", []), fleet_nights, label=f"{r['shop']} 近{len(fleet_nights)}晚"))
    agents = [{**a, "href": base + href(a["dir"], "report.html")} for a in ctx.get("agents", [])]
    totals = {
        "expected": sum(float(r["exposure_expected_yuan"]) for r in rows),
        "worst": sum(float(r["exposure_worst_yuan"]) for r in rows),
        "flagged": sum(sum(r["flagged"].values()) for r in rows),
    }
    totals["certain"] = sum(float(r.get("exposure_certain_yuan") or 0) for r in rows)
    totals["acks"] = sum(int(r.get("acknowledgements_excluded") or 0) for r in rows)
    # the rule table: the first shop's; a note when shops differ (each shop page shows its own)
    tables = [json_rules for json_rules in (_json_value(r.get("penalties")) for r in rows) if isinstance(json_rules, dict)]
    rules, consult = rules_rows(tables[0] if tables else None)
    rules_differ = any(t != tables[0] for t in tables[1:])
    trend = None
    if len(fleet_nights) >= 2:
        trend = Markup(trend_svg(list(fleet_nights), {"全部店铺预计罚款": list(ctx.get("fleet_totals", []))},
                                 height=160, title=f"近{len(fleet_nights)}晚全部店铺预计罚款"))
    all_nights = list(ctx.get("nights", []))
    link = {n: ctx.get("nights_base", "") + href(n, "index.html") for n in all_nights}
    at = all_nights.index(ctx["night"]) if ctx["night"] in all_nights else None
    nav = {
        # the landing page lists the latest nights; a night's page links its neighbours and the landing
        "landing": ctx.get("landing", False),
        "recent": [{"night": n, "href": link[n], "current": n == ctx["night"]} for n in reversed(all_nights[-31:])],
        "prev": ({"night": all_nights[at - 1], "href": link[all_nights[at - 1]]} if at else None),
        "next": ({"night": all_nights[at + 1], "href": link[all_nights[at + 1]]}
                 if at is not None and at + 1 < len(all_nights) else None),
        "home": "../index.html",
    }
    return _env.get_template("index.html.j2").render(
        rows=rows, night=ctx["night"], totals=totals, label_names=LABEL_NAMES, labels=VIOLATION_LABELS,
        failures=ctx.get("failures") or {}, night_note=ctx.get("night_note", ""), agents=agents,
        fleet_trend=trend, fleet_count=len(fleet_nights), nav=nav,
        rules=rules, charge_consultations=consult, rules_differ=rules_differ)


def render_index_html(rows: list[dict], night: str) -> str:
    """An overview of these shops alone (no history): the nightly overview is render_overview_html."""
    return render_overview_html({"night": night, "rows": rows, "base": "", "nights": [night], "landing": True})
