"""JSON message lists as chat APIs return them, and what every JSON layout shares.

This module holds the generic reader (`json_api`) and the helpers the platform readers use
(top_api, jd_api, sainiu, hdd7): a nesting-depth check that runs before any JSON is parsed, the
parse itself (one document or JSON lines), API error responses, the `cntaobao` prefix and the line
on which each message starts.

Generic shapes: a list of messages; an object holding the list under messages/data/list/records/
msgs/result; or JSON lines (one message object per line). Per message:
    content | text | msg | message             the text
    time | ts | send_time | timestamp | created  epoch seconds or milliseconds (read as UTC and turned
                                                 into Asia/Shanghai wall time) or a date-time text
                                                 (already Beijing time)
    direction                                    0 = from the shop (from_id) to the buyer (to_id),
                                                 1 = from the buyer: the meaning TOP's chat-log APIs
                                                 document (EXPORT-EVIDENCE items 1 and 2)
    sender_nick | sender | from | from_nick      who sent it
    buyer_nick | buyer | customer | to_nick      the buyer of the conversation
    shop | seller_nick | shop_name               the shop; role | sender_type overrides direction
A message that names its sender and its buyer is settled by the names (sender = buyer: the buyer's),
which is stronger evidence than a direction flag.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .roles import SYSTEM_SENDERS, role_word

_LIST_KEYS = ("messages", "data", "list", "records", "msgs", "result", "items")
_TEXT = ("content", "text", "msg", "message")
_TIME = ("time", "ts", "send_time", "timestamp", "created", "created_at")
_SENDER = ("sender_nick", "sender", "from", "from_nick", "from_id")
_BUYER = ("buyer_nick", "buyer", "customer", "to_nick", "buyer_id")
_SHOP = ("shop", "seller_nick", "shop_name")

# what [limits] json_max_depth defaults to (monitor/defaults.toml); real API responses nest < 12 deep
DEFAULT_MAX_DEPTH = 100
UNKNOWN_SHOP = "(未知店铺)"
UNKNOWN_BUYER = "(未知买家)"


def _first(d: dict, keys):
    for k in keys:
        if k in d and d[k] not in (None, ""):
            return d[k]
    return None


# ---- shared by every JSON layout ------------------------------------------------------------------

_OPEN, _CLOSE = (0x5B, 0x7B), (0x5D, 0x7D)      # [ {   ] }


def looks_like_json(text: str) -> bool:
    s = text[:64].lstrip("\ufeff \t\r\n")
    return s[:1] in ("[", "{")


_CHUNK = 1 << 23       # bytes counted per step: bounded memory whatever the file's size


def _escaped_quotes(b: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Of quotes preceded by a backslash, those escaped: an odd run of backslashes before them."""
    odd = np.zeros(len(candidates), dtype=bool)
    before = candidates - 1
    run = np.ones(len(candidates), dtype=bool)      # the first byte before is a backslash
    while run.any():
        odd ^= run
        before = before - 1
        run &= (before >= 0) & (b[np.maximum(before, 0)] == 0x5C)
    return candidates[odd]


def json_depth(text: str) -> int:
    """How deep the brackets of `text` nest, brackets inside strings left out. Counted on the bytes
    with numpy, without parsing, so a hostile file (an array nested 5,000 deep) is measured without
    recursion (json.loads would raise RecursionError on it), in bounded memory and a few vector passes
    per chunk. UTF-8 multi-byte characters never hold ASCII bytes, so quotes and brackets are exact."""
    b = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    depth = deepest = 0
    inside = 0                      # 1 while the previous chunk ended inside a string
    for lo in range(0, len(b), _CHUNK):
        c = b[lo:lo + _CHUNK]
        quote = c == 0x22
        backslash = c == 0x5C
        # quotes right after a backslash (this chunk's, or the previous chunk's last byte)
        after = np.flatnonzero(quote[1:] & backslash[:-1]) + 1 if backslash.any() else np.empty(0, np.int64)
        if lo and quote[0] and b[lo - 1] == 0x5C:
            after = np.concatenate(([0], after))
        if len(after):
            quote[_escaped_quotes(b, after + lo) - lo] = False
        steps = ((c == 0x5B) | (c == 0x7B)).astype(np.int8) - ((c == 0x5D) | (c == 0x7D)).astype(np.int8)
        at = np.flatnonzero(steps)                  # the brackets (a few per message)
        real = np.flatnonzero(quote)
        # a bracket is inside a string when an odd number of real quotes precede it
        outside = ((np.searchsorted(real, at) + inside) & 1) == 0
        inside = (inside + len(real)) & 1
        level = np.cumsum(steps[at[outside]], dtype=np.int64) + depth
        if len(level):
            deepest = max(deepest, int(level.max()))
            depth = int(level[-1])
    return deepest


