"""Tables: csv/tsv and xlsx exports with a header row, whatever the exporter (RPA scripts, Pinduoduo's
消息明细, agency tools), mapped through the header synonyms in headers.toml plus the user's own.

Recognised when a header row maps at least a time, a text and one of buyer/sender/conversation.
One sheet per customer works: a sheet without a buyer column takes the sheet name as the buyer.

Two shapes from Qianniu page exporters (EXPORT-EVIDENCE.md item 5, LAYOUTS.md):
- time-only cells (`20:57:11`: the "千牛聊天记录导出器 Excel" v5.5 workbook, a summary sheet 导出汇总 then
  one sheet per customer): the date comes from a date column, else --date (GivenDate); a time earlier
  than the one before it in the same conversation is the next day. Without a date the file is rejected
  saying how to give one. 导出时间 in 导出汇总 is when the exporter ran, never taken as the chats' date;
  a message dated after it rejects the file (the given date is wrong).
- one cell of page text per customer (客户ID, 聊天记录: khgkk/qianniu-chat-extract; buyer, chat_date,
  chat_text): each cell is read by qianniu_web.parse_page_text, `source` naming the sheet and row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from datetime import date as Date, datetime, time as Time, timedelta
from importlib import resources
from pathlib import Path

from ..csv_safety import allow_long_fields, unescape_cell
from ..errors import InputError
from .base import RawRows, parse_ts, register
from .dates import HOW_TO_GIVE, GivenDate
from .qianniu_web import END_MARK, IMAGE_ONLY, PLACEHOLDERS, is_notice, parse_page_text
from .roles import role_word

FIELDS = ("shop", "conversation", "buyer", "agent", "sender", "role", "ts", "text", "order_id", "msg_type", "seq",
          "date", "transcript")
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
    if "transcript" in found and "ts" in found and "text" not in found:
        found["text"] = found.pop("transcript")     # a per-message table calling its text 聊天记录
    return found


def usable(found: dict[str, int]) -> bool:
    return "ts" in found and "text" in found and bool({"buyer", "sender", "conversation"} & found.keys())


def is_transcript(found: dict[str, int]) -> bool:
    """One row per customer, the whole chat in one cell (no per-message time or text column)."""
    return ("transcript" in found and bool({"buyer", "conversation"} & found.keys())
            and "ts" not in found and "text" not in found)


def recognised(found: dict[str, int]) -> bool:
    return usable(found) or is_transcript(found)


_TIME_ONLY_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DATE_TEXT_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")


def time_of_day(value, path: str, line) -> int | None:
    """Seconds after midnight when a time cell holds only the time of day (`20:57:11`, a time cell);
    None for anything else (a full timestamp, read by parse_ts)."""
    if isinstance(value, Time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if not isinstance(value, str):
        return None
    m = _TIME_ONLY_RE.match(value.strip())
    if not m:
        return None
    h, mi, se = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 23 or mi > 59 or se > 59:
        raise InputError(path, f"unparseable timestamp {value.strip()!r}", line=line)
    return h * 3600 + mi * 60 + se


def date_cell(value, path: str, line) -> Date | None:
    """A date column's cell (a date, a datetime or `YYYY-MM-DD` text, a time part ignored)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, Date):
        return value
    m = _DATE_TEXT_RE.match(str(value).strip())
    if m:
        try:
            return Date(*map(int, m.groups()))
        except ValueError:
            pass
    raise InputError(path, f"unparseable date {str(value).strip()[:40]!r}", line=line)


class _Dating:
    """Dates for time-only cells: the row's date column, else the given date, rolling over midnight
    per conversation; collects what `--explain` should say about it."""

    def __init__(self, date: GivenDate | None, path: str, export_hint: str = ""):
        self.date = date
        self.path = path
        self.export_hint = export_hint
        self.last: dict = {}          # conversation -> (date, seconds after midnight of its last time)
        self.rolled = 0
        self.from_option = 0
        self.dated_rows: list[int] = []   # indexes into raw of messages dated this way
        self.repaired = 0             # rows whose sender was read again as the page shows the block

    def at(self, tod: int, row_date: Date | None, key, value, line) -> datetime:
        if row_date is not None:
            self.last[key] = (row_date, tod)
            return datetime(row_date.year, row_date.month, row_date.day) + timedelta(seconds=tod)
        if self.date is None:
            raise InputError(self.path, f"time {str(value).strip()!r} has only the time of day and the file names "
                                        f"no date: {HOW_TO_GIVE}{self.export_hint}", line=line)
        day, prev = self.last.get(key, (self.date.day, -1))
        if tod < prev:
            day = day + timedelta(days=1)      # back past midnight: the chat went on the next day
            self.rolled += 1
        self.last[key] = (day, tod)
        self.from_option += 1
        return datetime(day.year, day.month, day.day) + timedelta(seconds=tod)

    def notes(self) -> list[str]:
        out = []
        if self.from_option:
            out.append(self.date.note())
        if self.rolled:
            out.append(f"时间往回跳过午夜 {self.rolled} 次，之后的消息记为次日")
        if self.repaired:
            out.append(f"{self.repaired} 行的发送账号为空、是“没有更多内容了”或是平台通知：按千牛网页的消息块重新认定发送人"
                       "（单独一行 = 该发送人的图片消息）")
        return out


