"""Qianniu web chat-record page (千牛 → 客服 → 聊天记录查询), saved or copied as text.

    2024-01-15                 a date group header
    20:57:11                   the time of one message
    这个还有货吗？              the body: one or more lines
    tb_buyer01                 the sender: a buyer nick, or 店铺名:客服昵称 for a sub-account

A line `店铺：<店铺名>` (the account the page was opened with; our writer puts one at the top) names
the shop, so a thread where only the buyer spoke still knows its shop. A line `聊天对象：<买家>` (our writer puts one before each conversation; the page shows the contact
at the top) names the buyer explicitly; without it, agent replies belong to the latest buyer seen.

What the page adds around the messages (evidence item 5 of EXPORT-EVIDENCE.md, an analysis script of
such exports): `没有更多内容了` (the page's end-of-history marker) ends a block and is never a sender;
control characters such as \\x03 are dropped; a block whose last line is a platform notice
(【此消息为欢迎卡片…, 您选择了一个订单进行咨询…, 由服务助手转交给…, 用户发起转人工, X 撤回了一条消息) or the card
placeholder 目前版本不支持该功能,请升级 has no sender: it is a `system` message. A notice body under a
real sender keeps the sender and becomes `system`; a placeholder body keeps its sender and role and is
unreadable (schema.is_unreadable: counted for timing, never classified).

`parse_page_text` reads the same text from one cell of a table (one customer per row, table.py); it
also reads the cell form `20:57:11` then `发送人: 内容` written by khgkk/qianniu-chat-extract.
"""

from __future__ import annotations

import re
from datetime import date as Date, datetime
from pathlib import Path

from ..errors import InputError
from .base import RawRows, register
from .dates import HOW_TO_GIVE
from .roles import SYSTEM_PATTERNS, contact_hint

DATE_RE = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
CONTACT_RE = re.compile(r"^聊天对象[:：]\s*(.+)$")
SHOP_RE = re.compile(r"^店铺[:：]\s*(.+)$")
IMAGE_ONLY = "[图片]"
END_MARK = "没有更多内容了"
# the page cannot render a card (order, coupon, mini-program) and prints this instead
PLACEHOLDERS = frozenset({"目前版本不支持该功能,请升级", "目前版本不支持该功能，请升级",
                          "请在客户端查看原始聊天记录，网页版无法展示", "请在客户端查看原始聊天记录,网页版无法展示"})
# whole-line notices the platform writes into a chat (never a sender's name)
PAGE_NOTICE_RE = re.compile(
    r"^(?:【此消息为欢迎卡片.*|您选择了一个订单进行咨询.*|由\s*服务助手\s*转交给.*|用户发起转人工.*|.{0,40}撤回了一条消息)$")
# C0 control characters other than tab, newline and carriage return (web exports carry \x03)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# khgkk/qianniu-chat-extract writes each message as `time` then `name: text` (colon and space);
# a sub-account name holds a colon without a space (店铺:小美), so the first ": " ends the name
NAME_TEXT_RE = re.compile(r"^(?P<name>\S.{0,63}?): (?P<text>.*)$")
_EPOCH = datetime(1970, 1, 1)


# every notice either pattern matches starts with one of these or holds one of the two markers: a
# cheap test first, since it runs for every message of a page
_NOTICE_FIRST = frozenset("【您由用当原系[会买已客")


def is_notice(line: str) -> bool:
    """A platform notice line: never a sender, never a buyer's or agent's words."""
    if line[:1] not in _NOTICE_FIRST and "-->" not in line and "撤回了一条消息" not in line:
        return False
    return bool(PAGE_NOTICE_RE.match(line) or SYSTEM_PATTERNS.match(line))


def drop_controls(text: str, notes: list | None) -> str:
    """The text without C0 control characters; says how many went in `notes`."""
    n = len(CONTROL_RE.findall(text)) if CONTROL_RE.search(text) else 0
    if n:
        text = CONTROL_RE.sub("", text)
        if notes is not None:
            notes.append(f"删除了 {n} 个控制字符（如 \\x03，网页导出常带）")
    return text


def _day_seconds(d: Date) -> int:
    return (datetime(d.year, d.month, d.day) - _EPOCH).days * 86_400


class _Where:
    """Where a line is, for `source` and errors: the file's line, or a table cell and its line."""

    def __init__(self, cell: str | None):
        self.cell = cell

    def label(self, no: int) -> str:
        return self.cell if self.cell is not None else str(no)

    def error(self, path, reason: str, no: int) -> InputError:
        if self.cell is None:
            return InputError(str(path), reason, line=no)
        return InputError(str(path), f"{reason} (line {no} of the cell)", line=self.cell)


