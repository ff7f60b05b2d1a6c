"""chatmon's own canonical output (csv and jsonl) reads back as written."""

import pandas as pd
import pytest

from monitor.errors import InputError
from monitor.ingest import read_file
from monitor.schema import conform, write_messages

MSGS = conform(pd.DataFrame([
    {"shop": "甲店", "conversation_id": "甲店|tb_a", "buyer": "tb_a", "sender": "tb_a", "role": "buyer",
     "ts": "2024-01-15 10:00:00", "text": "在吗,\"引号\"\n第二行\t制表", "order_id": None, "source": "x.txt:1"},
    {"shop": "甲店", "conversation_id": "甲店|tb_a", "buyer": "tb_a", "sender": "甲店:店小蜜", "role": "auto",
     "ts": "2024-01-15 10:00:02", "text": "=SUM(A1)", "order_id": "123456789012345678", "source": "x.txt:4"},
]))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_round_trip(tmp_path, fmt):
    p = tmp_path / f"m.{fmt}"
    write_messages(MSGS, p, fmt)
    df, info = read_file(p)
    assert info.reader == "canonical"
    got = df.astype({"order_id": object}).where(df.notna(), None)
    want = MSGS.astype({"order_id": object}).where(MSGS.notna(), None)
    pd.testing.assert_frame_equal(got, want)


def test_shop_option_rewrites_shop_and_conversation(tmp_path):
    p = tmp_path / "m.jsonl"
    write_messages(MSGS, p, "jsonl")
    df, _ = read_file(p, shop="乙店")
    assert set(df["conversation_id"]) == {"乙店|tb_a"} and set(df["shop"]) == {"乙店"}


def test_bad_role_names_its_line(tmp_path):
    p = tmp_path / "m.csv"
    write_messages(MSGS, p, "csv")
    p.write_text(p.read_text(encoding="utf-8-sig").replace(",auto,", ",robot,"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_file(p)
    # the first record spans lines 2-3 (its text holds a newline): the second starts on line 4
    assert (exc.value.line, exc.value.reason) == (4, "role 'robot' is not one of buyer, agent, auto, system")
