"""Sessions: the 30-minute gap, midnight, several conversations."""

import pandas as pd

from monitor.config import load_config
from monitor.timing import compute_latency
from transcripts import concat, transcript

CFG = load_config()


def test_gap_over_thirty_minutes_starts_a_new_session():
    lat = compute_latency(transcript("b 10:00:00 在吗", "a 10:01:00 在", "b 10:31:01 还在吗", "a 10:32:00 在"), CFG)
    assert lat.sessions["session_id"].tolist() == ["甲店|tb_a#1", "甲店|tb_a#2"]
    assert lat.sessions["first_response_s"].tolist() == [60.0, 59.0]


def test_gap_of_exactly_thirty_minutes_stays_one_session():
    lat = compute_latency(transcript("b 10:00:00 在吗", "a 10:30:00 在"), CFG)
    assert len(lat.sessions) == 1 and lat.sessions["first_response_s"].iloc[0] == 1800.0


def test_session_crossing_midnight_stays_one():
    lat = compute_latency(transcript("b 23:59:00 在吗", "a 2026-11-23 00:01:00 在的"), CFG)
    assert len(lat.sessions) == 1
    assert lat.sessions["first_response_s"].iloc[0] == 120.0


def test_conversations_are_timed_separately():
    msgs = concat(transcript("b 10:00:00 在吗", "a 10:01:00 在", buyer="x"),
                  transcript("b 10:00:30 你好", "a 10:05:30 您好", buyer="y"))
    lat = compute_latency(msgs, CFG)
    assert dict(zip(lat.sessions["buyer"], lat.sessions["first_response_s"])) == {"x": 60.0, "y": 300.0}


def test_messages_carry_their_session_id():
    lat = compute_latency(transcript("b 10:00:00 在吗", "a 10:01:00 在", "b 11:00:00 ?"), CFG)
    assert lat.messages["session_id"].tolist() == ["甲店|tb_a#1", "甲店|tb_a#1", "甲店|tb_a#2"]


def test_empty_input_gives_empty_tables():
    from monitor.schema import empty_messages
    lat = compute_latency(empty_messages(), CFG)
    assert lat.sessions.empty and lat.waits.empty and "within_3min_rate" in lat.sessions.columns


def test_sort_messages_orders_like_a_stable_sort_by_shop_conversation_and_time():
    from monitor.timing import sort_messages

    msgs = concat(transcript("b 10:00:05 二", "b 10:00:00 一", "a 10:00:05 二b", shop="乙店", buyer="x"),
                  transcript("b 09:00:00 早", shop="甲店", buyer="y"),
                  transcript("b 10:00:00 一", shop="乙店", buyer="a"))
    msgs.loc[1, "ts"] = pd.NaT                    # a message without a time goes last in its conversation
    msgs.index = [7, 3, 9, 1, 5]
    want = msgs.sort_values(["shop", "conversation_id", "ts"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(sort_messages(msgs), want)
    pd.testing.assert_frame_equal(sort_messages(want), want)