def parse_page_text(text: str, path: Path, raw: RawRows, *, date=None, cell: str | None = None,
                    buyer: str | None = None, notes: list | None = None) -> None:
    """Append the messages of Qianniu page text to `raw` (which collects times as seconds).

    date: a GivenDate (ingest/dates.py) for times before any date line; a time earlier than the one
    before it then moves to the next day (the chat ran past midnight). cell: the table cell the text
    comes from (`Sheet!row` or a csv line), used as every message's line; buyer: the cell's customer,
    the conversation of every message (not used to decide roles: the customer column holds a display
    name that often differs from the sender's account name).
    """
    text = drop_controls(text, notes)
    if cell is not None and _sender_first(text):
        _parse_sender_first(text, path, raw, date=date, cell=cell, buyer=buyer, notes=notes)
        return
    where = _Where(cell)
    day = None
    day_s = 0              # the date header as seconds since 1970 (naive)
    from_option = False    # the day came from --date (no date line yet): times roll over midnight
    prev_t = -1
    rolled = 0
    if date is not None:
        day, day_s, from_option = date.day, _day_seconds(date.day), True
    started = False        # a date or time line seen: before it, page chrome is skipped
    contact = buyer
    shop = None
    block: list[tuple[int, str]] = []      # (line number, line) after a time line
    block_time = None
    senders, texts, stamps, lines, shops, convs, hints = (raw.sender, raw.text, raw.ts, raw.line, raw.shop,
                                                          raw.conversation, raw.role_hint)
    buyers, order_ids = raw.buyer, raw.order_id        # never in this layout: None
    hint_of: dict = {}     # contact_hint per (sender, contact): senders repeat within a thread
    time_match, date_match, shop_match, contact_match = TIME_RE.match, DATE_RE.match, SHOP_RE.match, CONTACT_RE.match
    label = where.label
    hints_from_contact = buyer is None   # a cell's customer name is not the senders' account name
    stats = {"system": 0, "dated": 0}

    def flush(at_end=False):
        if block_time is None:
            return
        t_line, t = block_time
        lines_ = block
        end = len(lines_)
        while end and not lines_[end - 1][1].strip():
            end -= 1
        if not end:
            raise where.error(path, "message has no sender line after its body (truncated?)", t_line)
        last = lines_[end - 1][1].strip()
        hint = None
        if last in PLACEHOLDERS or is_notice(last):
            # a notice or a card the page cannot show, with nobody named under it: the platform's
            sender = "系统"
            body = "\n".join(ln for _, ln in lines_[:end]).strip("\n").strip()
            hint = "system"
            stats["system"] += 1
        else:
            if end < 2 and at_end:
                # at the end of the file a lone line may be a body whose sender line was cut off
                raise where.error(path, "message has no sender line after its body (truncated?)", t_line)
            sender = last
            # the page shows a picture-only message as an image with no text (LibianCrawlers' `img`)
            if end == 2:
                body = lines_[0][1].strip("\n")
            elif end > 2:
                body = "\n".join(ln for _, ln in lines_[:end - 1]).strip("\n")
            else:
                body = IMAGE_ONLY
            if end == 2 and is_notice(body.strip()):
                hint = "system"
                stats["system"] += 1
        if day is None:
            raise where.error(path, f"time line before any date header: the text names no date; {HOW_TO_GIVE}",
                              t_line)
        if from_option:
            stats["dated"] += 1
        if hint is None and hints_from_contact:
            key = (sender, contact)
            hint = hint_of.get(key, hint_of)
            if hint is hint_of:
                hint = hint_of[key] = contact_hint(sender, contact)
        senders.append(sender)
        texts.append(body)
        stamps.append(day_s + t)
        lines.append(label(t_line))
        shops.append(shop)
        convs.append(contact)
        hints.append(hint)
        buyers.append(None)
        order_ids.append(None)

    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        n = len(s)
        # cheap tests of length and first characters before each regex: most lines are bodies and senders
        if (n == 7 or n == 8) and s[-3] == ":" and s[-6] == ":":
            m = time_match(s)
            if m:
                flush()
                h, mi, se = map(int, m.groups())
                if h > 23 or mi > 59 or se > 59:
                    raise where.error(path, f"unparseable timestamp {s!r}", no)
                t = h * 3600 + mi * 60 + se
                if from_option and t < prev_t:
                    day_s += 86_400          # past midnight: the next day
                    rolled += 1
                prev_t = t
                block_time = (no, t)
                block = []
                started = True
                continue
        if 8 <= n <= 11:
            d = date_match(s)
            if d:
                flush()
                block_time, block = None, []
                try:
                    y, mo, dd = map(int, d.groups())
                    day_dt = datetime(y, mo, dd)
                except ValueError:
                    raise where.error(path, f"unparseable date header {s!r}", no) from None
                day_s = (day_dt - _EPOCH).days * 86_400
                day = (y, mo, dd)
                from_option = False
                started = True
                continue
        if s == END_MARK:
            flush()          # the end of the loaded history, never a sender or a body
            block_time, block = None, []
            continue
        if s.startswith("店铺"):
            sh = shop_match(s)
            if sh:   # like the contact header, it starts a new section (a body line can't begin with it)
                flush()
                block_time, block = None, []
                shop = sh.group(1).strip()
                continue
        if s.startswith("聊天对象"):
            c = contact_match(s)
            if c:  # a contact header always starts a new conversation (a body line can't begin with it)
                flush()
                block_time, block = None, []
                contact = c.group(1).strip()
                continue
        if block_time is None:
            if s and started:
                raise where.error(path, f"text outside a message block: {s[:40]!r}", no)
            continue     # before the first date group: page chrome, skipped
        block.append((no, line.rstrip("\r")))
    flush(at_end=True)
    _note_date(notes, date if stats["dated"] else None, rolled, cell)
    if stats["system"] and notes is not None:
        notes.append(f"{stats['system']} 条平台通知或无法显示的卡片读作系统消息（不算买家或客服）")


