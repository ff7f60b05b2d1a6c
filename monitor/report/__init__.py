"""Reports: per-shop HTML + xlsx + flagged.csv, and the fleet overview page.

Every file is written atomically; buyers' nicks and contacts are masked in all of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..atomic import atomic_open, write_text
from ..csv_safety import frame_to_csv
from ..xlsx import write_sheets
from ..detect.explain import reason
from ..detect.types import LABELS
from ..errors import ChatmonError
from ..shopnight import ShopNight
from ..score import CAUSE_ORDER
from .html import CAUSE_NAMES, LABEL_NAMES, render_index_html, render_shop_html, source_name
from .mask import mask_contacts, mask_nick, mask_sender, masked_evidence

from .names import shop_dir_name
from .nights import night_dir

__all__ = ["render_shop", "render_index", "render_from_db", "shop_dir_name", "shop_folder"]


def shop_folder(out_dir: Path, night: str, shop: str) -> Path:
    """OUT/<night>/<shop folder>/: where a shop's reports of a night go."""
    return night_dir(out_dir, night) / shop_dir_name(shop)


def _rules_text(ev, text=None) -> str:
    # the evidence in plain Chinese (规则: 微信号；模型: "加我"), contacts masked as in the message
    evidence = masked_evidence(ShopNight.evidence_of({"evidence": ev}), text)
    return mask_contacts(reason(evidence))


def _by_distinct(series: pd.Series, fn) -> list:
    """fn applied once per distinct value (chats repeat their texts, nicks and evidence)."""
    values = series.tolist()
    cache: dict = {}
    out = []
    for v in values:
        try:
            out.append(cache[v])
        except KeyError:
            r = cache[v] = fn(v)
            out.append(r)
        except TypeError:           # unhashable cell
            out.append(fn(v))
    return out


def _labels_of(value) -> list[str]:
    return [lab for lab in str(value).split("|") if lab]


