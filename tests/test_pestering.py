"""Harassment by behaviour: quiet-hour contact, unanswered runs, review contact after a refusal."""

import pytest

from monitor.config import load_config
from monitor.orders import link_orders
from monitor.pestering import find_pestering
from monitor.score import score_exposure
from monitor.timing import compute_latency
from scoring import flag
from transcripts import concat, transcript


def cases(messages, config=None):
    config = config or load_config()
    lat = compute_latency(messages, config)
    return find_pestering(lat.messages, config)


def test_seller_writing_first_at_night_is_a_case():
    c = cases(transcript("a 23:10:00 亲，评价的事考虑得怎么样了"))
    assert c[["pattern", "agent"]].values.tolist() == [["quiet_hours", "甲店:小美"]]
    assert c.iloc[0]["reason"] == ("23:10 在非适宜时段（22:00-08:00）主动联系买家，买家在本次会话中此前未发消息（1 条）")
    assert c.iloc[0]["messages"] == ["11-22 23:10 亲，评价的事考虑得怎么样了"]


def test_answering_a_buyer_who_wrote_first_at_23_is_not():
    assert cases(transcript("b 23:00:00 在吗，什么时候发货", "a 23:01:00 在的，明天上午发")).empty


def test_a_run_of_unanswered_messages_is_a_case():
    msgs = transcript("b 13:50:00 我再想想", "a 14:00:00 亲考虑好了吗", "a 14:20:00 今天下单有优惠哦",
                      "a 14:40:00 亲在吗", "a 15:10:00 亲？")
    c = cases(msgs)
    assert c["pattern"].tolist() == ["run"]
    assert c.iloc[0]["reason"] == "4 条消息（1.2 小时内）发给未回复的买家，超过设定的 4 条 / 24 小时"
    assert len(c.iloc[0]["messages"]) == 4


def test_a_quick_burst_is_counted_once_and_a_reply_ends_the_run():
    burst = transcript("b 13:50:00 尺码怎么选", "a 14:00:00 身高多少", "a 14:00:20 体重多少", "a 14:00:40 平时穿什么码",
                       "a 14:30:00 亲？")
    assert cases(burst).empty            # bursts: 14:00 (three messages) and 14:30 -> 2 contacts
    replied = transcript("a 14:00:00 亲考虑好了吗", "a 14:20:00 有优惠哦", "b 14:25:00 好的", "a 14:40:00 亲在吗",
                         "a 15:10:00 亲？")
    assert cases(replied).empty


def test_an_auto_reply_at_23_answering_the_buyer_never_counts():
    msgs = transcript("b 23:00:00 在吗", "auto 23:00:02 [自动回复]亲，夜间客服休息中，明早9点回复您")
    assert cases(msgs).empty


def test_a_robot_writing_first_at_night_counts():
    c = cases(transcript("auto 23:30:00 [自动回复]亲，您的订单还没付款哦"))
    assert c["pattern"].tolist() == ["quiet_hours"]


def test_review_contact_after_the_buyer_declined():
    msgs = transcript("a 10:00:00 亲能给个好评吗", "b 10:05:00 不改，别烦我", "a 10:30:00 亲求您改下评价吧")
    c = cases(msgs)
    assert c["pattern"].tolist() == ["review"]
    assert c.iloc[0]["reason"] == "买家 11-22 10:05 已拒绝（「不改，别烦我」），之后仍就评价联系 1 次"
    assert c.iloc[0]["source"] == "t.txt:3"


def test_quiet_hours_follow_the_config(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pestering]\nquiet_hours = "23:30-07:00"\n', encoding="utf-8")
    assert cases(transcript("a 23:10:00 亲在吗"), load_config(cfg)).empty


def test_a_pestering_case_is_scored_as_one_harassment_case():
    config = load_config()
    msgs = flag(transcript("a 23:10:00 亲，评价的事考虑得怎么样了", "a 23:20:00 求求改下评价"), {1: {"harassment": 0.5}})
    lat = compute_latency(msgs, config)
    links = link_orders(lat.sessions, lat.messages, None, config)
    exp = score_exposure(lat.messages, lat, links, config, pestering=find_pestering(lat.messages, config))
    row = exp.orders.iloc[0]
    # words (p 0.5) and behaviour (p 1) are one harassment case: 300 yuan, expected 300 × (1 − 0.5 × 0)
    assert (row["expected_yuan"], row["worst_yuan"]) == (pytest.approx(300.0), 300.0)
    assert row["causes"] == ["harassment", "pestering"]


def test_nights_apart_in_one_conversation_are_followed():
    msgs = concat(transcript("a 2026-11-22 20:00:00 亲在吗", "a 2026-11-22 21:00:00 亲？"),
                  transcript("a 2026-11-23 09:00:00 亲看到回一下", "a 2026-11-23 10:00:00 亲？？"))
    assert cases(msgs)["pattern"].tolist() == ["run"]
