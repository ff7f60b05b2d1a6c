"""The canonical message table (DESIGN.md): one row per message, whatever export it came from.

`ts` holds Asia/Shanghai wall-clock time as naive `datetime64[s]`: every export we read is in
Beijing time already, and naive values keep working-hours and midnight logic simple.
"""

from __future__ import annotations

import json
import os
from typing import Iterable

import pandas as pd
from pandas._libs import lib

from .atomic import atomic_open
from .csv_safety import frame_to_csv

COLUMNS = ["shop", "conversation_id", "buyer", "sender", "role", "ts", "text", "order_id", "source"]
ROLES = ("buyer", "agent", "auto", "system")
TS_FORMAT = "%Y-%m-%d %H:%M:%S"
TIMEZONE = "Asia/Shanghai"
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3

# Qianniu's web page cannot show some messages; it prints this instead. Such rows are kept
# (they still count for latency) but never classified.
UNREADABLE_TEXTS = frozenset({
    "请在客户端查看原始聊天记录，网页版无法展示",
    "请在客户端查看原始聊天记录,网页版无法展示",
    # a card the Qianniu page or 监控查询 cannot show (EXPORT-EVIDENCE.md item 9)
    "目前版本不支持该功能,请升级",
    "目前版本不支持该功能，请升级",
})


def is_unreadable(text: str | None) -> bool:
    return text is not None and text.strip() in UNREADABLE_TEXTS


def empty_messages() -> pd.DataFrame:
    return conform(pd.DataFrame({c: [] for c in COLUMNS}))


def _order_ids(column: pd.Series) -> pd.Series:
    """Order ids as text, None where there is none: NaN, None and "" all mean "no order id" (str(nan)
    would otherwise become the id "nan")."""
    values = column.astype(object).to_numpy()
    missing = pd.isna(values)
    # the common case, a column of strings and None/NaN, without a Python call per row
    if lib.is_string_array(values[~missing], skipna=False) and all(
            v is None or type(v) is float for v in values[missing].tolist()):
        out = values.copy()
        out[missing | (values == "")] = None
        return pd.Series(out, index=column.index, dtype=object)
    out = column.astype(object).map(
        lambda v: None if v is None or (isinstance(v, float) and v != v) or v == "" else str(v)).astype(object)
    return out.where(out.notna(), None)   # pandas 3 map turns None into NaN


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` with exactly the canonical columns, in order, with canonical dtypes.

    Raises ValueError naming a missing column or a bad role.
    """
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"missing canonical column(s): {', '.join(missing)}")
    # pandas 3 copies on write: the selection is already a frame of its own (a deep copy cost a
    # tenth of a second per 300k messages, and conform runs on every read and every write)
    out = df[COLUMNS] if _COPY_ON_WRITE else df[COLUMNS].copy()
    for col in ("shop", "conversation_id", "buyer", "sender", "role", "text", "source"):
        if out[col].dtype == object and lib.is_string_array(out[col].to_numpy(), skipna=False):
            continue        # strings already (a reader's output, or conformed before): nothing to change
        out[col] = out[col].fillna("").astype(str).astype(object)
    out["order_id"] = _order_ids(out["order_id"])
    out["ts"] = pd.to_datetime(out["ts"]).astype("datetime64[s]")
    bad = ~out["role"].isin(ROLES)
    if bad.any():
        first = out.loc[bad, "role"].iloc[0]
        raise ValueError(f"role {first!r} is not one of {', '.join(ROLES)}")
    return out.reset_index(drop=True)


def to_records(df: pd.DataFrame) -> Iterable[dict]:
    """Rows as plain dicts with `ts` formatted as text (for JSON / CSV output)."""
    ts = df["ts"].dt.strftime(TS_FORMAT)
    for row, t in zip(df[COLUMNS].itertuples(index=False, name=None), ts):
        rec = dict(zip(COLUMNS, row))
        rec["ts"] = t
        yield rec


def write_messages(df: pd.DataFrame, path: str | os.PathLike, fmt: str = "csv") -> None:
    """Write canonical messages atomically as UTF-8 csv (Excel-friendly BOM) or jsonl."""
    df = conform(df)
    if fmt == "csv":
        out = df.assign(ts=df["ts"].dt.strftime(TS_FORMAT))     # (no deep copy of the text columns)
        # utf-8-sig: Excel on Chinese Windows opens a BOM-less UTF-8 csv as GBK and garbles it.
        # cells that a spreadsheet would run as formulas get a leading quote (csv_safety: the
        # canonical reader removes exactly that quote again)
        with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
            frame_to_csv(out, fh)
    elif fmt == "jsonl":
        with atomic_open(path, "w", encoding="utf-8") as fh:
            for rec in to_records(df):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r} (csv or jsonl)")
