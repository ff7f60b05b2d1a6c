"""The fleet view on the overview: each shop's last nights as a small inline chart, the fleet's
total trend, and the agents of every shop ranked by exposure."""

import re

from monitor.report.charts import sparkline_svg
from monitor.scan import run_scan
from night_exports import CLF, write_night


def scan(paths, out):
    return run_scan([str(p) for p in paths], out_dir=out, classifier=CLF, echo=lambda m: None)


def test_sparkline_draws_a_point_per_scanned_night_and_breaks_at_gaps():
    svg = sparkline_svg([10.0, None, 30.0, 40.0], ["11-19", "11-20", "11-21", "11-22"], width=100, height=30)
    assert svg.count("<circle") == 3
    assert svg.count("<polyline") == 1                  # 30 -> 40; the gap cuts 10 off
    assert "<title>11-22: ¥40</title>" in svg and "<title>11-19: ¥10</title>" in svg
    assert 'r="2.6"' in svg                              # the last night is marked
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_overview_shows_each_shops_nights_and_the_fleet_total(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    scan([write_night(ex, "2026-11-20", ["甲店", "乙店"])], out)
    scan([write_night(ex, "2026-11-21", ["甲店"], slow_minutes=1)], out)
    scan([write_night(ex, "2026-11-22", ["甲店", "乙店"])], out)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<th>近3晚预计罚款</th>" in html
    row = html[html.index(">乙店</a>"):]
    row = row[:row.index("</tr>")]
    # 乙店 was not scanned on the 21st: two points, no line across the gap
    assert row.count("<circle") == 2 and "<polyline" not in row
    assert "<title>2026-11-20: ¥58</title>" in row and "<title>2026-11-22: ¥58</title>" in row
    row = html[html.index(">甲店</a>"):]
    row = row[:row.index("</tr>")]
    assert row.count("<circle") == 3 and "<title>2026-11-21: ¥38</title>" in row
    # the fleet's total per night: 116, 38, 116
    trend = html[html.index('id="fleet-trend"'):]
    assert re.findall(r"<title>(2026-11-2\d) 全部店铺预计罚款: ¥(\d+)</title>", trend) == [
        ("2026-11-20", "116"), ("2026-11-21", "38"), ("2026-11-22", "116")]


def test_agents_are_ranked_across_shops_with_their_shop(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    night = write_night(ex, "2026-11-22", ["甲店", "乙店"], slow_minutes=4)
    # 丙店's slow reply waits 9 minutes: same 20 yuan; its diversion is the only one at 0.9 too
    write_night(ex, "2026-11-22", ["丙店"], slow_minutes=9)
    scan([night], out)
    html = (out / "index.html").read_text(encoding="utf-8")
    table = html[html.index('<table id="agents">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td><a href=\"[^\"]+\">([^<]+)</a></td>\s*"
                      r'<td class="num">([^<]+)</td>', table)
    # six agents (小美 slow 20, 阿强 diversion 18 in each shop); (无人回复) is not an agent
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("丙店:小美", "丙店", "¥20"), ("乙店:小美", "乙店", "¥20"), ("甲店:小美", "甲店", "¥20"),
        ("丙店:阿强", "丙店", "¥18"), ("乙店:阿强", "乙店", "¥18"), ("甲店:阿强", "甲店", "¥18")]
    assert "(无人回复)" not in table
