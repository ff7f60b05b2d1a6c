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
