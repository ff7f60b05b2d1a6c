"""The shop page in a real browser: loads without console errors, headline numbers visible."""

from pathlib import Path

import pytest

from browser import browser, require_browser
from monitor.report import render_index, render_shop
from report_fixtures import shop_night

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "out" / "screenshots"


def _severe(logs):
    return [e for e in logs if e.get("level") == "SEVERE"]


def test_shop_page_renders_with_visible_headline(tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By

    sn = shop_night()
    html_path = render_shop(sn, tmp_path)[0]
    render_index([sn], tmp_path)
    with browser() as d:
        d.get(html_path.as_uri())
        expected = d.find_element(By.ID, "expected")
        worst = d.find_element(By.ID, "worst")
        assert expected.is_displayed() and worst.is_displayed()
        assert expected.text == "¥59.4"
        assert worst.text == "¥60"
        # the headline sits in the first screenful
        assert expected.location["y"] < 400
        assert d.title == "示例旗舰店 · 客服风险日报 · 2026-11-22"
        assert _severe(d.get_log("browser")) == []
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        png = SCREENSHOT_DIR / "shop_report.png"
        assert d.save_screenshot(str(png))
        assert png.stat().st_size > 10_000


def test_overview_page_links_to_the_shop(tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By

    sn = shop_night()
    render_shop(sn, tmp_path)
    index = render_index([sn], tmp_path)
    with browser() as d:
        d.get(index.as_uri())
        d.find_element(By.LINK_TEXT, "示例旗舰店").click()
        assert d.find_element(By.ID, "expected").text == "¥59.4"
        assert _severe(d.get_log("browser")) == []


# ---- report-nights: scanned nights in the browser: failures, a trend, masked IDs, a failed night ----

def _scan_nights(tmp_path):
    from monitor.scan import run_scan
    from night_exports import CLF, write_night

    ex, out = tmp_path / "ex", tmp_path / "out"

    def scan(folder):
        return run_scan([str(folder)], out_dir=out, classifier=CLF, echo=lambda m: None)

    scan(write_night(ex, "2026-11-21", ["云朵家居旗舰店", "示例旗舰店", "小店a/b"], slow_minutes=1,
                     wechat="abc_12345"))
    n2 = write_night(ex, "2026-11-22", ["云朵家居旗舰店", "示例旗舰店"], slow_minutes=9, wechat="wx_8899001")
    (n2 / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (n2 / "cut.csv").write_text("shop,conversation_id,buyer,sender,role,ts,text,order_id,source\n"
                                "示例旗舰店,c1,tb_a,tb_a,buyer,not a time,x,,\n", encoding="utf-8")
    scan(n2)
    return ex, out, scan


def test_two_scanned_nights_show_failures_a_trend_and_masked_ids(tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By

    ex, out, scan = _scan_nights(tmp_path)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    with browser(width=1280, height=1500) as d:
        d.get((out / "index.html").as_uri())
        assert d.find_element(By.ID, "night").text == "2026-11-22"
        box = d.find_element(By.ID, "failures")
        assert box.is_displayed() and box.location["y"] < 200          # first thing on the page
        assert box.value_of_css_property("border-top-color") == "rgba(192, 57, 43, 1)"
        cells = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
                 for tr in box.find_elements(By.CSS_SELECTOR, "table.rejected tr")[1:]]
        assert cells == [["broken.txt", "—", "不是聊天记录文件（二进制内容）", "binary file, not a chat export"],
                         ["cut.csv", "2", "时间无法识别", "unparseable timestamp 'not a time'"]]
        assert box.find_element(By.CLASS_NAME, "missing").text == "小店a/b"
        # the fleet's trend over the two nights, and one small chart per shop row
        trend = d.find_element(By.ID, "fleet-trend")
        assert len(trend.find_elements(By.TAG_NAME, "circle")) == 2 and trend.size["height"] > 80
        assert len(d.find_elements(By.CSS_SELECTOR, "#shops svg.spark")) == 2
        assert len(d.find_elements(By.CSS_SELECTOR, "#agents tr")) == 1 + 4
        # report-money's rule table is on the same page, below the rankings
        assert d.find_element(By.ID, "rules").is_displayed()
        assert d.find_element(By.ID, "rules").location["y"] > d.find_element(By.ID, "agents").location["y"]
        assert _severe(d.get_log("browser")) == []
        assert d.save_screenshot(str(SCREENSHOT_DIR / "overview_nights.png"))

        d.find_element(By.LINK_TEXT, "示例旗舰店").click()
        assert d.title == "示例旗舰店 · 客服风险日报 · 2026-11-22"
        assert d.find_element(By.ID, "failures").is_displayed()
        text = d.find_element(By.TAG_NAME, "body").text
        # the diversion's WeChat ID and the buyers' nicks are masked on the page
        assert "wx_8899001" not in text and "wx_8899001" not in d.page_source
        assert "tb_div" not in d.page_source and "tb_slow" not in d.page_source
        assert "加我微信 wx****1 给你便宜" in text        # one rule: at most a third of the ID shown
        assert d.find_element(By.ID, "rules").is_displayed()
        trend_points = d.find_elements(By.CSS_SELECTOR, "section svg.chart circle")
        assert len(trend_points) == 2          # the two nights' expected yuan
        assert _severe(d.get_log("browser")) == []
        assert d.save_screenshot(str(SCREENSHOT_DIR / "shop_night.png"))

        # a night with nothing readable: FAILED on the landing page, no ¥0 headline
        failed = ex / "2026-11-23"
        failed.mkdir()
        (failed / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
        scan(failed)
        d.get((out / "index.html").as_uri())
        assert d.find_element(By.ID, "night-failed").text == "本晚扫描失败：没有读到任何可用的聊天记录"
        assert d.find_elements(By.ID, "expected") == []
        assert "¥0" not in d.find_element(By.TAG_NAME, "body").text
        assert _severe(d.get_log("browser")) == []
        assert d.save_screenshot(str(SCREENSHOT_DIR / "overview_failed_night.png"))
