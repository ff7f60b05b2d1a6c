"""kill -9 during a scan: no worker outlives it, the history holds the old night or the new one, never
part of one, and the next scan cleans up and succeeds (issue 18)."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from test_scan_batches import _rows
from test_scan_rescan_exact import _tables

TESTS = Path(__file__).parent

# Runs one scan in its own process; PHASE names where it SIGKILLs itself (or "none"); with "workers"
# it stops in a worker's classify, so the test can kill the parent while workers hold batches.
DRIVER = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, {tests!r})
    from fake_classifier import FixedClassifier
    import monitor.scan as scan
    from monitor.store import Store

    phase, folder, out, night, marker = sys.argv[1:6]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    class Slow(FixedClassifier):
        def classify(self, texts, progress=False):
            if phase == "workers":
                open(marker, "a").write(f"{{os.getpid()}}\\n")
                time.sleep(120)
            return super().classify(texts, progress)

    def at(owner, name, when="before"):
        real = getattr(owner, name)
        def wrapped(*a, **k):
            if when == "before":
                die()
            out = real(*a, **k)
            die()
        setattr(owner, name, wrapped)

    if phase == "read":
        at(scan, "_read_inputs")                    # every export read and staged, nothing saved
    elif phase == "batches":
        at(Store, "move_batch", "after")   # the night's transaction open, a batch moved in
    elif phase == "commit":
        at(Store, "_forget_emptied_files")          # inside save_night, just before its COMMIT
    elif phase == "reports":
        at(scan, "write_night_pages")               # committed; overview and summary.json not written
    scan.run_scan([folder], out_dir=out, night=night, echo=lambda m: None,
                  classifier=Slow({{"微信": ("diversion", 0.9), "差评": ("negative", 0.7)}}))
""").format(tests=str(TESTS))


def _exports(folder: Path, day: str, shops=("甲店", "乙店", "丙店")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, shop in enumerate(shops):
        rows = pd.DataFrame(_rows(shop, f"c{k}", f"tb_{k}", f"{shop}:小美", day=day))
        rows["order_id"] = rows["order_id"].replace("9001", f"900{k}")     # shops apart: one batch each
        rows.to_csv(folder / f"{k}.csv", index=False)
    return folder


def _run(tmp_path, phase, folder, out, night, workers=2, wait=True):
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "CHATMON_WORKERS": str(workers), "CHATMON_BATCH_MESSAGES": "1"}
    proc = subprocess.Popen([sys.executable, str(script), phase, str(folder), str(out), night,
                             str(tmp_path / "marker")], env=env, cwd=str(TESTS.parent))
    if wait:
        proc.wait(timeout=120)
    return proc


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_workers_die_with_a_killed_parent_and_the_next_scan_cleans_up(tmp_path):
    out = tmp_path / "out"
    proc = _run(tmp_path, "workers", _exports(tmp_path / "n1", "2026-11-22"), out, "2026-11-22", wait=False)
    marker = tmp_path / "marker"
    deadline = time.monotonic() + 90
    while (not marker.exists() or len(marker.read_text().split()) < 2) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p) for p in marker.read_text().split()]
    assert len(workers) == 2 and proc.pid not in workers
    assert all(_alive(p) for p in workers)
    stale = list(out.glob(".chatmon-scan-*"))
    assert len(stale) == 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "a worker outlived its killed parent"
    assert stale[0].exists()                # SIGKILL runs no clean-up: the next scan does it
    done = _run(tmp_path, "none", tmp_path / "n1", out, "2026-11-22")
    assert done.returncode == 0
    assert not list(out.glob(".chatmon-scan-*"))
    assert (out / "summary.json").exists()


def _scan_here(folder, out, night, monkeypatch):
    from fake_classifier import FixedClassifier
    from monitor.scan import run_scan

    monkeypatch.setenv("CHATMON_WORKERS", "1")
    run_scan([str(folder)], out_dir=out, night=night, echo=lambda m: None,
             classifier=FixedClassifier({"微信": ("diversion", 0.9), "差评": ("negative", 0.7)}))


@pytest.mark.parametrize("phase, committed", [("read", False), ("batches", False), ("commit", False),
                                              ("reports", True)])
def test_a_kill_at_any_phase_leaves_the_old_night_or_the_new(tmp_path, monkeypatch, phase, committed):
    n1, n2 = _exports(tmp_path / "n1", "2026-11-21"), _exports(tmp_path / "n2", "2026-11-22", ("甲店", "丁店"))
    old, new, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    night = {n1: "2026-11-21", n2: "2026-11-22"}
    for target, folders in ((old, [n1]), (new, [n1, n2]), (out, [n1])):
        for folder in folders:
            _scan_here(folder, target, night[folder], monkeypatch)
    killed = _run(tmp_path, phase, n2, out, "2026-11-22")
    assert killed.returncode == -signal.SIGKILL
    expected = new if committed else old
    assert _tables(out / "chatmon.duckdb") == _tables(expected / "chatmon.duckdb")
    # SIGKILL runs no clean-up: a staging folder is left unless the scan was past it (the reports)
    assert len(list(out.glob(".chatmon-scan-*"))) == (0 if committed else 1)
    _scan_here(n2, out, "2026-11-22", monkeypatch)
    assert _tables(out / "chatmon.duckdb") == _tables(new / "chatmon.duckdb")
    assert not list(out.glob(".chatmon-scan-*"))
