"""What one input file may cost ([limits] in defaults.toml), and the checks made before reading it.

A file is checked before a byte of it is read: only a regular file is opened (a FIFO would block the
scan for ever, /dev/zero would never end), and never one larger than `file_bytes`. The limits in force
are the config's, set for the duration of read_file (`using`) so that readers deep inside (the xlsx
guard) see them without every reader's signature carrying them.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    xlsx_sheet_bytes: int
    xlsx_part_bytes: int
    xlsx_total_bytes: int
    xlsx_ratio: int
    xlsx_sheet_rows: int
    xlsx_sheet_cells: int
    xlsx_cell_chars: int
    message_chars: int


@lru_cache(maxsize=1)
def _defaults() -> dict:
    from ..config import load_config

    return dict(load_config().base["limits"])


def limits_of(config=None) -> Limits:
    """The [limits] of a Config (the packaged defaults for None or for keys it lacks)."""
    given = dict((config.base if config is not None else {}).get("limits", {}))
    if any(f.name not in given for f in fields(Limits)):
        given = {**_defaults(), **given}
    return Limits(**{f.name: int(given[f.name]) for f in fields(Limits)})


_CURRENT: ContextVar[Limits | None] = ContextVar("chatmon_limits", default=None)


def current() -> Limits:
    """The limits read_file set for the file being read, else the defaults."""
    return _CURRENT.get() or limits_of(None)


@contextmanager
def using(limits: Limits):
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def display_name(path) -> str:
    """The path as text any file can hold. On Linux a file name that is not UTF-8 (a zip made on
    Chinese Windows names its files in GBK) comes back with lone surrogates, which no UTF-8 file,
    history or terminal takes: such a component is shown as GB18030 read it (what its maker saw),
    else with its bytes as \\x escapes. Names that are UTF-8 already are returned unchanged."""
    s = str(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    parts = []
    for part in os.fsencode(s).split(b"/"):
        for codec, errors in (("utf-8", "strict"), ("gb18030", "strict"), ("utf-8", "backslashreplace")):
            try:
                parts.append(part.decode(codec, errors))
                break
            except UnicodeDecodeError:
                continue
    return "/".join(parts)


def size_text(n: int) -> str:
    """1288490189 -> '1,288,490,189 bytes (1.2 GiB)'."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n:,} bytes ({n / scale:.1f} {unit})"
    return f"{n:,} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_stat(st: os.stat_result, path: str, limits: Limits) -> None:
    path = display_name(path)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, f"not a regular file ({_kind(st.st_mode)}): only export files are read")
    if st.st_size > limits.file_bytes:
        raise InputError(path, f"file is {size_text(st.st_size)}, over the limit of "
                               f"{size_text(limits.file_bytes)} ([limits] file_bytes)")


def check_file(path, limits: Limits) -> None:
    """Raise InputError unless `path` is a regular file within the size limit; opens nothing (a stat
    never blocks), so a scan can call it before hashing the file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(display_name(path), "file not found") from None
    except OSError as exc:
        raise InputError(display_name(path), f"cannot read: {exc.strerror or exc}") from None
    _check_stat(st, str(path), limits)


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The bytes of a regular file within the size limit. The file is opened without blocking and
    checked on the open descriptor, so a file swapped for a FIFO after a check cannot hang the read,
    and no more than the limit is ever read from a file that grows meanwhile."""
    p, shown = str(path), display_name(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(shown, "file not found") from None
    except IsADirectoryError:
        raise InputError(shown, "not a regular file (a folder): only export files are read") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    try:
        _check_stat(os.fstat(fd), p, limits)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limits.file_bytes + 1)
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limits.file_bytes:
        raise InputError(shown, f"file grew past the limit of {size_text(limits.file_bytes)} ([limits] file_bytes) "
                            "while it was read")
    return data
