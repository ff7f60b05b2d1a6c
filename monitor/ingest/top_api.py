"""Taobao Open Platform (TOP) chat-log API responses, saved as JSON by the shop's own script.

`top_chatlog` — taobao.wangwang.eservice.chatlog.get (EXPORT-EVIDENCE item 1: the official SDK's
response and Msg classes). One query = one conversation between `from_id` (the shop's account,
"cntaobao" + nick, maybe a sub-account) and `to_id` (the buyer). Accepted:
    {"wangwang_eservice_chatlog_get_response": {"ret": 10000, "count": 2, "msgs": {"msg": [...]}}}
    {"ret": 10000, "count": 2, "msgs": {"msg": [...]}}            the same, unwrapped
    [{"content": ..., "direction": 0, "time": ...}, ...]          the bare message list (or JSON lines)
    {"request": {"from_id": ..., "to_id": ...}, "response": <either of the first two>}
    [<such request/response pairs>, ...]                          several queries in one file
The response does not name its two parties: the request/response wrapper above (our design, for
scripts that save each query with its answer) does; else `--shop`/`--buyer`; else the file's stem is
the buyer. Which one was used is written to df.attrs["assumptions"]. `direction` 0 = from_id ->
to_id (the shop writing), 1 = the buyer writing; `ret` other than 10000 rejects the file.

`top_logquery` — taobao.wangwang.abstract.logquery (item 2: bububa/opentaobao model/wangwang
MsgList.go and TaobaoWangwangAbstractLogqueryAPIResponse.go, the Java/C# MsgList): the response
names from_id (seller) and to_id (buyer) itself; messages under msg_lists(.msg_list); `content` only
on the shop's messages, the buyer's carry word_lists/url_lists/length, so their text is the schema's
unreadable placeholder (they still count as a buyer turn for reply times); `type` bits &1 auto-reply
(role auto), &32 sub-account forwarding system message (role system), &16 offline (noted); `time`
a Beijing-time string (Java/C#) or an epoch number (Go); `ret_code` other than 0 rejects the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import InputError
from ..schema import UNREADABLE_TEXTS
from .base import RawRows, parse_ts, register
from .json_api import UNKNOWN_SHOP, locate, parse, raise_api_error, strip_site
from .roles import shop_of_sender

CHATLOG_KEY = "wangwang_eservice_chatlog_get_response"
LOGQUERY_KEY = "wangwang_abstract_logquery_response"
# the codes the official Java response class documents for `ret`
RET_MEANING = {
    50000: "bad time (the query's start or end date is wrong: dates like 2010-03-24, at most 7 days, "
           "at most 30 days back)",
    40000: "wrong account (from_id or to_id is not an account of this shop)",
    30000: "system error on Taobao's side (fetch it again)",
}
# the text the schema marks as unreadable (kept for reply times, never classified)
UNREADABLE = "请在客户端查看原始聊天记录，网页版无法展示"
assert UNREADABLE in UNREADABLE_TEXTS
_MSG_KEYS = {"content", "direction", "time"}


def file_stem(path) -> str:
    """The file's name without extension; for a zip member (`batch.zip!tb_abc.json`) the member's."""
    return Path(str(path).rsplit("!", 1)[-1]).stem


def _bare_message_head(s: str) -> bool:
    """A bare chatlog.get message list: the first object holds only content/direction/time."""
    m = re.match(r"\[?\s*(\{[^{}]*\})", s)
    if not m:
        return False
    try:
        first = json.loads(m.group(1))
    except ValueError:
        return False
    return isinstance(first, dict) and "direction" in first and set(first) <= _MSG_KEYS


def _as_list(value) -> list:
    """A TOP list field: {"msg": [...]}, {"msg": {...}} (one element), [...] or missing."""
    if isinstance(value, dict):
        if len(value) == 1:
            value = next(iter(value.values()))
        else:
            return [value]
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _queries(data, key: str) -> list[tuple[dict | None, dict]]:
    """(request or None, unwrapped response) for each query the document holds."""
    def unwrap(resp):
        return resp[key] if isinstance(resp, dict) and isinstance(resp.get(key), dict) else resp
    if isinstance(data, list):
        if data and all(isinstance(d, dict) and "response" in d for d in data):
            return [(d.get("request") if isinstance(d.get("request"), dict) else None, unwrap(d["response"]))
                    for d in data]
        return [(None, {"__messages__": data})]
    if isinstance(data, dict) and "response" in data:
        req = data.get("request")
        return [(req if isinstance(req, dict) else None, unwrap(data["response"]))]
    return [(None, unwrap(data))]


class _Parties:
    """The shop account (from_id) and the buyer (to_id) of one query, and how they were known."""

    def __init__(self, raw: RawRows, path, shop: str | None, buyer: str | None):
        self.raw, self.path, self.shop, self.buyer = raw, path, shop, buyer

    def note(self, text: str) -> None:
        if text not in self.raw.assumptions:
            self.raw.assumptions.append(text)

    def resolve(self, response: dict, request: dict | None) -> tuple[str, str]:
        req = request or {}
        frm = strip_site(response.get("from_id") or req.get("from_id") or req.get("fromId")) or None
        to = strip_site(response.get("to_id") or req.get("to_id") or req.get("toId")) or None
        if frm is None:
            if self.shop:
                frm = self.shop
                self.note(f"the shop's account (from_id) is not in the file: taken from --shop {self.shop}")
            else:
                frm = UNKNOWN_SHOP
                self.note(f"the shop's account (from_id) is not in the file and no --shop was given: "
                          f"its messages are recorded under {UNKNOWN_SHOP}")
        if to is None:
            if self.buyer:
                to = self.buyer
                self.note(f"the buyer (to_id) is not in the file: taken from --buyer {self.buyer}")
            else:
                to = file_stem(self.path)
                self.note(f"the buyer (to_id) is not in the file and no --buyer was given: "
                          f"taken from the file name ({to})")
        return frm, to


def _add(raw: RawRows, path, no, item: dict, frm: str, to: str, hint_of_direction: dict, *, text_missing: str,
         type_bits: bool, offline: list) -> None:
    direction = str(item.get("direction", "")).strip()
    if direction not in ("0", "1"):
        raise InputError(str(path), "message has no direction (0 = the shop writing, 1 = the buyer)", line=no)
    when = item.get("time")
    if when in (None, ""):
        raise InputError(str(path), "message has no time", line=no)
    hint = hint_of_direction[direction]
    if type_bits:
        try:
            bits = int(item.get("type") or 0)
        except (TypeError, ValueError):
            raise InputError(str(path), f"message type {item.get('type')!r} is not a number", line=no) from None
        if bits & 32:
            hint = "system"          # a system message forwarded by a sub-account
        elif bits & 1:
            hint = "auto"            # an auto-reply
        if bits & 16:
            offline.append(no)
    body = item.get("content")
    raw.add(sender=frm if direction == "0" else to, text=text_missing if body in (None, "") else str(body),
            ts=parse_ts(when, str(path), no), line=no, buyer=to, role_hint=hint,
            shop=shop_of_sender(frm) or frm)


class _TopReader:
    takes_parties = True
    key = ""
    list_key = ""

    def _check(self, response: dict, path) -> None:
        raise NotImplementedError

    def read(self, text: str, path: Path, *, columns=None, shop=None, buyer=None) -> RawRows:
        raw = RawRows()
        data, lines = parse(text, path)
        raise_api_error(data, path)
        parties = _Parties(raw, path, shop, buyer)
        hints = {"0": "agent", "1": "buyer"}
        offline: list = []
        type_bits = self.name == "top_logquery"
        if lines is not None:          # JSON lines: bare messages of one conversation
            frm, to = parties.resolve({}, None)
            for no, item in lines:
                if not isinstance(item, dict):
                    raise InputError(str(path), "message is not a JSON object", line=no)
                _add(raw, path, no, item, frm, to, hints, text_missing=UNREADABLE, type_bits=type_bits, offline=offline)
        else:
            queries = _queries(data, self.key)
            message_lists = []
            for _, response in queries:
                if not isinstance(response, dict):
                    raise InputError(str(path), f"not a {self.name} response (no message list)")
                self._check(response, path)
                if "__messages__" in response:
                    message_lists.append(response["__messages__"])
                else:
                    message_lists.append(_as_list(response.get(self.list_key)))
            bare = all("__messages__" in r for _, r in queries)
            where = locate(text, None if bare else (self.item_key, self.list_key), message_lists)
            for (request, response), msgs, nos in zip(queries, message_lists, where):
                frm, to = parties.resolve(response, request)
                for no, item in zip(nos, msgs):
                    if not isinstance(item, dict):
                        raise InputError(str(path), "message is not a JSON object", line=no)
                    _add(raw, path, no, item, frm, to, hints, text_missing=UNREADABLE, type_bits=type_bits,
                         offline=offline)
        if offline:
            raw.assumptions.append(f"{len(offline)} message(s) flagged offline (type & 16: sent while the other "
                                   f"side was offline), counted like the others")
        return raw


@register
class TopChatlogReader(_TopReader):
    name = "top_chatlog"
    key = CHATLOG_KEY
    list_key = "msgs"
    item_key = "msg"

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff").lstrip()
        if s[:1] not in ("{", "["):
            return False
        return (f'"{CHATLOG_KEY}"' in head or bool(re.search(r'"msgs"\s*:\s*\{\s*"msg"\s*:', head))
                # TOP's ret codes have five digits; a generic API's "ret": 0 is not this layout
                or (bool(re.search(r'"ret"\s*:\s*"?\d{5}\b', head)) and '"msgs"' in head)
                or _bare_message_head(s))

    def _check(self, response: dict, path) -> None:
        if "ret" not in response:
            return
        try:
            ret = int(str(response["ret"]).strip())
        except ValueError:
            ret = None
        if ret == 10000:
            return
        meaning = RET_MEANING.get(ret, "an unknown code (10000 means success)")
        raise InputError(str(path), f"the API answered ret={response['ret']}: {meaning}; no chat log in this file")


@register
class TopLogqueryReader(_TopReader):
    name = "top_logquery"
    key = LOGQUERY_KEY
    list_key = "msg_lists"
    item_key = "msg_list"

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff").lstrip()
        return s[:1] in ("{", "[") and (f'"{LOGQUERY_KEY}"' in head or '"msg_lists"' in head)

    def _check(self, response: dict, path) -> None:
        code = response.get("ret_code")
        if code in (None, "", 0, "0"):
            return
        said = response.get("error_msg") or "no error_msg"
        raise InputError(str(path), f"the API answered ret_code={code} ({said}); no chat log in this file")