def check_depth(text: str, path, max_depth: int) -> None:
    """Reject a JSON text nested deeper than `max_depth` ([limits] json_max_depth) before anything
    parses it. Text that does not start like JSON is left alone."""
    if not looks_like_json(text):
        return
    depth = json_depth(text)
    if depth > max_depth:
        raise InputError(str(path), f"JSON nested {depth} levels deep, more than the limit of {max_depth} "
                                    f"([limits] json_max_depth): not a chat export")


def parse(text: str, path) -> tuple[object, list | None]:
    """(document, None) for one JSON document; (None, [(line, object), ...]) for JSON lines."""
    text = text.lstrip("\ufeff")
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        items: list = []
        for no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((no, json.loads(line)))
            except json.JSONDecodeError as e:
                raise InputError(str(path), f"not valid JSON: {e.msg}", line=no if len(items) else exc.lineno) from None
        return None, items


def raise_api_error(data, path) -> None:
    """TOP and JD answer a failed call with {"error_response": {...}}: reject it, saying what it says."""
    if isinstance(data, dict) and isinstance(data.get("error_response"), dict):
        err = data["error_response"]
        said = "; ".join(f"{k} {err[k]}" for k in ("code", "msg", "sub_code", "sub_msg", "zh_desc", "en_desc")
                         if err.get(k) not in (None, ""))
        raise InputError(str(path), f"the API returned an error, not a chat log ({said or 'no details'})")


def strip_site(nick) -> str | None:
    """TOP names accounts with their site: cntaobao + nick. The nick is what exports show."""
    if nick is None:
        return None
    s = str(nick).strip()
    return s[len("cntaobao"):] if s.startswith("cntaobao") else s


_WS = " \t\r\n"


def _element_lines_at(text: str, start: int, data: list) -> list[int] | None:
    """The 1-based line on which each element of the array opening at text[start] starts, if that
    array holds exactly `data`; else None."""
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


def locate(text: str, key: str | tuple | None, lists: list[list]) -> list[list]:
    """For each message list (in document order, each under `key` (or one of several keys), or the
    top-level array when key is None) the line each message starts on, so `source` points into the
    file like every other reader's. A list that cannot be placed is numbered instead ("#3" = the
    file's third message)."""
    text = text.lstrip("\ufeff")
    keys = (key,) if isinstance(key, str) else key
    pattern = re.compile(r'"(?:%s)"\s*:\s*\[' % "|".join(map(re.escape, keys)) if keys else r"\[")
    out, pos, seen = [], 0, 0
    for data in lists:
        found = None
        for m in pattern.finditer(text, pos):
            found = _element_lines_at(text, m.end() - 1, data)
            if found is not None:
                pos = m.end()
                break
            if key is None:
                break
        out.append(found if found is not None else [f"#{seen + i + 1}" for i in range(len(data))])
        seen += len(data)
    return out


# ---- the generic reader ----------------------------------------------------------------------------

@register
class JsonApiReader:
    name = "json_api"

    def sniff(self, head: str) -> bool:
        # a JSON array of objects, or an object with a message field or a list key; a text export whose
        # first line happens to start with "[" (a [系统消息] line) is not JSON
        s = head.lstrip("\ufeff").lstrip()
        if re.match(r"\[\s*(?:\{|\]|$)", s):
            return True
        return bool(re.match(r'\{\s*"', s)) and any(f'"{k}"' in head for k in (*_TEXT, *_LIST_KEYS, "error_response"))

    def _items(self, text: str, path: Path) -> list[tuple[int | str, dict]]:
        data, lines = parse(text, path)
        if lines is not None:
            return lines
        raise_api_error(data, path)
        text = text.lstrip("\ufeff")
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
        return list(zip(locate(text, key, [data])[0], data))

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows()
        for no, item in self._items(text, path):
            if not isinstance(item, dict):
                raise InputError(str(path), "message is not a JSON object", line=no)
            body = _first(item, _TEXT)
            when = _first(item, _TIME)
            if when is None:
                raise InputError(str(path), "message has no time", line=no)
            buyer = _first(item, _BUYER)
            sender = _first(item, _SENDER)
            buyer = str(buyer) if buyer is not None else None
            sender = str(sender) if sender is not None else None
            hint = role_word(_first(item, ("role", "sender_type")))
            if hint is None and sender is not None and buyer is not None and sender not in SYSTEM_SENDERS:
                hint = "buyer" if sender == buyer else "agent"      # the names settle it
            if hint is None and "direction" in item:
                # TOP's meaning: 0 = from_id (the shop) -> to_id (the buyer), 1 = the buyer's
                hint = {"0": "agent", "1": "buyer"}.get(str(item["direction"]).strip())
            if sender is None:
                sender = (buyer or UNKNOWN_BUYER) if hint == "buyer" else "客服"
            raw.add(sender=sender, text="" if body is None else str(body), ts=parse_ts(when, str(path), no),
                    line=no, buyer=buyer, role_hint=hint,
                    shop=_first(item, _SHOP), order_id=(str(item["order_id"]) if item.get("order_id") else None))
        return raw
