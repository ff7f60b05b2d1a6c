"""Timestamps as exporters write them, all turned into Asia/Shanghai wall-clock seconds."""

from datetime import datetime

import openpyxl
import pytest

from monitor.errors import InputError
from monitor.ingest import read_file
from monitor.ingest.base import parse_ts


@pytest.mark.parametrize("value,want", [
    ("2024-01-15 14:30:25", datetime(2024, 1, 15, 14, 30, 25)),
    ("2024/1/5 9:05", datetime(2024, 1, 5, 9, 5)),
    ("2024.01.15 14:30:25", datetime(2024, 1, 15, 14, 30, 25)),
    ("2024年01月15日 14:30:25", datetime(2024, 1, 15, 14, 30, 25)),
    ("2024-01-15T14:30:25.123", datetime(2024, 1, 15, 14, 30, 25)),
    ("2024-01-15T06:30:25Z", datetime(2024, 1, 15, 14, 30, 25)),          # UTC -> Beijing
    ("2024-01-15T14:30:25+08:00", datetime(2024, 1, 15, 14, 30, 25)),
    (1705300225, datetime(2024, 1, 15, 14, 30, 25)),                      # epoch seconds are UTC
    ("1705300225000", datetime(2024, 1, 15, 14, 30, 25)),                 # epoch milliseconds
    (45306.5, datetime(2024, 1, 15, 12, 0, 0)),                           # Excel serial day
    (datetime(2024, 1, 15, 14, 30, 25), datetime(2024, 1, 15, 14, 30, 25)),
])
def test_accepted_forms(value, want):
    assert parse_ts(value, "f", 1) == want


@pytest.mark.parametrize("value", ["2024-01-15 10:0", "2024-02-30 10:00:00", "15/01/2024 10:00", "昨天", "",
                                   "2024-01-15", "12345678"])
def test_rejected_forms_name_the_text(value):
    with pytest.raises(InputError) as exc:
        parse_ts(value, "f.csv", 7)
    assert (exc.value.file, exc.value.line) == ("f.csv", 7)
    assert exc.value.reason == f"unparseable timestamp {value!r}"


def test_epoch_column_in_a_csv(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("buyer,time,content\ntb_x,1705300225,在吗\n", encoding="utf-8")
    df, _ = read_file(p)
    assert df["ts"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == ["2024-01-15 14:30:25"]


def test_xlsx_date_cells_and_serial_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["买家", "发送时间", "消息内容"])
    ws.append(["tb_x", datetime(2024, 1, 15, 14, 30, 25), "在吗"])
    ws.append(["tb_x", 45306.5, "在的"])          # a date cell whose format was lost: a plain number
    p = tmp_path / "t.xlsx"
    wb.save(p)
    df, _ = read_file(p)
    assert df["ts"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == ["2024-01-15 14:30:25", "2024-01-15 12:00:00"]
    assert df["source"].str.rsplit(":", n=1).str[1].tolist() == ["Sheet!2", "Sheet!3"]


from hypothesis import given
from hypothesis import strategies as st

FORMS = ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y.%m.%d %H:%M:%S", "%Y年%m月%d日 %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]


@given(when=st.datetimes(min_value=datetime(2001, 9, 10), max_value=datetime(2100, 1, 1)).map(
           lambda d: d.replace(microsecond=0)),
       form=st.sampled_from(FORMS))
def test_any_time_written_in_a_supported_form_reads_back(when, form):
    assert parse_ts(when.strftime(form), "f", 1) == when


@given(when=st.datetimes(min_value=datetime(2001, 9, 10), max_value=datetime(2100, 1, 1)).map(
           lambda d: d.replace(microsecond=0)))
def test_epoch_seconds_and_milliseconds_agree(when):
    import pandas as pd
    epoch = int(pd.Timestamp(when, tz="Asia/Shanghai").timestamp())
    assert parse_ts(epoch, "f", 1) == parse_ts(str(epoch * 1000), "f", 1) == when