def mapped_cell(found: dict[str, int], row, field: str):
    """The cell of `row` under `field` of the header mapping `found`; None when absent or blank."""
    i = found.get(field)
    if i is None or i >= len(row):
        return None
    v = row[i]
    return None if v is None or (isinstance(v, str) and not v.strip()) else v


def rows_to_raw(rows, found: dict[str, int], path: str, raw: RawRows, sheet: str | None = None,
                dating: _Dating | None = None) -> None:
    """rows: iterable of (line label, list of cells)."""
    dating = dating or _Dating(None, path)

    for label, row in rows:
        if not any(c not in (None, "") for c in row):
            continue
        line = label if sheet is None else f"{sheet}!{label}"
        ts_val = mapped_cell(found, row, "ts")
        if ts_val is None:
            raise InputError(path, "row has no time", line=line)
        text = mapped_cell(found, row, "text")
        mtype = mapped_cell(found, row, "msg_type")
        if text is None:
            text = _PLACEHOLDER.get(str(mtype).strip().lower(), f"[{mtype}]") if mtype else ""
        text = str(text)
        buyer = mapped_cell(found, row, "buyer")
        conv = mapped_cell(found, row, "conversation")
        agent = mapped_cell(found, row, "agent")
        sender = mapped_cell(found, row, "sender")
        hint = role_word(mapped_cell(found, row, "role"))
        buyer = str(buyer) if buyer is not None else (str(conv) if conv is not None else sheet)
        tod = time_of_day(ts_val, path, line)
        if tod is None:
            ts = parse_ts(ts_val, path, line)
        else:
            ts = dating.at(tod, date_cell(mapped_cell(found, row, "date"), path, line), (sheet, buyer), ts_val, line)
            dating.dated_rows.append(len(raw))
            # the page exporter's rows are page blocks (time, body lines, sender): read them as the
            # page reader reads a block
            was = sender
            sender, text, hint = _page_block(sender, text, hint)
            if sender != was:
                dating.repaired += 1
        if sender is None:
            # no sender column (Pinduoduo's 消息明细): the serving account, else a name for the role
            if hint in ("agent", "auto"):
                sender = str(agent) if agent is not None else ("机器人" if hint == "auto" else "客服")
            else:
                sender = "系统" if hint == "system" else buyer
        sender = str(sender)
        if hint is None and buyer is not None and sender == buyer:
            hint = "buyer"
        shop = mapped_cell(found, row, "shop")
        order = mapped_cell(found, row, "order_id")
        raw.add(sender=sender, text=text, ts=ts, line=line, buyer=buyer, role_hint=hint,
                shop=str(shop) if shop is not None else None,
                order_id=str(order).strip().lstrip("'\t=\"").rstrip("\"") if order is not None else None)


def _page_block(sender, text: str, hint):
    """(sender, text, role hint) of a time-only exporter row, as qianniu_web reads the same block.

    The v5.5 exporter takes a block's last line as its sender: when the page's end marker
    没有更多内容了 followed the block, the real sender is the body's last line; a one-line block has
    no sender (the page shows a picture-only message as its sender's name alone); a notice or a card
    placeholder is the platform's, not a sender's."""
    sender = str(sender).strip() if sender is not None else None
    if sender == END_MARK:
        lines = text.split("\n")
        sender, text, hint = lines[-1].strip(), "\n".join(lines[:-1]) or IMAGE_ONLY, None
    elif sender is None and text.strip() and "\n" not in text.strip():
        line = text.strip()
        if line in PLACEHOLDERS or is_notice(line):
            return "系统", line, "system"
        sender, text, hint = line, IMAGE_ONLY, None
    if sender in PLACEHOLDERS or (sender and is_notice(sender)):
        return "系统", f"{text}\n{sender}".strip(), "system"
    if is_notice(text.strip()):
        hint = "system"
    return sender, text, hint


