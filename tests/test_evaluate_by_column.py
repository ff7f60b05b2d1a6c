"""`chatmon evaluate --by COLUMN`: the flagged share and metrics per value of a column of the file."""

import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.detect.evaluate import evaluate_files
from monitor.errors import InputError

ROWS = ("text,expected,dataset\n"
        "有事打我电话13912345678,diversion,helpdesk\n"      # a phone number next to a contact cue: a rule flag
        "加我微信abc12345聊,diversion,helpdesk\n"
        "您好，请问有什么可以帮您,ok,helpdesk\n"
        "好的亲，马上为您发货,ok,shop\n"
        "亲，已经为您备注了哦,ok,shop\n")


def test_by_column_splits_the_rows_and_flags_of_a_file(tmp_path):
    f = tmp_path / "eval.csv"
    f.write_text(ROWS, encoding="utf-8")
    m = evaluate_files([str(f)], by="dataset")["files"][str(f)]
    by = m["by"]["dataset"]
    assert sorted(by) == ["helpdesk", "shop"]
    assert by["helpdesk"]["rows"] == 3 and by["shop"]["rows"] == 2
    assert by["helpdesk"]["flagged_rows"] == 2 and by["helpdesk"]["flagged_any"] == round(2 / 3, 4)
    assert by["helpdesk"]["flagged_by_label"]["diversion"] == 2
    assert by["helpdesk"]["diversion"]["recall"] == 1.0
    assert by["shop"]["flagged_rows"] == 0 and by["shop"]["ok"] == {"support": 2, "false_alarm_rate": 0.0}
    # the groups add up to the file
    assert sum(g["rows"] for g in by.values()) == m["rows"]
    assert sum(g["flagged_rows"] for g in by.values()) == m["flagged_rows"]


def test_without_by_there_is_no_breakdown(tmp_path):
    f = tmp_path / "eval.csv"
    f.write_text(ROWS, encoding="utf-8")
    assert "by" not in evaluate_files([str(f)])["files"][str(f)]


def test_by_a_column_the_file_lacks_names_the_file_and_column(tmp_path):
    f = tmp_path / "eval.csv"
    f.write_text("text,expected\n好的,ok\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"eval\.csv.*missing column\(s\) shop.*columns found: text, expected"):
        evaluate_files([str(f)], by="shop")


def test_cli_by_option(tmp_path):
    f = tmp_path / "eval.csv"
    f.write_text(ROWS, encoding="utf-8")
    res = CliRunner().invoke(cli, ["evaluate", str(f), "--by", "dataset"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["files"][str(f)]["by"]["dataset"]["helpdesk"]["flagged_rows"] == 2
    bad = CliRunner().invoke(cli, ["evaluate", str(f), "--by", "nope"])
    assert bad.exit_code == 2 and "missing column(s) nope" in bad.output
