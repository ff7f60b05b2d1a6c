"""The workbook an ops team expects: Chinese headers and reasons, ¥ / % / 分:秒 formats, frozen and
filtered header, fitted widths, and the order id on every flagged message of a linked chat."""

import openpyxl
import pandas as pd
import pytest

from fake_classifier import FixedClassifier
from monitor.scan import run_scan

EXPORT = """店铺：甲店
聊天对象：tb_div
tb_div 2026-11-22 11:00:00
能便宜点吗
甲店:阿强 2026-11-22 11:04:30
加我微信 abc_12345 给你便宜
聊天对象：tb_slow
tb_slow 2026-11-22 10:00:00
在吗
甲店:小美 2026-11-22 10:04:00
在的
"""
ORDERS = "订单编号,买家会员名,买家实际支付金额,订单创建时间\n555000111222333444,tb_div,88.5,2026-11-22 11:10:00\n"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wb")
    (tmp / "exports").mkdir()
    (tmp / "exports" / "chat.txt").write_text(EXPORT, encoding="utf-8")
    (tmp / "orders.csv").write_text(ORDERS, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("CHATMON_WORKERS", "1")
    try:
        run_scan([str(tmp / "exports")], orders=str(tmp / "orders.csv"), out_dir=tmp / "out", echo=lambda m: None,
                 classifier=FixedClassifier({"加我微信": ("diversion", 0.9)}))
    finally:
        mp.undo()
    folder = next(p for p in (tmp / "out").rglob("report.xlsx")).parent
    return folder


def test_headers_are_chinese(scanned):
    wb = openpyxl.load_workbook(scanned / "report.xlsx")
    for ws in wb:
        headers = [c.value for c in ws[1]]
        assert all(not str(h).isascii() for h in headers), (ws.title, headers)
    agents = [c.value for c in wb["客服"][1]]
    assert agents[:3] == ["客服", "预计罚款", "最多罚款"] and "导流站外（条）" in agents
    assert [c.value for c in wb["订单"][2]][4] == "回复慢、导流站外"


def test_number_formats(scanned):
    ws = openpyxl.load_workbook(scanned / "report.xlsx")["客服"]
    col = {c.value: c.column_letter for c in ws[1]}
    row = {ws[f"{col['客服']}{r}"].value: r for r in range(2, ws.max_row + 1)}["甲店:阿强"]
    assert ws[f"{col['预计罚款']}{row}"].number_format == '"¥"#,##0.00'
    assert ws[f"{col['3分钟人工响应率']}{row}"].number_format == "0.0%"
    cell = ws[f"{col['平均响应时长']}{row}"]
    assert cell.number_format == "[m]:ss" and cell.value.total_seconds() == pytest.approx(270.0)  # read back as 4:30
    overview = dict(openpyxl.load_workbook(scanned / "report.xlsx")["概览"].iter_rows(min_row=2, values_only=True))
    assert overview["平均响应时长"] == "4:15" and overview["预计罚款"] == "¥58.00"


def test_header_frozen_filtered_and_fitted(scanned):
    wb = openpyxl.load_workbook(scanned / "report.xlsx")
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert ws[1][0].font.b
    ws = wb["消息"]
    widths = {ws.cell(1, j).value: ws.column_dimensions[ws.cell(1, j).column_letter].width
              for j in range(1, ws.max_column + 1)}
    assert widths["消息"] > widths["客服"] >= 8


def test_flagged_rows_carry_the_linked_order(scanned):
    csv = pd.read_csv(scanned / "flagged.csv", encoding="utf-8-sig", dtype=str)
    assert csv["订单"].tolist() == ["555000111222333444"]
    sheet = pd.read_excel(scanned / "report.xlsx", sheet_name="消息", dtype=str)
    assert sheet["订单"].tolist() == ["555000111222333444"]
    assert "概率_导流站外" in csv.columns
