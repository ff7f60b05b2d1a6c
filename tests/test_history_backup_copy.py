"""The history's backup is copied in a thread while the scan reads its exports (store.start_backup):
whole before anything is written, and a copy that fails stops the scan before the night is saved."""

import pytest

from fake_classifier import FixedClassifier
from monitor.scan import run_scan
from monitor.store import Store, start_backup

CLF = FixedClassifier({"微信": ("diversion", 0.9)})


def _export(folder, day, n=200):
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        lines += [f"tb_{i} {day} 10:{i % 60:02d}:00", f"在吗 {i}", f"甲店:小美 {day} 10:{i % 60:02d}:30",
                  f"在的亲 第{i}单"]
    (folder / f"{day}.txt").write_text("店铺：甲店\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _scan(folder, out):
    return run_scan([str(folder)], out_dir=out, classifier=CLF, echo=lambda m: None)


def test_no_history_yet_means_no_backup(tmp_path):
    assert start_backup(tmp_path / "chatmon.duckdb") is None


def test_the_copy_is_the_history_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    _scan(_export(tmp_path / "n1", "2026-11-21"), out)
    history = out / "chatmon.duckdb"
    backup = start_backup(history)
    assert backup.wait() == out / "chatmon.duckdb.bak"
    assert (out / "chatmon.duckdb.bak").read_bytes() == history.read_bytes()
    assert not list(out.glob("*.tmp"))


def test_a_backup_that_cannot_be_written_stops_the_scan_before_the_night_is_saved(tmp_path):
    out = tmp_path / "out"
    _scan(_export(tmp_path / "n1", "2026-11-21"), out)
    history = out / "chatmon.duckdb"
    assert not (out / "chatmon.duckdb.bak").exists()    # (a first night has no history to back up)
    (out / "chatmon.duckdb.bak").mkdir()                # the copy cannot take its place
    (out / "chatmon.duckdb.bak" / "x").write_text("x")
    with pytest.raises(OSError):
        _scan(_export(tmp_path / "n2", "2026-11-22"), out)
    with Store(history, read_only=True) as st:
        assert st.nights() == ["2026-11-21"]
    assert not list(out.glob("*.tmp"))
