"""schema.conform returns a frame of its own without copying every column (pandas 3 copies on
write): writing into the result leaves the input as it was, and writing into the input leaves the
result."""

import pandas as pd

from monitor.schema import COLUMNS, conform


def _messages():
    return pd.DataFrame({"shop": ["店"], "conversation_id": ["店|b"], "buyer": ["b"], "sender": ["b"],
                         "role": ["buyer"], "ts": ["2026-11-22 10:00:00"], "text": ["在吗"], "order_id": [None],
                         "source": ["x.csv:2"], "extra": [1]})


def test_writing_into_the_result_leaves_the_input():
    df = _messages()
    out = conform(df)
    out.loc[0, "text"] = "改了"
    out.loc[0, "shop"] = "别的店"
    assert df.loc[0, "text"] == "在吗" and df.loc[0, "shop"] == "店"


def test_writing_into_the_input_leaves_the_result():
    df = _messages()
    out = conform(df)
    df.loc[0, "text"] = "改了"
    df.loc[0, "buyer"] = "c"
    assert out.loc[0, "text"] == "在吗" and out.loc[0, "buyer"] == "b"
    assert list(out.columns) == COLUMNS
