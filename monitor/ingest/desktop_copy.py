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

From a public parser of such copies (readcliper.py, EXPORT-EVIDENCE.md item 6): an `A --> B time`
line FOLLOWED by content lines heads a message, written by A (to B); with no content it is a transfer
notice (`system`). Lines that parser skips as window chrome (当前用户来自, 商品详情页, 由 服务助手 转交给,
原因：【离线留言自动分配】, 商品推荐, 千牛, lines starting with ¥ or http) never reject a file: between
messages they are system notices (当前用户来自 and the line after it, 由 服务助手 转交给 and the nick after
it, join into one notice); inside a message ¥ and http lines stay its text (a card's price and link are what it
says). Text after a notice with no header of its own continues the message the notice interrupted.
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
# window chrome readcliper.py skips: exact lines, and price / link lines of product cards
CHROME_EXACT = frozenset({"当前用户来自", "商品详情页", "商品推荐", "千牛", "这些非常适合您的商品可以一起看看～～"})
CHROME_PREFIXES = ("¥", "￥", "http", "`http")


def is_chrome(s: str) -> bool:
    return s in CHROME_EXACT or s.startswith(CHROME_PREFIXES)


def _is_skippable(s: str) -> bool:
    """A line before the first message header that is not a message: notices, chrome, status."""
    return bool(CONTACT_RE.match(s) or SHOP_RE.match(s) or STATUS_RE.match(s) or is_chrome(s)
                or (SYSTEM_PATTERNS.match(s) and not HEADER_RE.match(s)))


