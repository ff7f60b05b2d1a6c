"""Promises checked against the orders export: hand-computed kept / broken / open and the fines."""

import pandas as pd
import pytest

from monitor.config import load_config
from monitor.orders import link_orders, read_orders
from monitor.promises.check import check_promises, find_promises, fine_for
from monitor.score import score_exposure
from monitor.timing import compute_latency
from scoring import flag
from transcripts import transcript

OID = "100000000000000001"
HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间"


def orders_file(tmp_path, rows, header=HEADER):
    f = tmp_path / "orders.csv"
    f.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return read_orders(f)


def run(messages, orders, config=None):
    config = config or load_config()
    lat = compute_latency(messages, config)
    links = link_orders(lat.sessions, lat.messages, orders, config)
    promises = check_promises(find_promises(lat.messages, config), links, orders, lat.messages, config)
    exposure = score_exposure(lat.messages, lat, links, config, orders=orders, promises=promises)
    return promises, exposure


def shipping_chat(*more):
    # 2026-11-22 10:01: "this afternoon" -> deadline 2026-11-22 18:00
    msgs = transcript("b 10:00:00 什么时候发货", "a 10:01:00 今天下午一定给您发出", *more, order_id=OID)
    return flag(msgs, {1: {"promise": 0.9}})


def test_shipping_promise_broken_by_the_order_status(tmp_path):
    # the export holds a time after the deadline (another order, 11-23 09:30): it was made after it
    orders = orders_file(tmp_path, [f"{OID},tb_a,200.00,买家已付款，等待卖家发货,2026-11-21 20:00:00",
                                    "100000000000000002,tb_z,50,交易成功,2026-11-23 09:30:00"])
    promises, exposure = run(shipping_chat(), orders)
    p = promises.iloc[0]
    assert (p["kind"], p["state"], p["fine"]) == ("发货", "broken", 10.0)       # 200 × 5%
    assert p["deadline"] == pd.Timestamp("2026-11-22 18:00:00")
    assert p["reason"].startswith("期限 2026-11-22 18:00 已过，订单导出（不早于 2026-11-23 09:30）仍为「买家已付款，等待卖家发货」")
    row = exposure.orders.set_index("order_id").loc[OID]
    assert (row["expected_yuan"], row["worst_yuan"]) == (pytest.approx(9.0), 10.0)   # p 0.9 × 10 yuan
    assert row["causes"] == ["broken_promise"]
    assert exposure.shops.iloc[0]["promises"] == {"kept": 0, "broken": 1, "open": 0}
    assert exposure.shops.iloc[0]["flagged"] == {"diversion": 0, "qr_lure": 0, "negative": 0, "harassment": 0}


def test_shipping_promise_kept_by_the_shipping_time(tmp_path):
    orders = orders_file(tmp_path, [f"{OID},tb_a,200.00,卖家已发货，等待买家确认,2026-11-21 20:00:00,2026-11-22 16:30:00",
                                    "100000000000000002,tb_z,50,交易成功,2026-11-23 09:30:00,"],
                         header=HEADER + ",发货时间")
    promises, exposure = run(shipping_chat(), orders)
    p = promises.iloc[0]
    assert (p["state"], p["fine"], p["evidence"]) == ("kept", 0.0, "发货时间 2026-11-22 16:30")
    assert exposure.orders.empty


def test_shipping_promise_open_before_its_deadline(tmp_path):
    # the export's latest time is 11-22 12:00, before the 18:00 deadline: still waiting proves nothing
    orders = orders_file(tmp_path, [f"{OID},tb_a,200.00,等待卖家发货,2026-11-22 12:00:00"])
    promises, exposure = run(shipping_chat(), orders)
    p = promises.iloc[0]
    assert (p["state"], p["fine"]) == ("open", 0.0)
    assert p["reason"] == "未到期（期限 2026-11-22 18:00），订单仍为「等待卖家发货」"
    assert exposure.orders.empty


def test_refund_promise_without_a_refund_column_stays_open_and_says_why(tmp_path):
    orders = orders_file(tmp_path, [f"{OID},tb_a,200.00,交易成功,2026-11-21 20:00:00",
                                    "100000000000000002,tb_z,50,交易成功,2026-11-25 09:30:00"])
    msgs = flag(transcript("b 10:00:00 退款呢", "a 10:01:00 今天之内给您退款", order_id=OID), {1: {"promise": 0.8}})
    p = run(msgs, orders)[0].iloc[0]
    assert (p["kind"], p["state"]) == ("退款", "open")
    assert p["reason"] == "订单导出没有退款金额/退款状态列，无法核对退款"


