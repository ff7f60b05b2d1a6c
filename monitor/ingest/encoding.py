"""Turn an export's bytes into text without ever garbling a character.

Order of trust: a byte-order mark; the NUL pattern of BOM-less UTF-16; strict UTF-8; strict GB18030
(a superset of GBK and GB2312, what Chinese Windows and Qianniu write). Each decode is strict, so a
file that is none of these is rejected instead of read as mojibake.
"""

from __future__ import annotations

import codecs

from ..errors import InputError

# Magic numbers of files people rename to .txt/.csv by mistake.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf",
                 b"Rar!", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def is_xlsx(data: bytes) -> bool:
    """An xlsx is a zip holding xl/workbook.xml; any other zip (a .docx, a zipped folder) is not."""
    if not is_zip(data):
        return False
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has NULs in every other byte; Chinese-heavy text has few, so require both
    # a clear share of NULs and a lopsided pattern.
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError for empty, binary or undecodable files."""
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path, "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data, "utf-16", path, "utf-16")
    if data.startswith(_BINARY_MAGIC) or is_zip(data):
        raise InputError(path, "binary file, not a chat export")
    guess = _utf16_without_bom(data)
    if guess:
        return _strict(data, guess, path, guess)
    if b"\x00" in data[:65536]:
        raise InputError(path, "binary file, not a chat export")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_bad = exc.start
        # A download cut off mid-character leaves an incomplete UTF-8 sequence at the very end; read
        # the whole characters rather than falling through to GB18030 and garbling every line.
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:
                return data[: exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        # name the line where the encoding that read furthest broke: that is where the damage is
        line = data[: max(exc.start, utf8_bad)].count(b"\n") + 1
        raise InputError(path, "neither UTF-8 nor GBK/GB18030 (undecodable bytes)", line=line) from None


def _strict(data: bytes, codec: str, path: str, name: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"not valid {name}: {exc.reason}", line=line) from None
    if "\x00" in text:
        raise InputError(path, "binary file, not a chat export")
    return text, name
