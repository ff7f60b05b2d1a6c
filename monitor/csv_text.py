"""A DataFrame of text columns written as csv without pandas' to_csv: the bytes to_csv writes (it
drives Python's csv writer), without its per-chunk conversions, which took most of `chatmon ingest` on
a 300k-message night (to_csv 3.0 CPU s, the csv writer over the columns 1.9 s: bench/RESULTS.md).

The rows are joined as text rather than passed through csv.writer: csv.writer's QUOTE_MINIMAL puts a
cell in quotes (its quotes doubled) when it holds the delimiter, the quote character or a character
of the line terminator, and writes it as it is otherwise; a column's cells are quoted that way in
one pass (none, for a column with no such character anywhere), and each row is `",".join` of its
cells. The same bytes (property-tested against csv.writer and to_csv), in about a third of
csv.writer's time on the 300k night.
"""

from __future__ import annotations

import csv
import io
from itertools import islice

import pandas as pd
from pandas._libs import lib

_CHUNK_ROWS = 20_000     # rows per write to the file: bounds the buffer, makes writes few

# csv.writer (delimiter ",", quotechar '"', QUOTE_MINIMAL) quotes a cell holding the delimiter, the
# quote character or a character of the line terminator (checked over every character for both
# terminators: with "\n" endings a bare "\r" is NOT quoted). Tested with `in`, not a regex: `in`
# is a memchr-like scan, a character class walks the text (7x slower on a column of Chinese text).
_TERMINATORS = ("\r\n", "\n")


def text_cells(column: pd.Series) -> list | None:
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
    columns = [text_cells(df[c]) for c in df.columns] if df.columns.is_unique else [None]
    if any(c is None for c in columns) or not all(isinstance(c, str) for c in df.columns):
        return df.to_csv(fh, index=False, lineterminator=lineterminator)
    return columns_to_csv(list(df.columns), columns, fh, lineterminator)


def calls_for_quotes(text: str, crlf: bool) -> bool:
    """Whether text holds a character that makes csv.writer quote a cell (`crlf`: rows end in "\r\n",
    so "\r" is one). Given a column's cells joined (between separators that are none of these), it
    says whether any cell does."""
    return "," in text or '"' in text or "\n" in text or (crlf and "\r" in text)


def _quoted(cells: list, crlf: bool, may_need: bool | None = None) -> list:
    """The cells as csv.writer writes them: in quotes, quotes doubled, where one holds a character that
    calls for it. One test of the column joined says whether any cell does (most columns, names, ids,
    times, never do); `may_need`: that answer, when the caller has it (False: none does)."""
    if may_need is None:
        may_need = calls_for_quotes("".join(cells), crlf)
    if not may_need:
        return cells
    if crlf:
        return [('"' + c.replace('"', '""') + '"') if ("," in c or '"' in c or "\n" in c or "\r" in c) else c
                for c in cells]
    return [('"' + c.replace('"', '""') + '"') if ("," in c or '"' in c or "\n" in c) else c for c in cells]


def columns_to_csv(names: list[str], columns: list[list[str]], fh=None, lineterminator: str = "\n",
                   may_need_quotes: list[bool | None] | None = None):
    """Text columns (lists of str of one length, under the names) as csv.writer(QUOTE_MINIMAL) writes
    them: to the open file fh a chunk of rows at a time, or returned as text when fh is None.

    `may_need_quotes` (optional, one per column): calls_for_quotes of the column's cells joined, when
    the caller joined them for its own work (None for a column to test here). Saves a join."""
    if lineterminator not in _TERMINATORS or len(names) < 2:
        # one column: csv.writer writes a row of one empty cell as "" (a bare empty line would read
        # back as no row); other terminators: their characters decide the quoting. Both are rare.
        return _writer_csv(names, columns, fh, lineterminator)
    end = lineterminator
    crlf = end == "\r\n"
    header = ",".join(_quoted(list(names), crlf)) + end
    hints = may_need_quotes or [None] * len(columns)
    rows = zip(*[_quoted(c, crlf, h) for c, h in zip(columns, hints)])
    if fh is None:
        return header + "".join(",".join(r) + end for r in rows)
    fh.write(header)
    while True:
        # one string per chunk of rows (a file opened as utf-8-sig encodes each write in Python);
        # the rows straight from zip, which reuses its tuple when nothing else holds it. With two
        # columns or more no row is empty, so an empty chunk means the end.
        text = end.join(map(",".join, islice(rows, _CHUNK_ROWS)))
        if not text:
            return None
        fh.write(text + end)


def _writer_csv(names: list[str], columns: list[list[str]], fh, lineterminator: str):
    """The same csv through csv.writer itself."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    if fh is None:
        writer.writerows(zip(*columns))
        return buf.getvalue()
    rows = zip(*columns)
    while True:
        writer.writerows(islice(rows, _CHUNK_ROWS))
        text = buf.getvalue()
        if not text:
            return None
        fh.write(text)
        buf.seek(0)
        buf.truncate()
