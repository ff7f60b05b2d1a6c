"""Reports: per-shop HTML + xlsx + flagged.csv, and the fleet overview page.

Every file is written atomically; buyers' nicks and contacts are masked in all of them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..atomic import atomic_open, write_text
from ..csv_safety import frame_to_csv
from ..xlsx import write_sheets
from ..detect.types import LABELS
from ..errors import ChatmonError
from ..shopnight import ShopNight
from .html import LABEL_NAMES, render_index_html, render_shop_html, source_name
from .mask import mask_contacts, mask_nick, mask_sender, masked_evidence

__all__ = ["render_shop", "render_index", "render_from_db", "shop_dir_name"]

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def shop_dir_name(shop: str) -> str:
    """A folder name for a shop that every file system accepts; Chinese is kept as is."""
    name = _UNSAFE.sub("_", str(shop)).strip(" .") or "_"
    return name[:80]


def _rules_text(ev, text=None) -> str:
    evidence = masked_evidence(ShopNight.evidence_of({"evidence": ev}), text)
    return "；".join(f"{e['label']}:{e['rule']}" for e in evidence)


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
    from ..score import CAUSE_ORDER
    from .html import CAUSE_NAMES
    listed = _listed(causes) or ([causes] if isinstance(causes, str) and causes else [])
    listed = sorted(listed, key=lambda c: CAUSE_ORDER.index(c) if c in CAUSE_ORDER else len(CAUSE_ORDER))
    return "、".join(CAUSE_NAMES.get(c, c) for c in listed)


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
    """Write OUT/<shop>/report.html, report.xlsx and flagged.csv."""
    folder = Path(out_dir) / shop_dir_name(sn.shop)
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
    """OUT/index.html: shops ranked by expected exposure, each linking to its page."""
    rows = []
    for sn in shop_nights:
        prev = sn.previous
        rows.append({**sn.summary, "shop": sn.shop, "href": f"{shop_dir_name(sn.shop)}/report.html",
                     "delta": (float(sn.summary["exposure_expected_yuan"]) - float(prev["exposure_expected_yuan"] or 0))
                     if prev else None})
    night = shop_nights[0].night if shop_nights else ""
    path = Path(out_dir) / "index.html"
    write_text(path, render_index_html(rows, night))
    return path


def load_shop_night(store, night: str, shop: str) -> ShopNight:
    """Rebuild a ShopNight from the history (what `chatmon report` renders)."""
    from ..scan import _shop_summary

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


def render_from_db(db_path: Path, *, shop: str | None = None, night: str | None = None,
                   out_dir: Path = Path("out")) -> list[Path]:
    """Re-render reports of one night (default: the latest) from the scan history."""
    from ..store import Store

    with Store(db_path, read_only=True) as store:
        nights = store.nights()
        if not nights:
            raise ChatmonError(f"{db_path}: the history holds no scanned night yet")
        night = night or nights[-1]
        if night not in nights:
            raise ChatmonError(f"{db_path}: no scan on {night} (nights held: {', '.join(nights[-5:])})")
        shops = sorted(store.table("nights", night=night)["shop"].unique())
        if shop is not None:
            if shop not in shops:
                raise ChatmonError(f"{db_path}: shop {shop!r} was not scanned on {night} (shops: {', '.join(shops)})")
            shops = [shop]
        shop_nights = [load_shop_night(store, night, s) for s in shops]
    from ..parallel import render_shops

    written = render_shops(shop_nights, out_dir)
    if shop is None:
        written.append(render_index(shop_nights, out_dir))
    return written
