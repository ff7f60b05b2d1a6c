"""Reading chat exports into canonical messages (DESIGN.md's schema).

One small reader per layout (qianniu_web, desktop_copy, message_manager, table_csv, table_xlsx, json_api,
top_chatlog, top_logquery, jd_chatlog, sainiu, hdd7_json, canonical), registered by name and chosen
from the file's CONTENT, never its extension; a zip that is not an xlsx is a container whose members
are read the same way (zip_container). See LAYOUTS.md.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config import Config, load_config
from ..errors import InputError, Rejection
from ..schema import empty_messages
from . import canonical, desktop_copy, json_api, message_manager, qianniu_web, table  # noqa: F401  (registers)
from . import hdd7, jd_api, sainiu, top_api, zip_container  # noqa: F401  (registers)
from .base import READERS, RawRows, assemble
from .dates import GivenDate, given_date
from .encoding import decode_bytes, may_hold_unwritable, replace_unwritable, zip_kind
from .limits import Limits, current, display_name, limits_of, read_bytes, using

__all__ = ["FileInfo", "IngestResult", "READERS", "expand_paths", "sniff", "read_file", "read_paths"]

# Sniffing order: the most specific layouts first (a canonical csv is also a table).
# The platform JSON layouts come before the generic json_api, which would take any JSON list.
_JSON_ORDER = ("top_chatlog", "top_logquery", "jd_chatlog", "sainiu", "hdd7_json", "json_api")
_TEXT_ORDER = ("canonical", *_JSON_ORDER, "table_csv", "message_manager", "desktop_copy", "qianniu_web")
_HEAD_CHARS = 20_000


@dataclass
class FileInfo:
    path: str
    sha256: str
    rows: int
    reader: str
    encoding: str


@dataclass
class IngestResult:
    messages: pd.DataFrame
    files: list[FileInfo]
    rejected: list[Rejection]


def expand_paths(paths) -> list[Path]:
    """Files as given, and every file below given folders (sorted; hidden files and folders skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file()
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


def _sniff_text(text: str, path: str, columns=None) -> str:
    head = text[:_HEAD_CHARS]
    for name in _TEXT_ORDER:
        if READERS[name].sniff(head):
            return name
    if columns is not None and table.sniff_with(head, table.load_user_columns(columns)):
        return "table_csv"   # headers known only through the user's --columns mapping
    complaint = table.unrecognised_header(head)
    if complaint:
        raise InputError(path, complaint, line=1)
    raise InputError(path, "no known chat export layout recognised (see monitor/ingest/LAYOUTS.md)")


def _load(path: Path, limits: Limits | None = None) -> tuple[bytes, str]:
    """A regular file's bytes within [limits] file_bytes (a FIFO or a device is rejected at once)."""
    data = read_bytes(path, limits or current())
    return data, hashlib.sha256(data).hexdigest()


def _limit(config: Config | None, key: str, default: int) -> int:
    limits = (config.base.get("limits", {}) if config is not None else {}) or {}
    return int(limits.get(key, default))


def sniff(path, config: Config | None = None) -> str:
    """The reader a file would be read with ("zip" for an archive of exports)."""
    path = Path(path)
    data, _ = _load(path)
    kind = zip_kind(data)
    if kind == "xlsx":
        return "table_xlsx"
    if kind == "zip":
        return "zip"
    text, _ = decode_bytes(data, str(path))
    json_api.check_depth(text, path, _limit(config, "json_max_depth", json_api.DEFAULT_MAX_DEPTH))
    return _sniff_text(text, str(path))


def _options(reader, date: GivenDate | None) -> dict:
    # only the layouts that can hold time-of-day-only messages take a date
    return {"date": date} if getattr(reader, "takes_date", False) else {}


def _read_data(data: bytes, path: Path, *, shop, buyer, columns, config,
               date: GivenDate | None = None) -> tuple[pd.DataFrame, str, str]:
    """One export's bytes -> (canonical messages, reader name, encoding)."""
    text = None
    if zip_kind(data) == "xlsx":
        name, encoding = "table_xlsx", "xlsx"
        raw = READERS[name].read(data, path, columns=columns, **_options(READERS[name], date))
    else:
        text, encoding = decode_bytes(data, str(path))
        # before any JSON is parsed (sniffing included): a hostile nesting would raise RecursionError
        json_api.check_depth(text, path, _limit(config, "json_max_depth", json_api.DEFAULT_MAX_DEPTH))
        name = _sniff_text(text, str(path), columns)
        reader = READERS[name]
        if getattr(reader, "takes_parties", False):
            raw = reader.read(text, path, columns=columns, shop=shop, buyer=buyer)
        else:
            raw = reader.read(text, path, columns=columns, **_options(reader, date))
    if isinstance(raw, RawRows):
        df = assemble(raw, path, shop=shop, config=config) if len(raw) else empty_messages()
        df.attrs["assumptions"] = list(raw.assumptions)
        if raw.layout_detail:
            df.attrs["layout"] = raw.layout_detail
    else:
        df = raw
        if shop:
            df = df.assign(shop=shop, conversation_id=shop + "|" + df["buyer"])
    if text is not None and may_hold_unwritable(text):
        df = replace_unwritable(df)
    return df, name, encoding


def read_file(path, *, shop=None, buyer=None, columns=None,
              config: Config | None = None, date=None) -> tuple[pd.DataFrame, FileInfo]:
    """One export -> canonical messages. Raises InputError naming the file, line and reason.

    `buyer` names the buyer of single-conversation files that do not name one (TOP chat-log API
    responses). A zip of exports is read member by member: the members it could not read are in
    df.attrs["rejected"]; what any reader had to assume is in df.attrs["assumptions"]. `date`: the
    chats' date for exports that hold only the time of day (a GivenDate, a date or `YYYY-MM-DD`)."""
    path = Path(path)
    date = given_date(date)
    limits = limits_of(config)
    with using(limits):
        try:
            return _read_file(path, limits, shop=shop, buyer=buyer, columns=columns, config=config, date=date)
        except RecursionError:
            # a backstop: nesting deep enough to exhaust Python's stack in any parser is no chat export
            raise InputError(display_name(path), "nested too deeply to read (a hostile or damaged file?)") from None


def _read_file(real: Path, limits: Limits, *, shop, buyer, columns, config, date=None) -> tuple[pd.DataFrame, FileInfo]:
    data, sha = _load(real, limits)
    # readers name the file in sources, shops (its stem) and errors: a name any output can hold
    path = Path(display_name(real))
    if zip_kind(data) == "zip":
        def member(member_data, label):
            return _read_data(member_data, label, shop=shop, buyer=buyer, columns=columns, config=config, date=date)
        df, name, encoding = zip_container.read_zip(
            data, path, member,
            max_members=_limit(config, "zip_max_members", zip_container.DEFAULT_MAX_MEMBERS),
            max_bytes=_limit(config, "zip_max_uncompressed_bytes", zip_container.DEFAULT_MAX_UNCOMPRESSED))
    else:
        df, name, encoding = _read_data(data, path, shop=shop, buyer=buyer, columns=columns, config=config,
                                        date=date)
    return df, FileInfo(path=str(path), sha256=sha, rows=len(df), reader=name, encoding=encoding)


def read_paths(paths, *, shop=None, buyer=None, columns=None, config: Config | None = None,
               progress=None, date=None) -> IngestResult:
    """Every export under `paths`; a bad file is listed in `rejected` and the others still read.

    Raises InputError only for a bad `columns` mapping file (it concerns every file)."""
    config = config or load_config()
    date = given_date(date)
    if columns is not None:
        # a broken mapping file is the user's mistake once, not a rejection of every export
        columns = table.load_user_columns(columns)
    files = expand_paths(paths)
    show = progress if progress is not None else (len(files) > 20 and sys.stderr.isatty())
    frames, infos, rejected = [], [], []
    iterator = files
    if show:
        from tqdm import tqdm
        iterator = tqdm(files, desc="reading exports", unit="file")
    for f in iterator:
        try:
            df, info = read_file(f, shop=shop, buyer=buyer, columns=columns, config=config, date=date)
        except InputError as exc:
            rejected.append(exc.to_rejection())
            continue
        rejected += df.attrs.get("rejected", [])      # members of a zip it could not read
        frames.append(df)
        infos.append(info)
    messages = pd.concat(frames, ignore_index=True) if frames else empty_messages()
    return IngestResult(messages=messages, files=infos, rejected=rejected)
