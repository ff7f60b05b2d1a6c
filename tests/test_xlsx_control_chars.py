"""Issue 18: control characters in names and messages never crash the xlsx writer; they show visibly."""

import datetime as dt
import json

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_classifier import FixedClassifier
from monitor.ingest import read_file
from monitor.scan import run_scan
from monitor.xlsx import _ILLEGAL, cell_text, write_sheets

# the reproduction of issue 18: a vertical tab in the shop name, written by a hostile exporter
REPRO = ("店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
         "店\x0bS,tb_b5,2026-11-22 10:00:00,在吗,tb_b5,买家\n"
         "店\x0bS,tb_b5,2026-11-22 10:00:20,在的亲\x1b加我微信,小美\x0b,客服\n")
GOOD = ("店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
        "好店,tb_a,2026-11-22 11:00:00,在吗,tb_a,买家\n"
        "好店,tb_a,2026-11-22 11:00:30,在的,好店:小美,客服\n")


def test_cell_text_shows_each_control_character_as_its_control_picture():
    assert [cell_text(s) for s in ["店\x0bS", "店\x1bS", "店S", "a\x00b\x01", "tab\tnew\nline\r", "x\ud800y",
                                   "\ufffe"]] == \
        ["店␋S", "店␛S", "店S", "a␀b␁", "tab\tnew\nline\r", "x\ufffdy", "\ufffd"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cell_text_leaves_nothing_xml_forbids_and_keeps_length(s):
    out = cell_text(s)
    assert not _ILLEGAL.search(out) and len(out) == len(s)
    assert (out == s) == (not _ILLEGAL.search(s))


def _read_back(path, sheet):
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_both_writers_write_control_characters_visibly(tmp_path):
    df = pd.DataFrame({"店\x0b铺": ["店\x0bS", "店S", "a\x1bb", "\x00", "x\ud800"]})
    fast = tmp_path / "fast.xlsx"
    write_sheets(fast, {"s": df})
    # a date without a time sends the whole workbook through openpyxl (the reference writer)
    slow = tmp_path / "slow.xlsx"
    write_sheets(slow, {"s": df.assign(d=dt.date(2026, 11, 22))})
    want = [["店␋铺"], ["店␋S"], ["店S"], ["a␛b"], ["␀"], ["x\ufffd"]]
    assert _read_back(fast, "s") == want
    assert [r[:1] for r in _read_back(slow, "s")] == want


def test_ingest_keeps_names_as_written_so_they_never_merge(tmp_path):
    # 店\x0bS and 店S are two shops: dropping the control character at read time would merge them
    (tmp_path / "x.csv").write_text(REPRO, encoding="utf-8")
    df, _ = read_file(tmp_path / "x.csv")
    assert set(df["shop"]) == {"店\x0bS"} and df["text"].iloc[1] == "在的亲\x1b加我微信"


def test_the_reproduction_beside_a_good_export_scans_and_writes_every_report(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "x.csv").write_text(REPRO, encoding="utf-8")
    (d / "good.csv").write_text(GOOD, encoding="utf-8")
    (d / "j.json").write_text(json.dumps([{"content": "hi\u0000\u0001 加我微信", "time": 1795320000,
                                           "buyer_nick": "b\u0001", "sender_nick": "店J:a\u0000",
                                           "shop": "店J\u0001"}]), encoding="utf-8")
    out = tmp_path / "out"
    s = run_scan([str(d)], out_dir=out, classifier=FixedClassifier({"加我微信": ("diversion", 0.9)}),
                 echo=lambda m: None)
    assert set(s["shops"]) == {"好店", "店J\x01", "店\x0bS"} and s["rejected"] == []
    assert s["shops"]["店\x0bS"]["flagged"]["diversion"] == 1
    xlsx = next(out.rglob("report.xlsx"), None)
    assert xlsx is not None and (out / "index.html").exists()
    books = {str(p.parent.name): p for p in out.rglob("report.xlsx")}
    assert len(books) == 3
    overview = [_read_back(p, "概览") for p in books.values()]
    assert sorted(rows[1][1] for rows in overview) == ["好店", "店J␁", "店␋S"]
    flagged = [r for p in books.values() for r in _read_back(p, "消息")[1:]]
    # (the JSON's NUL was read as ␀ already: see test_json_escapes_no_file_can_hold)
    assert sorted(str(c) for r in flagged for c in r if isinstance(c, str) and "加我微信" in c) == \
        ["hi␀␁ 加我微信", "在的亲␛加我微信"]


def test_json_escapes_no_file_can_hold(tmp_path):
    # a lone surrogate cannot be written as UTF-8 (it crashed the history); a NUL makes chatmon's own
    # csv read back as a binary file: they are read as U+FFFD and ␀
    p = tmp_path / "k.json"
    p.write_text('[{"content":"hi \\ud800 x \\ud83d\\ude00 \\u0000","time":1795320000,"buyer_nick":"b\\udfff",'
                 '"sender_nick":"店K:a","shop":"店K"}]', encoding="utf-8")
    df, _ = read_file(p)
    assert (df["text"].iloc[0], df["buyer"].iloc[0]) == ("hi \ufffd x 😀 ␀", "b\ufffd")
