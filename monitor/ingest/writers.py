"""Write canonical messages in each supported export layout (sample generator, round-trip tests).

What survives a write and a read (`read_file(path)` with `shop=` for the Pinduoduo layouts):
- qianniu_web, desktop_copy: sender, time, text, and the shop and buyer through the `店铺：` and
  `聊天对象：` lines we write. The role is derived again on reading: the contact is the buyer, any
  other sender the shop's side, `auto` from robot senders / auto-reply markers, `system` from the
  platform's notice lines (desktop_copy writes a system message as a bare line, so its sender reads
  back as 系统). order_id is derived again from 订单号 text; a bare order_id column value is lost.
  Bodies must not contain lines that look like a time, a date or a header (no quoting in text).
- message_manager: like desktop_copy, with `消息对象:` naming the buyer; a system message is written
  with its sender (系统 reads back as system).
- table_csv, table_xlsx: every field (店铺, 客户名, 发送账号, 账号类型, 订单号 columns).
- pdd_csv, pdd_xlsx (Pinduoduo 消息明细): no shop column (pass `shop=`), no order_id; the sender
  of a buyer message is the buyer, of a seller message its 客服账号, of a system one 系统.
- json_api: every field (role written both as `direction` and `role`).
- top_chatlog (TOP chatlog.get, request/response pairs, one per conversation and agent: one query
  has one from_id), top_logquery (type bits: auto &1, system &32; the buyer's text is written as
  `content` although the real API leaves it out): shop, buyer, sender, time, text; `auto`/`system`
  cannot be told in chatlog.get (written as the shop's messages). No order_id column.
- jd_chatlog (JD's response; no shop: pass `shop=`), sainiu (one object per message, the shop
  through loginNick), hdd7_json (a zip of `<buyer>.json`; no shop beyond sub-account prefixes: pass
  `shop=`): sender, buyer, time, text; roles buyer/agent (system: hdd7_json only).
- canonical: every field, including `source`.
- qianniu_exporter_xlsx (the page exporter "千牛聊天记录导出器 Excel" v5.5): 导出汇总 then one sheet per
  customer with 发送时间 as the time of day only; reads back with `date=` the first message's date
  (a conversation may run past midnight, not for a whole day). No shop (pass `shop=`), no order_id;
  roles through 账号类型 (客户/客服), so system messages are not kept apart.
- qianniu_cells_xlsx (khgkk/qianniu-chat-extract: 客户ID, 聊天记录): one cell per customer, each message
  `time` then `sender: text`, blank lines between; time of day only (`date=` as above); no shop; roles
  derived again (a `店铺:昵称` sender is an agent).
- qianniu_cells_csv: 客户ID, 聊天记录 with the page's own text in each cell (date lines, time, body,
  sender), so it carries its dates; no shop; roles derived again.
- desktop_copy_arrows: the desktop copy with every message under a `sender --> receiver time` line
  and Windows line ends (\\r\\n); like desktop_copy.
`encoding` applies to the text layouts and CSVs; xlsx is a zip of UTF-8 XML and canonical csv is
always UTF-8 with a BOM (schema.write_messages).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..atomic import atomic_open
from ..csv_safety import frame_to_csv
from ..xlsx import write_sheets
from ..schema import TS_FORMAT, conform, write_messages

LAYOUTS = ("qianniu_web", "desktop_copy", "message_manager", "table_csv", "table_xlsx", "pdd_csv", "pdd_xlsx", "json_api",
           "canonical", "top_chatlog", "top_logquery", "jd_chatlog", "sainiu", "hdd7_json",
           "qianniu_exporter_xlsx", "qianniu_cells_xlsx", "qianniu_cells_csv", "desktop_copy_arrows")
_ROLE_CN = {"buyer": "买家", "agent": "客服", "auto": "机器人", "system": "系统"}
_PDD_ROLE = {"buyer": "消费者", "agent": "客服", "auto": "机器人", "system": "系统"}


def _conversations(df: pd.DataFrame):
    df = df.sort_values(["shop", "conversation_id", "ts"], kind="stable")
    return df.groupby(["shop", "conversation_id"], sort=False)


def qianniu_web_text(df: pd.DataFrame) -> str:
    out = []
    for (shop, _), conv in _conversations(df):
        out.append(f"店铺：{shop}")
        out.append(f"聊天对象：{conv['buyer'].iloc[0]}")
        day = None
        for ts, text, sender in zip(conv["ts"], conv["text"], conv["sender"]):
            d = ts.strftime("%Y-%m-%d")
            if d != day:
                out.append(d)
                day = d
            out.append(ts.strftime("%H:%M:%S"))
            out.append(text)
            out.append(sender)
        out.append("")
    return "\n".join(out) + "\n"


def desktop_copy_text(df: pd.DataFrame) -> str:
    out = []
    for (shop, _), conv in _conversations(df):
        out.append(f"店铺：{shop}")
        out.append(f"聊天对象：{conv['buyer'].iloc[0]}")
        for ts, text, sender, role in zip(conv["ts"], conv["text"], conv["sender"], conv["role"]):
            if role == "system":
                out.append(text)      # system lines stand alone in the window copy
                continue
            out.append(f"{sender} {ts.strftime(TS_FORMAT)}")
            out.append(text)
    return "\n".join(out) + "\n"


def desktop_copy_arrows_text(df: pd.DataFrame) -> str:
    out = []
    for (shop, _), conv in _conversations(df):
        buyer = conv["buyer"].iloc[0]
        out.append(f"店铺：{shop}")
        out.append(f"聊天对象：{buyer}")
        for ts, text, sender, role in zip(conv["ts"], conv["text"], conv["sender"], conv["role"]):
            if role == "system":
                out.append(text)
                continue
            to = buyer if role != "buyer" else shop
            out.append(f"{sender} --> {to} {ts.strftime(TS_FORMAT)}")
            out.append(text)
    return "\r\n".join(out) + "\r\n"


def _sheet_name(name: str, taken: set) -> str:
    """A valid, unique sheet title (Excel forbids \\ / ? * [ ] : and more than 31 characters)."""
    base = re.sub(r"[\\/?*\[\]:]", "_", str(name)).strip()[:31] or "客户"
    out, k = base, 1
    while out in taken:
        suffix = f"_{k}"
        out, k = base[:31 - len(suffix)] + suffix, k + 1
    taken.add(out)
    return out


def qianniu_exporter_sheets(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The v5.5 page exporter's workbook: 导出汇总, then one sheet per customer (time of day only)."""
    sheets: dict[str, pd.DataFrame] = {}
    summary = []
    taken = {"导出汇总"}
    exported = (df["ts"].max() + pd.Timedelta(hours=1)).strftime(TS_FORMAT) if len(df) else "2026-01-01 00:00:00"
    for (_, _), conv in _conversations(df):
        buyer = conv["buyer"].iloc[0]
        summary.append({"客户名": buyer, "状态": "成功", "消息数": len(conv), "是否生成工作表": "是",
                        "失败原因": "", "导出时间": exported})
        sheets[_sheet_name(buyer, taken)] = pd.DataFrame({
            "客户名": buyer, "消息序号": range(1, len(conv) + 1), "发送时间": conv["ts"].dt.strftime("%H:%M:%S"),
            "发送内容": conv["text"], "发送账号": conv["sender"],
            "账号类型": ["客户" if r == "buyer" else "客服" for r in conv["role"]]})
    return {"导出汇总": pd.DataFrame(summary, columns=["客户名", "状态", "消息数", "是否生成工作表", "失败原因",
                                                  "导出时间"]), **sheets}


