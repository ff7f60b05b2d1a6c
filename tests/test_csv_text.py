"""Text frames written as csv by the csv module directly: the bytes pandas' to_csv writes."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.csv_text import text_frame_to_csv as frame_to_csv

CELL = st.one_of(st.none(), st.just(float("nan")), st.text(alphabet='亲a1 ,"\n\r\t=\'😀', max_size=6))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL, CELL), max_size=8), term=st.sampled_from(["\n", "\r\n"]))
def test_same_bytes_as_to_csv(rows, term):
    df = pd.DataFrame(rows, columns=["文本", "b,c", 'q"'], dtype=object)
    assert frame_to_csv(df, lineterminator=term) == df.to_csv(index=False, lineterminator=term)


@pytest.mark.parametrize("df", [
    pd.DataFrame({"n": [1, 2], "t": ["a", "b"]}),                        # a number column
    pd.DataFrame({"x": [1.5, np.nan]}),
    pd.DataFrame({"d": pd.to_datetime(["2026-11-22 10:00:00", None])}),
    pd.DataFrame([["a", "b"]], columns=["x", "x"]),                      # duplicate names
])
def test_other_frames_are_written_by_to_csv(df):
    assert frame_to_csv(df, lineterminator="\r\n") == df.to_csv(index=False, lineterminator="\r\n")


def test_known_text():
    df = pd.DataFrame({"text": ['好的,亲', 'say "hi"', None, "两\n行"]}, dtype=object)
    # a row of one empty cell is written "" (a bare empty line would read back as no row)
    assert frame_to_csv(df) == 'text\n"好的,亲"\n"say ""hi"""\n""\n"两\n行"\n'
