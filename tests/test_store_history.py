"""Scan history: a re-run of a night replaces it, message keys are stable, files are remembered."""

import pandas as pd
import pytest

from monitor.store import Store, message_keys


def _msgs(*rows):
    return pd.DataFrame(rows, columns=["shop", "conversation_id", "ts", "sender", "text"])


def _night_tables(shop, expected):
    nights = pd.DataFrame([{"shop": shop, "messages": 2, "sessions": 1, "orders": 1, "flagged": "{}",
                            "slow_orders": 0, "unanswered_orders": 0,
                            "exposure_expected_yuan": expected, "exposure_worst_yuan": 20.0}])
    orders = pd.DataFrame([{"shop": shop, "order_id": "1", "expected_yuan": expected, "reasons": [{"cause": "slow"}]}])
    return nights, orders


def test_message_keys_are_stable_and_count_repeats():
    m = _msgs(("店", "店|a", "2026-11-22 10:00:00", "a", "在吗"),
              ("店", "店|a", "2026-11-22 10:00:00", "a", "在吗"),
              ("店", "店|b", "2026-11-22 10:00:00", "b", "在吗"))
    keys = message_keys(m)
    assert keys.nunique() == 3
    assert list(message_keys(m.copy())) == list(keys)


def test_rerun_of_a_night_replaces_instead_of_adding(tmp_path):
    db = tmp_path / "h.duckdb"
    for expected in (10.0, 12.5):
        nights, orders = _night_tables("甲店", expected)
        with Store(db) as st:
            st.save_night("2026-11-22", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(),
                          tables={"orders": orders}, nights=nights)
    with Store(db) as st:
        assert list(st.table("nights")["exposure_expected_yuan"]) == [12.5]
        assert list(st.table("orders")["expected_yuan"]) == [12.5]
        assert st.table("orders")["reasons"].iloc[0] == '[{"cause": "slow"}]'


def test_other_shops_and_nights_are_kept(tmp_path):
    db = tmp_path / "h.duckdb"
    with Store(db) as st:
        for night, shop in (("2026-11-21", "甲店"), ("2026-11-22", "甲店"), ("2026-11-22", "乙店")):
            nights, orders = _night_tables(shop, 1.0)
            st.save_night(night, [shop], files=pd.DataFrame(), messages=pd.DataFrame(),
                          tables={"orders": orders}, nights=nights)
        nights, orders = _night_tables("甲店", 5.0)
        st.save_night("2026-11-22", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(),
                      tables={"orders": orders}, nights=nights)
        got = st.table("nights").sort_values(["night", "shop"])[["night", "shop", "exposure_expected_yuan"]]
        assert got.values.tolist() == [["2026-11-21", "甲店", 1.0], ["2026-11-22", "乙店", 1.0],
                                       ["2026-11-22", "甲店", 5.0]]
        assert list(st.history("甲店", "2026-11-22")["night"]) == ["2026-11-21", "2026-11-22"]


def test_scanned_files_are_remembered_per_model(tmp_path):
    files = pd.DataFrame([{"sha256": "abc", "path": "a.txt", "rows": 3, "reader": "qianniu_web",
                           "encoding": "gb18030", "status": "ok", "reason": None, "model": "m1"}])
    with Store(tmp_path / "h.duckdb") as st:
        st.save_night("2026-11-22", [], files=files, messages=pd.DataFrame(), tables={},
                      nights=pd.DataFrame(columns=["shop"]))
        assert set(st.scanned_files("m1")) == {"abc"}
        assert st.scanned_files("m2") == {}


def test_new_columns_are_added_to_existing_tables(tmp_path):
    with Store(tmp_path / "h.duckdb") as st:
        nights, orders = _night_tables("甲店", 1.0)
        st.save_night("2026-11-21", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(),
                      tables={"orders": orders}, nights=nights)
        st.save_night("2026-11-22", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(),
                      tables={"orders": orders.assign(agents="小美")}, nights=nights)
        got = st.table("orders").sort_values("night")["agents"].tolist()
        assert pd.isna(got[0]) and got[1] == "小美"


def test_failed_save_leaves_the_previous_night(tmp_path):
    db = tmp_path / "h.duckdb"
    with Store(db) as st:
        nights, orders = _night_tables("甲店", 1.0)
        st.save_night("2026-11-22", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(),
                      tables={"orders": orders}, nights=nights)
        with pytest.raises(ValueError):
            st.save_night("2026-11-22", ["甲店"], files=pd.DataFrame(), messages=pd.DataFrame(),
                          tables={"bogus": orders}, nights=nights)
        assert list(st.table("orders")["expected_yuan"]) == [1.0]
