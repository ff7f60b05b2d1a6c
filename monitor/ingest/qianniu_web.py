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
        raw = RawRows()
        day = None
        contact = None
        shop = None
        block: list[tuple[int, str]] = []      # (line number, line) after a time line
        block_time = None

        def flush(at_end=False):
            if block_time is None:
                return
            t_line, t = block_time
            lines = list(block)
            while lines and not lines[-1][1].strip():
                lines.pop()
            if not lines or (len(lines) < 2 and at_end):
                # at the end of the file a lone line may be a body whose sender line was cut off
                raise InputError(str(path), "message has no sender line after its body (truncated?)", line=t_line)
            sender = lines[-1][1].strip()
            # the page shows a picture-only message as an image with no text (LibianCrawlers' `img`)
            body = "\n".join(ln for _, ln in lines[:-1]).strip("\n") if len(lines) > 1 else IMAGE_ONLY
            if day is None:
                raise InputError(str(path), "time line before any date header", line=t_line)
            ts = datetime(day[0], day[1], day[2], t[0], t[1], t[2])
            raw.add(sender=sender, text=body, ts=ts, line=t_line, conversation=contact, shop=shop,
                    role_hint=contact_hint(sender, contact))

        for no, line in enumerate(text.splitlines(), start=1):
            s = line.strip()
            m = TIME_RE.match(s)
            if m:
                flush()
                h, mi, se = map(int, m.groups())
                if h > 23 or mi > 59 or se > 59:
                    raise InputError(str(path), f"unparseable timestamp {s!r}", line=no)
                block_time = (no, (h, mi, se))
                block = []
                continue
            d = DATE_RE.match(s)
            if d:
                flush()
                block_time, block = None, []
                try:
                    y, mo, dd = map(int, d.groups())
                    datetime(y, mo, dd)
                except ValueError:
                    raise InputError(str(path), f"unparseable date header {s!r}", line=no) from None
                day = (y, mo, dd)
                continue
            sh = SHOP_RE.match(s)
            if sh:   # like the contact header, it starts a new section (a body line can't begin with it)
                flush()
                block_time, block = None, []
                shop = sh.group(1).strip()
                continue
            c = CONTACT_RE.match(s)
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
