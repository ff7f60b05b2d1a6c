"""Text copied from the Qianniu/Wangwang desktop chat window.

    tb_buyer01 2024-01-15 14:30:25       header: nick, then the time (sometimes no space between)
    在吗                                  body lines
    店铺名:小美                           the header may also be the nick alone,
    2024-01-15 14:30:40                   with the time on the next line
    在的亲
    已读                                  status lines (已读/未读/发送中) are dropped
    店铺名:小美 --> 店铺名:阿强 2024-01-15 14:31:02    a transfer: a system message
    由 服务助手 转交给 店铺名:阿强          system lines (当前用户来自…, 原因：…, X 撤回了一条消息)

A line `聊天对象：<买家>` (the contact shown in the window title; our writer puts one before each
conversation) names the buyer, so a thread where only the shop spoke still knows its buyer.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .qianniu_web import CONTACT_RE, SHOP_RE
from .roles import SYSTEM_PATTERNS, contact_hint

_TS = r"(\d{4}[-/]\d{1,2}[-/]\d{1,2} \d{1,2}:\d{2}:\d{2})"
HEADER_RE = re.compile(rf"^(?P<nick>\S.*?)\s*(?P<ts>{_TS[1:-1]})$")
TS_ONLY_RE = re.compile(rf"^{_TS}$")
TRANSFER_RE = re.compile(rf"^(?P<a>.+?)\s*-->\s*(?P<b>.+?)\s+(?P<ts>{_TS[1:-1]})$")
# A header whose time was cut off by a truncated download: `tb_a 2024-01-15 09:0`
# (a body line ending in a bare date is not taken for one: the time must have begun)
PARTIAL_HEADER_RE = re.compile(r"^\S.*?\s*\d{4}[-/]\d{1,2}[-/]\d{1,2} \d{1,2}(?::\d{0,2}){0,2}$")
STATUS_RE = re.compile(r"^(?:已读|未读|发送中|发送失败|对方已读|对方未读)$")


@register
class DesktopCopyReader:
    name = "desktop_copy"

    def sniff(self, head: str) -> bool:
        # a copy may start with platform notices (当前用户来自…) before the first message header
        lines = [ln.strip() for ln in head.splitlines()
                 if ln.strip() and not CONTACT_RE.match(ln.strip()) and not SHOP_RE.match(ln.strip())
                 and not (SYSTEM_PATTERNS.match(ln.strip()) and not HEADER_RE.match(ln.strip()))
                 and not STATUS_RE.match(ln.strip())][:40]
        if len(lines) < 2:
            return False
        first = HEADER_RE.match(lines[0]) or (TS_ONLY_RE.match(lines[1]) and not TS_ONLY_RE.match(lines[0]))
        return bool(first) and "," not in lines[0]

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows()
        cur = None            # [line no, nick, ts, body lines]
        last_ts = None
        pending_system: list[tuple[int, str]] = []

        contact = None
        shop = None

        def flush():
            nonlocal cur
            if cur is not None:
                body = list(cur[3])
                while body and not body[-1].strip():
                    body.pop()
                raw.add(sender=cur[1], text="\n".join(body).strip("\n"), ts=cur[2], line=cur[0],
                        conversation=contact, shop=shop, role_hint=contact_hint(cur[1], contact))
            cur = None

        lines = text.splitlines()
        last = len(lines)
        while last and not lines[last - 1].strip():
            last -= 1
        if last and PARTIAL_HEADER_RE.match(lines[last - 1].strip()) and not (
                HEADER_RE.match(lines[last - 1].strip()) or TS_ONLY_RE.match(lines[last - 1].strip())):
            raise InputError(str(path), "last line is a message header cut short (truncated file?)", line=last)
        for idx, line in enumerate(lines):
            no = idx + 1
            s = line.strip()
            if STATUS_RE.match(s):
                continue
            sh = SHOP_RE.match(s)
            if sh:
                flush()
                shop = sh.group(1).strip()
                continue
            c = CONTACT_RE.match(s)
            if c:
                flush()
                contact = c.group(1).strip()
                continue
            t = TRANSFER_RE.match(s)
            if t:
                flush()
                last_ts = parse_ts(t.group("ts"), str(path), no)
                raw.add(sender="系统", text=f"{t.group('a')} --> {t.group('b')}", ts=last_ts, line=no,
                        role_hint="system", conversation=contact, shop=shop)
                continue
            h = HEADER_RE.match(s)
            if h and not SYSTEM_PATTERNS.match(s):
                flush()
                last_ts = parse_ts(h.group("ts"), str(path), no)
                cur = [no, h.group("nick").strip(), last_ts, []]
                self._emit_system(raw, pending_system, last_ts, contact, shop)
                continue
            if TS_ONLY_RE.match(s):
                # the nick stood alone on the previous line: it is not part of the previous body
                if cur is None or not cur[3]:
                    raise InputError(str(path), "timestamp line without a nick before it", line=no)
                nick = cur[3].pop().strip()
                if cur[2] is None:       # the placeholder for a leading nick-only line
                    cur = None
                flush()
                last_ts = parse_ts(s, str(path), no)
                cur = [no - 1, nick, last_ts, []]
                self._emit_system(raw, pending_system, last_ts, contact, shop)
                continue
            if s and SYSTEM_PATTERNS.match(s):
                flush()
                if last_ts is None:
                    pending_system.append((no, s))
                else:
                    raw.add(sender="系统", text=s, ts=last_ts, line=no, role_hint="system", conversation=contact, shop=shop)
                continue
            if cur is None:
                if s:
                    if idx + 1 < len(lines) and TS_ONLY_RE.match(lines[idx + 1].strip()):
                        cur = [no, "", None, [line]]    # a nick whose time is on the next line
                        continue
                    raise InputError(str(path), f"text before the first message header: {s[:40]!r}", line=no)
                continue
            cur[3].append(line.rstrip("\r"))
        if cur is not None and cur[2] is None:
            raise InputError(str(path), "nick line without a timestamp (truncated?)", line=cur[0])
        flush()
        if pending_system:
            raise InputError(str(path), "system lines but no timestamped message", line=pending_system[0][0])
        return raw

    @staticmethod
    def _emit_system(raw: RawRows, pending: list, ts, contact, shop) -> None:
        # system lines before the first timestamp take the time of the first message
        for no, s in pending:
            raw.add(sender="系统", text=s, ts=ts, line=no, role_hint="system", conversation=contact, shop=shop)
        pending.clear()
