"""Issue 18: a csv field over 131,072 characters (the csv module's default limit) reads back:
LAYOUTS.md promises that 1 MB messages round-trip through chatmon's own canonical csv."""

import pandas as pd

from monitor.ingest import read_file
from monitor.ingest.writers import write_export
from monitor.schema import conform, write_messages

LONG = "亲" * 1_048_576 + "=end"       # 1 Mi characters, more than 8 times the old limit


def _messages(text):
    return conform(pd.DataFrame([
        {"shop": "甲店", "conversation_id": "甲店|tb_a", "buyer": "tb_a", "sender": "tb_a", "role": "buyer",
         "ts": "2026-11-22 10:00:00", "text": "在吗", "order_id": None, "source": "x:1"},
        {"shop": "甲店", "conversation_id": "甲店|tb_a", "buyer": "tb_a", "sender": "甲店:小美", "role": "agent",
         "ts": "2026-11-22 10:00:05", "text": text, "order_id": None, "source": "x:2"}]))


def test_a_one_megabyte_message_round_trips_through_the_canonical_csv(tmp_path):
    p = tmp_path / "m.csv"
    write_messages(_messages(LONG), p, "csv")
    df, info = read_file(p)
    assert info.reader == "canonical" and df["text"].tolist() == ["在吗", LONG]


def test_a_long_field_in_an_exporters_table_reads(tmp_path):
    p = tmp_path / "t.csv"
    write_export(_messages("好" * 200_000), p, "table_csv")
    df, info = read_file(p)
    assert info.reader == "table_csv" and len(df["text"].iloc[1]) == 200_000
