"""A scan whose exports and batches run in worker processes gives exactly what one process gives."""

import json
import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import pytest

from fake_classifier import FixedClassifier
from monitor.report import shop_folder
from monitor.scan import run_scan
from monitor.scan_workers import Workers, shared_strings
from test_scan_batches import _rows, _tables

CLF = FixedClassifier({"微信": ("diversion", 0.9), "差评": ("negative", 0.7)})


@pytest.fixture
def exports(tmp_path):
    d = tmp_path / "exports"
    d.mkdir()
    a = pd.DataFrame(_rows("甲店", "c1", "tb_a", "甲店:小美") + _rows("甲店", "c2", "tb_b", "甲店:阿强", start=12))
    a.iloc[:16].to_csv(d / "a1.csv", index=False)
    a.iloc[10:].to_csv(d / "a2.csv", index=False)
    pd.DataFrame(_rows("乙店", "c9", "tb_c", "乙店:小王") + _rows("丙店", "c9", "tb_d", "丙店:小李")).to_csv(
        d / "bc.csv", index=False)
    pd.DataFrame(_rows("丁店", "c4", "tb_e", "丁店:小赵")).to_csv(d / "d.csv", index=False)
    # a bad file: rejected with its line, the rest of the night still scanned
    (d / "e.txt").write_text("2026-11-22\n20:57:11\n这个还有货吗？\n", encoding="utf-8")
    return d


def _scan(exports, out, monkeypatch, workers, batch):
    monkeypatch.setenv("CHATMON_WORKERS", str(workers))
    monkeypatch.setenv("CHATMON_BATCH_MESSAGES", str(batch))
    return run_scan([str(exports)], out_dir=out, classifier=CLF, echo=lambda m: None)


def test_two_workers_give_what_one_process_gives(exports, tmp_path, monkeypatch):
    one = _scan(exports, tmp_path / "one", monkeypatch, 1, 10**9)
    two = _scan(exports, tmp_path / "two", monkeypatch, 2, 1)
    one.pop("db"), two.pop("db")
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    assert sorted(two["shops"]) == ["丁店", "丙店", "乙店", "甲店"]
    assert [(r["file"].rsplit("/", 1)[1], r["reason"]) for r in two["rejected"]] == [
        ("e.txt", "line 2: message has no sender line after its body (truncated?)")]
    assert _tables(tmp_path / "one" / "chatmon.duckdb") == _tables(tmp_path / "two" / "chatmon.duckdb")
    for shop in two["shops"]:
        for name in ("report.html", "flagged.csv"):
            assert (shop_folder(tmp_path / "one", "2026-11-22", shop) / name).read_bytes() == (shop_folder(tmp_path / "two", "2026-11-22", shop) / name).read_bytes()
    assert (tmp_path / "one" / "index.html").read_bytes() == (tmp_path / "two" / "index.html").read_bytes()


def test_a_rerun_in_workers_reuses_the_history_and_counts_nothing_twice(exports, tmp_path, monkeypatch):
    first = _scan(exports, tmp_path / "out", monkeypatch, 2, 1)
    again = _scan(exports, tmp_path / "out", monkeypatch, 2, 1)
    assert again["shops"] == first["shops"]
    assert [f["reason"] for f in again["files"] if f["status"] == "ok"] == ["already scanned (same content)"] * 4
    tables = _tables(tmp_path / "out" / "chatmon.duckdb")
    assert len(tables["messages"][1]) == sum(s["messages"] for s in first["shops"].values())
    assert len(tables["nights"][1]) == 4


def test_shared_strings_keeps_values_and_dtypes_and_shares_equal_strings():
    df = pd.DataFrame({"text": pd.Series(["在吗", "".join(["在", "吗"]), "好的"], dtype=object),
                       "order_id": pd.Series([None, "9001", None], dtype=object), "n": [1, 2, 3]})
    out = shared_strings(df, ["text", "order_id", "missing"])
    assert out["text"].tolist() == ["在吗", "在吗", "好的"]
    assert out["order_id"].tolist() == [None, "9001", None]
    assert out.dtypes.tolist() == df.dtypes.tolist()
    assert out["text"].iloc[0] is out["text"].iloc[1]
    assert df["text"].iloc[0] is not df["text"].iloc[1]      # the input is left as it was


def _square(x):
    return x * x


def _die(x):
    os.kill(os.getpid(), signal.SIGKILL)


def test_workers_return_results_in_item_order_whatever_order_they_start_in():
    workers = Workers(2, {})
    try:
        assert workers.map(_square, [1, 2, 3], order=[2, 0, 1]) == [1, 4, 9]
    finally:
        workers.close()


def test_a_killed_worker_fails_the_scan_instead_of_hanging():
    workers = Workers(2, {})
    try:
        with pytest.raises(BrokenProcessPool):
            workers.map(_die, [1, 2])
    finally:
        workers.close()
