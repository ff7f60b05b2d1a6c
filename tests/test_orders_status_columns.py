"""The orders export's optional columns that settle promises: read when present, absent otherwise."""

import pandas as pd
from hypothesis import given, strategies as st

from monitor.orders import _key, _LOOKUP, read_orders


def test_status_columns_of_taobao_s_order_report_are_read(tmp_path):
    f = tmp_path / "ExportOrderList.csv"
    # the header as Taobao's report writes it: trailing spaces, 退款金额 / 确认收货时间 / 发货时间 in newer versions
    f.write_text("订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间 ,退款金额,确认收货时间,发货时间\n"
                 '="4012345678901234567",tb_a,199.00,交易成功,2026-11-20 10:00:00,2026-11-20 10:01:00,0.00,'
                 "2026-11-24 12:00:00,2026-11-21 16:00:00\n"
                 '="4012345678901234568",tb_b,59.00,买家已付款，等待卖家发货,2026-11-22 10:00:00,,,,\n', encoding="utf-8")
    o = read_orders(f)
    assert list(o.columns) == ["order_id", "buyer", "shop", "amount", "created", "status", "source",
                               "shipped", "confirmed", "refund_amount"]
    assert o["shipped"].tolist()[0] == pd.Timestamp("2026-11-21 16:00:00") and pd.isna(o["shipped"].tolist()[1])
    assert o["confirmed"].tolist()[0] == pd.Timestamp("2026-11-24 12:00:00")
    assert o["refund_amount"].tolist()[0] == 0.0 and pd.isna(o["refund_amount"].tolist()[1])


def test_variants_of_the_refund_columns(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("订单号,买家昵称,实付金额,交易状态,下单时间,售后状态,卖家实退金额\n"
                 "1001,tb_a,20,交易成功,2026-11-20 10:00,退款成功,20\n", encoding="utf-8")
    o = read_orders(f)
    assert (o.loc[0, "refund_status"], o.loc[0, "refund_amount"]) == ("退款成功", 20.0)


def test_an_export_without_them_has_no_such_columns(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("订单编号,买家会员名,订单创建时间\n1001,tb_a,2026-11-20 10:00\n", encoding="utf-8")
    assert not {"shipped", "confirmed", "refund_amount", "refund_status"} & set(read_orders(f).columns)


def test_an_unreadable_shipping_time_is_unknown_not_a_rejection(tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("订单编号,买家会员名,订单创建时间,发货时间\n1001,tb_a,2026-11-20 10:00,未发货\n", encoding="utf-8")
    o = read_orders(f)
    assert len(o) == 1 and pd.isna(o.loc[0, "shipped"]) and o.attrs["rejected"] == []


@given(st.sampled_from(["发货时间", "确认收货时间", "退款金额", "退款状态"]), st.sampled_from(["", " ", "\ufeff", "（元）"]))
def test_header_spelling_is_forgiven(name, extra):
    head = ("\ufeff" + name) if extra == "\ufeff" else (name + extra)
    assert _LOOKUP.get(_key(head)) in {"shipped", "confirmed", "refund_amount", "refund_status"}
