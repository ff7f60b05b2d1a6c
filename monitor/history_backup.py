"""The history's nightly backup (HISTORY.bak) and the record that lets the next scan skip reading the
history whole before it writes (issue 18: a damaged history is refused before anything is written).

After a scan's commit, record_checked writes HISTORY.sha256: the file's digest, size and modification
time. The next scan (start_backup):

- finds the same size and time: nothing has written to the file since (every write sets the time).
  Its bytes are checked on the way to the backup: the copy, in a thread while the scan reads its
  exports, hashes what it copies, and the copy takes its place only if the digest is the recorded
  one. One read of the file for both, off the scan's path. If the bytes differ (changed under the
  same size and time: the disk), the copy is dropped, and before the night's first write every table
  is read whole (HistoryDamaged if damaged, the old backup kept) and the copy taken again;
- finds another size or time, no record, a record of an older chatmon (a plain SHA-256), or a
  write-ahead log left by a killed scan: every table is read whole first, before anything else.

The digest is a tree of one level: the SHA-256 of the SHA-256s of the file's 64 MB chunks, so that
after the night the chunks are hashed on every core (the copy hashes them in order as it goes). The
history grows every night (~65 MB per 300k messages), and each of these reads grows with it.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .store import Store, backup_path

CHUNK = 64 << 20        # bytes of the file per leaf digest
READ = 1 << 20          # bytes per read


def _hash_path(path: Path) -> Path:
    return Path(str(path) + ".sha256")


def _wal(path: Path) -> Path:
    return Path(str(path) + ".wal")


class TreeHash:
    """history_digest of the bytes given to update(), in order, in pieces of any size."""

    def __init__(self):
        self._chunk = hashlib.sha256()
        self._left = CHUNK
        self._digests: list[bytes] = []

    def update(self, data: bytes) -> None:
        view = memoryview(data)
        while len(view):
            take = min(self._left, len(view))
            self._chunk.update(view[:take])
            self._left -= take
            view = view[take:]
            if not self._left:
                self._digests.append(self._chunk.digest())
                self._chunk, self._left = hashlib.sha256(), CHUNK

    def hexdigest(self) -> str:
        digests = self._digests
        if self._left < CHUNK or not digests:      # a last, short chunk (or an empty file)
            digests = [*digests, self._chunk.digest()]
        return hashlib.sha256(b"".join(digests)).hexdigest()


def history_digest(path: Path, threads: int = 1) -> str:
    """The SHA-256 of the SHA-256s of the file's CHUNK-byte chunks, hashed by `threads` threads
    (hashlib lets go of the GIL while it hashes)."""

    def leaf(k: int) -> bytes:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            fh.seek(k * CHUNK)
            left = CHUNK
            while left:
                block = fh.read(min(READ, left))
                if not block:
                    break
                h.update(block)
                left -= len(block)
        return h.digest()

    chunks = range(max(1, -(-os.path.getsize(path) // CHUNK)))
    if threads > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(min(threads, len(chunks))) as pool:
            digests = list(pool.map(leaf, chunks))
    else:
        digests = [leaf(k) for k in chunks]
    return hashlib.sha256(b"".join(digests)).hexdigest()


def _signature(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _recorded(path: Path) -> tuple[str, tuple[int, int]] | None:
    """(digest, (size, mtime_ns)) of HISTORY.sha256, or None (none, unreadable, or an older format)."""
    try:
        fields = _hash_path(path).read_text(encoding="ascii").split()
        if len(fields) == 3:
            return fields[0], (int(fields[1]), int(fields[2]))
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    return None


def record_checked(path: Path) -> None:
    """After a scan's commit (history closed): record the file's digest, size and time, so the next
    scan can tell it is unchanged without reading every table. The scan runs it in a thread while it
    writes the night's pages from the history opened read-only; a file written meanwhile (its size or
    time changed while hashed) gets no record, and the next scan reads it whole."""
    from .atomic import write_text

    path = Path(path)
    if not path.exists() or _wal(path).exists():
        return
    before = _signature(path)
    digest = history_digest(path, threads=os.cpu_count() or 1)
    if _signature(path) == before:
        write_text(_hash_path(path), f"{digest} {before[0]} {before[1]}\n")
    else:
        _hash_path(path).unlink(missing_ok=True)


def _copy(source: Path, target: Path, expect: str | None) -> bool:
    """Copy the history to HISTORY.bak, whole and fsync'd; with `expect`, hash what is copied and put
    the copy in place only if its digest is `expect` (False: dropped, the old backup kept)."""
    from .atomic import atomic_path

    class Differs(Exception):
        pass

    tree = TreeHash() if expect else None
    buffer = memoryview(mmap.mmap(-1, READ))      # page-aligned, as writes past the page cache want
    try:
        with atomic_path(target) as tmp:
            with open(source, "rb", buffering=0) as src, _BackupFile(tmp) as dst:
                while n := src.readinto(buffer):
                    if tree is not None:
                        tree.update(buffer[:n])
                    dst.write(buffer[:n])
                os.fsync(dst.fd)
            if tree is not None and tree.hexdigest() != expect:
                raise Differs
    except Differs:
        return False
    return True


# O_DIRECT writes must start and end on the device's blocks: 4096 bytes covers 512- and 4k-sector disks
DIRECT_ALIGN = 4096


class _BackupFile:
    """The backup's file, written past the page cache where the system allows it (O_DIRECT): the copy
    is written once and not read again, and through the page cache its writes and the fsync cost
    several times the CPU (a 1.7 GB history on this ext4 machine: 1.3-4.5 s of system time against
    0.2-0.4 s, and half the wall time). Elsewhere (no O_DIRECT, or a file system refusing it, as
    tmpfs does), and for a last piece off the block size, plain writes."""

    def __init__(self, path: Path):
        flags = os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0)
        direct = getattr(os, "O_DIRECT", 0)
        self.direct = False
        if direct:
            try:
                self.fd = os.open(path, flags | direct)
                self.direct = True
                return
            except OSError:
                pass
        self.fd = os.open(path, flags)

    def __enter__(self) -> "_BackupFile":
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)

    def _plain(self) -> None:
        import fcntl

        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) & ~os.O_DIRECT)
        self.direct = False

    def write(self, data: memoryview) -> None:
        if self.direct and len(data) % DIRECT_ALIGN:
            self._plain()
        while len(data):
            try:
                done = os.write(self.fd, data)
            except OSError:
                if not self.direct:
                    raise
                # (a device with larger blocks than DIRECT_ALIGN, or a file system that takes the flag
                # but not the writes): the same bytes again, plainly; a full disk fails there too
                self._plain()
                continue
            data = data[done:]
            if len(data) and self.direct:
                self._plain()          # a short write leaves the offset off the blocks


class InThread:
    """fn(*args) in a thread of its own; wait() returns what it returned, or raises what it raised, in
    the caller's thread (not a daemon: the process waits for it at its end)."""

    def __init__(self, fn, *args, name: str):
        self._result = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), name=name)
        self._thread.start()

    def _run(self, fn, args) -> None:
        try:
            self._result = fn(*args)
        except BaseException as exc:     # noqa: BLE001 - raised again by wait(), in the caller's thread
            self._error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


