"""Failures on the page: rejected files (in Chinese, with line and detail), failed and missing shops,
and a night with no readable input shown as FAILED with its date found from the exports, never today."""

import json
import os
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.errors import UsageError
from monitor.report import shop_folder
from monitor.report.nights import render_overview, write_night_summary
from monitor.report.reasons import reason_category, rejected_rows
from monitor.scan import run_scan
from monitor.store import Store
from night_exports import CLF, write_night

N1, N2 = "2026-11-21", "2026-11-22"
# a canonical csv whose 4th line has a time that cannot be read
BAD_LINE = ("shop,conversation_id,buyer,sender,role,ts,text,order_id,source\n"
            "甲店,c1,tb_a,tb_a,buyer,2026-11-22 10:00:00,在吗,,\n"
            "甲店,c1,tb_a,甲店:小美,agent,2026-11-22 10:01:00,在的,,\n"
            "甲店,c1,tb_a,tb_a,buyer,not a time,x,,\n")


def scan(paths, out, **kw):
    return run_scan([str(p) for p in paths], out_dir=out, classifier=CLF, echo=lambda m: None, **kw)


def test_reason_categories_in_chinese_keep_the_detail():
    assert reason_category("binary file, not a chat export") == "不是聊天记录文件（二进制内容）"
    assert reason_category("neither UTF-8 nor GBK/GB18030 (undecodable bytes)").startswith("文字编码无法识别")
    assert reason_category("unparseable timestamp '25:99'") == "时间无法识别"
    assert reason_category("something new went wrong") == "其他原因"
    assert rejected_rows([{"file": "/x/exports/2026-11-22/a.txt", "reason": "line 7: malformed csv: bad quote"}]) == [
        {"file": "a.txt", "path": "/x/exports/2026-11-22/a.txt", "line": 7, "category": "CSV 格式错误",
         "detail": "malformed csv: bad quote"}]


