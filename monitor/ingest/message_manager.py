"""The message-manager text export of desktop IM clients (QQ's 消息管理器 → 导出消息记录 → txt, and the
Wangwang message manager that is commonly said to mirror it):

    ================================================================
    消息记录
    ================================================================
    消息分组:我的客户
    ================================================================
    消息对象:tb_buyer01                  the contact: the buyer of the following messages
    ================================================================

    2024-01-15 14:30:25 tb_buyer01       header: the time FIRST, then the sender
    在吗                                  body lines (blank lines between messages are dropped)

    2024-01-15 14:30:40 云朵家居旗舰店:小美
    在的亲

Unlike `desktop_copy` (nick first, then time) the time leads the header line. The reader takes the
header style from the file as a whole, so a body line that starts with a date in a nick-first copy is
never mistaken for a header. A `店铺：<shop>` line (our writer's) names the shop.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .qianniu_web import SHOP_RE
from .roles import contact_hint

HEADER_RE = re.compile(r"^(?P<ts>\d{4}[-/]\d{1,2}[-/]\d{1,2} \d{1,2}:\d{2}:\d{2})\s+(?P<nick>\S.*)$")
CONTACT_RE = re.compile(r"^(?:消息对象|聊天对象)[:：]\s*(.+)$")
# the export's own frame: separator rules, its title line, the contact group
FRAME_RE = re.compile(r"^(?:={8,}|-{8,}|消息记录.*|消息分组[:：].*)$")


@register
class MessageManagerReader:
    name = "message_manager"

    def sniff(self, head: str) -> bool:
        lines = [ln.strip() for ln in head.splitlines() if ln.strip()][:60]
        framed = False
        for ln in lines:
            if FRAME_RE.match(ln) or CONTACT_RE.match(ln) or SHOP_RE.match(ln):
                framed = framed or bool(FRAME_RE.match(ln) or CONTACT_RE.match(ln))
                continue
            # the first real line must be a time-first header; without the export's frame we also
            # want a second header, so a single dated note is not taken for a chat
            if not HEADER_RE.match(ln):
                return False
            return framed or sum(1 for x in lines if HEADER_RE.match(x)) >= 2
        return False

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows()
        contact = shop = None
        cur = None           # [line no, nick, ts, body lines]

        def flush():
            nonlocal cur
            if cur is not None:
                body = cur[3]
                while body and not body[-1].strip():
                    body.pop()
                raw.add(sender=cur[1], text="\n".join(body), ts=cur[2], line=cur[0], conversation=contact,
                        shop=shop, role_hint=contact_hint(cur[1], contact))
            cur = None

        for no, line in enumerate(text.splitlines(), start=1):
            s = line.strip()
            h = HEADER_RE.match(s)
            if h:
                flush()
                cur = [no, h.group("nick").strip(), parse_ts(h.group("ts"), str(path), no), []]
                continue
            if FRAME_RE.match(s):
                flush()
                continue
            c = CONTACT_RE.match(s)
            if c:
                flush()
                contact = c.group(1).strip()
                continue
            sh = SHOP_RE.match(s)
            if sh:
                flush()
                shop = sh.group(1).strip()
                continue
            if cur is None:
                if s:
                    raise InputError(str(path), f"text before the first message header: {s[:40]!r}", line=no)
                continue
            if not cur[3] and not s:
                continue     # blank line right after a header
            cur[3].append(line.rstrip("\r"))
        flush()
        return raw
