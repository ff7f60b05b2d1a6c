"""TOP taobao.wangwang.abstract.logquery message lists: type bits, content-less buyer turns, both time forms."""

import json
from pathlib import Path

import pytest

from ingest_helpers import read_text, rows
from monitor.config import load_config
from monitor.errors import InputError
from monitor.ingest import read_file
from monitor.schema import is_unreadable
from monitor.timing import compute_latency

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "top_logquery.json"
UNREADABLE = "请在客户端查看原始聊天记录，网页版无法展示"


def test_fixture_roles_times_and_placeholders():
    df, info = read_file(FIXTURE)
    assert info.reader == "top_logquery"
    assert rows(df, "shop", "buyer", "sender", "role", "ts", "text") == [
        ("小鹿美妆专营店", "tb_buyer12", "tb_buyer12", "buyer", "2024-01-16 09:00:05", UNREADABLE),
        ("小鹿美妆专营店", "tb_buyer12", "小鹿美妆专营店", "auto", "2024-01-16 09:00:06", "亲，欢迎光临小鹿美妆"),
        # epoch seconds 1705366920 = 2024-01-16 01:02:00 UTC = 09:02:00 Beijing
        ("小鹿美妆专营店", "tb_buyer12", "小鹿美妆专营店", "agent", "2024-01-16 09:02:00", "亲，这款有三个色号哦"),
        # epoch milliseconds, the offline (type 16) buyer message
        ("小鹿美妆专营店", "tb_buyer12", "tb_buyer12", "buyer", "2024-01-16 09:05:00", UNREADABLE),
        ("小鹿美妆专营店", "tb_buyer12", "小鹿美妆专营店", "system", "2024-01-16 09:06:00", "由小鹿美妆专营店:阿梅转发的系统消息")]
    assert [is_unreadable(t) for t in df["text"]] == [True, False, False, True, False]
    assert df.attrs["assumptions"] == [
        "1 message(s) flagged offline (type & 16: sent while the other side was offline), counted like the others"]


def test_content_less_buyer_messages_still_open_a_wait():
    df, _ = read_file(FIXTURE)
    waits = compute_latency(df, load_config()).waits
    # 09:00:05 is answered by the agent at 09:02:00 (the auto-reply does not count); the 09:05:00
    # turn only gets a system message: unanswered
    assert [(str(s), w, a) for s, w, a in zip(waits["start"], waits["wait_s"].fillna(-1), waits["answered"])] == [
        ("2024-01-16 09:00:05", 115.0, True), ("2024-01-16 09:05:00", -1, False)]


def test_go_shape_unwrapped_with_lists_and_no_wrapper(tmp_path):
    doc = {"ret_code": 0, "from_id": "cntaobao甲店:小美", "to_id": "cntaobaotb_g",
           "msg_lists": [{"direction": 1, "time": 1705284000, "type": 0, "length": 2},
                         {"direction": 0, "time": 1705284060, "type": 0, "content": "在的"}]}
    df, _ = read_text(tmp_path, json.dumps(doc, ensure_ascii=False), name="g.json")
    assert rows(df, "shop", "sender", "role", "ts", "text") == [
        ("甲店", "tb_g", "buyer", "2024-01-15 10:00:00", UNREADABLE),
        ("甲店", "甲店:小美", "agent", "2024-01-15 10:01:00", "在的")]


def test_ret_code_error_rejects_with_its_message(tmp_path):
    doc = {"wangwang_abstract_logquery_response": {"ret_code": -1, "error_msg": "word too long"}}
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, json.dumps(doc), name="lq.json")
    assert exc.value.reason == "the API answered ret_code=-1 (word too long); no chat log in this file"
