"""Tables: csv/tsv and xlsx exports with a header row, whatever the exporter (RPA scripts, Pinduoduo's
消息明细, agency tools), mapped through the header synonyms in headers.toml plus the user's own.

Recognised when a header row maps at least a time, a text and one of buyer/sender/conversation.
One sheet per customer works: a sheet without a buyer column takes the sheet name as the buyer.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from importlib import resources
from pathlib import Path

from ..csv_safety import allow_long_fields, unescape_cell
from ..errors import InputError
from .base import RawRows, parse_ts, register
from .roles import role_word

FIELDS = ("shop", "conversation", "buyer", "agent", "sender", "role", "ts", "text", "order_id", "msg_type", "seq")
# The canonical export's own column names map too (so a canonical csv with odd extra columns still reads).
_CANONICAL_ALIASES = {"conversation_id": "conversation", "shop": "shop", "buyer": "buyer", "sender": "sender",
                      "role": "role", "ts": "ts", "text": "text", "order_id": "order_id"}
_PLACEHOLDER = {"图片": "[图片]", "image": "[图片]", "视频": "[视频]", "语音": "[语音]", "商品": "[商品卡片]",
                "商品卡片": "[商品卡片]", "订单": "[订单卡片]", "订单卡片": "[订单卡片]", "表情": "[表情]", "链接": "[链接]"}


def _key(header) -> str:
    return "".join(str(header or "").split()).lower().lstrip("\ufeff")


def _load_synonyms() -> dict[str, str]:
    with resources.files("monitor.ingest").joinpath("headers.toml").open("rb") as fh:
        table = tomllib.load(fh)
    out = {}
    for field, names in table.items():
        for n in names:
            out[_key(n)] = field
    return out


SYNONYMS = _load_synonyms()


def load_user_columns(columns) -> dict[str, str]:
    """A user mapping {their header: field}; fields may be canonical column names or FIELDS."""
    if columns is None:
        return {}
    if isinstance(columns, dict):
        mapping = columns
    else:
        p = Path(columns)
        try:
            data = p.read_bytes()
            mapping = tomllib.loads(data.decode("utf-8-sig")) if p.suffix.lower() == ".toml" else json.loads(data)
        except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
            raise InputError(str(p), f"cannot read the column mapping: {exc}") from None
    out = {}
    for header, field in mapping.items():
        field = _CANONICAL_ALIASES.get(field, field)
        if field not in FIELDS:
            raise InputError(str(columns), f"column mapping {header!r} -> {field!r}: unknown field "
                                           f"(use one of {', '.join(FIELDS)})")
        out[_key(header)] = field
    return out


def map_header(header: list, user: dict[str, str]) -> dict[str, int]:
    """field -> column index for the headers we recognise (user mapping first)."""
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        k = _key(h)
        field = user.get(k) or SYNONYMS.get(k) or _CANONICAL_ALIASES.get(k)
        if field and field not in found:
            found[field] = i
    return found


def usable(found: dict[str, int]) -> bool:
    return "ts" in found and "text" in found and bool({"buyer", "sender", "conversation"} & found.keys())


def rows_to_raw(rows, found: dict[str, int], path: str, raw: RawRows, sheet: str | None = None) -> None:
    """rows: iterable of (line label, list of cells)."""
    def cell(row, field):
        i = found.get(field)
        if i is None or i >= len(row):
            return None
        v = row[i]
        return None if v is None or (isinstance(v, str) and not v.strip()) else v

    for label, row in rows:
        if not any(c not in (None, "") for c in row):
            continue
        line = label if sheet is None else f"{sheet}!{label}"
        ts_val = cell(row, "ts")
        if ts_val is None:
            raise InputError(path, "row has no time", line=line)
        ts = parse_ts(ts_val, path, line)
        text = cell(row, "text")
        mtype = cell(row, "msg_type")
        if text is None:
            text = _PLACEHOLDER.get(str(mtype).strip().lower(), f"[{mtype}]") if mtype else ""
        text = str(text)
        buyer = cell(row, "buyer")
        conv = cell(row, "conversation")
        agent = cell(row, "agent")
        sender = cell(row, "sender")
        hint = role_word(cell(row, "role"))
        buyer = str(buyer) if buyer is not None else (str(conv) if conv is not None else sheet)
        if sender is None:
            # no sender column (Pinduoduo's 消息明细): the serving account, else a name for the role
            if hint in ("agent", "auto"):
                sender = str(agent) if agent is not None else ("机器人" if hint == "auto" else "客服")
            else:
                sender = "系统" if hint == "system" else buyer
        sender = str(sender)
        if hint is None and buyer is not None and sender == buyer:
            hint = "buyer"
        shop = cell(row, "shop")
        order = cell(row, "order_id")
        raw.add(sender=sender, text=text, ts=ts, line=line, buyer=buyer, role_hint=hint,
                shop=str(shop) if shop is not None else None,
                order_id=str(order).strip().lstrip("'\t=\"").rstrip("\"") if order is not None else None)


def _delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


_HEADER_SEARCH = 5   # exporters may put a title or an export-time line above the header row


def find_header(text: str, user: dict[str, str]) -> tuple[int, str, dict[str, int]] | None:
    """(0-based line of the header row, delimiter, field -> column) within the first lines, or None."""
    for i, line in enumerate(text.lstrip("\ufeff").splitlines()[:_HEADER_SEARCH]):
        delim = _delimiter(line)
        try:
            header = next(csv.reader([line], delimiter=delim))
        except (StopIteration, csv.Error):
            continue
        found = map_header(header, user)
        if usable(found):
            return i, delim, found
    return None


def unrecognised_header(head: str) -> str | None:
    """For a file that looks like a table whose headers we do not know: the reason to give."""
    first = next((ln for ln in head.lstrip("\ufeff").splitlines() if ln.strip()), "")
    delim = _delimiter(first)
    if delim not in first:
        return None
    try:
        header = next(csv.reader([first], delimiter=delim))
    except (StopIteration, csv.Error):
        return None
    return ("no recognisable columns (need a time, a text and a buyer or sender; map yours with --columns); "
            f"headers seen: {', '.join(h.strip() for h in header[:12])}")


def sniff_with(head: str, user: dict[str, str]) -> bool:
    return find_header(head, user) is not None


@register
class TableCsvReader:
    name = "table_csv"

    def sniff(self, head: str) -> bool:
        return sniff_with(head, {})

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        user = load_user_columns(columns)
        text = text.lstrip("\ufeff")
        hit = find_header(text, user)
        if hit is None:
            first = next(csv.reader(text.splitlines()[:1] or [""], delimiter=_delimiter(text.split("\n", 1)[0])), [])
            raise InputError(str(path), "no recognisable columns (need a time, a text and a buyer or sender); "
                                        f"headers seen: {', '.join(map(str, first[:12]))}", line=1)
        skip, delim, found = hit
        body = text.split("\n", skip)[-1] if skip else text     # drop the title lines above the header
        # strict: a quote left open at the end (a download cut short) is an error, not a swallowed row
        allow_long_fields()
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim, strict=True)
        next(reader)
        raw = RawRows()

        start = [skip + reader.line_num + 1]     # first physical line of the record being read
        # a spreadsheet-safe exporter (chatmon's own writers too) quotes formula-like cells
        quoted = "'" in body

        def numbered():
            for row in reader:
                yield start[0], ([unescape_cell(c) if c[:1] == "'" else c for c in row] if quoted else row)
                start[0] = skip + reader.line_num + 1
        try:
            rows_to_raw(numbered(), found, str(path), raw)
        except csv.Error as exc:
            hint = " (quote never closed: truncated file?)" if "end of data" in str(exc) else ""
            raise InputError(str(path), f"malformed csv: {exc}{hint}", line=start[0]) from None
        return raw


@register
class TableXlsxReader:
    """Reads every sheet that has a recognisable header row within its first 5 rows."""

    name = "table_xlsx"
    binary = True

    def sniff(self, head) -> bool:
        return False  # chosen by content (zip signature) in sniff(), not by text

    def read(self, data: bytes, path: Path, *, columns=None) -> RawRows:
        from zipfile import BadZipFile
        from zlib import error as ZlibError

        from .xlsx_guard import open_workbook

        user = load_user_columns(columns)
        wb = open_workbook(data, path)      # only once its cost is within [limits] (xlsx_guard)
        raw = RawRows()
        seen, matched = [], 0
        try:
            for ws in wb.worksheets:
                seen.append(ws.title)
                rows = ws.iter_rows(values_only=True)
                head_rows = []
                found = None
                for r_no, row in enumerate(rows, start=1):
                    head_rows.append(row)
                    f = map_header(list(row), user)
                    if usable(f):
                        found = f
                        break
                    if r_no >= 5:
                        break
                if not found:
                    continue
                matched += 1
                start = len(head_rows) + 1
                rows_to_raw(((start + i, list(r)) for i, r in enumerate(rows)), found, str(path), raw,
                            sheet=ws.title)
        except (BadZipFile, EOFError, ZlibError, SyntaxError) as exc:   # SyntaxError: XML parse errors
            raise InputError(str(path), f"damaged xlsx sheet ({exc.__class__.__name__})") from None
        finally:
            wb.close()
        if not matched:
            raise InputError(str(path), "no sheet with recognisable columns (need a time, a text and a buyer "
                                        f"or sender); sheets seen: {', '.join(seen) or 'none'}")
        return raw