def _cells(df: pd.DataFrame, page: bool) -> pd.DataFrame:
    ids, chats = [], []
    for (_, _), conv in _conversations(df):
        parts, day = [], None
        for ts, text, sender in zip(conv["ts"], conv["text"], conv["sender"]):
            if page:
                if ts.strftime("%Y-%m-%d") != day:
                    day = ts.strftime("%Y-%m-%d")
                    parts.append(day)
                parts += [ts.strftime("%H:%M:%S"), text, sender]
            else:
                parts.append(f"{ts:%H:%M:%S}\n{sender}: {text}")
        ids.append(conv["buyer"].iloc[0])
        chats.append("\n".join(parts) if page else "\n\n".join(parts))
    return pd.DataFrame({"客户ID": ids, "聊天记录": chats})


def message_manager_text(df: pd.DataFrame) -> str:
    rule = "=" * 64
    out = [rule, "消息记录", rule]
    for (shop, _), conv in _conversations(df):
        out += [f"店铺：{shop}", f"消息对象:{conv['buyer'].iloc[0]}", rule, ""]
        for ts, text, sender in zip(conv["ts"], conv["text"], conv["sender"]):
            out += [f"{ts.strftime(TS_FORMAT)} {sender}", text, ""]
    return "\n".join(out) + "\n"


