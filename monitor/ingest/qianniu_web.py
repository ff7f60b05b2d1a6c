"""Qianniu web chat-record page (千牛 → 客服 → 聊天记录查询), saved or copied as text.

    2024-01-15                 a date group header
    20:57:11                   the time of one message
    这个还有货吗？              the body: one or more lines
    tb_buyer01                 the sender: a buyer nick, or 店铺名:客服昵称 for a sub-account

A line `店铺：<店铺名>` (the account the page was opened with; our writer puts one at the top) names
the shop, so a thread where only the buyer spoke still knows its shop. A line `聊天对象：<买家>` (our writer puts one before each conversation; the page shows the contact
at the top) names the buyer explicitly; without it, agent replies belong to the latest buyer seen.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from ..errors import InputError
from .base import RawRows, register
from .roles import contact_hint

DATE_RE = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
CONTACT_RE = re.compile(r"^聊天对象[:：]\s*(.+)$")
SHOP_RE = re.compile(r"^店铺[:：]\s*(.+)$")
IMAGE_ONLY = "[图片]"
_EPOCH = datetime(1970, 1, 1)


@register
class QianniuWebReader:
    name = "qianniu_web"

    def sniff(self, head: str) -> bool:
        # A saved page may carry some page chrome (titles, search fields) before the first date group;
        # the layout is recognised by a date header whose next line is a time line.
        lines = [ln.strip() for ln in head.splitlines() if ln.strip()][:60]
        for a, b in zip(lines, lines[1:]):
            if TIME_RE.match(a):
                return False     # a time before any date: not this layout (or not its beginning)
            if DATE_RE.match(a):
                return bool(TIME_RE.match(b))
        return False

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows(ts_seconds=True)
        day = None
        day_s = 0              # the date header as seconds since 1970 (naive)
        day_dt = None          # the date header as a datetime (one per date group, not per message)
        contact = None
        shop = None
        block: list[tuple[int, str]] = []      # (line number, line) after a time line
        block_time = None
        # the columns of `raw`, appended to directly: RawRows.add costs a keyword call per message
        senders, texts, stamps, lines, shops, convs, hints = (raw.sender, raw.text, raw.ts, raw.line, raw.shop,
                                                              raw.conversation, raw.role_hint)
        buyers, order_ids = raw.buyer, raw.order_id        # never in this layout: None
        hint_of: dict = {}     # contact_hint per (sender, contact): senders repeat within a thread
        time_match, date_match, shop_match, contact_match = TIME_RE.match, DATE_RE.match, SHOP_RE.match, CONTACT_RE.match

        def flush(at_end=False):
            if block_time is None:
                return
            t_line, t = block_time
            lines_ = block
            end = len(lines_)
            while end and not lines_[end - 1][1].strip():
                end -= 1
            if not end or (end < 2 and at_end):
                # at the end of the file a lone line may be a body whose sender line was cut off
                raise InputError(str(path), "message has no sender line after its body (truncated?)", line=t_line)
            sender = lines_[end - 1][1].strip()
            # the page shows a picture-only message as an image with no text (LibianCrawlers' `img`)
            if end == 2:
                body = lines_[0][1].strip("\n")
            elif end > 2:
                body = "\n".join(ln for _, ln in lines_[:end - 1]).strip("\n")
            else:
                body = IMAGE_ONLY
            if day is None:
                raise InputError(str(path), "time line before any date header", line=t_line)
            key = (sender, contact)
            hint = hint_of.get(key, hint_of)
            if hint is hint_of:
                hint = hint_of[key] = contact_hint(sender, contact)
            senders.append(sender)
            texts.append(body)
            stamps.append(day_s + t)
            lines.append(str(t_line))
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
                        raise InputError(str(path), f"unparseable timestamp {s!r}", line=no)
                    block_time = (no, h * 3600 + mi * 60 + se)
                    block = []
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
                        raise InputError(str(path), f"unparseable date header {s!r}", line=no) from None
                    day_s = (day_dt - _EPOCH).days * 86_400
                    day = (y, mo, dd)
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
                if s and day is not None:
                    raise InputError(str(path), f"text outside a message block: {s[:40]!r}", line=no)
                continue     # before the first date group: page chrome, skipped
            block.append((no, line.rstrip("\r")))
        flush(at_end=True)
        return raw
