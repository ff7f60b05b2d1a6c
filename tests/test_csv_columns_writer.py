"""csv_text.columns_to_csv joins each row's cells itself, quoting the cells that hold a comma, a quote
or a line-end character: the bytes csv.writer (QUOTE_MINIMAL) writes, to a string or a file, for any
cells, column count and line terminator."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import csv_text
from monitor.csv_text import calls_for_quotes, columns_to_csv

CELL = st.text(alphabet='亲a1 ,"\n\r\t=\'😀\x1e', max_size=6)


def _csv_writer(names, columns, term):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=term)
    writer.writerow(names)
    writer.writerows(zip(*columns))
    return buf.getvalue()


@settings(max_examples=300, deadline=None)
@given(width=st.integers(1, 4), data=st.data(), term=st.sampled_from(["\n", "\r\n", "\r"]))
def test_same_text_as_csv_writer(width, data, term):
    names = data.draw(st.lists(CELL, min_size=width, max_size=width))
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=6))
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in range(width)]
    assert columns_to_csv(names, columns, None, term) == _csv_writer(names, columns, term)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL), max_size=12), term=st.sampled_from(["\n", "\r\n"]))
def test_a_file_gets_the_same_text_chunk_by_chunk(rows, term):
    columns = [[r[0] for r in rows], [r[1] for r in rows]]
    fh = io.StringIO()
    old = csv_text._CHUNK_ROWS
    csv_text._CHUNK_ROWS = 5           # several chunks, a last one short or empty
    try:
        columns_to_csv(["a", "b"], columns, fh, term)
    finally:
        csv_text._CHUNK_ROWS = old
    assert fh.getvalue() == _csv_writer(["a", "b"], columns, term)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(CELL, CELL), max_size=8))
def test_the_callers_quoting_test_gives_the_same_text(rows):
    columns = [[r[0] for r in rows], [r[1] for r in rows]]
    hint = calls_for_quotes("\x1e".join(["", *columns[0]]), crlf=True)
    assert columns_to_csv(["a", "b"], columns, None, "\r\n", may_need_quotes=[hint, None]) == \
        _csv_writer(["a", "b"], columns, "\r\n")


def test_known_rows():
    columns = [["好的,亲", "a\rb", ""], ['say "hi"', "x", ""]]
    assert columns_to_csv(["文本", "b"], columns, None, "\r\n") == \
        '文本,b\r\n"好的,亲","say ""hi"""\r\n"a\rb",x\r\n,\r\n'
    # with "\n" endings csv.writer leaves a bare CR unquoted
    assert columns_to_csv(["文本", "b"], columns, None, "\n") == '文本,b\n"好的,亲","say ""hi"""\na\rb,x\n,\n'
