"""A batch of shops is analysed with the rows of the orders export it can reach, and gets what the whole export gives."""

import pandas as pd

from monitor.config import load_config
from monitor.scan import analyse, orders_for
from test_scan_batches import _rows

ORDERS = pd.DataFrame({
    "order_id": ["9001", "9002", "9003", "9002", "9004", None],
    "buyer": ["tb_x", "tb_a", "tb_y", "tb_z", "tb_z", "tb_a"],
    "shop": ["甲店", "甲店", "乙店", None, None, None],
    "amount": [10.0, 20.0, 30.0, 99.0, 40.0, 50.0],
    "created": pd.to_datetime(["2026-11-22 10:30:00"] * 6),
})


def _messages():
    m = pd.DataFrame(_rows("甲店", "c1", "tb_a", "甲店:小美"))
    m["ts"] = pd.to_datetime(m["ts"]).astype("datetime64[s]")
    m["order_id"] = m["order_id"].replace("", None)
    m["labels"], m["evidence"], m["msg_key"], m["file_sha256"] = "", "[]", [str(i) for i in range(len(m))], "f"
    for lab in ("diversion", "qr_lure", "negative", "harassment"):
        m[f"p_{lab}"] = float("nan")
    return m


def test_rows_of_mentioned_ids_and_chatting_buyers_are_kept_in_order():
    kept = orders_for(ORDERS, _messages())
    # 9001 is mentioned; tb_a chats (9002, and the row without an id); 9002's other row comes with its id
    assert kept.index.tolist() == [0, 1, 3, 5]
    assert orders_for(None, _messages()) is None


def test_a_batch_analysed_with_its_orders_matches_the_whole_export():
    cfg = load_config()
    whole = analyse(_messages(), cfg, ORDERS)
    part = analyse(_messages(), cfg, orders_for(ORDERS, _messages()))
    for a, b in zip(whole[:2], part[:2]):
        for name in ("sessions", "waits", "messages"):
            if hasattr(a, name):
                pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
        for name in ("orders", "agents", "shops"):
            if hasattr(a, name):
                pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(whole[2], part[2])
    assert whole[1].orders["amount"].tolist() == part[1].orders["amount"].tolist()
