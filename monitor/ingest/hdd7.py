"""The Qianniu batch page exporter's per-customer JSON (HDD7/Batch-export-of-Qianniu-chat-history,
userscript 千牛客服聊天记录导出器 v2.x; EXPORT-EVIDENCE item 5). It clicks through the chat-record page's
customer list and zips one `<nick>.json` per customer:
    {"user": "tb_buyer01", "exportTime": "2024/1/16 09:00:00", "count": 2,
     "chats": [{"date": "2024-01-15", "time": "20:57:11", "sender": "tb_buyer01", "text": "在吗", "imgUrl": ""}]}
Solid (the script's code): `user` is the customer clicked in the list; `date` is the page's date
group header, `time` the message's time line, `text` the body, `sender` the name line, `imgUrl` a
picture; a record is kept only with text or a picture; `count` is the number of chats.
Read as: buyer = user; sender = user -> buyer, any other sender -> the shop's side (the page's
contact rule, as for qianniu_web); a picture without text -> [图片]. Inferred: a record without a
sender is a platform notice (system). A `count` that disagrees with the chats rejects the file (an
edited or cut file). The shop: --shop, else the sub-accounts' `店铺名:` prefix, else the file name.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import RawRows, parse_ts, register
from .json_api import locate, parse, raise_api_error
from .qianniu_web import IMAGE_ONLY
from .roles import contact_hint, shop_of_sender


@register
class Hdd7Reader:
    name = "hdd7_json"

    def sniff(self, head: str) -> bool:
        s = head.lstrip("\ufeff").lstrip()
        return s[:1] == "{" and '"chats"' in head and ('"exportTime"' in head or '"user"' in head)

    def read(self, text: str, path: Path, *, columns=None) -> RawRows:
        raw = RawRows()
        data, lines = parse(text, path)
        raise_api_error(data, path)
        if lines is not None or not isinstance(data, dict) or not isinstance(data.get("chats"), list):
            raise InputError(str(path), "not a page exporter file: expected one object with a chats list")
        user = str(data.get("user") or "").strip()
        if not user:
            raise InputError(str(path), "the file names no customer (user)")
        chats = data["chats"]
        if "count" in data and str(data["count"]).strip() != str(len(chats)):
            raise InputError(str(path), f"count says {data['count']} but the file holds {len(chats)} chats "
                                        f"(an edited or cut file: export it again)")
        for no, item in zip(locate(text, "chats", [chats])[0], chats):
            if not isinstance(item, dict):
                raise InputError(str(path), "chat is not a JSON object", line=no)
            date, clock = str(item.get("date") or "").strip(), str(item.get("time") or "").strip()
            if not date or not clock:
                raise InputError(str(path), "chat has no date or no time", line=no)
            sender = str(item.get("sender") or "").strip()
            body = str(item.get("text") or "")
            if not body.strip() and item.get("imgUrl"):
                body = IMAGE_ONLY
            hint = contact_hint(sender, user) if sender else "system"
            raw.add(sender=sender or "系统", text=body, ts=parse_ts(f"{date} {clock}", str(path), no), line=no,
                    buyer=user, role_hint=hint)
        if len(raw) and not any(shop_of_sender(s) for s in raw.sender):
            raw.assumptions.append("no sub-account (店铺名:客服) in the file: the shop is --shop, else the file name (a zip member: the zip's)")
        return raw
