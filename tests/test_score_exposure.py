"""Penalty exposure: exact yuan for hand-built transcripts."""

import pytest

from monitor.config import load_config
from scoring import flag, score
from transcripts import concat, transcript


def order_yuan(exp):
    return [(r["order_id"], r["expected_yuan"], r["worst_yuan"]) for r in exp.orders.to_dict("records")]


def test_one_slow_wait_is_twenty_yuan():
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:04:00 在"), {}))
    assert order_yuan(exp) == [("consult:甲店|tb_a#1", 20.0, 20.0)]


def test_two_slow_waits_in_one_order_are_fined_once():
    msgs = transcript("b 10:00:00 在吗", "a 10:04:00 在", "b 10:05:00 发货没", "a 10:10:00 发了",
                      order_id="123456789012345678")
    exp = score(flag(msgs, {}))
    assert order_yuan(exp) == [("123456789012345678", 20.0, 20.0)]
    assert exp.shops.iloc[0]["slow_orders"] == 1


def test_negative_and_slow_in_one_order_stay_one_fine():
    msgs = transcript("b 10:00:00 在吗", "a 10:04:00 爱买不买")
    exp = score(flag(msgs, {1: {"negative": 0.5}}))
    assert order_yuan(exp) == [("consult:甲店|tb_a#1", 20.0, 20.0)]


def test_negative_alone_is_probability_times_fine():
    exp = score(flag(transcript("b 10:00:00 能便宜吗", "a 10:01:00 嫌贵别买"), {1: {"negative": 0.5}}))
    assert order_yuan(exp) == [("consult:甲店|tb_a#1", 10.0, 20.0)]


def test_repeated_harassment_is_one_case_per_order():
    msgs = transcript("b 10:00:00 差评了", "a 10:00:30 求求改一下", "a 10:01:00 改了给你20")
    exp = score(flag(msgs, {1: {"harassment": 0.9}, 2: {"harassment": 0.9}}))
    assert order_yuan(exp) == [("consult:甲店|tb_a#1", pytest.approx(297.0), 300.0)]


def test_unanswered_buyer_is_a_no_reply_fine_on_no_one():
    exp = score(flag(transcript("b 10:00:00 在吗"), {}))
    assert order_yuan(exp) == [("consult:甲店|tb_a#1", 20.0, 20.0)]
    assert exp.agents.set_index("agent").loc["(无人回复)", "expected_yuan"] == 20.0
    assert exp.shops.iloc[0]["unanswered_orders"] == 1


def test_exposure_is_split_between_responsible_agents():
    msgs = transcript("b 10:00:00 在吗", "a 10:00:30 加我微信", "a:阿强 10:01:00 扫码领红包")
    exp = score(flag(msgs, {1: {"diversion": 1.0}, 2: {"diversion": 0.5}}))
    by_agent = exp.agents.set_index("agent")["worst_yuan"].to_dict()
    assert by_agent == {"甲店:小美": 10.0, "甲店:阿强": 10.0}


def test_per_shop_penalty_override(tmp_path):
    cfg = tmp_path / "p.toml"
    cfg.write_text('[shops."甲店"]\nharassment_yuan = 500\n', encoding="utf-8")
    exp = score(flag(transcript("b 10:00:00 差评", "a 10:00:20 不改我天天找你"), {1: {"harassment": 1.0}}),
                config=load_config(cfg))
    assert order_yuan(exp) == [("consult:甲店|tb_a#1", 500.0, 500.0)]


def test_shop_totals_add_up_over_orders():
    msgs = concat(transcript("b 10:00:00 在吗", "a 10:04:00 在", buyer="x"),
                  transcript("b 10:00:00 在吗", "a 10:00:10 爱买不买", buyer="y"))
    exp = score(flag(msgs, {3: {"negative": 0.25}}))
    shop = exp.shops.iloc[0]
    assert (shop["exposure_expected_yuan"], shop["exposure_worst_yuan"]) == (25.0, 40.0)
    assert shop["flagged"] == {"diversion": 0, "qr_lure": 0, "negative": 1, "harassment": 0}
    assert (shop["messages"], shop["sessions"], shop["orders"]) == (4, 2, 2)


def test_clean_chat_has_no_exposure():
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:00:20 在的亲"), {}))
    assert exp.orders.empty
    assert exp.shops.iloc[0]["exposure_worst_yuan"] == 0.0
