"""Waits and per-session latency, one behaviour per test, exact seconds."""

import math

from monitor.config import load_config
from monitor.timing import compute_latency
from transcripts import concat, transcript

CFG = load_config()


def one_session(*lines, config=CFG, **kw):
    lat = compute_latency(transcript(*lines, **kw), config)
    assert len(lat.sessions) == 1
    return lat.sessions.iloc[0], lat.waits


def test_one_wait_answered():
    s, w = one_session("b 10:00:00 在吗", "a 10:02:30 在的")
    assert (s["first_response_s"], s["mean_response_s"], s["max_response_s"]) == (150.0, 150.0, 150.0)
    assert (s["waits"], s["slow_waits"], s["unanswered"], s["within_3min_rate"]) == (1, 0, 0, 1.0)


def test_buyer_messages_inside_a_wait_do_not_restart_it():
    s, _ = one_session("b 10:00:00 在吗", "b 10:01:00 人呢", "b 10:03:00 ？？", "a 10:04:00 抱歉久等")
    assert (s["waits"], s["first_response_s"], s["slow_waits"]) == (1, 240.0, 1)


def test_auto_reply_does_not_end_a_wait_but_is_counted():
    s, w = one_session("b 10:00:00 在吗", "auto 10:00:02 欢迎光临", "a 10:02:00 在的")
    assert s["first_response_s"] == 120.0
    assert w["auto_replies"].tolist() == [1]


def test_system_message_does_not_end_a_wait():
    s, _ = one_session("b 10:00:00 在吗", "sys 10:00:30 由 服务助手 转交给 甲店:阿强", "a:阿强 10:01:00 您好")
    assert s["first_response_s"] == 60.0


def test_wait_open_at_session_end_is_unanswered():
    s, w = one_session("b 10:00:00 在吗", "a 10:01:00 在的", "b 10:05:00 能便宜吗")
    assert (s["waits"], s["unanswered"], s["mean_response_s"], s["within_3min_rate"]) == (2, 1, 60.0, 0.5)
    assert w["answered"].tolist() == [True, False] and math.isnan(w["wait_s"].iloc[1])


def test_no_buyer_message_means_no_wait():
    s, w = one_session("a 10:00:00 亲，您的快递到了")
    assert s["waits"] == 0 and math.isnan(s["first_response_s"]) and math.isnan(s["within_3min_rate"])


def test_second_wait_is_measured_from_its_own_first_message():
    s, w = one_session("b 10:00:00 在吗", "a 10:00:30 在的", "b 10:10:00 发什么快递", "b 10:11:00 ？",
                       "a 10:15:00 中通")
    assert w["wait_s"].tolist() == [30.0, 300.0]
    assert (s["first_response_s"], s["mean_response_s"], s["max_response_s"]) == (30.0, 165.0, 300.0)


def test_agent_reply_answers_the_wait_whoever_sends_it():
    _, w = one_session("b 10:00:00 在吗", "a:阿强 10:00:40 在")
    assert w["agent"].tolist() == ["甲店:阿强"]


def test_exactly_180_seconds_is_not_slow_181_is():
    s, w = one_session("b 10:00:00 在吗", "a 10:03:00 在", "b 10:04:00 ?", "a 10:07:01 好")
    assert w["slow"].tolist() == [False, True]
    assert (s["slow_waits"], s["within_3min_rate"]) == (1, 0.5)


def test_slow_threshold_from_config(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[latency]\nslow_reply_s = 60\n", encoding="utf-8")
    s, _ = one_session("b 10:00:00 在吗", "a 10:01:30 在", config=load_config(p))
    assert (s["slow_waits"], s["within_3min_rate"]) == (1, 0.0)
