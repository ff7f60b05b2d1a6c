"""Report files: the shop page, the overview, the xlsx sheets and flagged.csv, all masked."""

import json
from urllib.parse import quote

import openpyxl
import pandas as pd

from monitor.report import render_index, render_shop, shop_dir_name
from report_fixtures import shop_night

RAW = ("13800138000", "ab_shop2024", "tb_88213489", "快乐的小猫咪")


def test_shop_page_shows_headline_and_change(tmp_path):
    html_path, _, _ = render_shop(shop_night(), tmp_path)
    html = html_path.read_text(encoding="utf-8")
    assert '<div class="big" id="expected">¥59.4</div>' in html
    assert '<span class="big worst" id="worst">¥60</span>' in html
    # previous night expected 30.0 -> +29.4
    assert "较上一晚 ▲ ¥29.4" in html


def test_shop_page_highlights_evidence_in_context(tmp_path):
    html = render_shop(shop_night(), tmp_path)[0].read_text(encoding="utf-8")
    assert "<mark>ab****4</mark>" in html
    # the message before the flagged one (the buyer's question) is shown as context
    assert "这件有实拍吗" in html
    # the evidence line is plain Chinese: no internal rule id
    assert "wechat_id" not in html and "导流站外 — 规则: 微信号" in html


def test_nothing_personal_leaks_into_any_file(tmp_path):
    sn = shop_night()
    written = render_shop(sn, tmp_path) + [render_index([sn], tmp_path)]
    for path in written:
        if path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            content = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
        else:
            content = path.read_text(encoding="utf-8-sig")
        for raw in RAW:
            assert raw not in content, (path.name, raw)


def test_xlsx_has_the_four_sheets(tmp_path):
    _, xlsx, _ = render_shop(shop_night(), tmp_path)
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["概览", "订单", "消息", "客服"]
    orders = pd.read_excel(xlsx, sheet_name="订单")
    assert orders["预计罚款"].tolist() == [39.4, 20.0]
    assert orders["订单"].tolist() == ["123456789012345678", "咨询（无订单）"]


def test_flagged_csv_lists_every_flag_riskiest_first(tmp_path):
    _, _, csv = render_shop(shop_night(), tmp_path)
    df = pd.read_csv(csv, encoding="utf-8-sig", dtype=str)
    assert df["标签"].tolist() == ["diversion", "negative"]
    assert df["买家"].tolist() == ["tb****9", "快****咪"]
    assert df["依据"].tolist()[0] == "规则: 微信号"


def test_index_ranks_shops_and_links_pages(tmp_path):
    a = shop_night()
    b = shop_night()
    b.shop = "另一家店/分店"
    b.summary = {**b.summary, "exposure_expected_yuan": 500.0, "exposure_worst_yuan": 900.0}
    html = render_index([a, b], tmp_path).read_text(encoding="utf-8")
    assert html.index("另一家店/分店") < html.index("示例旗舰店")
    assert f'href="{quote(shop_dir_name("另一家店/分店"))}/report.html"' in html
    assert shop_dir_name("另一家店/分店").startswith("另一家店_分店_")


def test_first_night_says_no_comparison(tmp_path):
    sn = shop_night(history_nights=())
    html = render_shop(sn, tmp_path)[0].read_text(encoding="utf-8")
    assert "首次扫描，暂无对比" in html
    assert "历史不足两晚" in html
