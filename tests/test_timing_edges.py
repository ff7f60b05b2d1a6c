"""Edge cases of timing: row order at equal times, shops sharing conversation ids, output files."""

import json

import pandas as pd

from monitor.config import load_config
from monitor.schema import conform
from monitor.timing import WAIT_COLUMNS, compute_latency, write_sessions
from transcripts import concat, transcript

CFG = load_config()


def test_auto_reply_in_the_same_second_as_the_question_is_counted():
    lat = compute_latency(transcript("b 10:00:00 在吗", "auto 10:00:00 欢迎光临", "a 10:00:50 在的"), CFG)
    assert lat.waits["auto_replies"].tolist() == [1]


def test_auto_reply_before_the_question_is_not_in_the_wait():
    lat = compute_latency(transcript("auto 10:00:00 欢迎光临", "b 10:00:00 在吗", "a 10:00:50 在的"), CFG)
    assert lat.waits["auto_replies"].tolist() == [0]
    assert lat.waits["wait_s"].tolist() == [50.0]


def test_equal_timestamps_keep_export_order():
    # the agent's answer and the next question in the same second: the answer ends wait 1 first
    lat = compute_latency(transcript("b 10:00:00 在吗", "a 10:01:00 在", "b 10:01:00 包邮吗", "a 10:01:30 包邮"), CFG)
    assert lat.waits["wait_s"].tolist() == [60.0, 30.0]


def test_unsorted_input_is_sorted_before_timing():
    msgs = transcript("b 10:00:00 在吗", "a 10:02:00 在")
    lat = compute_latency(msgs.iloc[::-1].reset_index(drop=True), CFG)
    assert lat.sessions["first_response_s"].tolist() == [120.0]


def test_same_conversation_id_in_two_shops_gives_two_sessions():
    a = transcript("b 10:00:00 在吗", "a 10:01:00 在", shop="甲店")
    b = transcript("b 10:00:10 在吗", "a 10:05:10 在", shop="乙店")
    b["conversation_id"] = a["conversation_id"].iloc[0]
    lat = compute_latency(concat(a, b), CFG)
    assert sorted(zip(lat.sessions["shop"], lat.sessions["first_response_s"])) == [("乙店", 300.0), ("甲店", 60.0)]
    assert lat.sessions["session_id"].nunique() == 2


def test_warn_waits_count_over_qianniu_100_seconds():
    lat = compute_latency(transcript("b 10:00:00 在吗", "a 10:01:41 在", "b 10:02:00 ?", "a 10:03:40 好"), CFG)
    s = lat.sessions.iloc[0]
    assert (s["warn_waits"], s["slow_waits"]) == (1, 0)


def test_waits_table_carries_evidence_columns():
    lat = compute_latency(transcript("b 10:00:00 在吗", "a:阿强 10:04:00 在", "b 10:05:00 ?"), CFG)
    w = lat.waits
    assert set(WAIT_COLUMNS) <= set(w.columns)
    assert w["start_source"].tolist() == ["t.txt:1", "t.txt:3"]
    assert (w["end_source"].iloc[0], w["agent"].iloc[0], w["wait_s"].iloc[0]) == ("t.txt:2", "甲店:阿强", 240.0)
    assert w["slow"].tolist() == [True, False] and w["answered"].tolist() == [True, False]
    assert pd.isna(w["end"].iloc[1]) and pd.isna(w["end_source"].iloc[1]) and pd.isna(w["agent"].iloc[1])


def test_latency_csv_has_bom_and_contract_columns(tmp_path):
    out = tmp_path / "s.csv"
    write_sessions(compute_latency(transcript("b 10:00:00 在吗", "a 10:00:30 在"), CFG).sessions, str(out), "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert df.columns.tolist()[:5] == ["shop", "conversation_id", "buyer", "start", "end"]
    assert df["first_response_s"].tolist() == [30.0] and df["start"].tolist() == ["2026-11-22 10:00:00"]


def test_latency_jsonl_to_stdout(capsys):
    write_sessions(compute_latency(transcript("b 10:00:00 在吗"), CFG).sessions, None, "jsonl")
    rec = json.loads(capsys.readouterr().out)
    assert (rec["unanswered"], rec["mean_response_s"], rec["within_3min_rate"]) == (1, None, 0.0)


def test_empty_input_writes_nothing(capsys):
    from monitor.schema import empty_messages
    write_sessions(compute_latency(empty_messages(), CFG).sessions, None, "jsonl")
    assert capsys.readouterr().out == ""


def test_wait_entirely_outside_working_hours_counts_zero(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[latency]\nworking_hours = "09:00-18:00"\n', encoding="utf-8")
    lat = compute_latency(transcript("b 20:00:00 在吗", "a 20:20:00 在"), load_config(p))
    assert lat.waits["wait_s"].tolist() == [0.0] and lat.sessions["slow_waits"].tolist() == [0]


def test_message_without_a_time_is_left_out_of_the_timing():
    msgs = transcript("b 10:00:00 在吗", "a 10:00:40 在", "b 10:01:00 好")
    msgs.loc[1, "ts"] = pd.NaT
    lat = compute_latency(msgs, CFG)
    assert lat.waits["answered"].tolist() == [False]
    assert lat.sessions["messages"].tolist() == [2]
    assert len(lat.messages) == 3 and lat.messages["session_id"].isna().sum() == 1
