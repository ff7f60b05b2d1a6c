"""Staging folders: removed when the scan ends, and at the next start only when no live process owns them."""

import os
import subprocess
import sys
import time

from monitor.staging import PREFIX, UNOWNED_GRACE_S, _start_time, clean_stale, staging_folder


def _folder(out, name, owner=None, age=0.0):
    d = out / (PREFIX + name)
    d.mkdir(parents=True)
    (d / "1.pkl").write_bytes(b"x" * 100)
    if owner is not None:
        (d / "owner").write_text(owner, encoding="ascii")
    if age:
        t = time.time() - age
        os.utime(d, (t, t))
    return d


def test_only_folders_no_live_process_owns_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    me = os.getpid()
    live = _folder(tmp_path, "live", f"{me} {_start_time(me) or '-'}\n")
    killed = _folder(tmp_path, "killed", f"{dead} -\n")
    reused = _folder(tmp_path, "reused", f"{me} 1\n")          # this pid, but another process's start time
    young = _folder(tmp_path, "young")                          # no owner file yet: a scan just starting
    old = _folder(tmp_path, "old", age=UNOWNED_GRACE_S + 60)    # no owner file, from an older chatmon
    said = []
    removed = clean_stale(tmp_path, said.append)
    assert sorted(p.name for p in removed) == sorted(
        [killed.name, old.name] + ([reused.name] if _start_time(me) else []))
    assert live.exists() and young.exists() and not killed.exists() and not old.exists()
    assert said[0].startswith("removed .chatmon-scan-") and said[0].endswith("left by a scan that was killed")


def test_the_folder_is_removed_however_the_block_ends(tmp_path):
    try:
        with staging_folder(tmp_path) as stage:
            assert (stage / "owner").read_text(encoding="ascii").split()[0] == str(os.getpid())
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert not list(tmp_path.iterdir())
