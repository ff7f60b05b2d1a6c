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


def _orders(*rows):
    """rows: (order_id, buyer, created, shop)"""
    return pd.DataFrame({"order_id": [r[0] for r in rows], "buyer": [r[1] for r in rows],
                         "shop": [r[3] if len(r) > 3 else None for r in rows], "amount": 1.0,
                         "created": pd.to_datetime([r[2] for r in rows]), "status": "交易成功",
                         "source": "o.csv:2"})


def test_an_id_the_export_knows_wins_over_an_unknown_one():
    msgs = transcript("b 10:00:00 订单 111", "a 10:00:10 查到了", "b 10:00:20 快递单号 222")
    msgs["order_id"] = ["111", None, "222"]
    links = _links(msgs, _orders(("111", "tb_a", "2026-11-01 10:00:00")))
    assert links.loc["甲店|tb_a#1"].tolist() == ["111", "text"]


def test_an_unknown_id_in_the_text_still_links():
    msgs = transcript("b 10:00:00 订单 333", "a 10:00:10 好", order_id="333")
    assert _links(msgs, _orders(("111", "tb_a", "2026-11-22 10:00:00"))).loc["甲店|tb_a#1"].tolist() == ["333", "text"]


def test_closest_order_in_time_wins():
    msgs = transcript("b 10:00:00 拍了", "a 10:20:00 好的")
    orders = _orders(("early", "tb_a", "2026-11-22 08:00:00"), ("during", "tb_a", "2026-11-22 10:05:00"),
                     ("late", "tb_a", "2026-11-22 10:21:00"))
    assert _links(msgs, orders).loc["甲店|tb_a#1"].tolist() == ["during", "buyer_time"]


def test_distance_is_measured_to_the_nearer_end_of_the_session(tmp_path):
    cfg_path = tmp_path / "c.toml"
    cfg_path.write_text("[orders]\nlink_window_hours = 1\n", encoding="utf-8")
    cfg = load_config(cfg_path)
    # a 25-minute session; the order 59 min after its end is inside a 1 h window (its midpoint is not)
    lat = compute_latency(transcript("b 10:00:00 在吗", "a 10:25:00 在"), cfg)
    links = link_orders(lat.sessions, lat.messages, _orders(("o1", "tb_a", "2026-11-22 11:24:00")), cfg)
    assert links["order_id"].tolist() == ["o1"]


def test_orders_of_another_shop_are_not_linked():
    msgs = transcript("b 10:00:00 在吗", "a 10:00:10 在")
    links = _links(msgs, _orders(("o1", "tb_a", "2026-11-22 10:00:00", "乙店")))
    assert links.loc["甲店|tb_a#1", "link"] == "consult"


def test_no_orders_export_links_by_text_or_consult():
    msgs = concat(transcript("b 10:00:00 订单 9", buyer="x", order_id="9"), transcript("b 10:00:00 在吗", buyer="y"))
    links = _links(msgs, None)
    assert links["link"].to_dict() == {"甲店|x#1": "text", "甲店|y#1": "consult"}


def test_no_sessions_give_an_empty_link_table():
    from monitor.schema import empty_messages
    lat = compute_latency(empty_messages(), load_config())
    links = link_orders(lat.sessions, lat.messages, None, load_config())
    assert links.empty and links.columns.tolist() == ["session_id", "order_id", "link"]
