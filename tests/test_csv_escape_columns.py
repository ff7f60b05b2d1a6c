"""The CSV-injection escape over whole columns (csv_safety.escape_frame / unescape_column finds the
cells to change in one regex pass over the joined column): the same cells as escape_cell /
unescape_cell applied one by one, whatever the cells hold (the join's separator character, quotes,
triggers, None, NaN, numbers)."""

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.csv_safety import TRIGGERS, escape_cell, escape_frame, unescape_cell, unescape_column

# pieces that stress the join: its separator \x1e inside a cell, quotes before and after it, triggers
pieces = st.sampled_from(["'", "\x1e", "a", "在", " ", *TRIGGERS])
cell_text = st.lists(pieces, max_size=6).map("".join) | st.text(max_size=8)
cells = st.one_of(cell_text, cell_text, cell_text, st.none(), st.just(float("nan")), st.integers(-5, 5))


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        x == y or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
        for x, y in zip(a, b))


@settings(max_examples=400, deadline=None)
@given(st.lists(cells, max_size=12))
def test_escape_frame_changes_the_cells_escape_cell_changes(values):
    out = escape_frame(pd.DataFrame({"text": pd.Series(values, dtype=object)}))
    assert _same(out["text"].tolist(), [escape_cell(v) for v in values])


@settings(max_examples=400, deadline=None)
@given(st.lists(cells, max_size=12))
def test_unescape_column_changes_the_cells_unescape_cell_changes(values):
    out = unescape_column(pd.Series(values, dtype=object))
    assert _same(out.tolist(), [unescape_cell(v) for v in values])


def test_a_separator_inside_a_cell_is_no_cell_start():
    values = ["a\x1e=1", "\x1e'=2", "=3", "ok\x1e", "-4"]
    assert escape_frame(pd.DataFrame({"t": values}))["t"].tolist() == ["a\x1e=1", "\x1e'=2", "'=3", "ok\x1e", "'-4"]
    assert unescape_column(pd.Series(["a\x1e'=1", "'=3", "''-4", "'x"])).tolist() == ["a\x1e'=1", "=3", "'-4", "'x"]
