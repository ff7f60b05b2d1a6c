"""A big orders export is read in a forked process while the model loads: the same orders, rejections and errors."""

import pandas as pd
import pytest

import monitor.scan as scan_mod
from monitor.errors import InputError
from monitor.orders import read_orders

CSV = ("订单编号,买家会员名,买家实际支付金额,订单创建时间,店铺名称\n"
       "9001,tb_a,12.5,2026-11-22 10:30:00,甲店\n"
       "1.23457E+17,tb_b,3,2026-11-22 11:00:00,甲店\n"
       "9002,tb_c,¥1,000,45618.5,\n")


@pytest.fixture(autouse=True)
def always_aside(monkeypatch):
    monkeypatch.setattr(scan_mod, "ORDERS_ASIDE_BYTES", 0)
    monkeypatch.delenv("CHATMON_WORKERS", raising=False)


def test_orders_read_aside_equal_orders_read_here(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text(CSV, encoding="utf-8")
    future = scan_mod._orders_aside(p)
    assert future is not None
    got, want = scan_mod._orders_result(future, p), read_orders(p)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs["rejected"] == want.attrs["rejected"] and len(got.attrs["rejected"]) == 2


def test_a_bad_export_fails_with_the_error_read_orders_gives(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text("买家会员名,金额\ntb_a,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="订单编号"):
        scan_mod._orders_result(scan_mod._orders_aside(p), p)


def test_one_worker_reads_the_orders_here(tmp_path, monkeypatch):
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    p = tmp_path / "orders.csv"
    p.write_text(CSV, encoding="utf-8")
    assert scan_mod._orders_aside(p) is None