def test_rejected_files_are_listed_in_red_on_the_overview_and_every_shop_page(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    night = write_night(ex, N2, ["甲店", "乙店"])
    (night / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    s = scan([night], out)
    assert [r["file"].rsplit("/", 1)[1] for r in s["rejected"]] == ["broken.txt"]
    pages = [out / "index.html", out / N2 / "index.html",
             *(shop_folder(out, N2, shop) / "report.html" for shop in ("甲店", "乙店"))]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<section class="failures" id="failures">' in html
        assert html.index('id="failures"') < html.index('id="expected"')       # at the top
        assert ("<tr><td title=\"" + str(night / "broken.txt") + "\">broken.txt</td><td class=\"num\">—</td>"
                "<td>不是聊天记录文件（二进制内容）</td><td class=\"detail\">binary file, not a chat export</td></tr>") in html


def test_a_rejected_line_is_shown_with_its_number(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    night = write_night(ex, N2, ["甲店"])
    (night / "cut.csv").write_text(BAD_LINE, encoding="utf-8")
    s = scan([night], out)
    assert [r["reason"] for r in s["rejected"]] == ["line 4: unparseable timestamp 'not a time'"]
    html = (out / N2 / "index.html").read_text(encoding="utf-8")
    assert ('>cut.csv</td><td class="num">4</td><td>时间无法识别</td>'
            '<td class="detail">unparseable timestamp &#39;not a time&#39;</td>') in html


def test_shops_of_recent_nights_missing_tonight_are_listed(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    scan([write_night(ex, N1, ["甲店", "乙店", "丙店"])], out)
    s = scan([write_night(ex, N2, ["甲店"])], out)
    assert s["missing_shops"] == ["丙店", "乙店"]
    for page in (out / N2 / "index.html", shop_folder(out, N2, "甲店") / "report.html"):
        html = page.read_text(encoding="utf-8")
        assert "本晚缺少的店铺（2 家" in html and '<p class="missing">丙店、乙店</p>' in html
    # expected_nights = 0 turns the list off
    cfg = tmp_path / "c.toml"
    cfg.write_text("[report]\nexpected_nights = 0\n", encoding="utf-8")
    run_scan([str(ex / N2)], out_dir=out, classifier=CLF, echo=lambda m: None, config_path=str(cfg))
    assert "本晚缺少的店铺" not in (out / N2 / "index.html").read_text(encoding="utf-8")


def test_failed_shops_from_summary_json_are_shown(tmp_path):
    out = tmp_path / "out"
    scan([write_night(tmp_path / "ex", N2, ["甲店"])], out)
    s = json.loads((out / N2 / "summary.json").read_text(encoding="utf-8"))
    s["failed_shops"] = [{"shop": "乙店", "reason": "MemoryError while rendering"}]
    write_night_summary(out, s)
    with Store(out / "chatmon.duckdb", read_only=True) as st:
        html = render_overview(st, out, N2).read_text(encoding="utf-8")
    assert "处理失败的店铺（1 家）" in html and "<li><b>乙店</b>：MemoryError while rendering</li>" in html


def test_a_night_with_only_broken_files_is_a_failed_night_of_the_folders_date(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    scan([write_night(ex, N1, ["甲店"])], out)
    night = ex / N2
    night.mkdir()
    (night / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    r = CliRunner().invoke(cli, ["scan", str(night), "--out", str(out)])
    assert r.exit_code == 3 and f"night {N2} FAILED" in r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (s["night"], s["status"], s["night_source"], s["shops"]) == (N2, "failed", "folder", {})
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "本晚扫描失败：没有读到任何可用的聊天记录" in html
    assert 'id="expected"' not in html and "¥0" not in html and "没有扫描到店铺" not in html
    assert "<p class=\"missing\">甲店</p>" in html


def test_an_empty_dated_folder_is_a_failed_night_too(tmp_path):
    night = tmp_path / "ex" / "20261122"
    night.mkdir(parents=True)
    r = CliRunner().invoke(cli, ["scan", str(night), "--out", str(tmp_path / "out")])
    assert r.exit_code == 3
    s = json.loads((tmp_path / "out" / N2 / "summary.json").read_text(encoding="utf-8"))
    assert (s["night"], s["status"], s["rejected"]) == (N2, "failed", [])


def test_without_a_dated_folder_the_files_dates_name_the_night_never_today(tmp_path):
    ex = tmp_path / "undated"
    ex.mkdir()
    bad = ex / "broken.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    # written at 01:30 on the 23rd: the night of the 22nd (a night's export runs past midnight)
    stamp = datetime(2026, 11, 23, 1, 30).timestamp()
    os.utime(bad, (stamp, stamp))
    s = scan([ex], tmp_path / "out")
    assert (s["night"], s["night_source"], s["status"]) == (N2, "file dates", "failed")
    assert s["night"] != date.today().isoformat()
    assert "日期取自文件修改时间" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_no_files_and_no_date_is_a_usage_error(tmp_path):
    ex = tmp_path / "nothing"
    ex.mkdir()
    with pytest.raises(UsageError, match="no export files found"):
        scan([ex], tmp_path / "out")


# ---- the parsers behind the page: rejection lines and folder dates ----

from hypothesis import given, settings, strategies as st  # noqa: E402

from monitor.scan import folder_night  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(min_value=1, max_value=10**6))
def test_a_reasons_detail_is_kept_whole_and_its_line_read(reason, line):
    plain = rejected_rows([{"file": "a/b/c.txt", "reason": reason}])[0]
    if not reason.startswith("line "):
        assert plain["detail"] == reason and plain["line"] is None
    assert plain["file"] == "c.txt" and plain["category"]
    numbered = rejected_rows([{"file": "c.txt", "reason": f"line {line}: {reason}"}])[0]
    assert (numbered["line"], numbered["detail"]) == (line, reason)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1)), st.booleans(), st.text(alphabet="abc_-/", max_size=20))
def test_a_dated_folder_anywhere_in_the_path_names_the_night(day, compact, noise):
    name = day.strftime("%Y%m%d" if compact else "%Y-%m-%d")
    assert folder_night(f"exports/{noise}/{name}/shop.txt".replace("//", "/")) == day.isoformat()
    assert folder_night(f"exports/{noise}/shop.txt") is None


def test_impossible_dates_are_not_nights():
    assert folder_night("exports/2026-13-40/shop.txt") is None
    assert folder_night("exports/12345678/shop.txt") is None
    assert folder_night("2026-11-21/exports/2026-11-22/shop.txt") == "2026-11-22"     # the nearest wins
