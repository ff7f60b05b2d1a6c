"""A night that deletes nothing skips DuckDB's vacuum at its checkpoint; a re-run's deleted rows are
reclaimed as before (Store.save_night: ~1 s a night on a history, bench/RESULTS.md)."""

import pandas as pd

from monitor.store import Store

DEFAULT_VACUUM_TASKS = 100      # DuckDB's max_vacuum_tasks


def _messages(night, n=50, word="在的"):
    return pd.DataFrame({"msg_key": [f"{night}-{i}" for i in range(n)], "shop": "甲店",
                         "conversation_id": "甲店|a", "ts": pd.Timestamp(f"{night} 10:00:00"),
                         "text": [f"{word} {i}" for i in range(n)]})


def _save(st, night, messages):
    st.save_night(night, ["甲店"], files=pd.DataFrame(), messages=messages, tables={},
                  nights=pd.DataFrame([{"shop": "甲店", "messages": len(messages)}]))
    return st.con.execute("SELECT current_setting('max_vacuum_tasks')").fetchall()[0][0]


def test_a_new_night_skips_the_vacuum_and_a_rerun_does_not(tmp_path):
    with Store(tmp_path / "h.duckdb") as st:
        assert _save(st, "2026-11-21", _messages("2026-11-21")) == 0
        assert _save(st, "2026-11-22", _messages("2026-11-22")) == 0
        # the same night again: its old rows are deleted, so the checkpoint may reclaim them
        assert _save(st, "2026-11-22", _messages("2026-11-22", word="您好")) == DEFAULT_VACUUM_TASKS
        assert _save(st, "2026-11-23", _messages("2026-11-23")) == 0
        got = st.con.execute("SELECT night, count(*), min(text) FROM messages GROUP BY night ORDER BY night").fetchall()
    assert got == [("2026-11-21", 50, "在的 0"), ("2026-11-22", 50, "您好 0"), ("2026-11-23", 50, "在的 0")]


def test_a_night_whose_messages_were_another_nights_counts_as_deleting(tmp_path):
    with Store(tmp_path / "h.duckdb") as st:
        _save(st, "2026-11-21", _messages("2026-11-21"))
        # the same messages (same keys) saved under the next night move there: rows are deleted
        assert _save(st, "2026-11-22", _messages("2026-11-21")) == DEFAULT_VACUUM_TASKS
        assert st.con.execute("SELECT DISTINCT night FROM messages").fetchall() == [("2026-11-22",)]


def test_the_history_reopens_whole_after_nights_without_vacuum(tmp_path):
    db = tmp_path / "h.duckdb"
    for day in range(21, 26):
        with Store(db) as st:
            _save(st, f"2026-11-{day}", _messages(f"2026-11-{day}", n=3000))
    with Store(db, read_only=True, verify=True) as st:
        assert st.con.execute("SELECT count(*), count(DISTINCT night) FROM messages").fetchall() == [(15000, 5)]
