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
from datetime import datetime
from pathlib import Path

import pandas as pd

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


def _ts(value, path: str, line) -> datetime:
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        v = float(value)
        unit = "ms" if v > 1e11 else "s"
        return pd.Timestamp(v, unit=unit, tz="UTC").tz_convert("Asia/Shanghai").tz_localize(None).to_pydatetime()
    return parse_ts(str(value), path, line)


@register
class JsonApiReader:
    name = "json_api"

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff").lstrip()
        return s.startswith("[") or (s.startswith("{") and any(f'"{k}"' in head for k in (*_TEXT, *_LIST_KEYS)))

    def _items(self, text: str, path: Path) -> list[tuple[int, dict]]:
        text = text.lstrip("\ufeff")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            # JSON lines: one object per line
            items = []
            for no, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    items.append((no, json.loads(line)))
                except json.JSONDecodeError as e:
                    raise InputError(str(path), f"not valid JSON: {e.msg}", line=no if len(items) else exc.lineno) from None
            return items
        if isinstance(data, dict):
            for k in _LIST_KEYS:
                if isinstance(data.get(k), list):
                    data = data[k]
                    break
            else:
                data = [data]
        if not isinstance(data, list):
            raise InputError(str(path), "JSON holds no list of messages")
        # item numbers stand in for lines: a JSON array has no line per message
        return [(i + 1, item) for i, item in enumerate(data)]

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
            raw.add(sender=str(sender), text="" if body is None else str(body), ts=_ts(when, str(path), no),
                    line=f"#{no}", buyer=str(buyer) if buyer is not None else None, role_hint=hint,
                    shop=_first(item, _SHOP), order_id=(str(item["order_id"]) if item.get("order_id") else None))
        return raw
