"""A disk that fills up during a scan: the scan stops with a message and a nonzero exit, the history
keeps the old night, and no half-written file is left (issue 18). Runs on a small tmpfs, which only
root (CAP_SYS_ADMIN) can mount: skipped elsewhere."""

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_classifier import FixedClassifier
from monitor.cli import cli
from test_scan_rescan_exact import _tables

CLF = FixedClassifier({"微信": ("diversion", 0.9)})


def _export(folder: Path, day: str, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        lines += [f"tb_{i} {day} 1{i % 10}:{i % 60:02d}:00", f"在吗 第{i}个问题",
                  f"甲店:小美 {day} 1{i % 10}:{i % 60:02d}:40", f"在的亲 加我微信 {i}" if i % 9 == 0 else f"亲 第{i}单已发"]
    (folder / f"{day}.txt").write_text("店铺：甲店\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot mount a tmpfs here ({exc}); the disk-full test needs root")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)


def _fill(disk: Path, leave: int) -> Path:
    """A filler file taking all the free space but `leave` bytes."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        fh.truncate(0)
        chunk = b"\0" * (1 << 20)
        left = max(0, free - leave)
        while left > 0:
            fh.write(chunk[:min(left, len(chunk))])
            left -= min(left, len(chunk))
    return filler


def _scan(args, monkeypatch):
    import monitor.detect as detect

    monkeypatch.setattr(detect, "load_model", lambda *a, **k: CLF)
    monkeypatch.setenv("CHATMON_WORKERS", "1")
    return CliRunner().invoke(cli, ["scan", *map(str, args)])


@pytest.mark.parametrize("leave_over_history", [-200_000, 300_000])
def test_a_full_disk_stops_the_scan_and_keeps_the_old_night(small_disk, tmp_path, monkeypatch, leave_over_history):
    out = small_disk / "out"
    first = _scan([_export(tmp_path / "n1", "2026-11-21", 300), "--out", out], monkeypatch)
    assert first.exit_code == 0, first.output
    before = _tables(out / "chatmon.duckdb")
    pages = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xlsx", ".csv")}
    # -200 kB: the history's backup does not fit; +300 kB: it does, and the night's own files do not
    filler = _fill(small_disk, (out / "chatmon.duckdb").stat().st_size + leave_over_history)
    res = _scan([_export(tmp_path / "n2", "2026-11-22", 6000), "--out", out], monkeypatch)
    assert res.exit_code == 1, res.output
    assert "No space left on device" in res.output and "Traceback" not in res.output
    filler.unlink()
    assert _tables(out / "chatmon.duckdb") == before
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".chatmon-scan-")]
    # the reports on disk are the old night's, whole (each file was replaced atomically or not at all)
    now = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xlsx", ".csv")}
    assert now == pages