def test_refund_promise_broken_when_the_refund_still_waits_on_the_seller(tmp_path):
    orders = orders_file(tmp_path, [f"{OID},tb_a,80,交易成功,2026-11-21 20:00:00,等待卖家同意",
                                    "100000000000000002,tb_z,50,交易成功,2026-11-25 09:30:00,"],
                         header=HEADER + ",退款状态")
    msgs = flag(transcript("b 10:00:00 退款呢", "a 10:01:00 今天之内给您退款", order_id=OID), {1: {"promise": 0.8}})
    p = run(msgs, orders)[0].iloc[0]
    assert (p["state"], p["fine"]) == ("broken", 5.0)          # 80 × 5% = 4, clamped up to 5


def test_fine_is_clamped_at_five_yuan():
    assert fine_for(40.0, load_config().for_shop("x").penalties) == (5.0, "实付 40 元 × 0.05 = 2 元，按下限 5 元")


def test_fine_is_clamped_at_thirty_yuan():
    assert fine_for(900.0, load_config().for_shop("x").penalties) == (30.0, "实付 900 元 × 0.05 = 45 元，按上限 30 元")


def test_a_later_admission_breaks_a_promise_without_any_order_column(tmp_path):
    orders = orders_file(tmp_path, [f"{OID},tb_a,300,,2026-11-21 20:00:00"])
    msgs = shipping_chat("b 2026-11-22 19:00:00 发了吗", "a 2026-11-22 19:02:00 抱歉还没发，仓库今天爆单了")
    promises, exposure = run(msgs, orders)
    p = promises.iloc[0]
    assert (p["state"], p["fine"]) == ("broken", 15.0)
    assert "抱歉还没发" in p["evidence"]


def test_two_broken_shipping_promises_on_one_order_are_fined_once(tmp_path):
    orders = orders_file(tmp_path, [f"{OID},tb_a,200.00,等待卖家发货,2026-11-21 20:00:00",
                                    "100000000000000002,tb_z,50,交易成功,2026-11-25 09:30:00"])
    msgs = transcript("b 10:00:00 什么时候发货", "a 10:01:00 今天下午一定给您发出",
                      "b 2026-11-23 09:00:00 还没发", "a 2026-11-23 09:01:00 明天上午给您发出", order_id=OID)
    promises, exposure = run(flag(msgs, {1: {"promise": 1.0}, 3: {"promise": 1.0}}), orders)
    assert promises["state"].tolist() == ["broken", "broken"]
    assert promises["fine"].tolist() == [10.0, 0.0]
    assert exposure.orders.set_index("order_id").loc[OID, "worst_yuan"] == 10.0


def test_a_promise_without_a_deadline_stays_open(tmp_path):
    orders = orders_file(tmp_path, [f"{OID},tb_a,200.00,等待卖家发货,2026-11-21 20:00:00"])
    msgs = flag(transcript("b 10:00:00 快点", "a 10:01:00 马上给您发", order_id=OID), {1: {"promise": 0.9}})
    p = run(msgs, orders)[0].iloc[0]
    assert (p["state"], p["reason"]) == ("open", "承诺未说明可核对的期限（如“马上”“尽快”）")


@pytest.mark.parametrize("text", ["亲亲，今天16点前下单当天发出哦", "一般48小时内发货哦亲", "尽量今天给您发出",
                                  "可能明天才能发了", "明天发货可以吗？"])
def test_policy_hedges_and_questions_are_not_promises_even_when_labelled(text):
    msgs = flag(transcript("b 10:00:00 什么时候发货", f"a 10:01:00 {text}"), {1: {"promise": 0.9}})
    lat = compute_latency(msgs, load_config())
    assert find_promises(lat.messages, load_config()).empty


def test_a_broken_promise_in_a_consultation_is_shown_but_not_fined():
    msgs = shipping_chat("b 2026-11-22 19:00:00 发了吗", "a 2026-11-22 19:02:00 抱歉还没发，今天来不及了")
    msgs["order_id"] = None                                          # no order anywhere
    promises, exposure = run(msgs, None)
    p = promises.iloc[0]
    assert (p["state"], p["fine"]) == ("broken", 0.0)
    assert p["reason"] == "后续消息承认未兑现；会话未关联订单，不计罚"
    assert "broken_promise" not in [c for cs in exposure.orders["causes"] for c in cs]
