"""`chatmon scan` with exports that hold only the time of day: rejected (named, with how to give the
date) while the rest of the night scans; dated by --date, else --night; `scan --columns`; one line per file."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_classifier import FixedClassifier
from monitor.cli import cli
from monitor.errors import UsageError
from monitor.scan import run_scan

FIX = Path(__file__).parent / "fixtures" / "ingest"
GOOD = "tb_a 2024-01-15 10:00:00\n在吗\n云朵家居旗舰店:小美 2024-01-15 10:01:00\n在的\n"
CLF = FixedClassifier({})


@pytest.fixture
def night(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a_copy.txt").write_text(GOOD, encoding="utf-8")
    shutil.copy(FIX / "qianniu_exporter_v55.xlsx", d / "b_workbook.xlsx")
    return d


def scan(d, out, **kw):
    lines = []
    summary = run_scan([str(d)], out_dir=out, classifier=CLF, echo=lines.append, **kw)
    return summary, lines


def test_a_workbook_with_no_date_is_rejected_and_the_rest_scans(night, tmp_path):
    s, lines = scan(night, tmp_path / "out")
    assert s["shops"]["云朵家居旗舰店"]["messages"] == 2
    [rej] = s["rejected"]
    assert rej["file"] == str(night / "b_workbook.xlsx")
    assert rej["reason"].startswith("line tb_lucky77!2: time '10:02:11' has only the time of day")
    assert "--date YYYY-MM-DD (chatmon scan: --date or --night)" in rej["reason"]
    assert lines[0] == ("✓ a_copy.txt: desktop_copy, utf-8, 2 条（买家 1，客服 1）, 店铺 云朵家居旗舰店, 买家 1 位, 客服 1 位, "
                        "2024-01-15 10:00:00 至 2024-01-15 10:01:00")
    assert lines[1].startswith("✗ b_workbook.xlsx: 未读取 (rejected) tb_lucky77!2: time '10:02:11'")


def test_night_dates_the_workbook_when_no_date_is_given(night, tmp_path):
    s, lines = scan(night, tmp_path / "out", night="2024-01-15")
    assert s["rejected"] == []
    assert s["shops"]["云朵家居旗舰店"]["messages"] == 10
    assert "假设: 聊天日期 2024-01-15 来自 --night（文件里只有时分秒）；" in lines[1]


def test_date_wins_over_night(night, tmp_path):
    s, lines = scan(night, tmp_path / "out", night="2024-01-16", date="2024-01-15")
    assert s["rejected"] == [] and s["night"] == "2024-01-16"
    assert "聊天日期 2024-01-15 来自 --date" in lines[1]


def test_scan_columns_maps_unknown_headers(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "odd.csv").write_text("旺旺号,聊天时刻,说了啥\ntb_a,2024-01-15 10:00:00,在吗\n", encoding="utf-8")
    s, _ = scan(d, tmp_path / "out1")
    assert "map yours with --columns" in s["rejected"][0]["reason"]
    s, _ = scan(d, tmp_path / "out2", columns={"旺旺号": "buyer", "聊天时刻": "ts", "说了啥": "text"})
    assert s["rejected"] == [] and sum(v["messages"] for v in s["shops"].values()) == 1


def test_scan_bad_columns_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "cols.json"
    bad.write_text('{"旺旺号": "nonsense"}', encoding="utf-8")
    with pytest.raises(UsageError, match="unknown field"):
        run_scan([str(tmp_path)], out_dir=tmp_path / "out", classifier=CLF, echo=lambda m: None, columns=str(bad))


def test_cli_scan_accepts_columns_and_date(night, tmp_path):
    r = CliRunner().invoke(cli, ["scan", str(night), "--out", str(tmp_path / "out"), "--date", "2024-01-15",
                                 "--model", "models/default"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert "✓ b_workbook.xlsx: table_xlsx, xlsx, 8 条（买家 3，客服 4，系统 1）" in r.output
    r = CliRunner().invoke(cli, ["scan", "--help"])
    assert "--columns" in r.output and "--date" in r.output


def test_a_second_scan_says_which_files_it_did_not_read_again(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a_copy.txt").write_text(GOOD, encoding="utf-8")
    scan(d, tmp_path / "out")
    _, lines = scan(d, tmp_path / "out")
    assert lines[0] == "= a_copy.txt: 已扫描过（内容相同），沿用历史记录 (already scanned)"


def test_with_a_date_given_every_file_is_read_again(night, tmp_path):
    # the workbook's dates come from the option: a scan under another date must not reuse the old ones
    scan(night, tmp_path / "out", date="2024-01-15")
    s, lines = scan(night, tmp_path / "out", date="2024-01-14")
    assert [ln[:2] for ln in lines[:2]] == ["✓ ", "✓ "]
    assert "2024-01-14 10:02:11 至 2024-01-15 00:01:30" in lines[1]
