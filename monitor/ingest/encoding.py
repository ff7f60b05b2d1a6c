"""Turn an export's bytes into text without ever garbling a character.

Order of trust: a byte-order mark; the NUL pattern of BOM-less UTF-16; strict UTF-8; strict GB18030
(a superset of GBK and GB2312, what Chinese Windows and Qianniu write). Each decode is strict, so a
file that is none of these is rejected instead of read as mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError

# Magic numbers of files people rename to .txt/.csv by mistake.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf",
                 b"Rar!", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def zip_kind(data: bytes) -> str | None:
    """'xlsx' (a zip holding xl/workbook.xml), 'zip' (any other archive), 'damaged' (a zip signature
    but no readable directory, e.g. a download cut short), or None for a file that is not a zip."""
    if not is_zip(data):
        return None
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xlsx" if "xl/workbook.xml" in zf.namelist() else "zip"
    except zipfile.BadZipFile:
        return "damaged"


def is_xlsx(data: bytes) -> bool:
    """An xlsx is a zip holding xl/workbook.xml; any other zip (a .docx, a zipped folder) is not."""
    return zip_kind(data) == "xlsx"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-8 and GB18030 text never holds a NUL byte; UTF-16 text holds one in the high byte of every
    ASCII character (newlines, digits of timestamps), always on the same side of each pair. So NULs
    mostly on odd offsets mean little-endian, mostly on even offsets big-endian; NULs on both sides
    mean a binary file, and so does a guessed UTF-16 that does not decode."""
    sample = data[:65536]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    # (the other side is not always NUL-free: 一 is U+4E00, an emoji's low surrogate may end in 00)
    if odd_nul >= 2 and even_nul * 4 < odd_nul:
        return "utf-16-le"
    if even_nul >= 2 and odd_nul * 4 < even_nul:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    """A strict decode of a binary file can still succeed (UTF-16 accepts almost any pairs); such text
    is full of control characters, private-use or unassigned code points."""
    sample = text[:65536]
    if not sample:
        return True
    # each distinct character tested once (a page of chat repeats a few thousand characters), and
    # only the odd ones counted (set() and str.count run at C speed; a Counter of the sample did not).
    # The characters found plain are remembered (up to _PLAIN_MAX): the files of a night share most
    # of theirs, and a set difference in C leaves only the new ones to test in Python
    odd = 0
    for ch in set(sample) - _PLAIN:
        if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs"):
            odd += sample.count(ch)
        elif len(_PLAIN) < _PLAIN_MAX:
            _PLAIN.add(ch)
    return odd <= max(2, len(sample) // 200)


_PLAIN: set[str] = set()
_PLAIN_MAX = 1 << 16


_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def may_hold_unwritable(text: str) -> bool:
    """Strictly decoded text never holds a NUL or a lone surrogate (a NUL byte marks a binary file);
    JSON read from it can, through escapes (`"\\u0000"`, `"\\ud800"`): True when `\\u` or `\\U` is
    in the text."""
    # A two-character search walks Chinese (two bytes a character) text slowly: "\\u" in text took
    # 0.12 CPU s over the 300k night's 60 files, finding each backslash (memchr speed) 0.007 s. Chat
    # text holds few backslashes: the character after each of the first ones is looked at, and a
    # text full of them gets the plain search from there on.
    at, looked = text.find("\\"), 0
    while at >= 0:
        if text.startswith(("u", "U"), at + 1):
            return True
        looked += 1
        if looked == _BACKSLASHES_LOOKED_AT:
            return text.find("\\u", at) >= 0 or text.find("\\U", at) >= 0
        at = text.find("\\", at + 1)
    return False


_BACKSLASHES_LOOKED_AT = 64


def _writable(v: str) -> str:
    return _UNWRITABLE.sub(lambda m: "\u2400" if m.group() == "\x00" else "\ufffd", v)


def replace_unwritable(df):
    """df with what no file chatmon writes can hold replaced in its text columns: a lone surrogate
    (not encodable as UTF-8: it crashed the history) by U+FFFD, a NUL (its csv would read back as a
    binary file) by ␀, its visible picture. A pair of surrogates JSON escaped as two was already joined
    into one character by the JSON parser."""
    for col in df.columns:
        if df[col].dtype != object and not str(df[col].dtype).startswith("str"):
            continue
        values = df[col].tolist()
        strings = values if all(type(v) is str for v in values) else [v for v in values if isinstance(v, str)]
        if _UNWRITABLE.search("".join(strings)):     # one search per column (JSON with \\u escapes is common)
            df[col] = [_writable(v) if isinstance(v, str) else v for v in values]
    return df


def _blank(s: str | bytes) -> bool:
    """not s.strip() (empty, or only whitespace) without copying a whole export to find out: isspace
    stops at the first other character and tests the same whitespace as strip."""
    return not s or s.isspace()


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError for empty, binary or undecodable files."""
    if _blank(data):
        raise InputError(path, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        text, name = _strict(data[3:], "utf-8", path, "utf-8-sig")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text, name = _strict(data, "utf-16", path, "utf-16")
    elif zip_kind(data) == "damaged":
        raise InputError(path, "binary file, not a chat export (a damaged zip: an xlsx download cut short?)")
    elif data.startswith(_BINARY_MAGIC) or is_zip(data):
        raise InputError(path, "binary file, not a chat export")
    elif guess := _utf16_without_bom(data):
        try:
            text, name = _strict(data, guess, path, guess)
        except InputError:
            raise InputError(path, "binary file, not a chat export") from None
    elif b"\x00" in data[:65536]:
        raise InputError(path, "binary file, not a chat export")
    else:
        text, name = _utf8_or_gb18030(data, path)
    if not _looks_like_text(text):
        raise InputError(path, "binary file, not a chat export")
    if _blank(text):
        raise InputError(path, "empty file")
    return text, name


def _utf8_or_gb18030(data: bytes, path: str) -> tuple[str, str]:
    """Strict UTF-8, else strict GB18030. A download cut off mid-character leaves an incomplete
    sequence at the very end: then the whole characters before it are kept, choosing the encoding
    with the better evidence (a short GBK file such as 瑾 = E8 AA also looks like UTF-8 cut short)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_bad = exc.start
        utf8_cut = _decode_cut(data, exc, "utf-8")
    else:
        return _prefer_gbk_reading(data, text)
    # many multi-byte characters that are valid UTF-8 are no accident: a UTF-8 file, cut short
    if utf8_cut is not None and sum(1 for ch in utf8_cut if ord(ch) > 0x7F) >= 4:
        return utf8_cut, "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        if utf8_cut is not None:
            return utf8_cut, "utf-8"
        gb_cut = _decode_cut(data, exc, "gb18030")
        if gb_cut is not None:
            return gb_cut, "gb18030"
        # name the line where the encoding that read furthest broke: that is where the damage is
        line = data[: max(exc.start, utf8_bad)].count(b"\n") + 1
        raise InputError(path, "neither UTF-8 nor GBK/GB18030 (undecodable bytes)", line=line) from None


def _prefer_gbk_reading(data: bytes, utf8_text: str) -> tuple[str, str]:
    """Short GBK text can be valid UTF-8 by accident (眨 = D5 A3 reads as Armenian գ). Chinese in UTF-8
    takes three bytes a character, so a UTF-8 reading with no such character but with two-byte ones
    beyond the Latin letters (Greek, Cyrillic, Armenian, Hebrew, IPA …), whose GB18030 reading is
    Chinese, is taken as GBK. UTF-8 with only Latin accents and symbols (é, ×, ·) stays UTF-8. Real
    exports are long enough for the strict decodes to settle this; the rule matters for a few bytes."""
    if any(ord(ch) >= 0x800 for ch in utf8_text) or not any(0x24F < ord(ch) < 0x800 for ch in utf8_text):
        return utf8_text, "utf-8"
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        return utf8_text, "utf-8"
    if any("\u4e00" <= ch <= "\u9fff" for ch in gb):
        return gb, "gb18030"
    return utf8_text, "utf-8"


def _decode_cut(data: bytes, exc: UnicodeDecodeError, codec: str) -> str | None:
    """The text before an incomplete last character, or None if the damage is not just that."""
    if not _cut_at_end(exc, data):
        return None
    try:
        return data[: exc.start].decode(codec)
    except UnicodeDecodeError:
        return None


def _cut_at_end(exc: UnicodeDecodeError, data: bytes) -> bool:
    # the failing sequence runs to the end of the file and is at most one character long
    return len(data) - exc.start < 4 and exc.reason in ("unexpected end of data", "incomplete multibyte sequence")


def _strict(data: bytes, codec: str, path: str, name: str) -> tuple[str, str]:
    if codec.startswith("utf-16") and len(data) % 2:
        data = data[:-1]     # a UTF-16 file cut short by one byte: keep every whole character
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, f"not valid {name}: {exc.reason}", line=line) from None
    if "\x00" in text:
        raise InputError(path, "binary file, not a chat export")
    return text, name
