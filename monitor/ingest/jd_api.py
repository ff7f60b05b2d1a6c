"""JD (京东) shop chat logs from its open platform: `jingdong.im.pop.chatlog.get`.

Described by a captured response in a public project's test (EXPORT-EVIDENCE item 7):
    {"jingdong_im_pop_chatlog_get_responce": {"code": "0", "ChatLogPage": {"totalRecord": 2,
        "chatLogList": [{"content": "开票在哪开", "waiterSend": false, "time": 1642735203000,
                         "customer": "turtle081025", "waiter": "果麦洁洁", "sid": "…", "channel": 11}]}}}
(`responce` is JD's own spelling). Also read: the inner object, `{"chatLogList": [...]}` and the bare
list. `waiterSend` true = the agent `waiter` wrote, false = the buyer `customer`; `time` is epoch
milliseconds. A `code` other than "0" rejects the file. JD names no shop in the response: `--shop`,
else a sub-account prefix of the waiters, else the file name (noted in df.attrs["assumptions"]).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .json_api import locate, parse, raise_api_error
from .roles import shop_of_sender

RESPONSE_KEY = "jingdong_im_pop_chatlog_get_responce"


def _messages(data, path) -> list | None:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    for key in (RESPONSE_KEY, "jingdong_im_pop_chatlog_get_response"):
        if isinstance(data.get(key), dict):
            data = data[key]
            break
    code = data.get("code")
    if code not in (None, "", 0, "0"):
        said = data.get("zh_desc") or data.get("msg") or data.get("message") or data.get("en_desc")
        raise InputError(str(path), f"the API answered code={code}" + (f" ({said})" if said else "")
                         + "; no chat log in this file")
    page = data.get("ChatLogPage") or data.get("chatLogPage") or data
    msgs = page.get("chatLogList") if isinstance(page, dict) else None
    return msgs if isinstance(msgs, list) else None


def _bool(value, path, no) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "1"):
        return True
    if s in ("false", "0"):
        return False
    raise InputError(str(path), f"waiterSend {value!r} is neither true nor false", line=no)


@register
class JdChatlogReader:
    name = "jd_chatlog"
    takes_parties = True

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff").lstrip()
        return s[:1] in ("{", "[") and (f'"{RESPONSE_KEY}"' in head or '"chatLogList"' in head
                                        or '"waiterSend"' in head)

    def read(self, text: str, path: Path, *, columns=None, shop=None, buyer=None) -> RawRows:
        raw = RawRows()
        data, lines = parse(text, path)
        if lines is None:
            raise_api_error(data, path)
            msgs = _messages(data, path)
            if msgs is None:
                raise InputError(str(path), "JD response holds no chatLogList")
            lines = list(zip(locate(text, None if isinstance(data, list) else "chatLogList", [msgs])[0], msgs))
        for no, item in lines:
            if not isinstance(item, dict):
                raise InputError(str(path), "message is not a JSON object", line=no)
            if "waiterSend" not in item:
                raise InputError(str(path), "message has no waiterSend (true = the agent wrote it)", line=no)
            when = item.get("time")
            if when in (None, ""):
                raise InputError(str(path), "message has no time", line=no)
            customer = str(item.get("customer") or "").strip() or None
            waiter = str(item.get("waiter") or "").strip() or None
            agent = _bool(item["waiterSend"], path, no)
            body = item.get("content")
            raw.add(sender=(waiter or "客服") if agent else (customer or "(未知买家)"),
                    text="" if body is None else str(body), ts=parse_ts(when, str(path), no), line=no,
                    buyer=customer, role_hint="agent" if agent else "buyer")
        if not shop and len(raw) and not any(shop_of_sender(s) for s in raw.sender):
            raw.assumptions.append("JD's response names no shop and no --shop was given: "
                                   "the shop is taken from the file name")
        return raw
