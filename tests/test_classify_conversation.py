"""`chatmon classify --conversation FILE`: seller messages of a chat export classified with their
conversation, with the conversation's fields and the plain-Chinese reason."""

import json

import pandas as pd
from click.testing import CliRunner

from monitor.cli import cli

# a Qianniu-style text export: a phone number split over three seller messages, then a brush-off
EXPORT = ("tb_buyer 2026-11-22 10:00:00\n售后电话多少\n"
          "甲店:小美 2026-11-22 10:01:00\n一三九\n"
          "甲店:小美 2026-11-22 10:01:05\n一二三四\n"
          "甲店:小美 2026-11-22 10:01:09\n五六七八\n"
          "tb_buyer 2026-11-22 10:05:00\n东西坏了，我要退款\n"
          "甲店:小美 2026-11-22 10:06:00\n没办法\n")


def _run(*args):
    return CliRunner().invoke(cli, ["classify", *args], catch_exceptions=False)


def test_jsonl_rows_are_the_seller_messages_with_context_flags(tmp_path):
    (tmp_path / "c.txt").write_text(EXPORT, encoding="utf-8")
    r = _run("--conversation", str(tmp_path / "c.txt"))
    assert r.exit_code == 0, r.output
    rows = [json.loads(x) for x in r.output.strip().splitlines()]
    assert [x["text"] for x in rows] == ["一三九", "一二三四", "五六七八", "没办法"]
    assert [x["labels"] for x in rows] == [["diversion"], ["diversion"], ["diversion"], ["negative"]]
    assert list(rows[0])[:5] == ["conversation_id", "ts", "sender", "role", "text"]
    assert rows[0]["ts"] == "2026-11-22 10:01:00"
    assert rows[1]["reason"] == "上下文: 分几条消息发出的联系方式"
    assert rows[3]["reason"] == "上下文: 回绝买家的请求「没办法」"


def test_csv_output_and_texts_are_refused_with_it(tmp_path):
    (tmp_path / "c.txt").write_text(EXPORT, encoding="utf-8")
    r = _run("--conversation", str(tmp_path / "c.txt"), "--format", "csv", "-o", str(tmp_path / "o.csv"))
    assert r.exit_code == 0
    df = pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df.columns) == ["conversation_id", "ts", "sender", "role", "text", "labels", "p_diversion",
                                "p_qr_lure", "p_negative", "p_harassment", "p_promise", "evidence", "reason"]
    assert df["labels"].tolist() == ["diversion", "diversion", "diversion", "negative"]
    bad = CliRunner().invoke(cli, ["classify", "好的", "--conversation", str(tmp_path / "c.txt")])
    assert bad.exit_code == 2 and "--conversation classifies whole chat exports" in bad.output
