"""Write DataFrames to xlsx with every text cell stored as text.

openpyxl turns a string that starts with "=" into a formula. A chat message like "=1" would then
vanish (a reader sees the formula's empty cached value) and a message like "=HYPERLINK(...)" would
run in the shop owner's Excel. So strings are always written as strings.

Speed: openpyxl's write-only mode builds an element tree per cell (about 90 µs a cell), which made
the xlsx the slowest part of a night's report. write_sheets() therefore lets openpyxl write only the
workbook's skeleton (workbook, styles, theme, properties: the same parts it always wrote) and writes
the worksheet XML itself, cell by cell as openpyxl would (inline strings, `%.16g` numbers, dates as
serial numbers with openpyxl's date style), streamed into the zip. A value of a kind the fast writer
does not know (dates without time, timedeltas, decimals, ...) sends the whole workbook back to the
openpyxl path, so the file is never different from what openpyxl would write.

Formats (the workbook an ops team expects): write_sheets(..., formats={sheet: {column: kind}}) gives
those sheets a bold, frozen header row with an autofilter, column widths fitted to their contents,
and number formats per column: yuan (¥1,234.50), pct (12.5%), duration (seconds written as Excel
time, shown 分:秒 as [m]:ss), int (1,234), decimal (0.00). Sheets without formats are written plain.
"""

from __future__ import annotations

import math
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from .atomic import atomic_path

# What XML 1.0 (and so an xlsx cell) cannot hold: the C0 control characters other than tab, LF and
# CR (openpyxl raises IllegalCharacterError for these), lone surrogates (a JSON export's "\ud800"
# cannot even be encoded as UTF-8) and the non-characters U+FFFE/U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))
_EPOCH = datetime(1899, 12, 30)
_SHEET_HEAD = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr>'
               '<outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr><sheetViews>'
               '<sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
               '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" /><sheetData>')
_SHEET_TAIL = ('</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5" />'
               '</worksheet>')


def _visible(m: re.Match) -> str:
    o = ord(m.group())
    return chr(0x2400 + o) if o < 0x20 else "\ufffd"


def cell_text(v: str) -> str:
    """v as an xlsx cell can hold it. Each control character XML forbids is shown as its Unicode
    control picture (\\x0b as ␋, ESC as ␛, NUL as ␀), anything else it forbids as U+FFFD: one
    character for one, so a shop 店\\x0bS stays visibly different from 店S (and from 店\\x1bS) instead of
    crashing the workbook or being merged with it. Chat text comes from buyers: it may hold anything."""
    return _ILLEGAL.sub(_visible, v) if _ILLEGAL.search(v) else v


# number formats per column kind, and their style ids: the skeleton registers them in this order
# after openpyxl's date style (1), so the ids are fixed
NUMBER_FORMATS = {"yuan": '"¥"#,##0.00', "pct": "0.0%", "duration": "[m]:ss", "int": "#,##0", "decimal": "0.00"}
_STYLE_ID = {kind: 2 + k for k, kind in enumerate(NUMBER_FORMATS)}
_HEADER_STYLE = 2 + len(NUMBER_FORMATS)
DAY_SECONDS = 86_400.0


class _CharWidths(dict):
    """{character: its width}, filled on first sight: a dict lookup costs less than an lru_cache call."""

    def __missing__(self, ch: str) -> int:
        import unicodedata
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_char_width = _CharWidths().__getitem__


def _display_width(v) -> int:
    """Excel column width for a value: CJK and other wide characters count double."""
    text = v if isinstance(v, str) else ("" if v is None else str(v))
    text = text[:80]
    if text.isascii():          # no ASCII character is wide: one each (numbers, ids, most headers)
        return len(text)
    # one cached lookup per character (a night's reports measure millions of them)
    return sum(map(_char_width, text))


WIDTH_SAMPLE = 500


def column_widths(df: pd.DataFrame, sample: int = WIDTH_SAMPLE) -> list[float]:
    """One width per column: the widest of the header and the first `sample` values, 8 to 60."""
    return [_column_width(name, df.iloc[:sample, j].tolist()) for j, name in enumerate(df.columns)]


def _column_width(name, values: list) -> float:
    """A column's width from its header and its first values (column_widths)."""
    # a column repeats its texts (labels, sources, chat lines): each distinct one is measured once. Only
    # strings: equal numbers may print apart (0.0 and -0.0, 1 and True) and measure differently
    texts = {v for v in values if type(v) is str}
    others = [v for v in values if type(v) is not str]
    widest = max(_display_width(str(name)) + 2, max(map(_display_width, texts), default=0),
                 max(map(_display_width, others), default=0))
    return float(min(60, max(8, widest + 2)))


def _prepared(df: pd.DataFrame, fmt: dict[str, str] | None) -> pd.DataFrame:
    """Duration columns as fractions of a day (what Excel's time formats display); nothing else changes."""
    if not fmt:
        return df
    cols = [c for c, kind in fmt.items() if kind == "duration" and c in df.columns]
    if not cols:
        return df
    df = df.copy()
    for c in cols:
        df[c] = pd.to_numeric(df[c], errors="coerce") / DAY_SECONDS
    return df


