"""The CLI contract (DESIGN.md): outputs, formats and exit codes of every command."""

import json

import pandas as pd
from click.testing import CliRunner

from monitor.report import shop_folder
from monitor.cli import cli

EXPORT = ("tb_a 2026-11-22 10:00:00\n在吗\n甲店:小美 2026-11-22 10:02:00\n在的\n"
          "tb_a 2026-11-22 10:03:00\n发什么快递\n")


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_writes_canonical_csv(tmp_path):
    (tmp_path / "c.txt").write_text(EXPORT, encoding="utf-8")
    r = run("ingest", str(tmp_path / "c.txt"), "--format", "csv", "-o", str(tmp_path / "m.csv"))
    assert r.exit_code == 0
    df = pd.read_csv(tmp_path / "m.csv", encoding="utf-8-sig", dtype=str)
    assert list(df.columns) == ["shop", "conversation_id", "buyer", "sender", "role", "ts", "text", "order_id", "source"]
    assert df["ts"].tolist() == ["2026-11-22 10:00:00", "2026-11-22 10:02:00", "2026-11-22 10:03:00"]


def test_ingest_exit_3_when_a_file_is_rejected(tmp_path):
    (tmp_path / "c.txt").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    r = run("ingest", str(tmp_path), "--format", "jsonl", "-o", str(tmp_path / "m.jsonl"))
    assert r.exit_code == 3
    assert "bad.txt: empty file" in r.output


def test_latency_jsonl(tmp_path):
    (tmp_path / "c.txt").write_text(EXPORT, encoding="utf-8")
    r = run("latency", str(tmp_path / "c.txt"), "--format", "jsonl")
    rec = json.loads(r.output.strip())
    assert (rec["first_response_s"], rec["waits"], rec["unanswered"]) == (120.0, 2, 1)


def test_classify_jsonl_contract():
    r = run("classify", "有事打我电话13912345678", "好的亲，马上发货")
    a, b = (json.loads(line) for line in r.output.strip().splitlines())
    assert list(a) == ["text", "labels", "scores", "evidence", "reason"]
    assert "diversion" in a["labels"]
    assert {"label": "diversion", "start": 6, "end": 17, "match": "13912345678", "rule": "phone_number"} in a["evidence"]
    assert b["labels"] == [] and set(b["scores"]) == {"diversion", "qr_lure", "negative", "harassment", "promise"}


def test_classify_missing_column_is_a_usage_error(tmp_path):
    (tmp_path / "x.csv").write_text("msg\n你好\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["classify", "--input", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "no column 'text'" in r.output


def test_train_rejects_unknown_labels_naming_file_and_row(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("text,labels\n你好,ok\n加我微信,spam\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["train", str(f), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2
    assert f"{f}:3: column labels: unknown label 'spam'" in r.output


def test_evaluate_prints_metrics_per_label(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("text,labels\n有事打我电话13912345678,diversion\n好的亲,ok\n", encoding="utf-8")
    out = json.loads(run("evaluate", str(f)).output)
    m = out["files"][str(f)]
    assert m["diversion"]["recall"] == 1.0 and m["diversion"]["support"] == 1
    assert m["ok"] == {"support": 1, "false_alarm_rate": 0.0}


def test_scan_then_report_from_history(tmp_path):
    ex = tmp_path / "ex"
    ex.mkdir()
    (ex / "c.txt").write_text(EXPORT, encoding="utf-8")
    (ex / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    out = tmp_path / "out"
    r = run("scan", str(ex), "--out", str(out))
    assert r.exit_code == 3
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rejected"][0]["reason"] == "binary file, not a chat export"
    page = shop_folder(out, summary["night"], "甲店") / "report.html"
    page.unlink()
    (out / "summary.json").unlink()
    r = run("report", "--db", str(out / "chatmon.duckdb"), "--out", str(out))
    assert r.exit_code == 0
    assert page.exists()
    # report writes summary.json too, the night's rejections kept
    again = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert again["night"] == summary["night"] and again["shops"] == summary["shops"]
    assert again["rejected"] == summary["rejected"]


def test_report_on_unknown_night_is_a_clear_error(tmp_path):
    ex = tmp_path / "ex"
    ex.mkdir()
    (ex / "c.txt").write_text(EXPORT, encoding="utf-8")
    run("scan", str(ex), "--out", str(tmp_path / "out"))
    r = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "out" / "chatmon.duckdb"), "--night", "2020-01-01"])
    assert r.exit_code == 2 and "no scan on 2020-01-01" in r.output


def test_demo_scans_the_bundled_samples(tmp_path):
    r = run("demo", "--out", str(tmp_path / "demo"))
    assert r.exit_code == 0
    summary = json.loads((tmp_path / "demo" / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["shops"]) == 3 and summary["rejected"] == []
    assert all(s["exposure_worst_yuan"] > 0 for s in summary["shops"].values())
    assert "open the report" in r.output


def test_every_command_has_an_example_in_its_help():
    for name, cmd in cli.commands.items():
        assert "Example:" in (cmd.help or ""), name
