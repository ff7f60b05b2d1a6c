"""Reading orders exports: encodings, header synonyms, Excel's damage to long ids, bad files."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from monitor.errors import InputError
from monitor.orders import read_orders

FIXTURES = Path(__file__).parent / "fixtures" / "orders"


def test_gb18030_synonym_headers_and_shop_column():
    df = read_orders(FIXTURES / "synonyms_gb18030.csv")
    assert df[["order_id", "buyer", "shop", "amount", "status"]].values.tolist() == [
        ["301234567890123456", "吉𠮷小店粉", "甲店", 88.5, "等待买家付款"],
        ["401234567890123456", "tb_b", "乙店", 1299.0, "交易关闭"]]
    assert df["created"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == ["2026-11-22 21:15:03", "2026-11-21 08:00:00"]
    assert df["source"].iloc[0].endswith("synonyms_gb18030.csv:2")


def test_scientific_notation_row_is_rejected_with_file_line_reason():
    (bad,) = read_orders(FIXTURES / "synonyms_gb18030.csv").attrs["rejected"]
    assert bad.file.endswith("synonyms_gb18030.csv") and bad.line == "4"
    assert "scientific notation" in bad.reason


def test_utf8_with_bom(tmp_path):
    p = tmp_path / "o.csv"
    p.write_bytes("\ufeff订单编号,买家会员名,订单创建时间\n123456789012345678,小明,2026-11-22 10:00:00\n".encode("utf-8"))
    df = read_orders(p)
    assert df["order_id"].tolist() == ["123456789012345678"] and df["buyer"].tolist() == ["小明"]
    assert df["amount"].isna().all() and df["shop"].isna().all()


def test_undecodable_bytes_are_refused_not_garbled(tmp_path):
    p = tmp_path / "o.csv"
    p.write_bytes("订单编号,买家会员名,订单创建时间\n".encode("utf-8") + b"\xff\x80\xff,x,2026-11-22\n")
    with pytest.raises(InputError) as exc:
        read_orders(p)
    assert exc.value.file == str(p)


def test_xlsx_ids_dates_and_lost_digits(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["订单编号", "买家会员名", "买家实际支付金额", "订单创建时间", "订单状态"])
    ws.append(['="123456789012345678"', "tb_a", 19.9, dt.datetime(2026, 11, 22, 10, 0, 0), "交易成功"])
    ws.append([12345678901234, "tb_b", "¥20", 46348.5, "交易成功"])          # short number: exact; serial date
    ws.append([123456789012345679, "tb_c", 1, "2026-11-22 11:00:00", "交易成功"])  # a double: digits lost
    p = tmp_path / "orders.xlsx"
    wb.save(p)
    df = read_orders(p)
    assert df["order_id"].tolist() == ["123456789012345678", "12345678901234"]
    assert df["created"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == ["2026-11-22 10:00:00", "2026-11-22 12:00:00"]
    assert df["amount"].tolist() == [19.9, 20.0]
    (bad,) = df.attrs["rejected"]
    assert bad.line == "订单!4" and "lost digits" in bad.reason


def test_unparseable_date_rejects_the_row(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("订单编号,买家会员名,订单创建时间\n1,a,昨天\n2,b,2026-11-22 10:00\n", encoding="utf-8")
    df = read_orders(p)
    assert df["order_id"].tolist() == ["2"]
    (bad,) = df.attrs["rejected"]
    assert bad.line == "2" and "昨天" in bad.reason


def test_corrupt_xlsx_is_an_input_error(tmp_path):
    p = tmp_path / "o.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(InputError) as exc:
        read_orders(p)
    assert "xlsx" in exc.value.reason


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_orders(tmp_path / "nope.csv")


def test_headers_with_a_unit_or_spaces_are_recognised(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("订单编号 ,买家会员名,买家实际支付金额（元）,订单创建时间\n7,a,3.5,2026-11-22 10:00\n", encoding="utf-8")
    assert read_orders(p)["amount"].tolist() == [3.5]
