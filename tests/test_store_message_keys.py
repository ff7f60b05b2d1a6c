"""message_keys (one pass per file, at C speed where it can) gives the keys of its definition, the
pandas reference _message_keys_grouped: sha1 of shop, conversation, time, sender, text and the
message's occurrence within its file, each followed by \\x1f."""

import hashlib

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.store import _message_keys_grouped, message_keys

FIELD = st.sampled_from(["店", "店|a", "在吗", "", "a\x1fb", "0", "亲"])
ROW = st.tuples(FIELD, FIELD, st.sampled_from(["2026-11-22 10:00:00", "2026-11-22 10:00:01"]), FIELD, FIELD,
                st.sampled_from(["f1", "f2"]))


def _frame(rows):
    df = pd.DataFrame(rows, columns=["shop", "conversation_id", "ts", "sender", "text", "file_sha256"])
    df["ts"] = pd.to_datetime(df["ts"])
    return df


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, max_size=12))
def test_keys_are_the_reference_keys(rows):
    df = _frame(rows)
    assert message_keys(df).tolist() == _message_keys_grouped(df).tolist()
    one_file = df.drop(columns="file_sha256")
    assert message_keys(one_file).tolist() == _message_keys_grouped(one_file).tolist()


def test_a_repeated_message_counts_its_occurrence_within_its_file():
    df = _frame([("店", "店|a", "2026-11-22 10:00:00", "a", "在吗", "f1")] * 2
                + [("店", "店|a", "2026-11-22 10:00:00", "a", "在吗", "f2")])
    base = "店\x1f店|a\x1f2026-11-22 10:00:00\x1fa\x1f在吗\x1f"
    expected = [hashlib.sha1((base + o).encode("utf-8")).hexdigest() for o in ("0", "1", "0")]
    assert message_keys(df).tolist() == expected