def table_frame(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "店铺": df["shop"], "客户名": df["buyer"], "消息序号": range(1, len(df) + 1),
        "发送时间": df["ts"].dt.strftime(TS_FORMAT), "发送内容": df["text"], "发送账号": df["sender"],
        "账号类型": df["role"].map(_ROLE_CN), "订单号": df["order_id"].fillna(""),
    })


def pdd_frame(df: pd.DataFrame) -> pd.DataFrame:
    agent = df["sender"].where(df["role"].isin(["agent", "auto"]), "")
    return pd.DataFrame({
        "消费者账号": df["buyer"], "客服账号": agent, "发送方": df["role"].map(_PDD_ROLE),
        "消息类型": "文本", "消息内容": df["text"], "发送时间": df["ts"].dt.strftime(TS_FORMAT),
    })


def json_api_text(df: pd.DataFrame) -> str:
    msgs = [{"shop": s, "buyer_nick": b, "sender_nick": snd,
             "direction": 1 if r == "buyer" else 0, "role": r,
             "time": ts.strftime(TS_FORMAT), "content": t, **({"order_id": o} if isinstance(o, str) and o else {})}
            for s, b, snd, r, ts, t, o in zip(df["shop"], df["buyer"], df["sender"], df["role"], df["ts"],
                                               df["text"], df["order_id"])]
    return json.dumps({"messages": msgs}, ensure_ascii=False, indent=1)


def _epoch_s(ts) -> int:
    """Beijing wall time -> epoch seconds (UTC), as the APIs count."""
    return int((ts - pd.Timestamp("1970-01-01 08:00:00")).total_seconds())


def _queries(df: pd.DataFrame):
    """(shop, buyer, from_id nick, rows) per conversation and agent: a TOP query has one from_id. A
    buyer's messages go with the conversation's first agent (the shop's main account if none)."""
    for (shop, _), conv in _conversations(df):
        agents = [s for s, r in zip(conv["sender"], conv["role"]) if r != "buyer"]
        first = agents[0] if agents else shop
        for account in dict.fromkeys([first, *agents]):
            rows = conv[(conv["sender"] == account) if account != first
                        else ((conv["sender"] == account) | (conv["role"] == "buyer"))]
            yield shop, conv["buyer"].iloc[0], account, rows


def top_chatlog_text(df: pd.DataFrame) -> str:
    pairs = []
    for _, buyer, account, rows in _queries(df):
        msgs = [{"content": t, "direction": 1 if r == "buyer" else 0, "time": ts.strftime(TS_FORMAT)}
                for t, r, ts in zip(rows["text"], rows["role"], rows["ts"])]
        pairs.append({"request": {"from_id": "cntaobao" + account, "to_id": "cntaobao" + buyer},
                      "response": {"wangwang_eservice_chatlog_get_response": {
                          "ret": 10000, "count": len(msgs), "msgs": {"msg": msgs}}}})
    return json.dumps(pairs, ensure_ascii=False, indent=1)


def top_logquery_text(df: pd.DataFrame) -> str:
    bits = {"auto": 1, "system": 32}
    out = []
    for _, buyer, account, rows in _queries(df):
        msgs = [{"direction": 1 if r == "buyer" else 0, "type": bits.get(r, 0), "time": _epoch_s(ts), "content": t,
                 **({"length": len(t)} if r == "buyer" else {})}
                for t, r, ts in zip(rows["text"], rows["role"], rows["ts"])]
        out.append({"response": {"wangwang_abstract_logquery_response": {
            "ret_code": 0, "from_id": "cntaobao" + account, "to_id": "cntaobao" + buyer, "is_sliced": 0,
            "msg_lists": {"msg_list": msgs}}}})
    return json.dumps(out, ensure_ascii=False, indent=1)