class Backup:
    """The history being copied to HISTORY.bak in a thread, while the scan reads its exports: as long
    as the history is big (1.7 GB after 28 nights of 300k messages: ~1.7 s with the hashing), and little
    of a core's work but the hashing (the reads, writes and hashing run outside the GIL). Nothing may
    write to the history before wait() has returned, so the copy is of the checked file. The thread is not a daemon: a scan
    that fails before wait() still ends with the copy whole and in place, or dropped, never half-written."""

    def __init__(self, source: Path, expect: str | None):
        self.source, self.target = source, backup_path(source)
        self._copying = InThread(_copy, source, self.target, expect, name="chatmon-history-backup")
        self._placed = False

    def done(self) -> bool:
        return self._copying.done()

    def wait(self, store: Store | None = None) -> Path:
        """The backup's path once it is in place; the copy's error (a full disk, say) if it failed.
        If the copy found other bytes than recorded, the history is read whole first (through
        `store`, the scan's open connection to it, if given) and copied again."""
        if not self._copying.wait() and not self._placed:
            if store is not None:
                store.check()
            else:
                Store(self.source, read_only=True, verify=True).close()
            _copy(self.source, self.target, None)
        self._placed = True
        return self.target


@contextmanager
def damage_named(backup: Backup | None):
    """Reads of the history while the copy still checks its bytes meet damage as DuckDB's own error,
    wherever it was read first: said as HistoryDamaged instead (the backup's wait() reads the history
    whole), or raised as it was where the history is whole. Enter it where no connection to the
    history is open on leaving (the whole-file read opens its own)."""
    try:
        yield
    except duckdb.Error:
        if backup is not None:
            backup.wait()
        raise


def start_backup(path: Path) -> Backup | None:
    """Refuse a damaged history (HistoryDamaged) where it must be read whole first, then start copying
    it to HISTORY.bak in a thread (the module's docstring says when); Backup.wait() must return before
    anything writes to the history. None if there is no history yet."""
    path = Path(path)
    if not path.exists():
        return None
    if _wal(path).exists():     # a scan killed mid-write: the log is replayed on open, then checked
        Store(path, verify=True).close()
        return Backup(path, None)
    recorded = _recorded(path)
    if recorded is None or recorded[1] != _signature(path):
        Store(path, read_only=True, verify=True).close()
        return Backup(path, None)
    return Backup(path, recorded[0])
