"""The canonical messages file itself (csv or jsonl), as `chatmon ingest` writes it.

Read as it is: roles, shops and conversation ids were already settled when it was written, and a
data scientist may have corrected them by hand in Excel, so they are not recomputed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from ..csv_safety import allow_long_fields, unescape_column
from ..errors import InputError
from ..schema import COLUMNS, ROLES, conform
from .base import parse_ts, register


def _check(df: pd.DataFrame, path: Path, lines: list) -> pd.DataFrame:
    bad = ~df["role"].isin(ROLES)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(str(path), f"role {df['role'].iloc[i]!r} is not one of {', '.join(ROLES)}", line=lines[i])
    ts = []
    for v, ln in zip(df["ts"], lines):
        ts.append(parse_ts(v, str(path), ln))
    df["ts"] = ts
    df["order_id"] = df["order_id"].where(df["order_id"].astype(str).str.strip() != "", None)
    return conform(df)


@register
class CanonicalReader:
    name = "canonical"

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff")
        first = s.splitlines()[0] if s else ""
        if first.startswith("{"):
            try:
                return all(c in json.loads(first) for c in COLUMNS)
            except json.JSONDecodeError:
                return False
        return [c.strip() for c in first.split(",")][: len(COLUMNS)] == COLUMNS

    def read(self, text: str, path: Path, *, columns=None) -> pd.DataFrame:
        text = text.lstrip("\ufeff")
        if text.startswith("{"):
            recs, lines = [], []
            for no, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    try:
                        recs.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InputError(str(path), f"not valid JSON: {exc.msg}", line=no) from None
                    lines.append(no)
            df = pd.DataFrame(recs, columns=COLUMNS).astype(object)
            return _check(df.where(df.notna(), None), path, lines)
        allow_long_fields()
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader)
        rows, lines = [], []
        start = reader.line_num + 1
        try:
            for row in reader:
                if row:
                    if len(row) < len(COLUMNS):
                        raise InputError(str(path), f"row has {len(row)} fields, expected {len(COLUMNS)} (truncated?)",
                                         line=start)
                    rows.append(row[: len(COLUMNS)])
                    lines.append(start)
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(str(path), f"malformed csv: {exc}", line=reader.line_num) from None
        df = pd.DataFrame(rows, columns=header[: len(COLUMNS)], dtype=object)
        if "'" in text:     # the quotes schema.write_messages put before formula-like cells
            for col in df.columns:
                df[col] = unescape_column(df[col])
        return _check(df, path, lines)
