"""The fast report paths write exactly what the plain ones wrote: the xlsx writer vs openpyxl, shops
rendered in worker processes vs in turn."""

import math

import numpy as np
import openpyxl
import pandas as pd

from monitor import xlsx
from monitor.parallel import render_shops
from monitor.report import render_shop
from report_fixtures import shop_night


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return wb.sheetnames, {ws.title: [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]
                           for ws in wb}


def test_fast_xlsx_cells_equal_openpyxl(tmp_path):
    sheets = {
        "概览": pd.DataFrame({"项目": ["店铺", "消息数", "率"], "数值": ["示例", 12, 0.125]}),
        "x": pd.DataFrame({
            "text": ["=1+1", " lead", "a&b<c>", "#N/A", "", "=HYPERLINK(\"x\")"],
            "num": [1.5, np.nan, 3, 4, 5, 1e20],
            "when": pd.Series([pd.Timestamp("2026-01-02 03:04:05"), None, pd.Timestamp("2026-01-02"), None, None,
                               None], dtype=object),
            "flag": [True, False, True, False, True, False],
            "int": np.arange(6),
            "mixed": [1, "s", 2.5, None, np.int64(3), np.float64(math.nan)],
            "blank": ["", None, "x", "", " ", "y"],
        }),
        "empty": pd.DataFrame(columns=["a", "b"]),
    }
    xlsx._write_openpyxl(tmp_path / "a.xlsx", sheets)
    xlsx.write_sheets(tmp_path / "b.xlsx", sheets)
    assert _cells(tmp_path / "a.xlsx") == _cells(tmp_path / "b.xlsx")
    back = pd.read_excel(tmp_path / "b.xlsx", sheet_name="x")
    assert back["text"].tolist()[0] == "=1+1"


def test_unusual_values_fall_back_to_openpyxl(tmp_path):
    sheets = {"s": pd.DataFrame({"d": [pd.Timedelta(seconds=5)], "t": [pd.NaT]})}
    try:
        xlsx._write_openpyxl(tmp_path / "a.xlsx", sheets)
    except Exception as exc:          # whatever openpyxl does, the fast writer does the same
        expected = type(exc)
    else:
        expected = None
    if expected is None:
        xlsx.write_sheets(tmp_path / "b.xlsx", sheets)
        assert _cells(tmp_path / "a.xlsx") == _cells(tmp_path / "b.xlsx")
    else:
        try:
            xlsx.write_sheets(tmp_path / "b.xlsx", sheets)
        except expected:
            pass


def test_workers_write_the_same_files(tmp_path):
    a, b = shop_night(), shop_night()
    b.shop = "另一家店"
    one = render_shops([a, b], tmp_path / "one", render=render_shop, workers=1)
    two = render_shops([a, b], tmp_path / "two", render=render_shop, workers=2)
    assert [p.relative_to(tmp_path / "one") for p in one] == [p.relative_to(tmp_path / "two") for p in two]
    for p, q in zip(one, two):
        if p.suffix == ".xlsx":
            assert _cells(p) == _cells(q)
        else:
            assert p.read_bytes() == q.read_bytes()
