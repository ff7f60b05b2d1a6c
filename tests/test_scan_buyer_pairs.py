"""The first pass reads the exports before the orders are known, so it keeps every (buyer, shop)
pair when an orders export was given; the night links shops through the buyers of orders without a
shop only (scan._Night.merge)."""

import pandas as pd

from monitor.scan import _Night
from monitor.scan_workers import night_part

MESSAGES = pd.DataFrame({
    "shop": ["甲店", "甲店", "乙店", "丙店"],
    "buyer": ["tb_a", "tb_b", "tb_a", "tb_b"],
    "conversation_id": ["c1", "c2", "c3", "c4"],
    "order_id": [None, None, None, None],
    "ts": pd.to_datetime(["2026-11-22 10:00", "2026-11-22 10:01", "2026-11-22 10:02", "2026-11-22 10:03"]),
})
KEYS = pd.Series([f"{k:032x}" for k in range(4)])


def test_every_buyer_or_the_given_ones_or_none():
    assert night_part(MESSAGES, KEYS, None).buyer_pairs == [("tb_a", "甲店"), ("tb_b", "甲店"), ("tb_a", "乙店"),
                                                             ("tb_b", "丙店")]
    assert night_part(MESSAGES, KEYS, {"tb_a"}).buyer_pairs == [("tb_a", "甲店"), ("tb_a", "乙店")]
    assert night_part(MESSAGES, KEYS, set()).buyer_pairs == []


def test_only_shopless_buyers_link_shops():
    orders = pd.DataFrame({"shop": [None, "丙店"], "buyer": ["tb_a", "tb_b"]})
    night = _Night(orders)
    night.merge(night_part(MESSAGES[MESSAGES["shop"] == "甲店"], KEYS[:2], None))
    night.merge(night_part(MESSAGES[MESSAGES["shop"] == "乙店"], KEYS[2:3], None))
    night.merge(night_part(MESSAGES[MESSAGES["shop"] == "丙店"], KEYS[3:], None))
    # tb_a's order has no shop and tb_a chats in 甲店 and 乙店: one batch; tb_b's order names its shop
    assert night.shops.find("乙店") == night.shops.find("甲店")
    assert night.shops.find("丙店") != night.shops.find("甲店")
