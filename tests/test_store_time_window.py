"""A night's messages already held under another night are found by their keys among the history's
rows of the same times only (Store._time_window): a message's key hashes its time."""

import pandas as pd

from monitor.store import Store, stage_files

AT = pd.Timestamp("2026-11-23 08:00:00")


def _messages(rows):
    """rows: (msg_key, ts or None, text)."""
    return pd.DataFrame({"msg_key": [r[0] for r in rows], "shop": "甲店", "text": [r[2] for r in rows],
                         "ts": pd.to_datetime([r[1] for r in rows]).astype("datetime64[s]")})


def _save_night_in_batches(db, folder, night, rows):
    folder.mkdir()
    staged, _ = stage_files(folder, 0, night, scanned_at=AT, messages=_messages(rows), tables={},
                            nights=pd.DataFrame({"shop": ["甲店"], "messages": [len(rows)]}))
    with Store(db) as st:
        st.begin_night()
        st.move_batch(staged)
        window = st._time_window(staged["messages"])
        moved = st.save_night(night, ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(), tables={},
                              nights=pd.DataFrame(columns=["shop"]), staged_files=[{"nights": staged["nights"]}],
                              begun=True)
        held = st.con.execute("SELECT msg_key, night, text FROM messages ORDER BY msg_key").fetchall()
    return window, moved, held


def test_a_message_at_the_edge_of_the_nights_times_moves_from_the_night_that_held_it(tmp_path):
    db = tmp_path / "h.duckdb"
    _save_night_in_batches(db, tmp_path / "a", "2026-11-21", [
        ("k1", "2026-11-21 10:00:00", "在吗"),
        ("k2", "2026-11-22 00:05:00", "亲 还在吗"),     # after midnight, in the earlier night's export
    ])
    window, moved, held = _save_night_in_batches(db, tmp_path / "b", "2026-11-22", [
        ("k2", "2026-11-22 00:05:00", "亲 还在吗"),     # the first message of this night
        ("k3", "2026-11-22 12:00:00", "好的"),
    ])
    assert window == ("ts BETWEEN ? AND ? AND ",
                      [pd.Timestamp("2026-11-22 00:05:00"), pd.Timestamp("2026-11-22 12:00:00")])
    assert moved == [("2026-11-21", "甲店")]
    assert held == [("k1", "2026-11-21", "在吗"), ("k2", "2026-11-22", "亲 还在吗"), ("k3", "2026-11-22", "好的")]


def test_a_message_without_a_time_is_looked_for_among_the_histories_untimed_ones(tmp_path):
    db = tmp_path / "h.duckdb"
    _save_night_in_batches(db, tmp_path / "a", "2026-11-21", [
        ("k1", "2026-11-21 10:00:00", "在吗"), ("k4", None, "无时间")])
    window, moved, held = _save_night_in_batches(db, tmp_path / "b", "2026-11-22", [
        ("k3", "2026-11-22 12:00:00", "好的"), ("k4", None, "无时间")])
    assert window[0] == "(ts BETWEEN ? AND ? OR ts IS NULL) AND "
    assert moved == [("2026-11-21", "甲店")]
    assert held == [("k1", "2026-11-21", "在吗"), ("k3", "2026-11-22", "好的"), ("k4", "2026-11-22", "无时间")]


def test_no_window_where_the_histories_times_are_not_timestamps(tmp_path):
    db = tmp_path / "h.duckdb"
    with Store(db) as st:       # an older writer's history: times kept as text
        st.save_night("2026-11-21", ["甲店"], files=pd.DataFrame(), tables={},
                      messages=pd.DataFrame({"msg_key": ["k2"], "shop": "甲店", "text": "亲",
                                             "ts": ["2026-11-22 00:05:00"]}),
                      nights=pd.DataFrame({"shop": ["甲店"], "messages": [1]}))
    window, moved, held = _save_night_in_batches(db, tmp_path / "b", "2026-11-22", [
        ("k2", "2026-11-22 00:05:00", "亲")])
    assert window == ("", [])
    assert moved == [("2026-11-21", "甲店")]
    assert [h[:2] for h in held] == [("k2", "2026-11-22")]
