"""Scoring rules beyond the basics: flags vs probabilities, attribution, orders shared by sessions."""

import pandas as pd
import pytest

from monitor.config import load_config
from monitor.orders import link_orders
from monitor.score import score_exposure
from monitor.timing import compute_latency
from scoring import flag, score
from transcripts import concat, transcript


def rows(exp):
    return [(r["order_id"], r["expected_yuan"], r["worst_yuan"]) for r in exp.orders.to_dict("records")]


def test_probability_without_a_predicted_label_is_not_a_cause():
    m = flag(transcript("b 10:00:00 在吗", "a 10:00:20 看详情页"), {})
    m.loc[1, "p_negative"] = 0.4          # below the label's threshold: not predicted
    exp = score(m)
    assert exp.orders.empty and exp.shops.iloc[0]["exposure_expected_yuan"] == 0.0


def test_labels_as_lists_are_read():
    m = flag(transcript("b 10:00:00 在吗", "a 10:00:20 加我vx"), {1: {"diversion": 0.8}})
    m["labels"] = [[], ["diversion"]]
    assert rows(score(m)) == [("consult:甲店|tb_a#1", 16.0, 20.0)]


def test_rule_only_flag_without_probability_counts_as_certain():
    m = flag(transcript("b 10:00:00 在吗", "a 10:00:20 加我vx"), {1: {"diversion": float("nan")}})
    assert rows(score(m)) == [("consult:甲店|tb_a#1", 20.0, 20.0)]


def test_unlinked_session_is_scored_as_its_own_consultation():
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:05:00 在"), {}))
    (order,) = exp.orders.to_dict("records")
    assert (order["order_id"], order["link"], order["buyer"]) == ("consult:甲店|tb_a#1", "consult", "tb_a")


def test_two_sessions_of_one_order_are_fined_once():
    orders = pd.DataFrame({"order_id": ["888"], "buyer": ["tb_a"], "shop": [None], "amount": [99.0],
                           "created": pd.to_datetime(["2026-11-22 12:00:00"]), "status": ["交易成功"],
                           "source": ["o.csv:2"]})
    msgs = transcript("b 10:00:00 在吗", "a 10:04:00 在", "b 14:00:00 发货没", "a 14:05:00 发了")
    exp = score(flag(msgs, {}), orders=orders)
    assert rows(exp) == [("888", 20.0, 20.0)]
    assert (exp.orders["link"].iloc[0], exp.orders["amount"].iloc[0]) == ("buyer_time", 99.0)
    assert (exp.shops.iloc[0]["sessions"], exp.shops.iloc[0]["orders"]) == (2, 1)


def test_rules_add_up_within_an_order():
    msgs = transcript("b 10:00:00 差评了", "a 10:00:20 加我微信", "a 10:00:40 改了给你返现")
    exp = score(flag(msgs, {1: {"diversion": 0.5}, 2: {"harassment": 0.5}}))
    assert rows(exp) == [("consult:甲店|tb_a#1", 10.0 + 150.0, 20.0 + 300.0)]


def test_largest_service_fine_applies_once(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[penalties]\nnegative_yuan = 50\n", encoding="utf-8")
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:04:00 爱买不买"), {1: {"negative": 0.5}}),
                config=load_config(p))
    assert rows(exp) == [("consult:甲店|tb_a#1", 50.0, 50.0)]


def test_service_fine_split_between_slow_answerer_and_rude_agent():
    msgs = transcript("b 10:00:00 在吗", "a:阿强 10:04:00 在", "b 10:05:00 能便宜吗", "a 10:05:20 爱买不买")
    exp = score(flag(msgs, {3: {"negative": 1.0}}))
    by_agent = exp.agents.set_index("agent")
    assert by_agent.loc["甲店:阿强", "worst_yuan"] == 10.0 and by_agent.loc["甲店:小美", "worst_yuan"] == 10.0
    assert by_agent.loc["甲店:阿强", "slow_waits"] == 1 and by_agent.loc["甲店:小美", "negative"] == 1


def test_reasons_carry_the_evidence():
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:04:00 爱买不买"), {1: {"negative": 0.5}}))
    reasons = sorted(exp.orders["reasons"].iloc[0], key=lambda r: r["cause"])
    assert reasons[0] == {"cause": "negative", "rule": "service", "agent": "甲店:小美", "source": "t.txt:2",
                          "probability": 0.5, "fine": 20.0, "label": "negative", "text": "爱买不买"}
    assert reasons[1] == {"cause": "slow", "rule": "service", "agent": "甲店:小美", "source": "t.txt:1",
                          "probability": 1.0, "fine": 20.0, "wait_s": 240.0}


def test_messages_without_session_ids_are_scored_the_same():
    cfg = load_config()
    msgs = flag(transcript("b 10:00:00 在吗", "a 10:04:00 嫌贵别买"), {1: {"negative": 0.5}})
    lat = compute_latency(msgs, cfg)
    links = link_orders(lat.sessions, lat.messages, None, cfg)
    exp = score_exposure(msgs, lat, links, cfg)          # the flagged frame, not lat.messages
    assert rows(exp) == [("consult:甲店|tb_a#1", 20.0, 20.0)]


def test_shops_are_scored_with_their_own_fines(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[shops."乙店"]\nslow_reply_yuan = 30\n', encoding="utf-8")
    msgs = concat(transcript("b 10:00:00 在吗", "a 10:04:00 在", shop="甲店"),
                  transcript("b 10:00:00 在吗", "a 10:04:00 在", shop="乙店"))
    shops = score(flag(msgs, {}), config=load_config(p)).shops.set_index("shop")
    assert shops["exposure_worst_yuan"].to_dict() == {"乙店": 30.0, "甲店": 20.0}


def test_expected_never_exceeds_worst():
    msgs = transcript("b 10:00:00 在吗", "a 10:00:10 加微信", "a 10:00:20 扫码领红包", "a 10:00:30 烦不烦")
    exp = score(flag(msgs, {1: {"diversion": 0.3}, 2: {"qr_lure": 0.6}, 3: {"negative": 0.9, "harassment": 0.2}}))
    (o,) = exp.orders.to_dict("records")
    assert o["expected_yuan"] == pytest.approx(20 * 0.3 + 20 * 0.6 + 20 * 0.9 + 300 * 0.2)
    assert o["worst_yuan"] == 20 + 20 + 20 + 300


def test_flagged_message_without_a_time_is_still_scored():
    m = flag(transcript("b 10:00:00 在吗", "a 10:00:20 在", "a 10:00:30 加我vx"), {2: {"diversion": 0.5}})
    m.loc[2, "ts"] = pd.NaT
    assert rows(score(m)) == [("consult:untimed:t.txt:3", 10.0, 20.0)]
