"""The fast xlsx writer builds each column's cells and widths once per column (xlsx._cell_tails, the widths
from the values it already read): what it writes must equal the openpyxl path cell by cell, and its widths
column_widths(), on hostile columns: equal values that print apart (0.0/-0.0, 1/True/1.0), repeated
texts, formulas, control characters, blanks, NaN and None, in formatted and plain sheets."""

import math

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import xlsx

_VALUES = st.one_of(
    st.sampled_from(["=1+1", " lead", "a&b<c>", "#N/A", "", " ", "中文 12", "x\x0by", "评价返现"]),
    st.text(max_size=30),
    st.sampled_from([0.0, -0.0, 1, True, False, 1.0, math.nan, None, -1, 10**16, 1e16, 0.125]),
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.integers(min_value=-10**12, max_value=10**12),
)


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: ([[(c.value, c.data_type, c.number_format, c.font.b) for c in row] for row in ws.iter_rows()],
                       {k: d.width for k, d in ws.column_dimensions.items()}) for ws in wb}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_VALUES, min_size=3, max_size=3), min_size=0, max_size=12),
       st.sampled_from([None, {"a": "yuan", "b": "pct"}, {"c": "int", "a": "decimal"}]))
def test_fast_writer_equals_openpyxl_on_hostile_columns(tmp_path_factory, rows, fmt):
    tmp = tmp_path_factory.mktemp("x")
    df = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=object)
    sheets = {"s": df, "f": pd.DataFrame({"p": [0.5, np.nan, -0.0] * 3, "t": ["同", "同", "x"] * 3})}
    formats = {"s": fmt} if fmt else {}
    formats["f"] = {"p": "pct"}
    xlsx._write_openpyxl(tmp / "a.xlsx", sheets, formats)
    xlsx.write_sheets(tmp / "b.xlsx", sheets, formats)
    assert _cells(tmp / "a.xlsx") == _cells(tmp / "b.xlsx")


def test_widths_measure_equal_numbers_apart():
    # 1e16 == 10**16 and 1 == True, but they print as 1e+16 / 10000000000000000 and 1 / True: each is measured
    assert xlsx.column_widths(pd.DataFrame({"h": pd.Series([1e16, 10**16], dtype=object)})) == [19.0]
    assert xlsx.column_widths(pd.DataFrame({"h": pd.Series([1, True] * 3, dtype=object)})) == [8.0]
    df = pd.DataFrame({"h": pd.Series(["abcdefghijk", "评价返现评价返现", "abcdefghijk"], dtype=object)})
    assert xlsx.column_widths(df) == [18.0]


def test_cell_tails_are_the_cells_without_their_reference():
    values = ["=1", "=1", "", "#N/A", " x ", 0.0, -0.0, True, 1, None, math.nan, 2.5]
    tails = xlsx._cell_tails(values, style=3)
    for v, tail in zip(values, tails):
        c = xlsx._cell("B7", v)
        if c is not None and type(v) in (int, float):
            c = xlsx._styled(c, 3)
        assert (None if tail is None else '<c r="B7' + tail) == c
    assert tails[5] == '" s="3" t="n"><v>0</v></c>' and tails[6] == '" s="3" t="n"><v>-0</v></c>'
