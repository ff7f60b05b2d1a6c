"""Report folder names and the links to them.

A shop's folder is a sanitised form of its name plus a short hash of the EXACT name, so two names
that sanitise alike (``a/b`` and ``a_b``, ``云朵家居旗舰店.`` and ``云朵家居旗舰店``, ``.`` and ``..``)
never share a folder, and no name can climb out of the night's folder. The readable part is cut by
UTF-8 bytes, not characters: file systems limit a name to 255 bytes, and a CJK extension character
takes four.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

# characters Windows, macOS or Linux refuse in a file name, and control characters
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# bytes kept of the readable part: with "_" and the 8-character hash, 89 bytes at most
NAME_BYTES = 80
HASH_CHARS = 8


def _cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 form fits in `limit` bytes (never half a character)."""
    data = text.encode("utf-8", "replace")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")


def shop_dir_name(shop) -> str:
    """A folder name for a shop that every file system accepts and no other shop name gives.

    Chinese is kept as is; the 8 hex characters are the start of the SHA-256 of the exact name.
    """
    exact = str(shop)
    digest = hashlib.sha256(exact.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    readable = _UNSAFE.sub("_", exact.encode("utf-8", "replace").decode("utf-8")).strip(" .")
    readable = _cut_bytes(readable, NAME_BYTES).rstrip(" .")
    return f"{readable}_{digest}" if readable else f"_{digest}"


def href(*parts: str) -> str:
    """A relative link to a file below the page's folder, each part percent-encoded (``#``, ``%``,
    ``?`` and non-ASCII included), so a name is always read as a path, never as a fragment."""
    return "/".join(quote(str(p), safe="") for p in parts)
