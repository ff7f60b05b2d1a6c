"""Orders export reading and linking sessions to orders."""

import pandas as pd
import pytest

from monitor.config import load_config
from monitor.errors import InputError
from monitor.orders import link_orders, read_orders
from monitor.timing import compute_latency
from transcripts import concat, transcript

ORDERS = ("订单编号,买家会员名,买家实际支付金额,订单创建时间,订单状态\n"
          '="123456789012345678",tb_a,199.00,2026-11-22 10:20:00,交易成功\n'
          "\t223456789012345678,tb_b,59.9,2026-11-20 09:00:00,卖家已发货\n"
          "3.23457E+17,tb_c,10,2026-11-22 09:00:00,交易成功\n")


def test_taobao_export_in_gbk(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_bytes(ORDERS.encode("gbk"))
    df = read_orders(p)
    assert df[["order_id", "buyer", "amount", "status"]].values.tolist() == [
        ["123456789012345678", "tb_a", 199.0, "交易成功"], ["223456789012345678", "tb_b", 59.9, "卖家已发货"]]
    (bad,) = df.attrs["rejected"]
    assert bad.line == "4" and "scientific notation" in bad.reason


def test_missing_columns_name_what_was_found(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("编号,金额\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_orders(p)
    assert "订单编号" in exc.value.reason and "columns found: 编号, 金额" in exc.value.reason


def _links(msgs, orders):
    cfg = load_config()
    lat = compute_latency(msgs, cfg)
    return link_orders(lat.sessions, lat.messages, orders, cfg).set_index("session_id")


def test_order_id_in_the_text_wins(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_bytes(ORDERS.encode("gbk"))
    msgs = transcript("b 10:00:00 [订单卡片] 订单号：999999999999999999", "a 10:00:10 收到", order_id="999999999999999999")
    assert _links(msgs, read_orders(p)).loc["甲店|tb_a#1"].tolist() == ["999999999999999999", "text"]


def test_same_buyer_within_window_links_by_time(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_bytes(ORDERS.encode("gbk"))
    msgs = concat(transcript("b 10:00:00 有货吗", "a 10:00:10 有", buyer="tb_a"),
                  transcript("b 10:00:00 到哪了", "a 10:00:10 在路上", buyer="tb_b", day="2026-11-22"),
                  transcript("b 10:00:00 在吗", buyer="tb_z"))
    links = _links(msgs, read_orders(p))
    assert links.loc["甲店|tb_a#1"].tolist() == ["123456789012345678", "buyer_time"]
    assert links.loc["甲店|tb_b#1"].tolist() == ["223456789012345678", "buyer_time"]   # 49 hours: within 72 h
    assert links.loc["甲店|tb_z#1"].tolist() == ["consult:甲店|tb_z#1", "consult"]


def test_outside_the_window_is_a_consultation(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_bytes(ORDERS.encode("gbk"))
    msgs = transcript("b 10:00:00 到哪了", buyer="tb_b", day="2026-11-30")
    assert _links(msgs, read_orders(p)).loc["甲店|tb_b#1", "link"] == "consult"
