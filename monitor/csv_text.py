"""A DataFrame of text columns written as csv by Python's csv module directly: the bytes pandas'
to_csv writes (it drives the same csv writer), without its per-chunk conversions, which took most of
`chatmon ingest` on a 300k-message night (to_csv 3.0 CPU s, this 1.9 s: bench/RESULTS.md)."""

from __future__ import annotations

import csv
import io
from itertools import islice

import pandas as pd
from pandas._libs import lib

_CHUNK_ROWS = 20_000     # rows per write to the file: bounds the buffer, makes writes few


def _cells(column: pd.Series) -> list | None:
    """The column's cells as to_csv writes them ('' for None/NaN), or None if it holds anything but
    text (numbers, dates: to_csv formats those its own way)."""
    values = column.to_numpy(dtype=object)
    if lib.is_string_array(values, skipna=False):
        return values.tolist()
    missing = pd.isna(values)
    if not lib.is_string_array(values[~missing], skipna=False):
        return None
    out = values.copy()
    out[missing] = ""
    return out.tolist()


def text_frame_to_csv(df: pd.DataFrame, fh=None, lineterminator: str = "\n"):
    """df.to_csv(fh, index=False, lineterminator=lineterminator), byte for byte (returns the text
    when fh is None); frames with non-text columns or non-text column names go to to_csv itself."""
    columns = [_cells(df[c]) for c in df.columns] if df.columns.is_unique else [None]
    if any(c is None for c in columns) or not all(isinstance(c, str) for c in df.columns):
        return df.to_csv(fh, index=False, lineterminator=lineterminator)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(df.columns))
    if fh is None:
        writer.writerows(zip(*columns))
        return buf.getvalue()
    # the rows go to a string buffer, and from it to fh a chunk at a time: the csv writer calls
    # write() once per row, and a file opened as utf-8-sig encodes each write in Python
    rows = zip(*columns)
    while True:
        writer.writerows(islice(rows, _CHUNK_ROWS))
        text = buf.getvalue()
        if not text:
            return None
        fh.write(text)
        buf.seek(0)
        buf.truncate()