def _listed(value) -> list:
    """A list cell as stored: a list, or its JSON text when read back from the history."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return list(value) if isinstance(value, (list, tuple)) else []


def order_of_session(sn: ShopNight) -> dict:
    """{session_id: order_id} for the chats the 订单 sheet links to a real order (not a consultation)."""
    o = sn.orders
    if o is None or o.empty or "sessions" not in o:
        return {}
    out = {}
    for oid, sessions in zip(o["order_id"].tolist(), o["sessions"].tolist()):
        if isinstance(oid, str) and not oid.startswith("consult:"):
            for sid in _listed(sessions):
                out.setdefault(sid, oid)
    return out


def prob_header(lab: str) -> str:
    return f"概率_{LABEL_NAMES.get(lab, lab)}"


def flagged_table(sn: ShopNight) -> pd.DataFrame:
    """All flagged messages, masked, with Chinese headers (flagged.csv and the xlsx 消息 sheet)."""
    f = sn.flagged()
    cols = ["时间", "客服", "买家", "标签", "标签名", *[prob_header(lab) for lab in LABELS], "消息", "依据", "订单", "来源"]
    if f.empty:
        return pd.DataFrame([], columns=cols)
    data = {
        "时间": _by_distinct(f["ts"], lambda t: pd.Timestamp(t).strftime("%Y-%m-%d %H:%M:%S")),
        "客服": f["sender"].tolist(),
        "买家": _by_distinct(f["buyer"], mask_nick),
        "标签": _by_distinct(f["labels"], lambda v: "|".join(_labels_of(v))),
        "标签名": _by_distinct(f["labels"], lambda v: "、".join(LABEL_NAMES.get(lab, lab) for lab in _labels_of(v))),
    }
    for lab in LABELS:
        if f"p_{lab}" in f:
            data[prob_header(lab)] = [None if pd.isna(v) else round(float(v), 4) for v in f[f"p_{lab}"].tolist()]
        else:
            data[prob_header(lab)] = [None] * len(f)
    data["消息"] = _by_distinct(f["text"], mask_contacts)
    data["依据"] = ([_rules_text(ev, t) for ev, t in zip(f["evidence"].tolist(), f["text"].tolist())]
                  if "evidence" in f else [""] * len(f))
    # the order the message's own export names, else the one its chat is linked to (订单 sheet)
    linked = order_of_session(sn)
    own = f["order_id"].tolist() if "order_id" in f else [None] * len(f)
    sessions = f["session_id"].tolist() if "session_id" in f else [None] * len(f)
    data["订单"] = [o if isinstance(o, str) and o else linked.get(sid, "") for o, sid in zip(own, sessions)]
    data["来源"] = _by_distinct(f["source"], source_name)
    # built like the row-by-row table was (a frame from records), so dtypes and cells are the same
    return pd.DataFrame([dict(zip(cols, row)) for row in zip(*(data[c] for c in cols))], columns=cols)


def cause_names(causes) -> str:
    listed = _listed(causes) or ([causes] if isinstance(causes, str) and causes else [])
    if len(listed) > 1:
        rank = CAUSE_RANK.get
        listed = sorted(listed, key=lambda c: rank(c, len(CAUSE_ORDER)))
    return "、".join(CAUSE_NAMES.get(c, c) for c in listed)


# a cause's place in the 原因 column (score.CAUSE_ORDER; an unknown cause last): a dict lookup, not a list
# search and an import per call (a night's 订单 sheets name the causes of some 20k orders)
CAUSE_RANK = {c: CAUSE_ORDER.index(c) for c in CAUSE_ORDER}
ORDER_SHEET_COLUMNS = ["订单", "买家", "金额", "客服", "原因", "预计罚款", "确定罚款", "最多罚款", "罚款构成", "明细"]


def _orders_sheet(sn: ShopNight) -> pd.DataFrame:
    o = sn.orders.copy()
    if o.empty:
        return pd.DataFrame(columns=ORDER_SHEET_COLUMNS)
    from .html import _reasons_text, breakdown_text
    return pd.DataFrame({
        "订单": o["order_id"].map(lambda v: "咨询（无订单）" if str(v).startswith("consult:") else v),
        "买家": o["buyer"].map(mask_nick) if "buyer" in o else "",
        "金额": o["amount"] if "amount" in o else None,
        "客服": o["agents"] if "agents" in o else "",
        "原因": o["causes"].map(cause_names) if "causes" in o else "",
        "预计罚款": o["expected_yuan"].round(2),
        "确定罚款": o["certain_yuan"].astype(float).round(2) if "certain_yuan" in o else None,
        "最多罚款": o["worst_yuan"].round(2),
        "罚款构成": o["breakdown"].map(breakdown_text) if "breakdown" in o else "",
        "明细": o["reasons"].map(_reasons_text) if "reasons" in o else "",
    }, columns=ORDER_SHEET_COLUMNS).sort_values(["预计罚款", "最多罚款"], ascending=False)


def _overview_sheet(sn: ShopNight) -> pd.DataFrame:
    """项目 / 数值 as the page words them: one column of mixed kinds, so values are formatted text."""
    from .html import pct, seconds_mmss, yuan2
    s = sn.summary
    rows = [("店铺", sn.shop), ("日期", sn.night), ("消息数", s["messages"]), ("会话数", s["sessions"]),
            ("订单/咨询数", s["orders"]), ("预计罚款", yuan2(s["exposure_expected_yuan"])),
            ("可能区间：确定部分", yuan2(s.get("exposure_certain_yuan"))),
            ("可能区间：每个标记都被罚", yuan2(s["exposure_worst_yuan"])), ("回复慢的订单", s["slow_orders"]),
            ("未回复的订单", s["unanswered_orders"]),
            ("买家结束语（不需回复，未计未回复）", s.get("acknowledgements_excluded") or 0)]
    rows += [(f"标记：{LABEL_NAMES.get(lab, lab)}", n) for lab, n in s["flagged"].items()]
    # issue 19: promises by state, apart from the flags
    promises = s.get("promises", {})
    rows += [(f"服务承诺：{name}", promises.get(k, 0)) for k, name in (("kept", "已兑现"), ("broken", "未兑现"), ("open", "待定"))]
    m = sn.metrics[sn.metrics["agent"] == "(全店)"] if not sn.metrics.empty else sn.metrics
    if not m.empty:
        for col in m.columns:
            if col not in ("shop", "agent", "night"):
                v = m[col].iloc[0]
                kind = METRIC_KINDS.get(col)
                rows.append((col, seconds_mmss(v) if kind == "duration" else pct(v) if kind == "pct"
                             else (f"{float(v):.2f}" if kind == "decimal" and not pd.isna(v) else v)))
    return pd.DataFrame(rows, columns=["项目", "数值"])


# the 生意参谋 metrics' kinds (monitor.timing.platform_metrics)
METRIC_KINDS = {"咨询人数": "int", "接待人数": "int", "未回复人数": "int", "平均响应时长": "duration",
                "首次响应时长": "duration", "3分钟人工响应率": "pct", "慢响应人数": "int", "答问比": "decimal"}
AGENT_HEADERS = {"agent": "客服", "expected_yuan": "预计罚款", "worst_yuan": "最多罚款", "slow_waits": "慢回复次数",
                 "unanswered": "未回复次数", **{lab: f"{name}（条）" for lab, name in LABEL_NAMES.items()}}


def _agents_sheet(sn: ShopNight) -> pd.DataFrame:
    a = sn.agents.copy()
    m = sn.metrics[sn.metrics["agent"] != "(全店)"] if not sn.metrics.empty else sn.metrics
    if not a.empty and not m.empty:
        a = a.merge(m.drop(columns=["shop", "night"], errors="ignore"), on="agent", how="left")
    a = a.drop(columns=["shop", "night"], errors="ignore")
    if a.empty:
        a = pd.DataFrame(columns=["agent", "expected_yuan", "worst_yuan"])
    return a.rename(columns=lambda c: AGENT_HEADERS.get(c, LABEL_NAMES.get(c, c)))


def workbook_formats(sheets: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """Number formats per sheet and column (monitor.xlsx kinds): yuan, pct, 分:秒, counts."""
    kinds = {"金额": "yuan", "预计罚款": "yuan", "确定罚款": "yuan", "最多罚款": "yuan", **METRIC_KINDS,
             "慢回复次数": "int", "未回复次数": "int", **{prob_header(lab): "pct" for lab in LABELS},
             **{f"{name}（条）": "int" for name in LABEL_NAMES.values()}}
    return {name: {c: kinds[c] for c in df.columns if c in kinds} for name, df in sheets.items()}


def _json_cells(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
    return out


def render_shop(sn: ShopNight, out_dir: Path) -> list[Path]:
    """Write OUT/<night>/<shop folder>/report.html, report.xlsx and flagged.csv."""
    folder = shop_folder(out_dir, sn.night, sn.shop)
    folder.mkdir(parents=True, exist_ok=True)
    html_path, xlsx_path, csv_path = folder / "report.html", folder / "report.xlsx", folder / "flagged.csv"
    write_text(html_path, render_shop_html(sn))
    flagged = flagged_table(sn)
    with atomic_open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
        frame_to_csv(flagged, fh)     # no buyer's text runs as a formula in Excel
    sheets = {"概览": _overview_sheet(sn), "订单": _json_cells(_orders_sheet(sn)),
              "消息": flagged, "客服": _json_cells(_agents_sheet(sn))}
    write_sheets(xlsx_path, sheets, formats=workbook_formats(sheets))
    return [html_path, xlsx_path, csv_path]


def render_index(shop_nights: list[ShopNight], out_dir: Path) -> Path:
    """OUT/<night>/index.html for these shops alone (no history: the nightly overview, which reads
    every shop of the night from the history, is monitor.report.nights.render_overview)."""
    rows = []
    for sn in shop_nights:
        prev = sn.previous
        rows.append({**sn.summary, "shop": sn.shop, "dir": shop_dir_name(sn.shop),
                     "delta": (float(sn.summary["exposure_expected_yuan"]) - float(prev["exposure_expected_yuan"] or 0))
                     if prev else None})
    night = shop_nights[0].night if shop_nights else ""
    path = night_dir(out_dir, night) / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, render_index_html(rows, night))
    return path


def load_shop_night(store, night: str, shop: str) -> ShopNight:
    """Rebuild a ShopNight from the history (what `chatmon report` renders)."""
    from ..shop_summary import shop_summary as _shop_summary

    row = store.table("nights", night=night, shop=shop)
    if row.empty:
        raise ChatmonError(f"no scan of shop {shop!r} on {night} in the history")
    msgs = store.table("messages", night=night, shop=shop)
    if not msgs.empty:
        msgs["ts"] = pd.to_datetime(msgs["ts"])
        msgs = msgs.sort_values(["conversation_id", "ts"], kind="stable").reset_index(drop=True)
    return ShopNight(
        shop=shop, night=night, summary=_shop_summary(row.iloc[0].to_dict()), messages=msgs,
        sessions=store.table("sessions", night=night, shop=shop), waits=store.table("waits", night=night, shop=shop),
        orders=store.table("orders", night=night, shop=shop), agents=store.table("agents", night=night, shop=shop),
        metrics=store.table("metrics", night=night, shop=shop), history=store.history(shop, night),
        promises=store.table("promises", night=night, shop=shop),
        pestering=store.table("pestering", night=night, shop=shop),
    )


def _history_summary(store, night: str, out_dir: Path, expect_nights: int) -> dict:
    """The night's summary.json for a re-render: what its scan wrote (status, rejections, failed
    shops, how the night was dated), else what the history's files table recorded, with the shops
    as the history holds them now."""
    from ..store import jsonable_records
    from .nights import night_summary, read_summary

    base = read_summary(out_dir, night)
    if not base:
        files = store.con.execute("SELECT * FROM files WHERE night = ? ORDER BY path", [night]).df()
        bad = files[files["status"] == "rejected"] if not files.empty else files
        base = {"night_source": None, "rejected": [
                    {"file": r["path"], "reason": _strip_where(str(r["reason"] or ""), str(r["path"]))}
                    for r in bad.to_dict("records")],
                "failed_shops": [], "files": jsonable_records(files.drop(columns=["night"], errors="ignore"))}
    out = night_summary(store, night, base, expect_nights)
    if not out["shops"]:
        out["status"] = "failed"
    out.setdefault("status", "ok")
    return out


def _strip_where(reason: str, path: str) -> str:
    """A stored rejection reason ("path:line: reason") as summary.json words it ("line N: reason")."""
    if reason.startswith(path + ":"):
        rest = reason[len(path) + 1:]
        head, _, tail = rest.partition(": ")
        if head.isdigit():
            return f"line {head}: {tail}"
        return rest.lstrip()
    return reason


def render_from_db(db_path: Path, *, shop: str | None = None, night: str | None = None,
                   out_dir: Path = Path("out"), config=None) -> list[Path]:
    """Re-render reports from the scan history: every night (or `night`), every shop (or `shop`).

    Writes what a scan writes, in the same layout: OUT/<night>/summary.json, OUT/<night>/index.html,
    the shops' pages, and OUT/index.html + OUT/summary.json as the latest night's.
    """
    from ..store import Store
    from ..parallel import render_shops
    from .nights import (expected_shops, history_nights, night_failures, render_overview, update_landing,
                         write_night_summary)

    kw = _overview_settings(config)
    out_dir = Path(out_dir)
    written: list[Path] = []
    with Store(db_path, read_only=True) as store:
        nights = history_nights(store, out_dir)
        if not nights:
            raise ChatmonError(f"{db_path}: the history holds no scanned night yet")
        if night is not None and night not in nights:
            raise ChatmonError(f"{db_path}: no scan on {night} (nights held: {', '.join(nights[-5:])})")
        for one in ([night] if night else nights):
            shops = sorted(store.table("nights", night=one)["shop"].unique()) if store.nights() else []
            if shop is not None:
                if shop not in shops:
                    if night is not None:
                        raise ChatmonError(f"{db_path}: shop {shop!r} was not scanned on {one} "
                                           f"(shops: {', '.join(shops)})")
                    continue
                shops = [shop]
            summary = _history_summary(store, one, out_dir, kw["expect_nights"])
            written.append(write_night_summary(out_dir, summary))
            failures = night_failures(summary, expected=expected_shops(store, one, kw["expect_nights"]),
                                      present=list(summary["shops"]))
            shop_nights = [load_shop_night(store, one, s) for s in shops]
            for sn in shop_nights:
                sn.failures = failures
            written += render_shops(shop_nights, out_dir, render=render_shop)
            written.append(render_overview(store, out_dir, one, **kw))
        update_landing(store, out_dir, **kw)
        written += [out_dir / "index.html", out_dir / "summary.json"]
    return written


def _overview_settings(config) -> dict:
    """The [report] settings the overview uses (fleet_nights, expected_nights)."""
    from ..config import load_config
    from .nights import EXPECTED_NIGHTS, FLEET_NIGHTS

    config = config or load_config(None)
    rep = config.base.get("report", {}) if hasattr(config, "base") else {}
    return {"fleet_nights": int(rep.get("fleet_nights", FLEET_NIGHTS)),
            "expect_nights": int(rep.get("expected_nights", EXPECTED_NIGHTS))}
