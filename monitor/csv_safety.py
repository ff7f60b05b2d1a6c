"""Spreadsheet-safe csv cells: chat text must never become a formula in the shop owner's Excel.

Excel, LibreOffice and Google Sheets read a csv cell that begins with `=`, `+`, `-` or `@` (and, in
some versions, a tab, a carriage return or a NUL) as a formula: a buyer who types
`=HYPERLINK("http://x", "点我")` or `=cmd|' /C calc'!A0` would otherwise get a live formula into every
csv chatmon writes. OWASP's CSV-injection guidance (owasp.org/www-community/attacks/CSV_Injection,
and ASVS requirement 1.2.10; CWE-1236) is to put a single quote in front of such a cell: the
spreadsheet then shows the cell as text.

chatmon reads its own csv back (`chatmon ingest --format csv` is the file to label and to feed to
`train`), so the escape must be reversible. A quote is added when the text, after any quotes it
already begins with, begins with a trigger character; it is removed by the reader under the same
condition. So `=1` is written `'=1`, a message that really begins with `'=1` is written `''=1`, and
`'hello` (a quote not followed by a trigger) is written unchanged; unescape(escape(s)) == s for every
s. LAYOUTS.md documents the rule.
"""

from __future__ import annotations

import re
from itertools import compress, repeat

import pandas as pd

from .csv_text import calls_for_quotes, columns_to_csv, text_cells, text_frame_to_csv

# the characters a spreadsheet may read as the start of a formula (OWASP: = + - @ tab CR; ASVS adds NUL)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")
QUOTE = "'"


def _needs_quote(s: str) -> bool:
    return s.lstrip(QUOTE).startswith(TRIGGERS)


def escape_cell(value):
    """The value to write in a csv cell: a string that a spreadsheet would read as a formula gets a
    leading single quote (so does one that begins with quotes before such a character, which keeps the
    escape reversible). Anything that is not a string is returned as it is."""
    if isinstance(value, str) and value and _needs_quote(value):
        return QUOTE + value
    return value


def unescape_cell(value):
    """The inverse of escape_cell: the text a cell written by chatmon held before it was escaped."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value):
        return value[1:]
    return value


# Which cells begin with a trigger (after any quotes). One regex search over all of a column's values
# joined by a separator says whether any does, at C speed: most columns (names, ids, times) hold
# none, and a Python test per cell of every column cost as much as writing the csv. A column where
# the search matches (a chat text column always holds some "-" or "@" cells) is then tested cell by
# cell with str.startswith: on the 300k night's text column 0.03 s, where mapping every match of the
# joined column back to its cell took 0.11 s. A match in the joined text may come from a separator
# character inside a value; the cell test settles it.
_SEP = "\x1e"
_MAY_NEED = re.compile(_SEP + "'*[=+\\-@\t\r\x00]")
_MAY_HAVE = re.compile(_SEP + "'+[=+\\-@\t\r\x00]")
# what a cell each pattern matches begins with (then _needs_quote decides)
_FIRST = {_MAY_NEED: (QUOTE, *TRIGGERS), _MAY_HAVE: (QUOTE,)}


def _joined(values: list) -> tuple[str, list]:
    """(every cell after a separator, in one string; the cells it holds, non-strings as "")."""
    try:
        return _SEP.join(["", *values]), values
    except TypeError:           # not all strings (None, NaN, numbers): those count as empty here
        texts = [v if isinstance(v, str) else "" for v in values]
        return _SEP.join(["", *texts]), texts


def _starting(values: list, pattern: re.Pattern, joined: tuple[str, list] | None = None) -> list[int]:
    """The indices of the string values that `pattern` (_MAY_NEED or _MAY_HAVE: separator + what a
    cell begins with) matches at their very start; values that are not strings never match.
    `joined`: _joined(values), when the caller has it already."""
    blob, texts = joined or _joined(values)
    if pattern.search(blob) is None:
        return []
    # the cells that begin with a quote or a trigger, by map/compress at C speed (a list
    # comprehension over the cells took three times as long), then the few of them tested fully
    maybe = compress(range(len(texts)), map(str.startswith, texts, repeat(_FIRST[pattern])))
    return [i for i in maybe if _needs_quote(texts[i])]


def _escaped(values: list, rows: list[int], fix) -> list:
    out = list(values)
    for i in rows:
        out[i] = fix(out[i])
    return out


def _is_text_dtype(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """df with every string cell escaped (and its column names): what to_csv should write."""
    out = df.copy(deep=False)
    for col in out.columns:
        if _is_text_dtype(out[col]):
            values = out[col].tolist()
            rows = _starting(values, _MAY_NEED)
            if rows:
                out[col] = pd.Series(_escaped(values, rows, escape_cell), index=out.index, dtype=object)
    out.columns = [escape_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def unescape_cells(values: list) -> list:
    """The cells of a csv column chatmon wrote with their escapes removed: `values` itself when none
    is present, else a new list."""
    rows = _starting(values, _MAY_HAVE)
    return _escaped(values, rows, unescape_cell) if rows else values


def unescape_column(values: pd.Series) -> pd.Series:
    """A column of a csv chatmon wrote, with its escapes removed (untouched when none is present)."""
    lst = values.tolist()
    out = unescape_cells(lst)
    if out is lst:
        return values
    return pd.Series(out, index=values.index, dtype=object)


# Python's csv module refuses a field over 131,072 characters by default, but a chat message (and so
# chatmon's own canonical csv) can be longer: LAYOUTS.md promises 1 MB messages round-trip. A field
# cannot be longer than its file, which [limits] file_bytes already bounds.
LONG_FIELD_LIMIT = 2**31 - 1


def allow_long_fields() -> None:
    """Raise the csv module's field size limit (process-wide) so long messages read back."""
    import csv

    if csv.field_size_limit() < LONG_FIELD_LIMIT:
        csv.field_size_limit(LONG_FIELD_LIMIT)


def frame_to_csv(df: pd.DataFrame, fh=None):
    """Write df as chatmon writes every csv (to the open file fh, or return the text): formula-like
    cells escaped, no index, rows ended by CRLF as RFC 4180 has them. CRLF also makes the csv module
    quote a field holding a bare CR (a message typed on an old Mac client): with LF endings it wrote
    such a field unquoted, and the row broke in two when read back."""
    # the bytes of text_frame_to_csv(escape_frame(df)) (to_csv's, faster: csv_text); a frame of text
    # columns is escaped as lists of cells and written from them, without an escaped frame between
    names = list(df.columns)
    if df.columns.is_unique and all(isinstance(c, str) for c in names):
        columns, hints = [], []
        for name in names:
            cells = text_cells(df[name])
            if cells is None:           # numbers, dates: to_csv writes those (below)
                break
            joined = None
            if _is_text_dtype(df[name]):
                joined = _joined(cells)
                rows = _starting(cells, _MAY_NEED, joined)
                if rows:
                    cells = _escaped(cells, rows, escape_cell)
            columns.append(cells)
            # the column joined once serves the quoting test too: the escape's leading ' is no
            # character that calls for quotes, so the cells before it tell as well as after
            hints.append(calls_for_quotes(joined[0], crlf=True) if joined else None)
        else:
            return columns_to_csv([escape_cell(c) for c in names], columns, fh, "\r\n", may_need_quotes=hints)
    return text_frame_to_csv(escape_frame(df), fh, "\r\n")