def transcripts_to_raw(rows, found: dict[str, int], path: str, raw: RawRows, sheet: str | None,
                       date: GivenDate | None, notes: list) -> None:
    """One row per customer whose chat is one cell of page text: each cell read by the page reader."""

    for label, row in rows:
        text = mapped_cell(found, row, "transcript")
        if text is None:
            continue
        where = str(label) if sheet is None else f"{sheet}!{label}"
        s = str(text).strip()
        if s in ("(无聊天内容)", "（无聊天内容）"):
            continue       # khgkk's exporter: the customer had no messages
        if s.startswith(("(提取失败", "（提取失败")):
            raise InputError(path, f"the exporter could not read this customer's chat: {s[:80]!r}", line=where)
        who = mapped_cell(found, row, "buyer")
        who = str(who).strip() if who is not None else str(mapped_cell(found, row, "conversation")).strip()
        row_date = date_cell(mapped_cell(found, row, "date"), path, where)
        parse_page_text(str(text), Path(path), raw, cell=where, buyer=who, notes=notes,
                        date=GivenDate(row_date, "日期列") if row_date is not None else date)


def _merge(raw: RawRows, cells: RawRows) -> RawRows:
    """Per-message rows (datetimes) and page-text cells (seconds) of one file as one RawRows."""
    if not len(raw):
        cells.assumptions, cells.layout_detail = raw.assumptions, raw.layout_detail
        return cells
    epoch = datetime(1970, 1, 1)
    for i in range(len(cells)):
        raw.add(sender=cells.sender[i], text=cells.text[i], ts=epoch + timedelta(seconds=int(cells.ts[i])),
                line=cells.line[i], buyer=cells.buyer[i], role_hint=cells.role_hint[i], shop=cells.shop[i],
                order_id=cells.order_id[i], conversation=cells.conversation[i])
    return raw


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
        if recognised(found):
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


_SUMMARY_SHEET = "导出汇总"
_SUMMARY_HEADERS = {"客户名", "状态", "导出时间"}


class ExportSummary:
    """The page exporter's summary sheet 导出汇总 (客户名, 状态, 消息数, 是否生成工作表, 失败原因, 导出时间)."""

    def __init__(self):
        self.export_times: list[datetime] = []
        self.failed: list[tuple[str, str]] = []
        self.customers = 0

    @staticmethod
    def header(row) -> dict[str, int] | None:
        names = {str(c).strip(): i for i, c in enumerate(row) if c is not None}
        return names if _SUMMARY_HEADERS <= names.keys() else None

    def add_rows(self, cols: dict[str, int], rows, path: str) -> None:
        def get(row, name):
            i = cols.get(name)
            return row[i] if i is not None and i < len(row) else None
        for row in rows:
            row = list(row)
            name = get(row, "客户名")
            if name is None or not str(name).strip():
                continue
            self.customers += 1
            status = str(get(row, "状态") or "").strip()
            if status and status != "成功":
                self.failed.append((str(name).strip(), str(get(row, "失败原因") or status).strip()))
            when = get(row, "导出时间")
            if when is not None and str(when).strip():
                try:
                    self.export_times.append(parse_ts(when, path, None))
                except InputError:
                    pass       # an export time we cannot read bounds nothing

    def hint(self) -> str:
        if not self.export_times:
            return ""
        return (f" (导出汇总's 导出时间 {max(self.export_times):%Y-%m-%d %H:%M:%S} is when the exporter ran, "
                "not the chats' date: the page lists up to three months of chats)")

    def check(self, raw: RawRows, rows: list[int], path: str) -> None:
        """No message dated from a given date can be later than the export: the date would be wrong."""
        if not self.export_times:
            return
        latest = max(self.export_times)
        for i in rows:
            if raw.ts[i] > latest:
                raise InputError(path, f"message at {raw.ts[i]:%Y-%m-%d %H:%M:%S} is after the export time "
                                       f"{latest:%Y-%m-%d %H:%M:%S} (导出汇总): the chats' date is wrong; "
                                       "check --date (聊天日期不可能晚于导出时间)", line=raw.line[i])

    def notes(self) -> list[str]:
        out = []
        if self.failed:
            shown = "；".join(f"{n}：{r}" for n, r in self.failed[:3])
            out.append(f"导出汇总：{len(self.failed)} 位客户导出失败（{shown}），他们的聊天不在此文件里")
        if self.export_times:
            out.append(f"导出汇总的导出时间 {max(self.export_times):%Y-%m-%d %H:%M:%S} 是导出器运行的时间，未当作聊天日期")
        return out


