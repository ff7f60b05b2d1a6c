"""TOP taobao.wangwang.eservice.chatlog.get responses: direction 0 = the shop, parties, ret codes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest_helpers import read_text, rows
from monitor.cli import cli
from monitor.errors import InputError
from monitor.ingest import read_file, sniff

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "top_chatlog_request.json"
MSGS = [{"content": "在吗", "direction": 1, "time": "2024-01-15 10:00:00"},
        {"content": "在的亲", "direction": 0, "time": "2024-01-15 10:00:40"}]


def test_fixture_with_its_request_names_both_parties():
    df, info = read_file(FIXTURE)
    assert info.reader == "top_chatlog"
    assert rows(df, "shop", "buyer", "sender", "role", "ts", "text") == [
        ("云朵家居旗舰店", "tb_buyer11", "tb_buyer11", "buyer", "2024-01-15 20:57:11", "这个沙发有灰色吗"),
        ("云朵家居旗舰店", "tb_buyer11", "云朵家居旗舰店:小美", "agent", "2024-01-15 20:58:02", "亲，有的哦，浅灰和深灰两种"),
        ("云朵家居旗舰店", "tb_buyer11", "tb_buyer11", "buyer", "2024-01-15 21:03:40", "深灰的什么时候发货"),
        ("云朵家居旗舰店", "tb_buyer11", "云朵家居旗舰店:小美", "auto", "2024-01-15 21:03:41", "【自动回复】您好，客服稍后回复您")]
    assert df["source"].str.rsplit(":", n=1).str[1].tolist() == ["15", "16", "17", "18"]
    assert df.attrs["assumptions"] == []


def test_wrapped_response_without_request_takes_shop_and_buyer_options(tmp_path):
    doc = {"wangwang_eservice_chatlog_get_response": {"ret": 10000, "count": 2, "msgs": {"msg": MSGS}}}
    df, _ = read_text(tmp_path, json.dumps(doc, ensure_ascii=False), name="q.json", shop="甲店", buyer="tb_x")
    assert rows(df, "shop", "buyer", "sender", "role", "text") == [
        ("甲店", "tb_x", "tb_x", "buyer", "在吗"), ("甲店", "tb_x", "甲店", "agent", "在的亲")]
    assert df.attrs["assumptions"] == ["the shop's account (from_id) is not in the file: taken from --shop 甲店",
                                       "the buyer (to_id) is not in the file: taken from --buyer tb_x"]


def test_unwrapped_response_and_bare_list_take_the_file_stem_as_buyer(tmp_path):
    unwrapped = {"ret": 10000, "count": 2, "msgs": {"msg": MSGS}}
    for name, doc in (("tb_stem1.json", unwrapped), ("tb_stem2.json", MSGS)):
        df, info = read_text(tmp_path, json.dumps(doc, ensure_ascii=False), name=name)
        assert info.reader == "top_chatlog"
        stem = name[:-5]
        assert rows(df, "shop", "buyer", "role", "text") == [
            ("(未知店铺)", stem, "buyer", "在吗"), ("(未知店铺)", stem, "agent", "在的亲")]
        assert df.attrs["assumptions"][1] == (f"the buyer (to_id) is not in the file and no --buyer was given: "
                                              f"taken from the file name ({stem})")


def test_several_queries_in_one_file_strip_cntaobao(tmp_path):
    pairs = [{"request": {"from_id": "cntaobao甲店:小美", "to_id": "cntaobaotb_a"},
              "response": {"ret": 10000, "msgs": {"msg": MSGS[:1]}}},
             {"request": {"from_id": "cntaobao甲店", "to_id": "cntaobaotb_b"},
              "response": {"ret": 10000, "msgs": {"msg": MSGS[1:]}}}]
    df, _ = read_text(tmp_path, json.dumps(pairs, ensure_ascii=False), name="q.json")
    assert rows(df, "conversation_id", "sender", "role") == [("甲店|tb_a", "tb_a", "buyer"),
                                                              ("甲店|tb_b", "甲店", "agent")]


@pytest.mark.parametrize("ret,reason", [
    (50000, "the API answered ret=50000: bad time (the query's start or end date is wrong: dates like "
            "2010-03-24, at most 7 days, at most 30 days back); no chat log in this file"),
    (40000, "the API answered ret=40000: wrong account (from_id or to_id is not an account of this shop); "
            "no chat log in this file"),
    (30000, "the API answered ret=30000: system error on Taobao's side (fetch it again); no chat log in this file"),
    (12345, "the API answered ret=12345: an unknown code (10000 means success); no chat log in this file")])
def test_ret_other_than_10000_rejects_the_file(tmp_path, ret, reason):
    doc = {"wangwang_eservice_chatlog_get_response": {"ret": ret, "count": 0}}
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, json.dumps(doc), name="err.json")
    assert (Path(exc.value.file).name, exc.value.reason) == ("err.json", reason)


def test_top_error_response_is_rejected_saying_what_it_says(tmp_path):
    doc = {"error_response": {"code": 27, "msg": "Invalid session", "sub_code": "invalid-sessionkey"}}
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, json.dumps(doc), name="err.json")
    assert exc.value.reason == ("the API returned an error, not a chat log "
                                "(code 27; msg Invalid session; sub_code invalid-sessionkey)")


def test_message_without_direction_names_the_line_it_starts_on(tmp_path):
    doc = {"msgs": {"msg": [MSGS[0], {"content": "x", "time": "2024-01-15 10:01:00"}]}}
    with pytest.raises(InputError) as exc:
        read_text(tmp_path, json.dumps(doc, ensure_ascii=False, indent=1), name="q.json")
    assert (exc.value.line, exc.value.reason) == (9, "message has no direction (0 = the shop writing, 1 = the buyer)")


def test_sniff_names_the_layout():
    assert sniff(FIXTURE) == "top_chatlog"


def test_cli_ingest_buyer_option(tmp_path):
    p = tmp_path / "q.json"
    p.write_text(json.dumps({"msgs": {"msg": MSGS}}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "m.csv"
    r = CliRunner().invoke(cli, ["ingest", str(p), "--shop", "甲店", "--buyer", "tb_cli", "-o", str(out)],
                           catch_exceptions=False)
    assert r.exit_code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert [ln.split(",")[:5] for ln in lines[1:]] == [["甲店", "甲店|tb_cli", "tb_cli", "tb_cli", "buyer"],
                                                      ["甲店", "甲店|tb_cli", "tb_cli", "甲店", "agent"]]


def test_scan_takes_shop_and_buyer_for_single_conversation_files(tmp_path):
    from fake_classifier import FixedClassifier
    from monitor.scan import run_scan
    p = tmp_path / "exports" / "q.json"
    p.parent.mkdir()
    p.write_text(json.dumps({"msgs": {"msg": MSGS}}, ensure_ascii=False), encoding="utf-8")
    summary = run_scan([str(p.parent)], out_dir=tmp_path / "out", classifier=FixedClassifier({}),
                       echo=lambda m: None, shop="甲店", buyer="tb_scan")
    assert list(summary["shops"]) == ["甲店"]
    assert summary["shops"]["甲店"]["messages"] == 2
    assert summary["rejected"] == []
