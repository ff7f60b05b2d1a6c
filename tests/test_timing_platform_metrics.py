"""生意参谋-style metrics per shop and per agent, and the latency jsonl of DESIGN.md."""

import json

from monitor.config import load_config
from monitor.timing import compute_latency, platform_metrics, write_sessions
from transcripts import concat, transcript

CFG = load_config()


def _lat():
    return compute_latency(concat(
        transcript("b 10:00:00 在吗", "a 10:01:00 在", "b 10:02:00 包邮吗", "a:阿强 10:07:00 包邮", buyer="x"),
        transcript("b 11:00:00 你好", buyer="y"),
        transcript("b 12:00:00 到了吗", "a 12:00:30 到了", buyer="z"),
    ), CFG)


def test_shop_metrics():
    m = platform_metrics(_lat(), by=["shop"]).iloc[0].to_dict()
    assert {k: m[k] for k in ("咨询人数", "接待人数", "未回复人数", "慢响应人数")} == \
        {"咨询人数": 3, "接待人数": 2, "未回复人数": 1, "慢响应人数": 1}
    assert m["平均响应时长"] == (60 + 300 + 30) / 3
    assert m["首次响应时长"] == (60 + 30) / 2
    assert m["3分钟人工响应率"] == 2 / 4       # y's unanswered wait counts against the rate
    assert m["答问比"] == 3 / 4


def test_agent_metrics_attribute_waits_to_who_ended_them():
    m = platform_metrics(_lat(), by=["shop", "agent"]).set_index("agent")
    assert m.loc["甲店:小美", "接待人数"] == 2 and m.loc["甲店:阿强", "接待人数"] == 1
    assert m.loc["甲店:阿强", "平均响应时长"] == 300.0
    assert m.loc["甲店:阿强", "慢响应人数"] == 1
    assert m.loc["甲店:小美", "3分钟人工响应率"] == 1.0


def test_latency_jsonl_matches_the_contract(tmp_path):
    out = tmp_path / "s.jsonl"
    write_sessions(_lat().sessions, str(out), "jsonl")
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first == {"shop": "甲店", "conversation_id": "甲店|x", "buyer": "x", "start": "2026-11-22 10:00:00",
                     "end": "2026-11-22 10:07:00", "first_response_s": 60.0, "mean_response_s": 180.0,
                     "max_response_s": 300.0, "waits": 2, "slow_waits": 1, "unanswered": 0,
                     "within_3min_rate": 0.5}
    second = json.loads(out.read_text(encoding="utf-8").splitlines()[1])
    assert second["first_response_s"] is None and second["unanswered"] == 1


def test_a_shipping_notice_is_not_a_reception():
    lat = compute_latency(concat(transcript("b 10:00:00 在吗", buyer="x"),
                                 transcript("a 10:00:00 亲，您的快递到了", buyer="y")), CFG)
    m = platform_metrics(lat, by=["shop"]).iloc[0]
    assert (m["咨询人数"], m["接待人数"], m["未回复人数"]) == (1, 0, 1)
    agents = platform_metrics(lat, by=["shop", "agent"]).set_index("agent")
    assert agents.loc["甲店:小美", "接待人数"] == 0


def test_rate_excludes_waits_starting_before_the_window():
    lat = compute_latency(transcript("b 07:59:00 在吗", "a 08:05:00 在", "b 08:06:00 ?", "a 08:06:30 好"), CFG)
    m = platform_metrics(lat, by=["shop"]).iloc[0]
    assert (m["3分钟人工响应率"], m["慢响应人数"], m["平均响应时长"]) == (1.0, 1, (360 + 30) / 2)


def test_agent_answer_ratio_counts_only_the_sessions_they_wrote_in():
    lat = compute_latency(concat(
        transcript("b 10:00:00 在吗", "b 10:00:05 ?", "a:阿强 10:00:30 在", buyer="x"),
        transcript("b 10:00:00 在吗", "a 10:00:20 在", "a 10:00:25 请说", buyer="y")), CFG)
    m = platform_metrics(lat, by=["shop", "agent"]).set_index("agent")["答问比"].to_dict()
    assert m == {"甲店:阿强": 0.5, "甲店:小美": 2.0}
