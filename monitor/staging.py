"""The scan's staging folder (OUT/.chatmon-scan-*): made with an owner file, removed on every exit
path Python sees, and cleaned up at the next start when the scan that made it was killed (SIGKILL,
power loss), so killed scans' folders (tens of MB each) do not pile up in --out.

A folder is stale when the process named in its owner file is gone: its pid is not running, or runs
with another start time (the pid was reused). A folder without an owner file (an older chatmon, or
one caught between its creation and the owner file) is left alone until it is an hour old.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

PREFIX = ".chatmon-scan-"
OWNER = "owner"
UNOWNED_GRACE_S = 3600


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), None where /proc has no answer."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int, started: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:        # another user's process: running
        return True
    return started is None or _start_time(pid) in (None, started)


@contextlib.contextmanager
def staging_folder(out_dir: Path) -> Iterator[Path]:
    """A new staging folder in `out_dir` naming this process as its owner; removed when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=out_dir))
    try:
        pid = os.getpid()
        (folder / OWNER).write_text(f"{pid} {_start_time(pid) or '-'}\n", encoding="ascii")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_stale(out_dir: Path, echo: Callable[[str], None] = lambda m: None) -> list[Path]:
    """Remove the staging folders in `out_dir` that no live process owns; returns them."""
    removed = []
    for folder in sorted(Path(out_dir).glob(PREFIX + "*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            pid_s, started = (folder / OWNER).read_text(encoding="ascii").split()
            if pid_s.isdigit() and _alive(int(pid_s), None if started == "-" else started):
                continue
        except (OSError, ValueError):
            try:
                if time.time() - folder.stat().st_mtime < UNOWNED_GRACE_S:
                    continue
            except OSError:
                continue
        shutil.rmtree(folder, ignore_errors=True)
        echo(f"removed {folder.name}, left by a scan that was killed")
        removed.append(folder)
    return removed
