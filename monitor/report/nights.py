"""Nights kept apart: OUT/<night>/ per night, the latest night as the landing page, overviews from history.

Layout (DESIGN: one folder per night, so a night never overwrites another):

    OUT/<night>/summary.json, OUT/<night>/index.html, OUT/<night>/<shop folder>/report.html …
    OUT/index.html, OUT/summary.json       the latest night's, as the landing page

A night's overview is built from the history (every shop the night holds, not only the shops of the
run that wrote it), so a partial re-scan of one shop leaves the other shops on the page. The night's
failures (rejected files, failed shops, how its date was found) are what its summary.json recorded;
shops missing tonight are computed from the history's recent nights.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..atomic import write_text
from .names import href, shop_dir_name
from .reasons import rejected_rows

NIGHT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FLEET_NIGHTS = 14        # nights in the overview's per-shop chart
EXPECTED_NIGHTS = 7      # a shop seen in any of the last N nights is expected tonight
TOP_AGENTS = 10


def night_dir(out_dir: Path, night: str) -> Path:
    if not NIGHT_RE.match(str(night)):
        raise ValueError(f"not a night (YYYY-MM-DD): {night!r}")
    return Path(out_dir) / night


def read_summary(out_dir: Path, night: str) -> dict:
    """OUT/<night>/summary.json as written by the night's last scan ({} when there is none)."""
    try:
        return json.loads((night_dir(out_dir, night) / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _has(store, table: str) -> bool:
    return store._has_table(table)


def history_nights(store, out_dir: Path | None = None) -> list[str]:
    """Every night the history holds: nights with shops, nights whose files were all rejected (the
    files table), and failed nights that left only their summary.json in OUT."""
    nights = set(store.nights())
    if _has(store, "files"):
        nights |= {r[0] for r in store.con.execute(
            "SELECT DISTINCT night FROM files WHERE night IS NOT NULL").fetchall()}
    if out_dir is not None and Path(out_dir).is_dir():
        nights |= {p.name for p in Path(out_dir).iterdir()
                   if NIGHT_RE.match(p.name) and (p / "summary.json").is_file()}
    return sorted(n for n in nights if n and NIGHT_RE.match(str(n)))


def expected_shops(store, night: str, n: int = EXPECTED_NIGHTS) -> list[str]:
    """Shops scanned in any of the history's last `n` nights before `night`."""
    if n <= 0:
        return []
    return [r[0] for r in store.con.execute(
        "SELECT DISTINCT shop FROM nights WHERE night IN (SELECT DISTINCT night FROM nights WHERE night < ? "
        "ORDER BY night DESC LIMIT ?) ORDER BY shop", [night, n]).fetchall()]


def night_shop_rows(store, night: str) -> pd.DataFrame:
    return store.con.execute("SELECT * FROM nights WHERE night = ? ORDER BY shop", [night]).df()


def fleet_history(store, night: str, n: int = FLEET_NIGHTS) -> tuple[list[str], dict, dict]:
    """The last `n` nights up to `night` that hold shops: (nights, {shop: [yuan or None per night]},
    {night: total yuan})."""
    rows = store.con.execute(
        "SELECT night, shop, exposure_expected_yuan FROM nights WHERE night IN (SELECT DISTINCT night FROM nights "
        "WHERE night <= ? ORDER BY night DESC LIMIT ?) ORDER BY night", [night, n]).fetchall()
    nights = sorted({r[0] for r in rows})
    pos = {nt: i for i, nt in enumerate(nights)}
    per_shop: dict = {}
    totals = {nt: 0.0 for nt in nights}
    for nt, shop, yuan in rows:
        per_shop.setdefault(shop, [None] * len(nights))[pos[nt]] = float(yuan or 0)
        totals[nt] += float(yuan or 0)
    return nights, per_shop, totals


def top_agents(store, night: str, n: int = TOP_AGENTS) -> list[dict]:
    """The night's agents across all shops, by expected yuan (agents who put money at risk only)."""
    if not _has(store, "agents"):
        return []
    df = store.con.execute(
        "SELECT shop, agent, expected_yuan, worst_yuan FROM agents WHERE night = ? AND expected_yuan > 0 "
        # (无人回复) and the like are not agents: waits nobody answered are on the shop's own page
        "AND NOT starts_with(agent, '(') "
        "ORDER BY expected_yuan DESC, worst_yuan DESC, shop, agent LIMIT ?", [night, n]).df()
    return df.to_dict("records")


def previous_yuan(store, night: str) -> dict:
    """{shop: expected yuan of its most recent night before `night`}."""
    rows = store.con.execute(
        "SELECT shop, arg_max(exposure_expected_yuan, night) FROM nights WHERE night < ? GROUP BY shop",
        [night]).fetchall()
    return {shop: float(v or 0) for shop, v in rows}


def night_failures(summary: dict, *, expected: list[str], present: list[str]) -> dict:
    """What the page shows in red: the night's failed status, rejected files, failed and missing shops."""
    present_set = set(present)
    failed = [f for f in summary.get("failed_shops") or [] if isinstance(f, dict)]
    failed_names = {f.get("shop") for f in failed}
    missing = [s for s in expected if s not in present_set and s not in failed_names]
    return {
        "status": summary.get("status", "ok"),
        # a failed re-scan of a night the history already holds shops for: those shops stay on the page
        "earlier_shops": bool(present_set),
        "night_source": summary.get("night_source"),
        "rejected": rejected_rows(summary.get("rejected") or []),
        "failed_shops": failed,
        "missing_shops": missing,
    }


NIGHT_SOURCE_TEXT = {
    "messages": "日期取自聊天记录（中位消息的日期）",
    "--night": "日期由 --night 指定",
    "folder": "没有可读的消息：日期取自导出文件夹名",
    "file dates": "没有可读的消息：日期取自文件修改时间（06:00 前写入的文件算前一晚）",
}


def overview(store, night: str, summary: dict, *, fleet_nights: int = FLEET_NIGHTS,
             expect_nights: int = EXPECTED_NIGHTS, out_dir: Path | None = None) -> dict:
    """Everything a night's overview page shows, from the history and the night's summary.json."""
    from ..shop_summary import shop_summary as _shop_summary

    shops = night_shop_rows(store, night)
    prev = previous_yuan(store, night)
    fleet_n, per_shop, totals = fleet_history(store, night, fleet_nights)
    rows = []
    for rec in shops.to_dict("records"):
        s = _shop_summary(rec)
        shop = rec["shop"]
        rows.append({**s, "shop": shop, "dir": shop_dir_name(shop),
                     "delta": (s["exposure_expected_yuan"] - prev[shop]) if shop in prev else None,
                     "fleet": per_shop.get(shop, [])})
    present = [r["shop"] for r in rows]
    return {
        "night": night,
        "rows": rows,
        "nights": history_nights(store, out_dir),
        "fleet_nights": fleet_n,
        "fleet_totals": [totals[n] for n in fleet_n],
        "agents": [{**a, "dir": shop_dir_name(a["shop"])} for a in top_agents(store, night)],
        "failures": night_failures(summary, expected=expected_shops(store, night, expect_nights), present=present),
        "night_note": NIGHT_SOURCE_TEXT.get(summary.get("night_source"), ""),
    }


def night_summary(store, night: str, base: dict, expect_nights: int = EXPECTED_NIGHTS) -> dict:
    """The night's summary.json: `base` (this run's night, status, rejections, files …) with the
    shops the history holds for the night (a partial re-scan keeps the others) and the shops of
    recent nights missing from it."""
    from ..shop_summary import shop_summary as _shop_summary

    shops = {rec["shop"]: _shop_summary(rec) for rec in night_shop_rows(store, night).to_dict("records")}
    out = {**base, "night": night, "shops": shops}
    out["missing_shops"] = night_failures(out, expected=expected_shops(store, night, expect_nights),
                                          present=list(shops))["missing_shops"]
    return out


def render_overview(store, out_dir: Path, night: str, *, landing: bool = False, **kw) -> Path:
    """OUT/<night>/index.html (landing=True: OUT/index.html, its links one folder deeper)."""
    from .html import render_overview_html

    summary = read_summary(out_dir, night)
    ctx = overview(store, night, summary, out_dir=out_dir, **kw)
    ctx["landing"] = landing
    if landing:
        ctx["base"] = href(night) + "/"
        ctx["nights_base"] = ""
        path = Path(out_dir) / "index.html"
    else:
        ctx["base"] = ""
        ctx["nights_base"] = "../"
        path = night_dir(out_dir, night) / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, render_overview_html(ctx))
    return path


def write_night_summary(out_dir: Path, summary: dict) -> Path:
    path = night_dir(out_dir, summary["night"]) / "summary.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    return path


def update_landing(store, out_dir: Path, **kw) -> str | None:
    """OUT/index.html and OUT/summary.json as the latest night's (whatever night was just scanned).
    Returns the latest night (None when there is none)."""
    nights = history_nights(store, out_dir)
    if not nights:
        return None
    latest = nights[-1]
    render_overview(store, out_dir, latest, landing=True, **kw)
    summary = read_summary(out_dir, latest)
    if summary:
        write_text(Path(out_dir) / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    return latest


def refresh_nights(store, out_dir: Path, night: str, *, was_known: bool, fleet_nights: int = FLEET_NIGHTS,
                   **kw) -> list[Path]:
    """After `night` was (re)written: the other nights' overviews it changes. Its neighbours link
    to it (previous / next night); the next `fleet_nights` nights hold it in their fleet chart and
    their change since the night before. Older and farther nights do not change."""
    nights = history_nights(store, out_dir)
    if night not in nights:
        return []
    at = nights.index(night)
    wanted = set(nights[at + 1: at + 1 + fleet_nights])
    if not was_known and at > 0:
        wanted.add(nights[at - 1])          # its "next night" link is new
    return [render_overview(store, out_dir, other, fleet_nights=fleet_nights, **kw) for other in sorted(wanted)]