class _Unsupported(Exception):
    """A value the fast writer does not write; the workbook goes through openpyxl instead."""


def _cell_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.to_pydatetime()
    if hasattr(v, "item"):          # numpy scalars
        return v.item()
    return v


# ---- the openpyxl path (reference behaviour, and the fallback) ------------------------------------
def _write_openpyxl(path: str | Path, sheets: dict[str, pd.DataFrame],
                    formats: dict[str, dict[str, str]] | None = None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    wb = openpyxl.Workbook(write_only=True)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        fmt = formats.get(name)
        df = _prepared(df, fmt)
        kinds = [fmt.get(c) if fmt else None for c in df.columns]
        if fmt is not None:
            ws.freeze_panes = "A2"
            if len(df.columns):
                ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
            for j, width in enumerate(column_widths(df)):
                ws.column_dimensions[get_column_letter(j + 1)].width = width
            header = []
            for c in df.columns:
                cell = WriteOnlyCell(ws, value=cell_text(str(c)))
                cell.font = Font(bold=True)
                header.append(cell)
            ws.append(header)
        else:
            ws.append([cell_text(str(c)) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            cells = []
            for v, kind in zip(row, kinds):
                v = _cell_value(v)
                if isinstance(v, str):
                    v = cell_text(v)
                if kind in NUMBER_FORMATS and type(v) in (int, float):
                    c = WriteOnlyCell(ws, value=v)
                    c.number_format = NUMBER_FORMATS[kind]
                    cells.append(c)
                    continue
                # only strings openpyxl would read as a formula need a cell object (it is slow)
                if isinstance(v, str) and v.startswith("="):
                    c = openpyxl.cell.WriteOnlyCell(ws, value=None)
                    c.value = v
                    c.data_type = "s"     # never a formula
                    cells.append(c)
                else:
                    cells.append(v)
            ws.append(cells)
    with atomic_path(path) as tmp:
        wb.save(tmp)


# ---- the fast path ----------------------------------------------------------------------------
def _esc(s: str) -> str:
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    return s


def _str_cell(ref: str, v: str) -> str:
    v = cell_text(v[:32767])
    if not v:
        return f'<c r="{ref}" t="inlineStr" />'       # openpyxl writes "" as an empty cell element
    if v in _ERROR_CODES:
        return f'<c r="{ref}" t="e"><v>{v}</v></c>'
    stripped = v.strip()
    if stripped and stripped != v:
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_esc(v)}</t></is></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{_esc(v)}</t></is></c>'


def _num(v) -> str:
    if math.isnan(v) or math.isinf(v):
        return ""
    return "%.16g" % v


def _cell(ref: str, v) -> str | None:
    """The <c> element openpyxl writes for value v (after _cell_value), or None for no cell."""
    t = type(v)
    if t is str:
        return _str_cell(ref, v)
    if v is None:
        return None
    if t is bool:
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if t is float or t is int:
        return f'<c r="{ref}" t="n"><v>{_num(v)}</v></c>'
    if t is datetime:
        if v.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes. "
                            "The tzinfo in the datetime/time object must be set to None.")
        serial = (v - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="1" t="n"><v>{_num(serial)}</v></c>'
    raise _Unsupported(t)


def _column_letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter
    return [get_column_letter(i + 1) for i in range(n)]


def _sheet_head(widths: list[float] | None) -> str:
    """The worksheet's start; `widths` (column_widths) for a formatted sheet, None for a plain one."""
    if widths is None:
        return _SHEET_HEAD
    cols = "".join(f'<col width="{_num(w)}" customWidth="1" min="{j + 1}" max="{j + 1}" />'
                   for j, w in enumerate(widths))
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr>'
            '<outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr><sheetViews>'
            '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen" />'
            '<selection pane="bottomLeft" activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" />'
            + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")


def _styled(cell: str, style: int) -> str:
    """A <c> element with style `style` (number cells only: s= goes before t=, as openpyxl writes it)."""
    return cell.replace('" t="n">', f'" s="{style}" t="n">', 1)


_REF = "A1"
_TAIL_AT = len(f'<c r="{_REF}')


def _cell_tails(values: list, style: int | None) -> list[str | None]:
    """Per value, its <c> element (as _cell writes it, number cells styled `style`) from the closing
    quote of its reference on (`" t="n"><v>5</v></c>`), None for no cell. A reference holds no quote,
    so the element for any reference is '<c r="' + reference + tail. Equal strings share one tail;
    numbers are written one by one (0.0 and -0.0 are equal but written apart)."""
    tails: list[str | None] = []
    texts: dict[str, str | None] = {}
    for v in values:
        t = type(v)
        if t is str:
            tail = texts.get(v)
            if tail is None:
                tail = texts[v] = _cell(_REF, v)[_TAIL_AT:]
        elif v is None:
            tail = None
        else:
            c = _cell(_REF, v)
            if c is not None and style is not None and (t is float or t is int):
                c = _styled(c, style)
            tail = None if c is None else c[_TAIL_AT:]
        tails.append(tail)
    return tails


def _sheet_chunks(df: pd.DataFrame, fmt: dict | None = None):
    """The worksheet XML in pieces of a few thousand rows."""
    df = _prepared(df, fmt)
    letters = _column_letters(len(df.columns))
    styles = [_STYLE_ID.get(fmt.get(c)) if fmt else None for c in df.columns]
    # plain Python values per column once (numpy scalars, Timestamps and NaN as _cell_value makes them);
    # the column's first values as tolist() gives them measure its width (column_widths, one pass)
    columns = []
    widths = [] if fmt is not None else None
    for j, name in enumerate(df.columns):
        col = df.iloc[:, j]
        numeric = col.dtype.kind in "fiub"
        # (a number column's whole tolist() is not needed: its cells come from to_numpy below)
        raw = col.iloc[:WIDTH_SAMPLE].tolist() if numeric else col.tolist()
        if widths is not None:
            widths.append(_column_width(name, raw[:WIDTH_SAMPLE]))
        if numeric:
            vals = col.to_numpy()
            if vals.dtype.kind == "f":
                vals = vals.astype(object)
                vals[pd.isna(col.to_numpy())] = None
            columns.append(vals.tolist())
        else:
            columns.append([_cell_value(v) for v in raw])
    yield _sheet_head(widths)
    header = "".join(_str_cell(f"{letters[j]}1", str(c)) for j, c in enumerate(df.columns))
    if fmt is not None:
        header = header.replace('t="inlineStr"', f's="{_HEADER_STYLE}" t="inlineStr"')
    yield f'<row r="1">{header}</row>'
    # each cell's element without its reference, made per column: the row loop only joins them
    tails = [_cell_tails(values, style) for values, style in zip(columns, styles)]
    out = []
    for i, row in enumerate(zip(*tails)):
        r = i + 2
        cells = "".join([f'<c r="{letter}{r}{tail}' for letter, tail in zip(letters, row) if tail is not None])
        out.append(f'<row r="{r}">{cells}</row>')
        if len(out) >= 2000:
            yield "".join(out)
            out = []
    if out:
        yield "".join(out)
    if fmt is not None and letters:
        yield f'</sheetData><autoFilter ref="A1:{letters[-1]}{len(df) + 1}" />' + _SHEET_TAIL[len("</sheetData>"):]
    else:
        yield _SHEET_TAIL


_SKELETONS: dict[tuple[str, ...], dict[str, bytes]] = {}


def _skeleton(titles: tuple[str, ...]) -> dict[str, bytes]:
    """Every part openpyxl writes for a workbook with these (empty) sheets, sheet XML excluded."""
    if titles not in _SKELETONS:
        import io

        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        wb = openpyxl.Workbook(write_only=True)
        for k, title in enumerate(titles):
            ws = wb.create_sheet(title=title)
            if k == 0:
                # registers the date style as style 1, the number formats as 2.. and the bold header last
                cells = [datetime(2000, 1, 1)]
                for number_format in NUMBER_FORMATS.values():
                    c = WriteOnlyCell(ws, value=1)
                    c.number_format = number_format
                    cells.append(c)
                c = WriteOnlyCell(ws, value="h")
                c.font = Font(bold=True)
                cells.append(c)
                ws.append(cells)
        buf = io.BytesIO()
        wb.save(buf)
        with zipfile.ZipFile(buf) as z:
            _SKELETONS[titles] = {n: z.read(n) for n in z.namelist()}
    return _SKELETONS[titles]


def _write_fast(path: str | Path, sheets: dict[str, pd.DataFrame],
                formats: dict[str, dict[str, str]] | None = None) -> None:
    formats = formats or {}
    titles = tuple(name[:31] for name in sheets)
    parts = _skeleton(titles)
    sheet_parts = {f"xl/worksheets/sheet{k + 1}.xml": (df, formats.get(name))
                   for k, (name, df) in enumerate(sheets.items())}
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for name, data in parts.items():
                if name in sheet_parts:
                    with z.open(name, "w", force_zip64=True) as fh:
                        for chunk in _sheet_chunks(*sheet_parts[name]):
                            fh.write(chunk.encode("utf-8"))
                else:
                    z.writestr(name, data)


def write_sheets(path: str | Path, sheets: dict[str, pd.DataFrame],
                 formats: dict[str, dict[str, str]] | None = None) -> None:
    """Write `sheets` ({name: DataFrame}) to an xlsx; `formats` ({sheet: {column: kind}}, kinds as
    NUMBER_FORMATS) gives a sheet the ops look (module docstring)."""
    try:
        _write_fast(path, sheets, formats)
    except _Unsupported:
        _write_openpyxl(path, sheets, formats)
