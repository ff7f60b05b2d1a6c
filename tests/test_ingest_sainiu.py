"""SaiNiuApi message JSON: codeType / sender decide the role, buyerNick the buyer, loginNick the shop."""

import json
from pathlib import Path

from ingest_helpers import read_text, rows
from monitor.ingest import read_file

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "sainiu_messages.jsonl"
BASE = {"loginNick": "甲店:小美", "type": "文本消息", "templateId": 101,
        "cid": "2200000000099.1-700000009.1#11001@cntaobao", "buyerNick": "tb_s"}


def test_fixture_json_lines():
    df, info = read_file(FIXTURE)
    assert info.reader == "sainiu"
    # 1705370400000 ms = 2024-01-16 02:00:00 UTC = 10:00:00 Beijing
    assert rows(df, "shop", "buyer", "sender", "role", "ts", "text") == [
        ("云朵家居旗舰店", "tb_buyer14", "tb_buyer14", "buyer", "2024-01-16 10:00:00", "枕头还有库存吗"),
        ("云朵家居旗舰店", "tb_buyer14", "云朵家居旗舰店:小美", "agent", "2024-01-16 10:01:00", "有的亲，今天下单明天发"),
        ("云朵家居旗舰店", "tb_buyer14", "tb_buyer14", "buyer", "2024-01-16 10:02:00", "[图片]")]
    assert df["source"].str.rsplit(":", n=1).str[1].tolist() == ["1", "2", "3"]
    assert df.attrs["assumptions"] == []


def test_evidence_example_without_code_type_is_received_and_noted(tmp_path):
    # the SDK's "获取远程消息" example: no codeType, no sender field
    msg = {**BASE, "time": "1732153323176", "message": "你好"}
    df, _ = read_text(tmp_path, json.dumps([msg], ensure_ascii=False), name="s.json")
    assert rows(df, "shop", "sender", "role", "ts", "text") == [("甲店", "tb_s", "buyer", "2024-11-21 09:42:03", "你好")]
    assert df.attrs["assumptions"] == ["1 message(s) carry no codeType and no sender: read as received from the "
                                       "buyer (CHAT_RECEIVE_MSG)"]


def test_sender_field_and_poll_wrapper(tmp_path):
    inner = {**BASE, "senderNick": "甲店:阿强", "time": "1732153383176", "message": "在的"}
    poll = {"code": 200, "msg": "调用成功", "data": json.dumps(inner, ensure_ascii=False)}
    text = "\n".join([json.dumps({**BASE, "senderNick": "cntaobaotb_s", "time": "1732153323176", "message": "在吗"},
                                 ensure_ascii=False), json.dumps(poll, ensure_ascii=False)])
    df, _ = read_text(tmp_path, text, name="s.jsonl")
    assert rows(df, "sender", "role", "text") == [("tb_s", "buyer", "在吗"), ("甲店:阿强", "agent", "在的")]