def _finish(raw: RawRows, cells: RawRows, dating: _Dating, notes: list, layout: str | None,
            summary: ExportSummary | None = None) -> RawRows:
    if summary is not None:
        summary.check(raw, dating.dated_rows, str(dating.path))
    notes[:0] = dating.notes() + (summary.notes() if summary is not None else [])
    out = _merge(raw, cells) if len(cells) else raw
    out.assumptions = notes
    if layout:
        out.layout_detail = layout
    return out


@register
class TableCsvReader:
    name = "table_csv"
    takes_date = True

    def sniff(self, head: str) -> bool:
        return sniff_with(head, {})

    def read(self, text: str, path: Path, *, columns=None, date=None) -> RawRows:
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
        raw, cells, notes = RawRows(), RawRows(ts_seconds=True), []
        dating = _Dating(date, str(path))

        start = [skip + reader.line_num + 1]     # first physical line of the record being read
        # a spreadsheet-safe exporter (chatmon's own writers too) quotes formula-like cells
        quoted = "'" in body

        def numbered():
            for row in reader:
                yield start[0], ([unescape_cell(c) if c[:1] == "'" else c for c in row] if quoted else row)
                start[0] = skip + reader.line_num + 1
        try:
            if is_transcript(found):
                transcripts_to_raw(numbered(), found, str(path), cells, None, date, notes)
            else:
                rows_to_raw(numbered(), found, str(path), raw, dating=dating)
        except csv.Error as exc:
            hint = " (quote never closed: truncated file?)" if "end of data" in str(exc) else ""
            raise InputError(str(path), f"malformed csv: {exc}{hint}", line=start[0]) from None
        layout = "one cell of page text per customer" if is_transcript(found) else None
        return _finish(raw, cells, dating, notes, layout)


@register
class TableXlsxReader:
    """Reads every sheet that has a recognisable header row within its first 5 rows."""

    name = "table_xlsx"
    binary = True
    takes_date = True

    def sniff(self, head) -> bool:
        return False  # chosen by content (zip signature) in sniff(), not by text

    def read(self, data: bytes, path: Path, *, columns=None, date=None) -> RawRows:
        from zipfile import BadZipFile
        from zlib import error as ZlibError

        from .xlsx_guard import open_workbook

        user = load_user_columns(columns)
        wb = open_workbook(data, path)      # only once its cost is within [limits] (xlsx_guard)
        raw, cells, notes = RawRows(), RawRows(ts_seconds=True), []
        summary = None
        seen, matched, kinds = [], 0, set()
        try:
            # the page exporter writes its summary first; read it first anyway: it explains a missing date
            sheets = sorted(wb.worksheets, key=lambda ws: ws.title != _SUMMARY_SHEET)
            for ws in sheets:
                rows = ws.iter_rows(values_only=True)
                first = next(rows, None)
                cols = ExportSummary.header(first) if first is not None else None
                if cols is not None:
                    summary = summary or ExportSummary()
                    summary.add_rows(cols, rows, str(path))
            dating = _Dating(date, str(path), summary.hint() if summary is not None else "")
            for ws in wb.worksheets:
                seen.append(ws.title)
                rows = ws.iter_rows(values_only=True)
                head_rows = []
                found = None
                for r_no, row in enumerate(rows, start=1):
                    head_rows.append(row)
                    f = map_header(list(row), user)
                    if recognised(f):
                        found = f
                        break
                    if r_no >= 5:
                        break
                if not found:
                    continue
                matched += 1
                start = len(head_rows) + 1
                numbered = ((start + i, list(r)) for i, r in enumerate(rows))
                if is_transcript(found):
                    kinds.add("one cell of page text per customer")
                    transcripts_to_raw(numbered, found, str(path), cells, ws.title, date, notes)
                else:
                    before = len(dating.dated_rows)
                    rows_to_raw(numbered, found, str(path), raw, sheet=ws.title, dating=dating)
                    if len(dating.dated_rows) > before:
                        kinds.add("time-of-day-only cells")
        except (BadZipFile, EOFError, ZlibError, SyntaxError) as exc:   # SyntaxError: XML parse errors
            raise InputError(str(path), f"damaged xlsx sheet ({exc.__class__.__name__})") from None
        finally:
            wb.close()
        if not matched and summary is None:
            raise InputError(str(path), "no sheet with recognisable columns (need a time, a text and a buyer "
                                        f"or sender); sheets seen: {', '.join(seen) or 'none'}")
        layout = None
        if summary is not None:
            layout = "Qianniu page exporter workbook (导出汇总 + one sheet per customer)"
        elif kinds:
            layout = ", ".join(sorted(kinds))
        return _finish(raw, cells, dating, notes, layout, summary)
