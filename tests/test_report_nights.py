"""Nights kept apart: OUT/<night>/, the latest night as the landing page, re-runs in any order,
partial re-scans, exports of several nights split by night."""

import json
import re
from urllib.parse import unquote

import pytest

from monitor.errors import UsageError
from monitor.report import render_from_db, shop_folder
from monitor.scan import run_scan
from monitor.store import Store
from night_exports import CLF, write_night

N1, N2 = "2026-11-21", "2026-11-22"


def scan(paths, out, **kw):
    return run_scan([str(p) for p in paths], out_dir=out, classifier=CLF, echo=lambda m: None, **kw)


def summary(path):
    return json.loads(path.read_text(encoding="utf-8"))


def shop_yuan(html: str, shop: str) -> str:
    """The 预计罚款 cell of a shop's row on an overview page."""
    m = re.search(r">" + re.escape(shop) + r'</a></td>\s*<td class="num">([^<]+)</td>', html)
    return m.group(1)


def test_rerun_of_an_older_night_keeps_every_night_and_the_landing_page(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    n1 = write_night(ex, N1, ["甲店", "乙店"], slow_minutes=4)
    n2 = write_night(ex, N2, ["甲店", "乙店"], slow_minutes=1)       # night 2: no slow reply
    scan([n1], out)
    scan([n2], out)
    # night 1 again, 甲店's export now answered in time: 20 yuan less
    (n1 / f"甲店-{N1}.txt").write_text((n1 / f"甲店-{N1}.txt").read_text(encoding="utf-8")
                                       .replace("10:04:00", "10:01:00"), encoding="utf-8")
    again = scan([n1], out)
    assert again["night"] == N1 and again["shops"]["甲店"]["exposure_expected_yuan"] == 38.0
    # the landing page and summary.json stay the latest night's
    assert summary(out / "summary.json")["night"] == N2
    assert summary(out / "summary.json") == summary(out / N2 / "summary.json")
    landing = (out / "index.html").read_text(encoding="utf-8")
    assert '<span id="night">2026-11-22</span>' in landing
    # each night's folder holds its own night
    assert summary(out / N1 / "summary.json")["shops"]["甲店"]["exposure_expected_yuan"] == 38.0
    assert summary(out / N1 / "summary.json")["shops"]["乙店"]["exposure_expected_yuan"] == 58.0
    for night in (N1, N2):
        for shop in ("甲店", "乙店"):
            page = (shop_folder(out, night, shop) / "report.html").read_text(encoding="utf-8")
            assert f"扫描日期 {night}" in page
    # night 2's pages were brought up to date with the new night 1: its delta and its trend
    n2_index = (out / N2 / "index.html").read_text(encoding="utf-8")
    assert shop_yuan(n2_index, "甲店") == "¥38" and "▲ ¥0" not in n2_index
    n2_page = (shop_folder(out, N2, "甲店") / "report.html").read_text(encoding="utf-8")
    assert f"上一晚 {N1}：¥38" in n2_page and f"{N1} 预计罚款: ¥38" in n2_page
    # and the history holds each night once
    with Store(out / "chatmon.duckdb", read_only=True) as st:
        assert sorted(st.con.execute("SELECT night, shop, exposure_expected_yuan FROM nights").fetchall()) == [
            (N1, "乙店", 58.0), (N1, "甲店", 38.0), (N2, "乙店", 38.0), (N2, "甲店", 38.0)]


def test_the_landing_page_links_every_night_and_each_night_its_neighbours(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    n3 = "2026-11-23"
    scan([write_night(ex, n3, ["甲店"])], out)
    scan([write_night(ex, N1, ["甲店"])], out)      # older nights scanned after
    scan([write_night(ex, N2, ["甲店"])], out)

    def links(page):
        html = page.read_text(encoding="utf-8")
        nav = html[html.index('<nav class="nights">'):]
        nav = nav[:nav.index("</nav>")]
        found = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
        for href, _ in found:
            assert (page.parent / unquote(href)).is_file(), href
        return [(str((page.parent / unquote(h)).resolve().relative_to(out.resolve())), text) for h, text in found]

    assert links(out / "index.html") == [(f"{N2}/index.html", N2), (f"{N1}/index.html", N1)]
    assert links(out / N1 / "index.html") == [("index.html", "最新一晚与全部日期"), (f"{N2}/index.html", f"{N2} →")]
    assert links(out / N2 / "index.html") == [(f"{N1}/index.html", f"← {N1}"), ("index.html", "最新一晚与全部日期"),
                                              (f"{n3}/index.html", f"{n3} →")]
    assert links(out / n3 / "index.html") == [(f"{N2}/index.html", f"← {N2}"), ("index.html", "最新一晚与全部日期")]
    # the landing page's shop links point into the latest night's folder
    assert f'href="{n3}/' in (out / "index.html").read_text(encoding="utf-8")


def test_a_partial_rescan_keeps_the_nights_other_shops_on_its_overview(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    night = write_night(ex, N2, ["甲店", "乙店", "丙店"])
    scan([night], out)
    scan([night / f"甲店-{N2}.txt"], out)
    s = summary(out / N2 / "summary.json")
    assert sorted(s["shops"]) == ["丙店", "乙店", "甲店"] and s["scanned_shops"] == ["甲店"]
    html = (out / N2 / "index.html").read_text(encoding="utf-8")
    assert all(f">{shop}</a>" in html for shop in ("甲店", "乙店", "丙店"))
    assert "本晚缺少的店铺" not in html


def test_dated_folders_scanned_at_once_are_split_by_night(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    write_night(ex, N1, ["甲店", "乙店"])
    write_night(ex, N2, ["甲店"])
    s = scan([ex], out)
    assert [n["night"] for n in s["nights_scanned"]] == [N1, N2]
    assert sorted(summary(out / N1 / "summary.json")["shops"]) == ["乙店", "甲店"]
    assert sorted(summary(out / N2 / "summary.json")["shops"]) == ["甲店"]
    assert summary(out / "summary.json")["night"] == N2


def test_undated_files_of_two_nights_are_split_by_each_files_night(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    write_night(ex, N1, ["甲店"], dated=False)
    write_night(ex, N2, ["甲店", "乙店"], dated=False)
    s = scan([ex], out)
    assert [n["night"] for n in s["nights_scanned"]] == [N1, N2]
    with Store(out / "chatmon.duckdb", read_only=True) as st:
        assert sorted(st.con.execute("SELECT night, shop FROM nights").fetchall()) == [
            (N1, "甲店"), (N2, "乙店"), (N2, "甲店")]


def test_a_night_past_midnight_stays_one_night(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    ex.mkdir()
    (ex / "late.txt").write_text(f"店铺：甲店\n聊天对象：tb_a\ntb_a 2026-11-23 00:40:00\n在吗\n"
                                 f"甲店:小美 2026-11-23 00:41:00\n在的\n", encoding="utf-8")
    write_night(ex, N2, ["乙店"], dated=False)
    s = scan([ex], out)
    assert "nights_scanned" not in s and sorted(s["shops"]) == ["乙店", "甲店"]


def test_undated_files_among_dated_folders_stop_with_a_message(tmp_path):
    ex = tmp_path / "ex"
    write_night(ex, N1, ["甲店"])
    write_night(ex, N2, ["甲店"])
    (ex / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="outside a folder named by date"):
        scan([ex], tmp_path / "out")


def test_report_rerenders_every_night_with_summary_json(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    n1 = write_night(ex, N1, ["甲店", "乙店"])
    (n1 / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    scan([n1], out)
    scan([write_night(ex, N2, ["甲店"])], out)
    before = {n: summary(out / n / "summary.json") for n in (N1, N2)}
    pages = {p.relative_to(out): p.read_bytes() for p in out.rglob("report.html")}
    # a fresh folder: every night comes back from the history alone
    fresh = tmp_path / "again"
    render_from_db(out / "chatmon.duckdb", out_dir=fresh)
    for n in (N1, N2):
        s = summary(fresh / n / "summary.json")
        assert s["shops"] == before[n]["shops"] and s["rejected"] == before[n]["rejected"]
    assert summary(fresh / "summary.json")["night"] == N2
    assert {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("report.html")} == pages
    # in place: the same pages again
    render_from_db(out / "chatmon.duckdb", out_dir=out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("report.html")} == pages
    assert summary(out / N1 / "summary.json") == before[N1]


def _pages(out):
    """Every page and each night's shops, rejections and missing shops: what must not depend on order."""
    pages = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}
    nights = {}
    for p in sorted(out.rglob("summary.json")):
        s = summary(p)
        nights[str(p.relative_to(out))] = {k: s.get(k) for k in ("night", "status", "shops", "rejected", "missing_shops")}
    return pages, nights


def test_nights_scanned_in_any_order_and_rescanned_give_the_same_pages(tmp_path):
    ex = tmp_path / "ex"
    n1 = write_night(ex, N1, ["甲店", "乙店", "丙店"], slow_minutes=1)
    n2 = write_night(ex, N2, ["甲店", "乙店"], slow_minutes=9)
    (n2 / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    in_order = tmp_path / "a"
    scan([n1], in_order)
    scan([n2], in_order)
    shuffled = tmp_path / "b"
    for night in (n2, n1, n2, n1, n1):
        scan([night], shuffled)
    assert _pages(shuffled) == _pages(in_order)
    with Store(in_order / "chatmon.duckdb", read_only=True) as a, Store(shuffled / "chatmon.duckdb", read_only=True) as b:
        for table in ("nights", "orders", "agents", "waits"):
            q = f"SELECT * EXCLUDE (scanned_at) FROM {table}" if table == "nights" else f"SELECT * FROM {table}"
            assert sorted(map(str, a.con.execute(q).fetchall())) == sorted(map(str, b.con.execute(q).fetchall()))
        assert a.con.execute("SELECT count(*) FROM messages").fetchall() == \
            b.con.execute("SELECT count(*) FROM messages").fetchall()


def test_a_failed_rescan_keeps_the_nights_earlier_shops_and_says_so(tmp_path):
    ex, out = tmp_path / "ex", tmp_path / "out"
    scan([write_night(ex, N2, ["甲店"])], out)
    bad = tmp_path / "bad" / N2
    bad.mkdir(parents=True)
    (bad / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    s = scan([bad], out)
    assert s["status"] == "failed" and list(s["shops"]) == ["甲店"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "下面的店铺和金额是这一晚此前扫描的结果" in html and ">甲店</a>" in html
