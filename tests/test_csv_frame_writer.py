"""csv_safety.frame_to_csv escapes a text frame's cells as lists and writes them without building an
escaped frame: the same bytes as writing escape_frame(df) through text_frame_to_csv, whatever the
columns hold (text, None, NaN, numbers, the str dtype, categories, dates) and whatever the names."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.csv_safety import TRIGGERS, escape_frame, frame_to_csv
from monitor.csv_text import text_frame_to_csv

pieces = st.sampled_from(["'", "\x1e", "a", "在", " ", ",", '"', "\n", *TRIGGERS])
text = st.lists(pieces, max_size=5).map("".join)
cell = st.one_of(text, text, text, st.none(), st.just(float("nan")))


def _reference(df):
    return text_frame_to_csv(escape_frame(df), None, "\r\n")


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(cell, cell, text), max_size=8), names=st.lists(text, min_size=3, max_size=3, unique=True))
def test_same_bytes_as_the_escaped_frame(rows, names):
    df = pd.DataFrame(rows, columns=names, dtype=object)
    assert frame_to_csv(df) == _reference(df)


@pytest.mark.parametrize("df", [
    pd.DataFrame({"t": ["=1", "-x"], "s": pd.Series(["=2", None], dtype="str")}),       # pandas' str dtype
    pd.DataFrame({"t": ["=1", "a"], "c": pd.Categorical(["=2", "b"])}),                 # categories: not escaped
    pd.DataFrame({"t": ["=1", "a"], "n": [-1, 2]}),                                     # numbers: to_csv
    pd.DataFrame({"t": ["=1", "a"], "d": pd.to_datetime(["2026-11-22", None])}),
    pd.DataFrame({"=x": ["@a"], 1: ["b"]}),                                             # a name that is no text
    pd.DataFrame({"only": ["", "=1"]}),                                                 # one column
])
def test_other_frames_too(df):
    assert frame_to_csv(df) == _reference(df)


def test_known_frame():
    df = pd.DataFrame({"=名": ["=1+1", "好的,亲"], "b": ["'-x", None]})
    assert frame_to_csv(df) == "'=名,b\r\n'=1+1,''-x\r\n\"好的,亲\",\r\n"
