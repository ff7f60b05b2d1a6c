"""Batches staged as parquet files (stage_files) save exactly what batches staged in the history save."""

import pandas as pd

from monitor.store import Store, stage_files
from test_scan_batches import _tables

NIGHT = "2026-11-22"
AT = pd.Timestamp("2026-11-23 08:00:00")


def _batch(shop, first, extra=False):
    messages = pd.DataFrame({"msg_key": [f"{shop}{i}" for i in range(3)], "shop": shop, "text": ["在吗", None, "好"],
                             "ts": pd.to_datetime(["2026-11-22 10:00:00"] * 3).astype("datetime64[s]"),
                             "p_diversion": [0.1, float("nan"), 0.9]})
    if extra:       # a column only a later batch has: added to the table, earlier rows NULL
        messages["session_id"] = ["s1", "s1", "s2"]
    metrics = pd.DataFrame({"shop": [shop, shop], "agent": ["(全店)", f"{shop}:小美"], "rate": [0.5, first]})
    orders = pd.DataFrame({"shop": [shop, shop], "order_id": ["1", "2"], "causes": [["negative"], ["slow"]],
                           "expected_yuan": [1.0, 2.0]})
    # waits keep their staged order (store.BATCH_TABLES: moved batch by batch in a begun night)
    waits = pd.DataFrame({"shop": [shop, shop], "conversation_id": [f"{shop}|a", f"{shop}|b"],
                          "wait_s": [first * 100, 30.0]})
    if extra:
        waits["answered"] = [True, False]
    nights = pd.DataFrame({"shop": [shop], "messages": [3], "flagged": ['{"diversion": 1}']})
    return {"messages": messages, "tables": {"metrics": metrics, "orders": orders, "waits": waits}, "nights": nights}


BATCHES = [_batch("甲店", 0.25), _batch("乙店", 0.75, extra=True)]


def test_staged_files_save_what_staged_tables_save(tmp_path):
    with Store(tmp_path / "tables.duckdb") as st:
        for b in BATCHES:
            st.stage_batch(NIGHT, scanned_at=AT, **b)
        st.save_night(NIGHT, ["乙店", "甲店"], files=pd.DataFrame(), messages=pd.DataFrame(), tables={},
                      nights=pd.DataFrame(columns=["shop"]), staged=True)
    staged = []
    for k, b in enumerate(BATCHES):
        written, _ = stage_files(tmp_path, k, NIGHT, scanned_at=AT, **b)
        staged.append(written)
    with Store(tmp_path / "files.duckdb") as st:
        st.save_night(NIGHT, ["乙店", "甲店"], files=pd.DataFrame(), messages=pd.DataFrame(), tables={},
                      nights=pd.DataFrame(columns=["shop"]), staged_files=staged)
    tables, files = _tables(tmp_path / "tables.duckdb"), _tables(tmp_path / "files.duckdb")
    assert tables == files
    assert [r[1] for r in files["metrics"][1]] == ["乙店:小美", "甲店:小美", "(全店)", "(全店)"]
    assert [r[1] for r in files["orders"][1]] == ["2", "2", "1", "1"]
    assert ("session_id", "VARCHAR") in files["messages"][0]


def test_staged_files_give_each_shop_its_history(tmp_path):
    with Store(tmp_path / "h.duckdb") as st:
        st.save_night("2026-11-21", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(), tables={},
                      nights=pd.DataFrame({"shop": ["甲店"], "messages": [7]}))
        prior = tmp_path / "prior.parquet"
        st.con.execute(f"COPY (SELECT * FROM nights) TO '{prior}' (FORMAT parquet)")
        st.stage_batch(NIGHT, scanned_at=AT, **BATCHES[0])
        expected = st.staged_history("甲店", NIGHT, NIGHT)
    _, histories = stage_files(tmp_path, 0, NIGHT, scanned_at=AT, prior_nights=prior, history_of=["甲店"], **BATCHES[0])
    pd.testing.assert_frame_equal(histories["甲店"], expected)
    assert histories["甲店"]["messages"].tolist() == [7, 3]


def _history_with_overlap(path):
    """A history holding an earlier night, and this night scanned before with other flags; both
    share message keys with the batches saved below."""
    with Store(path) as st:
        for night, p in (("2026-11-21", 0.2), (NIGHT, 0.4)):
            old = _batch("甲店", p)
            old["messages"]["p_diversion"] = p
            st.save_night(night, ["甲店"], files=pd.DataFrame(), messages=old["messages"].assign(night=night),
                          tables=old["tables"], nights=old["nights"])


def test_moving_batches_early_saves_what_one_move_saves(tmp_path):
    staged = [stage_files(tmp_path, k, NIGHT, scanned_at=AT, **b)[0] for k, b in enumerate(BATCHES)]
    for db in ("once.duckdb", "early.duckdb"):
        _history_with_overlap(tmp_path / db)
    with Store(tmp_path / "once.duckdb") as st:
        st.save_night(NIGHT, ["乙店", "甲店"], files=pd.DataFrame(), messages=pd.DataFrame(), tables={},
                      nights=pd.DataFrame(columns=["shop"]), staged_files=staged)
    with Store(tmp_path / "early.duckdb") as st:
        st.begin_night()
        for batch in staged:
            st.move_batch(batch)
        rest = [{k: v for k, v in b.items() if k != "messages"} for b in staged]
        st.save_night(NIGHT, ["乙店", "甲店"], files=pd.DataFrame(), messages=pd.DataFrame(), tables={},
                      nights=pd.DataFrame(columns=["shop"]), staged_files=rest, begun=True)
    once, early = _tables(tmp_path / "once.duckdb"), _tables(tmp_path / "early.duckdb")
    assert once == early
    # each key once: the re-run replaced the earlier rows, it did not add to them
    keys = [r[0] for r in once["messages"][1]]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 6


def test_a_night_killed_after_early_moves_leaves_the_history_as_it_was(tmp_path):
    staged = [stage_files(tmp_path, k, NIGHT, scanned_at=AT, **b)[0] for k, b in enumerate(BATCHES)]
    _history_with_overlap(tmp_path / "h.duckdb")
    before = _tables(tmp_path / "h.duckdb")
    with Store(tmp_path / "h.duckdb") as st:
        st.begin_night()
        st.move_batch(staged[0])
        st.con.execute("ROLLBACK")        # what the scan does when a later batch fails
    assert _tables(tmp_path / "h.duckdb") == before
