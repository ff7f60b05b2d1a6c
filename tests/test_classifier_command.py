"""`classify_command`: jsonl/csv contract, txt/csv/xlsx input, errors naming the file and column."""

import json

import pandas as pd
import pytest

from monitor.detect.classify import classify_command, read_texts
from monitor.errors import UsageError


def test_jsonl_keys_and_order(tmp_path):
    out = tmp_path / "o.jsonl"
    classify_command(["有事打我电话13912345678", "好的亲"], output=str(out))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(r) for r in rows] == [["text", "labels", "scores", "evidence", "reason"]] * 2
    assert [r["text"] for r in rows] == ["有事打我电话13912345678", "好的亲"]
    assert "diversion" in rows[0]["labels"] and rows[1]["labels"] == []
    assert list(rows[1]["scores"]) == ["diversion", "qr_lure", "negative", "harassment", "promise"]
    assert list(rows[0]["evidence"][0]) == ["label", "start", "end", "match", "rule"]
    assert rows[0]["reason"] == "规则: 引流用语「打我电话」；规则: 手机号" and rows[1]["reason"] == ""


def test_csv_columns(tmp_path):
    out = tmp_path / "o.csv"
    classify_command(["有事打我电话13912345678", "好的亲"], fmt="csv", output=str(out))
    df = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(df.columns) == ["text", "labels", "p_diversion", "p_qr_lure", "p_negative", "p_harassment", "p_promise",
                                "evidence", "reason"]
    assert df["labels"].tolist()[1] == ""
    assert "diversion" in df["labels"].tolist()[0].split("|")
    assert json.loads(df["evidence"][1]) == []


def test_txt_input_is_one_message_per_line(tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("好的亲\n\n加我微信 abc12345 发你优惠\n", encoding="utf-8")
    assert read_texts(str(f)) == ["好的亲", "", "加我微信 abc12345 发你优惠"]


def test_gbk_csv_and_xlsx_columns(tmp_path):
    f = tmp_path / "m.csv"
    f.write_bytes("msg,x\n好的亲,1\n在的\u3000亲,2\n".encode("gbk"))
    assert read_texts(str(f), "msg") == ["好的亲", "在的\u3000亲"]
    x = tmp_path / "m.xlsx"
    pd.DataFrame({"内容": ["您好", "12345"]}).to_excel(x, index=False)
    assert read_texts(str(x), "内容") == ["您好", "12345"]


def test_missing_column_is_a_usage_error_naming_file_and_column(tmp_path):
    f = tmp_path / "m.csv"
    f.write_text("msg\n好的\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"m\.csv: no column 'text'"):
        classify_command([], input_path=str(f))


def test_nothing_to_classify_is_a_usage_error():
    with pytest.raises(UsageError, match="nothing to classify"):
        classify_command([])


def test_stdout_when_no_output(capsys):
    classify_command(["好的亲"])
    line = capsys.readouterr().out
    assert json.loads(line)["text"] == "好的亲"


def test_csv_repeated_texts_get_identical_rows_in_input_order(tmp_path):
    out = tmp_path / "o.csv"
    texts = ["加我微信abc123", "好的亲", "加我微信abc123", "好的亲", "好的亲"]
    classify_command(texts, fmt="csv", output=str(out))
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert df["text"].tolist() == texts
    assert df["labels"].tolist() == ["diversion", "", "diversion", "", ""]
    assert df.iloc[0].tolist() == df.iloc[2].tolist() and df.iloc[1].tolist() == df.iloc[4].tolist()
    assert json.loads(df["evidence"][2])[0]["match"] == "加我微信"
