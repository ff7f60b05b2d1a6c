"""Zip archives as containers of exports: every member is read as a file of its own.

Real zips of chat records: the HDD7 batch page exporter's `<nick>.json` per customer
(EXPORT-EVIDENCE item 5), `chatrecord.get`'s log file (item 3: one text file per account), and any
zip a user makes of exports chatmon reads. An xlsx is a zip too (it holds xl/workbook.xml): that is
told apart before this module is reached.

Each member goes through the same sniffing and readers as a file on disk, named
`archive.zip!member` in its errors and in `source` (`batch.zip!tb_abc.json:12`). A bad member is
rejected on its own and the others are read. Limits, from the central directory BEFORE anything is
unpacked ([limits] in monitor/defaults.toml): the number of members and their total uncompressed
size; while unpacking, a member that grows past what the directory declared is stopped there.
Rejected: a zip inside a zip, encrypted members, member names with `..` or an absolute path.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Callable

import pandas as pd

from ..errors import InputError, Rejection
from ..schema import empty_messages
from .encoding import zip_kind

DEFAULT_MAX_MEMBERS = 10_000
DEFAULT_MAX_UNCOMPRESSED = 2 * 1024 ** 3
# files a zip tool adds beside the real ones: macOS resource forks and hidden files
_SKIPPED_DIRS = ("__MACOSX/",)


def _skipped(name: str) -> bool:
    return name.startswith(_SKIPPED_DIRS) or PurePosixPath(name).name.startswith(".")


def _is_office_document(names: set[str]) -> bool:
    """A .docx/.pptx (Open XML: [Content_Types].xml) or an OpenDocument file (mimetype): not exports."""
    return "[Content_Types].xml" in names or "mimetype" in names


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker wrote it. Without the UTF-8 flag, zipfile decodes names as
    cp437; Chinese Windows writes GBK there and Linux zip writes UTF-8, so the bytes are decoded
    again: strict UTF-8, else strict GB18030, else the cp437 reading."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unsafe_name(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(name) > 1 and name[1] == ":")


def _member_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, label: str) -> bytes:
    """The member's bytes, reading no more than its declared size (and the zip's remaining budget)."""
    limit = min(info.file_size, budget)
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > info.file_size:
        raise InputError(label, "member unpacks to more bytes than the zip's directory declares (a zip bomb?)")
    if len(data) > limit:
        raise InputError(label, "the zip's members together unpack past [limits] zip_max_uncompressed_bytes")
    return data


def read_zip(data: bytes, path: Path, read_member: Callable, *, max_members: int = DEFAULT_MAX_MEMBERS,
             max_bytes: int = DEFAULT_MAX_UNCOMPRESSED) -> tuple[pd.DataFrame, str, str]:
    """(messages of every readable member, reader name, encoding). Member rejections are listed in
    df.attrs["rejected"] (Rejection objects), member assumptions in df.attrs["assumptions"].

    read_member(bytes, label_path) -> (df, reader, encoding) reads one member as a file.
    Raises InputError for the archive as a whole (damaged, over the limits, an Office document)."""
    where = str(path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(where, "binary file, not a chat export (a damaged zip: a download cut short?)") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir() and not _skipped(i.filename)]
        if _is_office_document({i.filename for i in zf.infolist()}):
            raise InputError(where, "binary file, not a chat export (an Office document, not a zip of exports)")
        if not infos:
            raise InputError(where, "empty zip: no files inside")
        if len(infos) > max_members:
            raise InputError(where, f"zip holds {len(infos)} files, more than the limit of {max_members} "
                                    f"([limits] zip_max_members)")
        declared = sum(i.file_size for i in infos)
        if declared > max_bytes:
            raise InputError(where, f"zip would unpack to {declared:,} bytes, more than the limit of {max_bytes:,} "
                                    f"([limits] zip_max_uncompressed_bytes)")
        frames, readers, encodings = [], [], []
        rejected: list[Rejection] = []
        assumptions: list[str] = []
        budget = max_bytes
        for info in infos:
            name = member_name(info)
            label = f"{where}!{name}"
            try:
                if _unsafe_name(name):
                    raise InputError(label, "unsafe member name (an absolute path or '..'): not read")
                if info.flag_bits & 0x1:
                    raise InputError(label, "encrypted member (a password-protected zip): unpack it first")
                try:
                    member = _member_bytes(zf, info, budget, label)
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                    raise InputError(label, f"damaged member, cannot unpack it ({exc})") from None
                budget -= len(member)
                if zip_kind(member) in ("zip", "damaged"):
                    raise InputError(label, "a zip inside a zip: unpack the inner archive and scan its files")
                df, reader, encoding = read_member(member, Path(label))
            except InputError as exc:
                rejected.append(exc.to_rejection())
                continue
            frames.append(df)
            readers.append(reader)
            encodings.append(encoding)
            assumptions += [f"{name}: {a}" for a in df.attrs.get("assumptions", [])]
    out = pd.concat(frames, ignore_index=True) if frames else empty_messages()
    out.attrs = {"rejected": rejected, "assumptions": assumptions}
    return out, "zip[" + ",".join(sorted(set(readers))) + "]", ",".join(sorted(set(encodings))) or "zip"
