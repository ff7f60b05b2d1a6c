"""JSON message lists as chat APIs return them, for shops that pull records through an API.

Accepted shapes: a list of messages; an object holding the list under messages/data/list/records/
msgs/result; or JSON lines (one message object per line). Per message:
    content | text | msg | message             the text
    time | ts | send_time | timestamp | created  epoch seconds or milliseconds (read as UTC and turned
                                                 into Asia/Shanghai wall time) or a date-time text
                                                 (already Beijing time)
    direction                                    0 = from the buyer, 1 = from the seller (our reading
                                                 of the common convention: 0 received, 1 sent)
    sender_nick | sender | from | from_nick      who sent it
    buyer_nick | buyer | customer | to_nick      the buyer of the conversation
    shop | seller_nick | shop_name               the shop; role | sender_type overrides direction
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .roles import role_word

_LIST_KEYS = ("messages", "data", "list", "records", "msgs", "result", "items")
_TEXT = ("content", "text", "msg", "message")
_TIME = ("time", "ts", "send_time", "timestamp", "created", "created_at")
_SENDER = ("sender_nick", "sender", "from", "from_nick", "from_id")
_BUYER = ("buyer_nick", "buyer", "customer", "to_nick", "buyer_id")
_SHOP = ("shop", "seller_nick", "shop_name")


def _first(d: dict, keys):
    for k in keys:
        if k in d and d[k] not in (None, ""):
            return d[k]
    return None


_WS = " \t\r\n"


def _element_lines(text: str, key: str | None, data: list) -> list[int] | None:
    """The 1-based line on which each element of the message array starts, so that `source` points
    into the file like every other reader's. None when the array cannot be located unambiguously."""
    if key is None:
        start = text.find("[")
    else:
        m = re.search(r'"%s"\s*:\s*\[' % re.escape(key), text)
        start = m.end() - 1 if m else -1
    if start < 0:
        return None
    dec = json.JSONDecoder()
    pos, line, counted = start + 1, 1 + text.count("\n", 0, start + 1), start + 1
    out: list[int] = []
    try:
        while True:
            while pos < len(text) and text[pos] in _WS:
                pos += 1
            if pos >= len(text) or text[pos] == "]":
                break
            line += text.count("\n", counted, pos)
            counted = pos
            obj, pos = dec.raw_decode(text, pos)
            out.append(line)
            while pos < len(text) and text[pos] in _WS:
                pos += 1
            if pos < len(text) and text[pos] == ",":
                pos += 1
            if len(out) > len(data) or obj != data[len(out) - 1]:
                return None
    except (json.JSONDecodeError, IndexError):
        return None
    return out if len(out) == len(data) else None


@register
class JsonApiReader:
    name = "json_api"

    def sniff(self, head: str) -> bool:
        # a JSON array of objects, or an object with a message field or a list key; a text export whose
        # first line happens to start with "[" (a [系统消息] line) is not JSON
        s = head.lstrip("\ufeff").lstrip()
        if re.match(r"\[\s*(?:\{|\]|$)", s):
            return True
        return bool(re.match(r'\{\s*"', s)) and any(f'"{k}"' in head for k in (*_TEXT, *_LIST_KEYS))

    def _items(self, text: str, path: Path) -> list[tuple[int | str, dict]]:
        text = text.lstrip("\ufeff")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # JSON lines: one object per line
            items: list = []
            for no, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    items.append((no, json.loads(line)))
                except json.JSONDecodeError as e:
                    raise InputError(str(path), f"not valid JSON: {e.msg}", line=no if len(items) else exc.lineno) from None
            return items
        key = None
        if isinstance(data, dict):
            for k in _LIST_KEYS:
                if isinstance(data.get(k), list):
                    key, data = k, data[k]
                    break
            else:
                # a single message object: it starts on the first non-blank line
                return [(text[: len(text) - len(text.lstrip())].count("\n") + 1, data)]
        if not isinstance(data, list):
            raise InputError(str(path), "JSON holds no list of messages")
        lines = _element_lines(text, key, data)
        if lines is None:   # could not place the elements: number them instead ("#3" = third message)
            return [(f"#{i + 1}", item) for i, item in enumerate(data)]
        return list(zip(lines, data))

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows()
        for no, item in self._items(text, path):
            if not isinstance(item, dict):
                raise InputError(str(path), "message is not a JSON object", line=no)
            body = _first(item, _TEXT)
            when = _first(item, _TIME)
            if when is None:
                raise InputError(str(path), "message has no time", line=no)
            hint = role_word(_first(item, ("role", "sender_type")))
            if hint is None and "direction" in item:
                hint = {"0": "buyer", "1": "agent"}.get(str(item["direction"]))
            buyer = _first(item, _BUYER)
            sender = _first(item, _SENDER)
            if sender is None:
                sender = buyer if hint == "buyer" else "客服"
            raw.add(sender=str(sender), text="" if body is None else str(body), ts=parse_ts(when, str(path), no),
                    line=no, buyer=str(buyer) if buyer is not None else None, role_hint=hint,
                    shop=_first(item, _SHOP), order_id=(str(item["order_id"]) if item.get("order_id") else None))
        return raw
