"""The canonical messages file itself (csv or jsonl), as `chatmon ingest` writes it.

Read as it is: roles, shops and conversation ids were already settled when it was written, and a
data scientist may have corrected them by hand in Excel, so they are not recomputed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..csv_safety import allow_long_fields, unescape_cells, unescape_column
from ..errors import InputError
from ..schema import COLUMNS, ROLES, TS_FORMAT, conform
from .base import parse_ts, register


_TS_LEN = 19     # len("2024-01-15 14:30:25"): TS_FORMAT, what write_messages writes


def _fast_ts(col: pd.Series, path: Path) -> pd.Series | None:
    """The send times, parsed as a column: the ones in TS_FORMAT (every file chatmon wrote) at once,
    the others one by one with parse_ts. None when one of them does not parse: the caller then reads
    the file row by row, which names the line."""
    values = col.to_numpy()
    exact = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) == _TS_LEN    # all str here
    ts = pd.to_datetime(col.where(exact), format=TS_FORMAT, errors="coerce")
    rest = ts.isna().to_numpy().nonzero()[0]
    if len(rest):
        try:
            ts = ts.astype(object)
            for i in rest:
                ts.iat[i] = parse_ts(col.iat[i], str(path), None)
        except InputError:
            return None
    return ts


def _fast_csv(text: str, path: Path) -> pd.DataFrame | None:
    """The csv read by columns: the C csv parser takes every record at once (strict, as the row-by-row
    read), and the checks run on whole columns. None for a file with anything to complain about
    (a malformed or short record, a bad role or time): the row-by-row read then finds it and names
    its line; that is where the line numbers are counted, so a good file never pays for them."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    header = records[0][: len(COLUMNS)] if records else []
    body = [r for r in records[1:] if r]
    widths = set(map(len, body))
    if not body or len(set(header)) < len(COLUMNS) or min(widths) < len(COLUMNS):
        return None
    if len(widths) == 1:
        # records of one width (every file chatmon wrote): the cells as one 2-D array, in one C pass
        grid = np.array(body, dtype=object)
        columns = [grid[:, i] for i in range(len(header))]
    else:
        columns = [np.array(c, dtype=object) for c in zip(*body)]
    columns = columns[: len(header)]
    if "'" in text:     # the quotes schema.write_messages put before formula-like cells, removed
        columns = [_unescaped(c) for c in columns]
    # object columns as conform leaves them (pandas 3 would infer its str dtype, which conform undoes)
    df = pd.DataFrame(dict(zip(header, columns)), dtype=object)
    if not df["role"].isin(ROLES).all():
        return None
    ts = _fast_ts(df["ts"], path)
    if ts is None:
        return None
    df["ts"] = ts
    # blank order ids (empty or only whitespace) mean none; the test runs once per distinct value
    ids = df["order_id"].to_numpy()
    blank = [v for v in pd.unique(ids).tolist() if not v.strip()]
    df["order_id"] = df["order_id"].where(~np.isin(ids, blank), None) if blank else df["order_id"]
    return conform(df)


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
        fast = _fast_csv(text, path)
        return fast if fast is not None else _rows_csv(text, path)


def _unescaped(column: np.ndarray) -> np.ndarray:
    """A column of cells with the CSV-injection escapes removed (the same array when it has none)."""
    cells = column.tolist()
    out = unescape_cells(cells)
    return column if out is cells else np.array(out, dtype=object)


def _unescape(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """The quotes schema.write_messages put before formula-like cells (csv_safety), removed."""
    if "'" in text:
        for col in df.columns:
            df[col] = unescape_column(df[col])
    return df


def _rows_csv(text: str, path: Path) -> pd.DataFrame:
    """The csv read record by record, counting physical lines: the reference read, and the one that
    names the line of what is wrong."""
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
    return _check(_unescape(df, text), path, lines)
