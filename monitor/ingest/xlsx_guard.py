"""Open an xlsx only after checking, in bounded memory and time, what reading it would cost.

An xlsx is a zip of XML parts, and a few KB of zip can expand to gigabytes: a 97 KB file holding one
100 MB cell, 1.5 MB holding 1 GB of empty `<row/>` elements, a sheet whose `<dimension>` (or one far
cell) makes openpyxl pad every row to 16,384 columns and yield a million empty rows. Before openpyxl
sees the workbook, this module checks ([limits] in defaults.toml):

1. from the zip's central directory alone, before anything is expanded: each part's uncompressed size
   (sheets and shared strings `xlsx_sheet_bytes`, other parts `xlsx_part_bytes`), the whole file's
   (`xlsx_total_bytes`), and how many times a part over 1 MiB expands (`xlsx_ratio`; Apache POI's
   zip-bomb guard uses the same bound of 100). Python's zipfile stops a part at its declared size and
   then checks its CRC, so a directory that lies about a size makes the part unreadable, not larger;
2. then each sheet and the shared strings streamed in 4 MiB pieces through a scan of their tags
   (regular expressions over bytes, never a tree): the `<dimension>` if present, the rows and the
   columns the reader will pad them to (`xlsx_sheet_rows`, `xlsx_sheet_cells`), the longest text
   (`xlsx_cell_chars`), and no DOCTYPE (no xlsx holds one; entity tricks start there). The scan stops
   at the first limit passed.
The scan over-counts when in doubt (a tag inside a comment counts too): the worst it does to an odd
but honest file is to name the limit to raise.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib

from ..errors import InputError
from .limits import Limits, current, size_text

_CHUNK = 1 << 22
_RATIO_FROM = 1 << 20          # small parts compress arbitrarily well (an empty sheet's XML): not judged
_MAX_TAG = 1 << 20             # a tag cut by a piece's end is carried over; no honest tag is this long
_NAME = rb"<(?:[\w.-]+:)?"     # an element's start, with or without a namespace prefix
# the form every writer we know uses (openpyxl, Excel, WPS): counted at C speed
_ROW_PLAIN = re.compile(rb'<row r="(\d{1,12})"')
_CELL_PLAIN = re.compile(rb'<c r="([A-Z]{1,3})\d{1,12}"')
# any other form (attributes in another order, single quotes, a namespace prefix): read tag by tag
_ROW_ANY = re.compile(_NAME + rb"row\b([^>]*)>")
_CELL_ANY = re.compile(_NAME + rb"c(?=[\s/>])([^>]*)>")
_R_ATTRIBUTE = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([^\"']*)[\"']")
_ROW_NUMBER = re.compile(rb"\d{1,12}")
_CELL_REF = re.compile(rb"\$?([A-Za-z]{1,3})\$?\d{1,12}")
_DIMENSION = re.compile(_NAME + rb"dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_STRING_TAG = re.compile(_NAME + rb"si\b")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def _long_runs(seg: bytes, least: int):
    """The runs of text (bytes between tags) of `least` bytes or more. Such a run holds one of the
    positions least//2, 2*(least//2), ...: only those are probed, each by looking for the nearest
    tag on either side (a regular expression tried at every tag was a tenth of a big sheet's read)."""
    step = max(1, least // 2)
    last_start = -1
    for i in range(step, len(seg), step):
        start = max(seg.rfind(b"<", 0, i), seg.rfind(b">", 0, i)) + 1
        if start == last_start:
            continue
        ends = [e for e in (seg.find(b"<", i), seg.find(b">", i)) if e != -1]
        end = min(ends) if ends else len(seg)
        if end - start >= least:
            last_start = start
            yield seg[start:end]


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _chars(run: bytes) -> int:
    text = run.decode("utf-8", "ignore")
    return len(html.unescape(text)) if "&" in text else len(text)


class _PartScan:
    """The running counts of one sheet (or the shared strings) while its XML streams past."""

    def __init__(self, name: str, path: str, limits: Limits, sheet: bool):
        self.name, self.path, self.limits, self.sheet = name, path, limits, sheet
        self.rows = self.numbered_rows = self.max_row = 0
        self.cells = self.numbered_cells = self.max_col = 0
        self.dim_rows = self.dim_cols = 0
        self.dimension_seen = False
        self.strings = 0
        self.run = 0                   # characters of the text in progress at the end of the last piece

    def fail(self, reason: str):
        raise InputError(self.path, f"xlsx {self.name}: {reason}")

    def text(self, piece: bytes) -> None:
        """Text that continues the run in progress (it began in an earlier piece)."""
        self.run += _chars(piece)
        if self.run > self.limits.xlsx_cell_chars:
            self._long_cell(self.run)

    def end_text(self) -> None:
        self.run = 0

    def _long_cell(self, n: int):
        self.fail(f"a cell or string of more than {n:,} characters, over the limit of "
                  f"{self.limits.xlsx_cell_chars:,} ([limits] xlsx_cell_chars)")

    def segment(self, seg: bytes) -> None:
        """Whole tags and the text between them."""
        if b"<!" in seg and _DECLARATION.search(seg):
            self.fail("holds a DOCTYPE or ENTITY declaration, which no xlsx has")
        for run in _long_runs(seg, self.limits.xlsx_cell_chars):
            n = _chars(run)
            if n > self.limits.xlsx_cell_chars:
                self._long_cell(n)
        if not self.sheet:
            self.strings += len(_STRING_TAG.findall(seg))
            if self.strings > self.limits.xlsx_sheet_cells:
                self.fail(f"more than {self.strings:,} shared strings, over the limit of "
                          f"{self.limits.xlsx_sheet_cells:,} ([limits] xlsx_sheet_cells)")
            return
        if not self.dimension_seen and b"dimension" in seg:
            m = _DIMENSION.search(seg)
            if m:
                self.dimension_seen = True
                self._dimension(m.group(1))
        self._rows(seg)
        self._cells(seg)
        self.check()

    def _rows(self, seg: bytes) -> None:
        numbers = _ROW_PLAIN.findall(seg)
        if len(numbers) == seg.count(b"<row") and b":row" not in seg:
            self.rows += len(numbers)
            self.numbered_rows += len(numbers)
        else:
            numbers = []
            for attrs in _ROW_ANY.findall(seg):
                self.rows += 1
                m = _R_ATTRIBUTE.search(attrs)
                if m:
                    # a row number written any other way (an entity, a sign) would escape the count
                    if not _ROW_NUMBER.fullmatch(m.group(1).strip()):
                        self.fail("a row number that is not a plain number")
                    self.numbered_rows += 1
                    numbers.append(m.group(1).strip())
        if numbers:
            self.max_row = max(self.max_row, max(map(int, numbers)))

    def _cells(self, seg: bytes) -> None:
        letters = _CELL_PLAIN.findall(seg)
        # (<c also counts <col>, <cfRule> ...: a piece that holds them takes the exact path)
        if len(letters) == seg.count(b"<c") and b":c" not in seg:
            self.cells += len(letters)
            self.numbered_cells += len(letters)
        else:
            letters = []
            for attrs in _CELL_ANY.findall(seg):
                self.cells += 1
                m = _R_ATTRIBUTE.search(attrs)
                if m:
                    ref = _CELL_REF.fullmatch(m.group(1).strip())
                    if not ref:
                        self.fail("a cell reference that is not of the form A1")
                    self.numbered_cells += 1
                    letters.append(ref.group(1))
        if letters:
            self.max_col = max(self.max_col, max(map(_column_number, set(letters))))

    def _dimension(self, ref: bytes) -> None:
        last = ref.split(b":")[-1]
        m = re.fullmatch(rb"\$?([A-Za-z]{1,3})\$?(\d{1,12})", last.strip())
        if not m:
            return          # openpyxl ignores a dimension it cannot read: so do we
        self.dim_cols, self.dim_rows = _column_number(m.group(1)), int(m.group(2))
        self.check()

    def row_bound(self) -> int:
        # numbered rows reach max_row; each unnumbered one may come after the highest number
        return max(self.max_row + (self.rows - self.numbered_rows), self.dim_rows)

    def cell_bound(self) -> int:
        # each row is padded to its last cell's column (or the dimension's); unnumbered cells extend it
        return self.row_bound() * max(self.max_col, self.dim_cols) + (self.cells - self.numbered_cells)

    def check(self) -> None:
        lim = self.limits
        rows = self.row_bound()
        if rows > lim.xlsx_sheet_rows:
            self.fail(f"{rows:,} rows, over the limit of {lim.xlsx_sheet_rows:,} ([limits] xlsx_sheet_rows)")
        cells = self.cell_bound()
        if cells > lim.xlsx_sheet_cells:
            self.fail(f"{cells:,} cells as read ({rows:,} rows, {max(self.max_col, self.dim_cols):,} columns), "
                      f"over the limit of {lim.xlsx_sheet_cells:,} ([limits] xlsx_sheet_cells)")


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _PartScan) -> None:
    carry = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            buf = carry + chunk if carry else chunk
            carry = b""
            lt = buf.find(b"<")
            if lt == -1:                       # all text: the run in progress goes on
                scan.text(buf)
                continue
            if lt:
                scan.text(buf[:lt])
            scan.end_text()
            last = buf.rfind(b"<")
            close = buf.find(b">", last)
            if close == -1:                    # the last tag is cut by the piece's end: keep it for the next
                carry = buf[last:]
                if len(carry) > _MAX_TAG:
                    scan.fail(f"a tag longer than {_MAX_TAG:,} bytes")
                scan.segment(buf[lt:last])
            else:
                scan.segment(buf[lt:close + 1])
                scan.text(buf[close + 1:])     # text after the last tag: a run that may go on
    if carry:
        scan.segment(carry)
    scan.end_text()
    scan.check()


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml") and name.count("/") == 2


def _is_strings(name: str) -> bool:
    return name.lower().endswith("sharedstrings.xml")


def check_xlsx(data: bytes, path: str, limits: Limits) -> None:
    """Raise InputError naming the file, the part and the limit if reading the workbook would pass one."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"not a readable xlsx workbook ({exc.__class__.__name__})") from None
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            big = _is_sheet(info.filename) or _is_strings(info.filename)
            limit, key = ((limits.xlsx_sheet_bytes, "xlsx_sheet_bytes") if big
                          else (limits.xlsx_part_bytes, "xlsx_part_bytes"))
            if info.file_size > limit:
                raise InputError(path, f"xlsx {info.filename} expands to {size_text(info.file_size)}, over the "
                                       f"limit of {size_text(limit)} ([limits] {key})")
            if info.file_size > _RATIO_FROM and info.file_size > limits.xlsx_ratio * max(1, info.compress_size):
                raise InputError(path, f"xlsx {info.filename} expands {info.file_size / max(1, info.compress_size):,.0f} "
                                       f"times ({size_text(info.compress_size)} to {size_text(info.file_size)}), over "
                                       f"the limit of {limits.xlsx_ratio} times ([limits] xlsx_ratio): a zip bomb?")
            total += info.file_size
        if total > limits.xlsx_total_bytes:
            raise InputError(path, f"xlsx expands to {size_text(total)} in all, over the limit of "
                                   f"{size_text(limits.xlsx_total_bytes)} ([limits] xlsx_total_bytes)")
        for info in infos:
            sheet = _is_sheet(info.filename)
            if sheet or _is_strings(info.filename):
                try:
                    _scan_part(zf, info, _PartScan(info.filename, path, limits, sheet))
                except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as exc:
                    # a CRC that does not match (a size the directory lied about), a deflate stream cut short
                    raise InputError(path, f"xlsx {info.filename} is damaged ({exc.__class__.__name__})") from None


def open_workbook(data: bytes, path):
    """openpyxl's read-only workbook of `data`, after check_xlsx with the limits in force."""
    import openpyxl

    check_xlsx(data, str(path), current())
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, SyntaxError) as exc:
        # a damaged part the guard does not scan (docProps, styles): zlib or XML errors
        raise InputError(str(path), f"not a readable xlsx workbook ({exc.__class__.__name__})") from None