def jd_chatlog_text(df: pd.DataFrame) -> str:
    msgs = []
    for (_, _), conv in _conversations(df):
        agents = [s for s, r in zip(conv["sender"], conv["role"]) if r != "buyer"]
        for snd, r, ts, t, b in zip(conv["sender"], conv["role"], conv["ts"], conv["text"], conv["buyer"]):
            agent = r != "buyer"
            msgs.append({"content": t, "waiterSend": agent, "time": _epoch_s(ts) * 1000, "customer": b,
                         "waiter": snd if agent else (agents[0] if agents else ""), "channel": 21 if agent else 11})
    return json.dumps({"jingdong_im_pop_chatlog_get_responce": {"code": "0", "ChatLogPage": {
        "totalRecord": len(msgs), "chatLogList": msgs}}}, ensure_ascii=False, indent=1)


def sainiu_text(df: pd.DataFrame) -> str:
    msgs = []
    for (shop, _), conv in _conversations(df):
        for snd, r, ts, t, b in zip(conv["sender"], conv["role"], conv["ts"], conv["text"], conv["buyer"]):
            buyer_msg = r == "buyer"
            msgs.append({"codeType": "CHAT_RECEIVE_MSG" if buyer_msg else "CHAT_SEND_MSG",
                         "loginNick": shop if buyer_msg else snd, "type": "文本消息", "templateId": 101,
                         "buyerNick": b, "time": str(_epoch_s(ts) * 1000), "message": t})
    return json.dumps(msgs, ensure_ascii=False, indent=1)


def hdd7_zip(df: pd.DataFrame) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for (_, _), conv in _conversations(df):
            user = conv["buyer"].iloc[0]
            chats = [{"date": ts.strftime("%Y-%m-%d"), "time": ts.strftime("%H:%M:%S"),
                      "sender": "" if r == "system" else snd, "text": t, "imgUrl": ""}
                     for snd, r, ts, t in zip(conv["sender"], conv["role"], conv["ts"], conv["text"])]
            zf.writestr(f"{user}.json", json.dumps({"user": user, "exportTime": "2026/11/23 09:00:00",
                                                    "count": len(chats), "chats": chats}, ensure_ascii=False, indent=2))
    return buf.getvalue()


def write_export(messages: pd.DataFrame, path, layout: str, encoding: str = "utf-8") -> None:
    """Write `messages` (canonical) to `path` in `layout`, atomically, in `encoding`."""
    df = conform(messages)
    path = Path(path)
    if layout == "canonical":
        write_messages(df, path, "csv")
        return
    if layout == "table_xlsx":
        write_sheets(path, {"聊天记录": table_frame(df)})
        return
    if layout == "qianniu_exporter_xlsx":
        write_sheets(path, qianniu_exporter_sheets(df))
        return
    if layout == "qianniu_cells_xlsx":
        write_sheets(path, {"聊天记录": _cells(df, page=False)})
        return
    if layout == "qianniu_cells_csv":
        with atomic_open(path, "w", encoding=encoding, newline="") as fh:
            _cells(df, page=True).to_csv(fh, index=False)
        return
    if layout == "pdd_xlsx":
        write_sheets(path, {"消息明细": pdd_frame(df)})
        return
    if layout == "hdd7_json":
        with atomic_open(path, "wb") as fh:
            fh.write(hdd7_zip(df))
        return
    if layout in ("table_csv", "pdd_csv"):
        frame = table_frame(df) if layout == "table_csv" else pdd_frame(df)
        with atomic_open(path, "w", encoding=encoding, newline="") as fh:
            frame_to_csv(frame, fh)
        return
    writers = {"qianniu_web": qianniu_web_text, "desktop_copy": desktop_copy_text,
               "message_manager": message_manager_text, "json_api": json_api_text,
               "top_chatlog": top_chatlog_text, "top_logquery": top_logquery_text, "jd_chatlog": jd_chatlog_text,
               "sainiu": sainiu_text, "desktop_copy_arrows": desktop_copy_arrows_text}
    if layout not in writers:
        raise ValueError(f"unknown layout {layout!r} (one of {', '.join(LAYOUTS)})")
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(writers[layout](df))
