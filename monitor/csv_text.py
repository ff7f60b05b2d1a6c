"""A DataFrame of text columns written as csv by Python's csv module directly: the bytes pandas'
to_csv writes (it drives the same csv writer), without its per-chunk conversions, which took most of
`chatmon ingest` on a 300k-message night (to_csv 3.0 CPU s, this 1.9 s: bench/RESULTS.md)."""

from __future__ import annotations

import csv
import io

import pandas as pd
from pandas._libs import lib


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
    target = io.StringIO() if fh is None else fh
    writer = csv.writer(target, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(df.columns))
    writer.writerows(zip(*columns))
    return target.getvalue() if fh is None else None