@register
class DesktopCopyReader:
    name = "desktop_copy"

    def sniff(self, head: str) -> bool:
        # a copy may start with platform notices (当前用户来自…) before the first message header
        lines = [ln.strip() for ln in head.splitlines() if ln.strip() and not _is_skippable(ln.strip())][:40]
        if len(lines) < 2:
            return False
        first = HEADER_RE.match(lines[0]) or (TS_ONLY_RE.match(lines[1]) and not TS_ONLY_RE.match(lines[0]))
        return bool(first) and "," not in lines[0]

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows()
        cur = None            # [line no, nick, ts, body lines, receiver of an `A --> B` line or None]
        last_ts = None
        pending_system: list[list] = []     # [line no, text] before the first timestamp
        resume = None         # what a body line with no header of its own continues (see flush)
        open_notice = None    # a notice the next line completes: 当前用户来自 / 由 服务助手 转交给
        arrows = [0]          # messages under an `A --> B time` line

        contact = None
        shop = None

        def flush():
            nonlocal cur, resume
            if cur is not None:
                body = list(cur[3])
                while body and not body[-1].strip():
                    body.pop()
                # chrome lines inside a message (千牛, 商品推荐 ...) are the window's, not what was said
                said = [ln for ln in body if ln.strip() not in CHROME_EXACT]
                if said and len(said) < len(body):
                    body = said
                if cur[4] is not None and not body:
                    # `A --> B time` with nothing under it: a transfer notice
                    raw.add(sender="系统", text=f"{cur[1]} --> {cur[4]}", ts=cur[2], line=cur[0],
                            role_hint="system", conversation=contact, shop=shop)
                    resume = ("transfer", cur[1], cur[4], cur[2])
                else:
                    if cur[4] is not None:
                        arrows[0] += 1
                    raw.add(sender=cur[1], text="\n".join(body).strip("\n"), ts=cur[2], line=cur[0],
                            conversation=contact, shop=shop, role_hint=contact_hint(cur[1], contact))
                    resume = ("message", len(raw) - 1)
            cur = None

        def system_line(no, s):
            nonlocal open_notice
            if last_ts is None:
                pending_system.append([no, s])
                open_notice = ("pending", len(pending_system) - 1)
            else:
                raw.add(sender="系统", text=s, ts=last_ts, line=no, role_hint="system", conversation=contact, shop=shop)
                open_notice = ("raw", len(raw) - 1)

        def notice_text(where):
            return pending_system[where[1]][1] if where[0] == "pending" else raw.text[where[1]]

        def extend_notice(where, s):
            if where[0] == "pending":
                pending_system[where[1]][1] += " " + s
            else:
                raw.text[where[1]] += " " + s

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
            completing, open_notice = open_notice, None
            sh = SHOP_RE.match(s)
            if sh:
                flush()
                resume = None
                shop = sh.group(1).strip()
                continue
            c = CONTACT_RE.match(s)
            if c:
                flush()
                resume = None
                contact = c.group(1).strip()
                continue
            t = TRANSFER_RE.match(s)
            if t:
                flush()
                last_ts = parse_ts(t.group("ts"), str(path), no)
                # a message from A if content follows, else a transfer notice (decided at flush)
                cur = [no, t.group("a").strip(), last_ts, [], t.group("b").strip()]
                self._emit_system(raw, pending_system, last_ts, contact, shop)
                continue
            h = HEADER_RE.match(s)
            if h and not SYSTEM_PATTERNS.match(s):
                flush()
                last_ts = parse_ts(h.group("ts"), str(path), no)
                cur = [no, h.group("nick").strip(), last_ts, [], None]
                self._emit_system(raw, pending_system, last_ts, contact, shop)
                continue
            if TS_ONLY_RE.match(s):
                # the nick stood alone on the previous line: it is not part of the previous body
                # window chrome (商品详情页 …) above a time line is no nick either
                if cur is None or not cur[3] or cur[3][-1].strip() in CHROME_EXACT:
                    raise InputError(str(path), "timestamp line without a nick before it", line=no)
                nick = cur[3].pop().strip()
                if cur[2] is None:       # the placeholder for a leading nick-only line
                    cur = None
                flush()
                last_ts = parse_ts(s, str(path), no)
                cur = [no - 1, nick, last_ts, [], None]
                self._emit_system(raw, pending_system, last_ts, contact, shop)
                continue
            if s and SYSTEM_PATTERNS.match(s):
                flush()
                system_line(no, s)
                continue
            if cur is None:
                if not s:
                    continue
                next_is_time = idx + 1 < len(lines) and TS_ONLY_RE.match(lines[idx + 1].strip())
                if next_is_time:
                    cur = [no, "", None, [line], None]    # a nick whose time is on the next line
                    continue
                if completing is not None and (
                        (notice_text(completing).endswith("来自") and s in CHROME_EXACT)
                        or (notice_text(completing).endswith("转交给") and not is_chrome(s))):
                    extend_notice(completing, s)      # 当前用户来自 + 商品详情页; 转交给 + the nick
                    continue
                if s in CHROME_EXACT:
                    system_line(no, s)         # window chrome between messages
                    continue
                if resume is not None and resume[0] == "message":
                    k = resume[1]          # the message a notice interrupted goes on
                    raw.text[k] = f"{raw.text[k]}\n{line.rstrip(chr(13))}" if raw.text[k] else line.rstrip("\r")
                    continue
                if resume is not None and resume[0] == "transfer":
                    _, a, b, ts = resume       # the transfer's content, after its notices
                    cur = [no, a, ts, [line.rstrip("\r")], b]
                    continue
                if is_chrome(s):
                    system_line(no, s)         # a card's price or link between messages
                    continue
                raise InputError(str(path), f"text before the first message header: {s[:40]!r}", line=no)
            cur[3].append(line.rstrip("\r"))
        if cur is not None and cur[2] is None:
            raise InputError(str(path), "nick line without a timestamp (truncated?)", line=cur[0])
        flush()
        if pending_system:
            raise InputError(str(path), "system lines but no timestamped message", line=pending_system[0][0])
        if arrows[0]:
            raw.assumptions.append(f"{arrows[0]} 条消息在 `A --> B 时间` 行下：读作 A 发给 B 的消息")
        return raw

    @staticmethod
    def _emit_system(raw: RawRows, pending: list, ts, contact, shop) -> None:
        # system lines before the first timestamp take the time of the first message
        for no, s in pending:
            raw.add(sender="系统", text=s, ts=ts, line=no, role_hint="system", conversation=contact, shop=shop)
        pending.clear()
