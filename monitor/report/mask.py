"""Masking of personal data in everything a report shows.

Reports travel (emailed to shop owners, shared in agency chats), so a buyer's nick, and any phone
number, WeChat ID or QQ number in a message, is shown only partly: enough to tell two apart and to
see what kind of contact it was, not enough to reach the person.
"""

from __future__ import annotations

import re
import unicodedata

# Digit-like characters a disguised number may be written in (the detector's digit view reads them all).
_DIGITISH = "0-9０-９零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖幺两拐洞①-⑨⓪❶-❾⑴-⑼⒈-⒐㈠-㈨⁰¹²³⁴-⁹"
_SEP = r"[\s\-_.·•,，、~*]?"
# 11 digit-like characters (a mobile number, possibly with separators) or a shorter run of 5-10 (QQ).
# Lookarounds: never cut 11 digits out of a longer run (an 18-digit order number is not a phone).
PHONE_RE = re.compile(rf"(?<![{_DIGITISH}])(?:\+?86{_SEP})?[{_DIGITISH}](?:{_SEP}[{_DIGITISH}]){{10}}(?![{_DIGITISH}])")
DIGIT_RUN_RE = re.compile(rf"(?<![{_DIGITISH}])[{_DIGITISH}](?:{_SEP}[{_DIGITISH}]){{4,}}")
# WeChat-style IDs: a letter then 5-19 letters/digits/-/_ (wxid_... included).
WECHAT_ID_RE = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z][A-Za-z0-9_\-]{5,19}(?![A-Za-z0-9_\-])")
_CONTACT_CUE_RE = re.compile(r"(微信|薇信|威信|vx|wx|v信|qq|扣扣|企鹅|q号|加我|加v|号码|手机|电话|联系)", re.I)

# Long digit runs that are order or tracking numbers are evidence of nothing personal; keep them.
_ORDER_LIKE = re.compile(r"\d{12,}")


def mask_middle(value: str, keep_start: int, keep_end: int, stars: int = 4) -> str:
    """Keep the first and last characters, replace the middle with stars."""
    if len(value) <= keep_start + keep_end:
        keep_start = max(1, len(value) // 3) if len(value) > 1 else 0
        keep_end = max(0, min(keep_end, len(value) - keep_start - 1))
    tail = value[len(value) - keep_end:] if keep_end else ""
    return value[:keep_start] + "*" * stars + tail


def mask_nick(nick: str | None) -> str:
    """tb_88213489 -> tb_****89; 快乐的小猫咪 -> 快****咪; 阿花 -> 阿*."""
    if nick is None:
        return ""
    nick = str(nick)
    if not nick:
        return ""
    if len(nick) <= 2:
        return nick[0] + "*"
    if nick.lower().startswith("tb") and len(nick) > 5:
        return mask_middle(nick, 3, 2)
    if nick.isascii():
        return mask_middle(nick, 2, 2)
    return mask_middle(nick, 1, 1)


def mask_sender(sender: str | None, role: str | None) -> str:
    """Agents (`店铺名:小美`) are the shop's own staff and stay readable; buyers are masked."""
    if role == "buyer":
        return mask_nick(sender)
    return "" if sender is None else str(sender)


def _mask_phone(match: re.Match) -> str:
    s = match.group(0)
    return mask_middle(s, 3, 4)


def _mask_digits(match: re.Match) -> str:
    s = match.group(0)
    if _ORDER_LIKE.fullmatch(s):
        return s
    return mask_middle(s, 2, 2)


def has_contact_cue(text: str | None) -> bool:
    return bool(text) and bool(_CONTACT_CUE_RE.search(unicodedata.normalize("NFKC", text)))


def mask_contacts(text: str | None, cue: bool | None = None) -> str:
    """Mask phone numbers, QQ numbers and WeChat IDs inside a message text.

    `cue` says whether the whole message has a contact cue; pass it when masking a piece of a
    message (a highlighted span) so the piece is judged by the message it came from.
    """
    if not text:
        return "" if text is None else text
    out = PHONE_RE.sub(lambda m: m.group(0) if _ORDER_LIKE.fullmatch(m.group(0)) else _mask_phone(m), text)
    # QQ numbers and shorter digit runs only where a contact cue makes them personal, so prices,
    # sizes and dates stay readable.
    if cue if cue is not None else has_contact_cue(out):
        out = DIGIT_RUN_RE.sub(lambda m: m.group(0) if "*" in m.group(0) else _mask_digits(m), out)
        out = WECHAT_ID_RE.sub(lambda m: m.group(0) if m.group(0).lower() in _KEEP_WORDS
                               else mask_middle(m.group(0), 2, 2), out)
    return out


# ASCII words that look like IDs but are ordinary in service chats.
_KEEP_WORDS = frozenset({"iphone", "android", "wechat", "taobao", "tmall", "alipay", "weixin", "huawei",
                         "xiaomi", "double", "online", "coupon", "please"})
