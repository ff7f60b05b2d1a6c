"""What chatmon made of each export: `chatmon ingest --explain` and the per-file line of `chatmon scan`.

A shop owner checks this once before trusting a nightly scan: which layout a file was read as, in
which encoding, how many messages of each role, which shops, buyers and agents, the first and last
time, and anything the reader had to assume (df.attrs["assumptions"]: a date from --date, parties
from the file name, ...). summarise() gives it as a dict (the JSON form); format_text() and
format_line() give the Chinese text a person reads. Buyers are shown masked (mask_nick), as in reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InputError, Rejection
from ..schema import ROLES

ROLE_CN = {"buyer": "买家", "agent": "客服", "auto": "机器人", "system": "系统"}
# how many buyers and agents a summary names (it counts them all)
SHOWN = 5


def _mask(nick: str) -> str:
    from ..mask_id import mask_nick
    return mask_nick(nick)


def _time(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M:%S")


def summarise(df: pd.DataFrame, info) -> dict:
    """One read file (read_file's DataFrame and FileInfo) as a JSON-ready dict."""
    counts = df["role"].value_counts() if len(df) else pd.Series(dtype=int)
    buyers = [b for b in pd.unique(df["buyer"]) if b] if len(df) else []
    staff = df[df["role"].isin(["agent", "auto"])] if len(df) else df
    agents = [a for a in pd.unique(staff["sender"]) if a] if len(df) else []
    return {
        "file": str(info.path),
        "status": "ok",
        "layout": info.reader,
        "layout_detail": df.attrs.get("layout"),
        "encoding": info.encoding,
        "messages": int(len(df)),
        "by_role": {r: int(counts.get(r, 0)) for r in ROLES},
        "shops": sorted(map(str, pd.unique(df["shop"]))) if len(df) else [],
        "buyers": len(buyers),
        "buyer_examples": [_mask(b) for b in buyers[:SHOWN]],
        "agents": len(agents),
        "agent_names": [str(a) for a in agents[:SHOWN]],
        "first": _time(df["ts"].min()) if len(df) else None,
        "last": _time(df["ts"].max()) if len(df) else None,
        "assumptions": list(df.attrs.get("assumptions") or []),
        # members of a zip that could not be read (the others were)
        "rejected_members": [str(r) for r in df.attrs.get("rejected") or []],
    }


def summarise_rejection(rejection: Rejection) -> dict:
    return {"file": rejection.file, "status": "rejected", "line": rejection.line, "reason": rejection.reason}


def explain_paths(paths, *, shop=None, buyer=None, columns=None, config=None, date=None) -> list[dict]:
    """summarise() for every export under `paths` (folders searched), rejected files included."""
    from ..config import load_config
    from . import expand_paths, read_file, table
    from .dates import given_date

    config = config or load_config()
    date = given_date(date)
    if columns is not None:
        columns = table.load_user_columns(columns)
    out = []
    for f in expand_paths(paths):
        try:
            df, info = read_file(f, shop=shop, buyer=buyer, columns=columns, config=config, date=date)
        except InputError as exc:
            out.append(summarise_rejection(exc.to_rejection()))
            continue
        out.append(summarise(df, info))
    return out


def _roles(s: dict) -> str:
    return "，".join(f"{ROLE_CN[r]} {n}" for r, n in s["by_role"].items() if n) or "无"


def _names(examples: list, total: int) -> str:
    if not total:
        return "无"
    more = f" 等 {total} 位" if total > len(examples) else ""
    return "、".join(examples) + more


def _where(s: dict) -> str:
    line = s.get("line")
    if line is None:
        return ""
    return f"第 {line} 行: " if isinstance(line, int) else f"{line}: "


def format_text(s: dict) -> str:
    """The several-line form `chatmon ingest --explain` prints for one file."""
    lines = [f"文件 {s['file']}"]
    if s["status"] != "ok":
        lines.append(f"  未读取 (rejected): {_where(s)}{s['reason']}")
        return "\n".join(lines)
    layout = s["layout"] + (f" — {s['layout_detail']}" if s.get("layout_detail") else "")
    lines += [
        f"  读作 (layout): {layout}",
        f"  编码 (encoding): {s['encoding']}",
        f"  消息 (messages): {s['messages']} 条（{_roles(s)}）",
        f"  店铺 (shops): {'、'.join(s['shops']) or '无'}",
        f"  买家 (buyers): {_names(s['buyer_examples'], s['buyers'])}",
        f"  客服 (agents): {_names(s['agent_names'], s['agents'])}",
        f"  时间 (first–last): {s['first'] or '—'} 至 {s['last'] or '—'}",
    ]
    if s["assumptions"]:
        lines.append("  假设 (assumed):")
        lines += [f"    - {a}" for a in s["assumptions"]]
    else:
        lines.append("  假设 (assumed): 无")
    if s.get("rejected_members"):
        lines.append("  未读取的成员 (rejected members):")
        lines += [f"    - {r}" for r in s["rejected_members"]]
    return "\n".join(lines)


def format_line(s: dict) -> str:
    """The one line `chatmon scan` prints per file."""
    name = Path(s["file"]).name
    if s["status"] != "ok":
        return f"✗ {name}: 未读取 (rejected) {_where(s)}{s['reason']}"
    span = f"{s['first']} 至 {s['last']}" if s["first"] else "无消息"
    line = (f"✓ {name}: {s['layout']}, {s['encoding']}, {s['messages']} 条（{_roles(s)}）, "
            f"店铺 {'、'.join(s['shops']) or '无'}, 买家 {s['buyers']} 位, 客服 {s['agents']} 位, {span}")
    if s["assumptions"]:
        line += "; 假设: " + "；".join(s["assumptions"])
    if s.get("rejected_members"):
        line += f"; 未读取的成员 {len(s['rejected_members'])} 个"
    return line


def to_jsonl(summaries: list[dict]) -> str:
    return "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in summaries)
