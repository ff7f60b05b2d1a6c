"""JD jingdong.im.pop.chatlog.get: waiterSend decides the role, epoch milliseconds, code "0" or a rejection."""

import json
from pathlib import Path

import pytest

from ingest_helpers import read_text, rows
from monitor.errors import InputError
from monitor.ingest import read_file

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "jd_chatlog.json"


def test_fixture_roles_times_text():
    df, info = read_file(FIXTURE, shop="极客数码旗舰店")
    assert info.reader == "jd_chatlog"
    # 1705284000000 ms = 2024-01-15 02:00:00 UTC = 10:00:00 Beijing
    assert rows(df, "shop", "buyer", "sender", "role", "ts", "text") == [
        ("极客数码旗舰店", "jd_buyer13", "jd_buyer13", "buyer", "2024-01-15 10:00:00", "请问能开发票吗"),
        ("极客数码旗舰店", "jd_buyer13", "极客数码客服01", "agent", "2024-01-15 10:00:45", "可以的，下单时填写抬头就行"),
        ("极客数码旗舰店", "jd_buyer13", "jd_buyer13", "buyer", "2024-01-15 10:01:40", "好的")]
    assert df["source"].str.rsplit(":", n=1).str[1].tolist() == ["6", "8", "10"]


def test_without_shop_the_file_name_is_the_shop_and_that_is_said():
    df, _ = read_file(FIXTURE)
    assert set(df["shop"]) == {"jd_chatlog"}
    assert df.attrs["assumptions"] == ["JD's response names no shop and no --shop was given: "
                                       "the shop is taken from the file name"]


def test_bare_chat_log_list(tmp_path):
    doc = {"chatLogList": [{"content": "在吗", "waiterSend": False, "time": 1705284000000, "customer": "c1",
                            "waiter": "w1"},
                           {"content": "在", "waiterSend": True, "time": 1705284010000, "customer": "c1",
                            "waiter": "w1"}]}
    df, info = read_text(tmp_path, json.dumps(doc, ensure_ascii=False), name="jd.json", shop="京东店")
    assert info.reader == "jd_chatlog"
    assert rows(df, "sender", "role", "ts") == [("c1", "buyer", "2024-01-15 10:00:00"),
                                                ("w1", "agent", "2024-01-15 10:00:10")]


def test_code_other_than_zero_rejects(tmp_path):
    doc = {"jingdong_im_pop_chatlog_get_responce": {"code": "1001", "zh_desc": "参数错误"}}
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, json.dumps(doc, ensure_ascii=False), name="jd.json")
    assert exc.value.reason == "the API answered code=1001 (参数错误); no chat log in this file"
