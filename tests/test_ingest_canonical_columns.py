"""The canonical csv read by columns gives what the record-by-record read gives: the same messages
from a good file, the same error (line and reason) from a bad one."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.errors import InputError
from monitor.ingest.canonical import _fast_csv, _rows_csv

HEADER = "shop,conversation_id,buyer,sender,role,ts,text,order_id,source"
CELL = st.text(alphabet="亲在吗好a1 ,\"\n\r\t=-'", max_size=8)
# mostly good values (so many files read by columns), sometimes a bad one
ROLE = st.sampled_from(["buyer", "agent", "auto", "system"] * 8 + ["robot", ""])
TS = st.sampled_from(["2026-11-22 10:00:05"] * 20 + ["2026/11/22 10:00", " 2026-11-22 10:00:05", "1763776805",
                      "2026-11-22T10:00:05+00:00", "2026-11-22 10:0", "2026-02-30 10:00:00", "昨天"])


def _quote(v: str) -> str:
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v


@st.composite
def csv_text(draw):
    lines = [HEADER]
    for _ in range(draw(st.integers(1, 6))):
        cells = [draw(CELL), draw(CELL), draw(CELL), draw(CELL), draw(ROLE), draw(TS), draw(CELL), draw(CELL),
                 draw(CELL)]
        cells += [draw(CELL)] * draw(st.sampled_from([0] * 20 + [1]))       # an extra field is read past
        cells = cells[: draw(st.sampled_from([10] * 30 + [8]))]                # a record cut short is not
        line = ",".join(_quote(c) for c in cells)
        if draw(st.integers(0, 30)) == 0:        # damage: a stray quote, a cut, a blank line
            line = draw(st.sampled_from([line + '"x', '"' + line, line[: len(line) // 2], ""]))
        lines.append(line)
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


def _outcome(read, text):
    try:
        return read(text, Path("m.csv"))
    except InputError as exc:
        return (exc.line, exc.reason)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=csv_text())
def test_columns_read_as_records_do(text):
    fast = _outcome(_fast_csv, text)
    rows = _outcome(_rows_csv, text)
    if fast is None:                 # declined: the record read decides (and names the line)
        return
    assert isinstance(rows, pd.DataFrame), rows
    pd.testing.assert_frame_equal(fast, rows)


def test_good_file_is_read_by_columns_with_quoted_newlines():
    text = (HEADER + "\n"
            '甲店,甲店|tb_a,tb_a,tb_a,buyer,2026-11-22 10:00:05,"在吗\n第二行",,m.csv:2\n'
            '甲店,甲店|tb_a,tb_a,甲店:小美,agent,2026/11/22 10:01,"好的,亲",123456,m.csv:4\n')
    df = _fast_csv(text, Path("m.csv"))
    assert df is not None
    assert df["text"].tolist() == ["在吗\n第二行", "好的,亲"]
    assert df["ts"].astype(str).tolist() == ["2026-11-22 10:00:05", "2026-11-22 10:01:00"]
    assert df["order_id"].tolist() == [None, "123456"]


@pytest.mark.parametrize("bad, line, reason", [
    ('甲店,甲店|tb_a,tb_a,tb_a,buyer,2026-11-22 10:0,x,,s', 4, "unparseable timestamp '2026-11-22 10:0'"),
    ('甲店,甲店|tb_a,tb_a,tb_a,robot,2026-11-22 10:00:07,x,,s', 4, "role 'robot' is not one of buyer, agent, auto, system"),
    ('甲店,甲店|tb_a,tb_a,tb_a,buyer,2026-11-22', 4, "row has 6 fields, expected 9 (truncated?)"),
])
def test_bad_file_is_declined_and_the_record_read_names_the_line(bad, line, reason):
    text = (HEADER + "\n"
            '甲店,甲店|tb_a,tb_a,tb_a,buyer,2026-11-22 10:00:05,"两行\n的字",,s\n' + bad + "\n")
    assert _fast_csv(text, Path("m.csv")) is None
    with pytest.raises(InputError) as exc:
        _rows_csv(text, Path("m.csv"))
    assert (exc.value.line, exc.value.reason) == (line, reason)
