"""The history's record (digest, size, time) and the backup copy that checks the bytes it copies
(monitor/history_backup.py): one read of the history per night before the scan writes, off its path."""

import errno
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import history_backup
from monitor.errors import ChatmonError
from monitor.history_backup import TreeHash, history_digest, start_backup
from monitor.store import Store
from test_history_integrity import _damaged_scan_is_refused, _export, _scan, history  # noqa: F401 - a fixture


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000), cuts=st.lists(st.integers(min_value=0, max_value=5000), max_size=8))
def test_the_digest_is_the_same_hashed_in_pieces_in_order_or_chunk_by_chunk_on_threads(tmp_path_factory, data, cuts):
    chunk, read = history_backup.CHUNK, history_backup.READ
    history_backup.CHUNK, history_backup.READ = 1000, 300      # chunk boundaries inside a small file
    try:
        path = tmp_path_factory.mktemp("d") / "h.duckdb"
        path.write_bytes(data)
        tree = TreeHash()
        for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(data)]):
            tree.update(data[a:b])
        assert tree.hexdigest() == history_digest(path) == history_digest(path, threads=3)
    finally:
        history_backup.CHUNK, history_backup.READ = chunk, read


def test_the_digest_of_an_empty_file_and_of_one_chunk():
    import hashlib

    one = hashlib.sha256(hashlib.sha256(b"").digest()).hexdigest()
    assert TreeHash().hexdigest() == one
    tree = TreeHash()
    tree.update(b"abc")
    assert tree.hexdigest() == hashlib.sha256(hashlib.sha256(b"abc").digest()).hexdigest()


def test_the_record_holds_the_digest_size_and_time_of_the_history_the_scan_left(history):
    digest, size, mtime = (history.parent / "chatmon.duckdb.sha256").read_text(encoding="ascii").split()
    st_ = os.stat(history)
    assert (digest, int(size), int(mtime)) == (history_digest(history), st_.st_size, st_.st_mtime_ns)


def test_bytes_changed_under_the_same_size_and_time_are_found_and_refused(history, tmp_path):
    """A disk that changed bytes in place (no write through the file system, so size and time stay):
    the copy finds the digest differs, the history is read whole before the night's first write,
    and the scan is refused with the old backup kept."""
    backup = history.parent / "chatmon.duckdb.bak"
    old_backup = backup.read_bytes()
    st_ = os.stat(history)
    data = bytearray(history.read_bytes())
    third = len(data) // 3
    data[third:2 * third] = b"\xa5" * (2 * third - third)
    history.write_bytes(bytes(data))
    os.utime(history, ns=(st_.st_atime_ns, st_.st_mtime_ns))
    assert os.stat(history).st_mtime_ns == st_.st_mtime_ns
    with pytest.raises(ChatmonError) as err:
        _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)
    assert "the scan history is damaged and was not changed" in str(err.value)
    assert history.read_bytes() == bytes(data)
    assert backup.read_bytes() == old_backup


def test_a_copy_that_finds_other_but_whole_bytes_checks_the_history_and_copies_it_again(history, monkeypatch):
    calls = []
    real = Store.check
    monkeypatch.setattr(Store, "check", lambda self: calls.append(self.path) or real(self))
    record = history.parent / "chatmon.duckdb.sha256"
    digest, size, mtime = record.read_text(encoding="ascii").split()
    record.write_text(f"{'0' * 64} {size} {mtime}\n", encoding="ascii")    # same size and time, other digest
    backup = start_backup(history)
    assert calls == []                       # not read whole up front: size and time are the recorded ones
    assert backup.wait() == history.parent / "chatmon.duckdb.bak"
    assert calls == [history]
    assert backup.target.read_bytes() == history.read_bytes()


def test_a_record_of_an_older_chatmon_means_one_slow_check_then_the_new_record(history, tmp_path, monkeypatch):
    calls = []
    real = Store.check
    monkeypatch.setattr(Store, "check", lambda self: calls.append(self.path) or real(self))
    record = history.parent / "chatmon.duckdb.sha256"
    record.write_text(history_digest(history) + "\n", encoding="ascii")     # the old format: a digest alone
    _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)
    assert calls == [history]
    assert len(record.read_text(encoding="ascii").split()) == 3
    _scan(_export(tmp_path / "n4", "2026-11-24"), history.parent)
    assert calls == [history]


def test_a_history_cut_short_is_still_refused_before_anything_is_read(history, tmp_path):
    history.write_bytes(history.read_bytes()[: os.path.getsize(history) // 2])
    _damaged_scan_is_refused(history, tmp_path)


@pytest.mark.parametrize("record", [b"\xff\xfe\x00garbage", b"", b"abc 12 x\n", b"a b c d\n", bytes(random.Random(7).randrange(256) for _ in range(200))])
def test_a_record_that_cannot_be_read_means_the_slow_check(history, tmp_path, monkeypatch, record):
    calls = []
    real = Store.check
    monkeypatch.setattr(Store, "check", lambda self: calls.append(self.path) or real(self))
    (history.parent / "chatmon.duckdb.sha256").write_bytes(record)
    assert _scan(_export(tmp_path / "n3", "2026-11-23"), history.parent)["night"] == "2026-11-23"
    assert calls == [history]


@pytest.mark.parametrize("size", [0, 17, 4096, 3 * 4096 + 17, 2 * 8192, 2 * 8192 + 5])
@pytest.mark.parametrize("where", ["O_DIRECT", "no O_DIRECT", "O_DIRECT refused", "direct writes refused"])
def test_the_backup_file_is_the_history_byte_for_byte_whatever_its_size_and_file_system(tmp_path, monkeypatch,
                                                                                       size, where):
    """Written past the page cache (O_DIRECT) in whole blocks and a last piece off the block size
    plainly; plainly throughout where the system has no O_DIRECT or the file system refuses it."""
    if where != "O_DIRECT" and not hasattr(os, "O_DIRECT"):
        pytest.skip("no O_DIRECT here")
    if where == "no O_DIRECT":
        monkeypatch.delattr(os, "O_DIRECT")
    if where == "O_DIRECT refused":
        real_open, direct = os.open, os.O_DIRECT

        def refusing(path, flags, *args, **kw):
            if flags & direct:
                raise OSError(errno.EINVAL, "Invalid argument")
            return real_open(path, flags, *args, **kw)

        monkeypatch.setattr(os, "open", refusing)
    if where == "direct writes refused":        # the flag taken at open, its writes refused
        import fcntl

        real_write = os.write

        def refusing_write(fd, data):
            if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
                raise OSError(errno.EOPNOTSUPP, "Operation not supported")
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", refusing_write)
    monkeypatch.setattr(history_backup, "READ", 8192)     # several reads, the last one short
    source = tmp_path / "h.duckdb"
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    source.write_bytes(data)
    tree = TreeHash()
    tree.update(data)
    assert history_backup._copy(source, tmp_path / "h.duckdb.bak", tree.hexdigest()) is True
    assert (tmp_path / "h.duckdb.bak").read_bytes() == data
    assert history_backup._copy(source, tmp_path / "other.bak", "0" * 64) is False
    assert not (tmp_path / "other.bak").exists() and not list(tmp_path.glob("*.tmp"))