def _note_date(notes, date, rolled: int, cell) -> None:
    if notes is None or date is None:
        return
    note = date.note()
    if date.source.startswith("--") and note not in notes:     # a date column is the file's own, not assumed
        notes.append(note)
    if rolled:
        where = f"{cell}：" if cell else ""
        notes.append(f"{where}时间往回跳过午夜 {rolled} 次，之后的消息记为次日")


def _sender_first(text: str) -> bool:
    """Whether a cell holds khgkk's form (`time` line, then `name: text`): every message's first
    line names its sender before `: `."""
    seen = 0
    lines = [ln.strip() for ln in text.splitlines()]
    for i, s in enumerate(lines):
        if TIME_RE.match(s):
            nxt = next((x for x in lines[i + 1:] if x), "")
            if not NAME_TEXT_RE.match(nxt) or TIME_RE.match(nxt):
                return False
            seen += 1
    return seen > 0


def _parse_sender_first(text: str, path: Path, raw: RawRows, *, date, cell: str, buyer, notes) -> None:
    where = _Where(cell)
    day_s = _day_seconds(date.day) if date is not None else None
    from_option = date is not None
    prev_t, rolled = -1, 0
    cur = None           # [time line no, seconds, name, text lines]

    def flush():
        if cur is None:
            return
        body = cur[3]
        while body and not body[-1].strip():
            body.pop()
        txt = "\n".join(body)
        hint = "system" if is_notice(txt.strip()) else None
        raw.add(sender=cur[2], text=txt, ts=cur[1], line=cell, conversation=buyer, role_hint=hint)

    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        m = TIME_RE.match(s)
        if m:
            flush()
            h, mi, se = map(int, m.groups())
            if h > 23 or mi > 59 or se > 59:
                raise where.error(path, f"unparseable timestamp {s!r}", no)
            if day_s is None:
                raise where.error(path, f"the messages have only a time of day and the text names no date: "
                                        f"{HOW_TO_GIVE}", no)
            t = h * 3600 + mi * 60 + se
            if from_option and t < prev_t:
                day_s += 86_400
                rolled += 1
            prev_t = t
            cur = [no, day_s + t, None, []]
            continue
        d = DATE_RE.match(s)
        if d:
            flush()
            cur = None
            try:
                day_s = _day_seconds(Date(*map(int, d.groups())))
            except ValueError:
                raise where.error(path, f"unparseable date header {s!r}", no) from None
            from_option = False
            continue
        if cur is None:
            if s and s != END_MARK:
                raise where.error(path, f"text outside a message block: {s[:40]!r}", no)
            continue
        if s == END_MARK:
            flush()
            cur = None
            continue
        if cur[2] is None:
            if not s:
                continue
            nt = NAME_TEXT_RE.match(s)
            cur[2], first = nt.group("name").strip(), nt.group("text")
            cur[3].append(first)
        else:
            cur[3].append(line.rstrip("\r"))
    flush()
    _note_date(notes, date, rolled, cell)


@register
class QianniuWebReader:
    name = "qianniu_web"
    takes_date = True

    def sniff(self, head: str) -> bool:
        # A saved page may carry some page chrome (titles, search fields) before the first date group;
        # the layout is recognised by a date header whose next line is a time line.
        lines = [ln.strip() for ln in CONTROL_RE.sub("", head).splitlines() if ln.strip()][:60]
        for a, b in zip(lines, lines[1:]):
            if TIME_RE.match(a):
                return False     # a time before any date: not this layout (or not its beginning)
            if DATE_RE.match(a):
                return bool(TIME_RE.match(b))
        return False

    def read(self, text: str, path: Path, *, columns=None, date=None) -> RawRows:
        raw = RawRows(ts_seconds=True)
        parse_page_text(text, path, raw, date=date, notes=raw.assumptions)
        return raw
