"""A damaged history is refused before anything is written to it; a backup is kept (issue 18), copied in a
thread while the scan reads its exports (history_backup.start_backup): whole before anything is written, and a copy
that fails stops the scan before the night is saved."""

import os

import pytest
from click.testing import CliRunner

from fake_classifier import FixedClassifier
from monitor.cli import cli
from monitor.errors import ChatmonError
from monitor.scan import run_scan
from monitor.history_backup import start_backup
from monitor.store import Store

CLF = FixedClassifier({"微信": ("diversion", 0.9)})


def _export(folder, day, n=400):
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        lines += [f"tb_{i} {day} 10:{i % 60:02d}:00", f"在吗 {i}", f"甲店:小美 {day} 10:{i % 60:02d}:30",
                  f"在的亲 第{i}单 加我微信" if i % 7 == 0 else f"在的亲 第{i}单"]
    (folder / f"{day}.txt").write_text("店铺：甲店\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _scan(folder, out, **kw):
    return run_scan([str(folder)], out_dir=out, classifier=CLF, echo=lambda m: None, **kw)


@pytest.fixture
def history(tmp_path):
    out = tmp_path / "out"
    _scan(_export(tmp_path / "n1", "2026-11-21"), out)
    _scan(_export(tmp_path / "n2", "2026-11-22"), out)
    return out / "chatmon.duckdb"


def _damaged_scan_is_refused(history, tmp_path):
    before = history.read_bytes()
    with pytest.raises(ChatmonError) as err:
        _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)
    msg = str(err.value)
    assert msg.startswith(f"{history}: the scan history is damaged and was not changed (")
    assert msg.endswith(f"restore the backup taken before the last night was saved: cp '{history}.bak' '{history}'")
    assert history.read_bytes() == before


def test_a_truncated_history_is_refused_with_a_hint(history, tmp_path):
    history.write_bytes(history.read_bytes()[: history.stat().st_size // 2])
    _damaged_scan_is_refused(history, tmp_path)


def test_junk_in_the_middle_of_a_history_is_refused(history, tmp_path):
    data = bytearray(history.read_bytes())
    third = len(data) // 3
    data[third:2 * third] = os.urandom(third)
    history.write_bytes(bytes(data))
    _damaged_scan_is_refused(history, tmp_path)


def test_the_backup_holds_the_history_before_the_last_night_and_restores(history, tmp_path):
    backup = history.parent / "chatmon.duckdb.bak"
    with Store(backup, read_only=True) as st:
        assert st.nights() == ["2026-11-21"]
    history.write_bytes(history.read_bytes()[:4096])      # cut short: even the header is gone
    _damaged_scan_is_refused(history, tmp_path)
    history.write_bytes(backup.read_bytes())
    s = _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)
    assert s["night"] == "2026-11-23"
    with Store(history, read_only=True) as st:
        assert st.nights() == ["2026-11-21", "2026-11-23"]
    assert not list(history.parent.glob("*.tmp"))


def test_report_on_a_damaged_history_exits_2_without_a_traceback(history, tmp_path):
    data = bytearray(history.read_bytes())
    third = len(data) // 3
    data[third:2 * third] = os.urandom(third)
    history.write_bytes(bytes(data))
    res = CliRunner().invoke(cli, ["report", "--db", str(history), "--out", str(tmp_path / "r")])
    assert res.exit_code == 2, res.output
    assert "the scan history is damaged and was not changed" in res.output and "Traceback" not in res.output


def test_an_unchanged_history_skips_the_slow_check_and_a_changed_one_does_not(history, tmp_path, monkeypatch):
    calls = []
    real = Store.check
    monkeypatch.setattr(Store, "check", lambda self: calls.append(self.path) or real(self))
    _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)
    assert calls == []          # byte for byte what the last scan left (chatmon.duckdb.sha256)
    with Store(history) as st:  # changed by something else since
        st.con.execute("CREATE TABLE other (x INTEGER)")
    _scan(_export(tmp_path / "n4", "2026-11-24"), history.parent)
    assert calls == [history]


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


def test_a_slow_backup_copy_holds_up_no_batch_and_is_whole_before_the_first_write(history, tmp_path, monkeypatch):
    """The copy of a big history outlasts the first pass: batches are scanned while it runs, and the
    night's transaction (its first write) opens only once the copy is whole, so the copy is the
    history before the night byte for byte."""
    import threading

    from monitor import history_backup, scan

    before = history.read_bytes()
    events, batch_done = [], threading.Event()
    real_copy, real_add, real_begin = history_backup._copy, scan._NightMoves.add, Store.begin_night

    def copy_after_a_batch(source, target, expect):
        batch_done.wait(timeout=10)       # old behaviour (the scan waits for the copy first): times out
        out = real_copy(source, target, expect)
        events.append("copied")
        return out

    def add(self, staged):
        events.append("batch")
        batch_done.set()
        real_add(self, staged)

    monkeypatch.setattr(history_backup, "_copy", copy_after_a_batch)
    monkeypatch.setattr(scan._NightMoves, "add", add)
    monkeypatch.setattr(Store, "begin_night", lambda self: events.append("begin") or real_begin(self))
    assert _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)["night"] == "2026-11-23"
    assert events == ["batch", "copied", "begin"]
    assert (history.parent / "chatmon.duckdb.bak").read_bytes() == before
    with Store(history, read_only=True) as st:
        assert st.nights() == ["2026-11-21", "2026-11-22", "2026-11-23"]
