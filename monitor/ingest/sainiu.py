"""Messages as SaiNiuApi (a third-party Qianniu SDK, docs on showdoc.com.cn/sainiu) hands them out.

EXPORT-EVIDENCE item 8 and the SDK's "获取新消息" / "获取远程消息" pages: one JSON object per message,
    {"codeType": "CHAT_RECEIVE_MSG", "loginNick": "…", "type": "文本消息", "templateId": 101,
     "cid": "2218165087899.1-796978238.1#11001@cntaobao", "buyerNick": "tb266770389534",
     "buyerUid": "…", "sellerId": "…", "time": "1732153323176", "message": "你好"}
saved as a JSON list, `{"data": [...]}`, or JSON lines; a poll answer `{"code": 200, "data": "<the
object as a string>"}` is unwrapped. Solid: buyerNick, time (epoch ms as text), message, type,
loginNick (the Qianniu account logged in), and codeType CHAT_RECEIVE_MSG = a message received from
the buyer. Inferred: a codeType naming SEND (the SDK added "发出消息的回调" in 2025 but the pages we
found show no example) is the logged-in account's own message; a sender field (senderNick /
fromNick / sender) equal to the buyer marks the buyer's; an object with neither is read as received
(the buyer's) and that is noted in df.attrs["assumptions"]. The shop is the main account of
loginNick (`店铺:小美` -> 店铺), else --shop, else the file name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .json_api import locate, parse, raise_api_error, strip_site
from .roles import shop_of_sender

_LIST_KEYS = ("data", "messages", "list", "msgs", "result")
_SENDER_KEYS = ("senderNick", "fromNick", "sender", "from")
# what a non-text message with no text becomes (the type names the SDK's examples use)
_PLACEHOLDER = {"图片消息": "[图片]", "视频消息": "[视频]", "语音消息": "[语音]", "商品消息": "[商品卡片]",
                "订单消息": "[订单卡片]", "表情消息": "[表情]", "文件消息": "[文件]"}


def _unwrap(item):
    """A poll answer {"code": 200, "data": "{...}"} holds the message as a JSON string."""
    if isinstance(item, dict) and "buyerNick" not in item and isinstance(item.get("data"), str):
        try:
            inner = json.loads(item["data"])
        except ValueError:
            return item
        return inner if isinstance(inner, dict) else item
    return item


@register
class SaiNiuReader:
    name = "sainiu"
    takes_parties = True

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff").lstrip()
        # keys quoted plainly, or escaped inside a poll answer's "data" string
        return (s[:1] in ("{", "[") and bool(re.search(r'"buyerNick\\?"', head))
                and bool(re.search(r'"(?:cid|loginNick|codeType)\\?"', head)))

    def _items(self, text: str, path: Path) -> list[tuple]:
        data, lines = parse(text, path)
        if lines is not None:
            return [(no, _unwrap(item)) for no, item in lines]
        raise_api_error(data, path)
        key = None
        if isinstance(data, dict) and "buyerNick" not in data:
            for k in _LIST_KEYS:
                if isinstance(data.get(k), list):
                    key, data = k, data[k]
                    break
        if isinstance(data, dict):
            return [(1 + text[: len(text) - len(text.lstrip())].count("\n"), _unwrap(data))]
        if not isinstance(data, list):
            raise InputError(str(path), "JSON holds no list of messages")
        return list(zip(locate(text, key, [data])[0], [_unwrap(d) for d in data]))

    def read(self, text: str, path: Path, *, columns=None, shop=None, buyer=None) -> RawRows:
        raw = RawRows()
        guessed = 0
        for no, item in self._items(text, path):
            if not isinstance(item, dict):
                raise InputError(str(path), "message is not a JSON object", line=no)
            buyer_nick = strip_site(item.get("buyerNick")) or None
            if buyer_nick is None:
                raise InputError(str(path), "message has no buyerNick", line=no)
            when = item.get("time")
            if when in (None, ""):
                raise InputError(str(path), "message has no time", line=no)
            login = strip_site(item.get("loginNick")) or None
            code = str(item.get("codeType") or "").upper()
            sender = next((strip_site(item[k]) for k in _SENDER_KEYS if item.get(k)), None)
            if code == "CHAT_RECEIVE_MSG":
                hint = "buyer"
            elif "SEND" in code:
                hint = "agent"
            elif sender is not None:
                hint = "buyer" if sender == buyer_nick else "agent"
            else:
                hint = "buyer"
                guessed += 1
            if hint == "buyer":
                sender = buyer_nick
            else:
                sender = sender if sender and sender != buyer_nick else (login or "客服")
            body = item.get("message")
            if body in (None, ""):
                body = _PLACEHOLDER.get(str(item.get("type") or ""), "")
            raw.add(sender=sender, text=str(body), ts=parse_ts(when, str(path), no), line=no, buyer=buyer_nick,
                    role_hint=hint, shop=(shop_of_sender(login) or login) if login else None)
        if guessed:
            raw.assumptions.append(f"{guessed} message(s) carry no codeType and no sender: read as received "
                                   f"from the buyer (CHAT_RECEIVE_MSG)")
        if not shop and len(raw) and not any(raw.shop) and not any(shop_of_sender(s) for s in raw.sender):
            raw.assumptions.append("no loginNick and no --shop: the shop is taken from the file name")
        return raw
