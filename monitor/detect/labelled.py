"""Read labelled messages for train/evaluate: csv or xlsx with `text, labels` (labels joined by `|`,
`ok` or empty for none), an optional `family` (near-duplicates share one, so they stay on one side
of every split), or an evaluation file with an `expected` column (like ../shared/eval).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..csv_safety import unescape_column
from ..errors import InputError
from ..ingest.encoding import decode_bytes, is_xlsx
from .types import LABELS

OK_WORDS = {"", "ok", "none", "正常"}


def labelled_files(paths) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".csv", ".xlsx") and not f.name.startswith("."))
        else:
            out.append(p)
    if not out:
        raise InputError(", ".join(map(str, paths)), "no labelled csv/xlsx files found")
    return out


def file_bytes(path: Path) -> bytes:
    """A regular file's bytes within [limits] file_bytes (a FIFO or a device is rejected at once)."""
    from ..ingest.limits import limits_of, read_bytes

    return read_bytes(Path(path), limits_of(None))


def table_from_bytes(data: bytes, path: Path) -> pd.DataFrame:
    """A csv (any encoding decode_bytes reads) or xlsx file's first table, every cell a string."""
    try:
        if is_xlsx(data):
            from ..ingest.limits import limits_of
            from ..ingest.xlsx_guard import check_xlsx

            check_xlsx(data, str(path), limits_of(None))     # before pandas expands it
            return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        text, _ = decode_bytes(data, str(path))
        # as UTF-8 bytes, which is what pandas turns a StringIO into, chunk by chunk and ~10x slower
        df = pd.read_csv(io.BytesIO(text.lstrip("\ufeff").encode("utf-8")), encoding="utf-8", dtype=str,
                         keep_default_na=False)
        # a csv chatmon wrote (`ingest --format csv`, labelled by hand) quotes formula-like cells
        return df.apply(unescape_column) if len(df) else df
    except (ValueError, pd.errors.ParserError) as exc:   # malformed csv/xlsx: one line, not a traceback
        raise InputError(str(path), f"not a readable csv/xlsx table ({str(exc).splitlines()[0]})") from None


def _frame(path: Path) -> pd.DataFrame:
    return table_from_bytes(file_bytes(path), path)


def parse_labels(value: str, path: Path, row: int, column: str = "labels") -> list[str]:
    parts = [p.strip() for p in str(value).replace("，", "|").replace(",", "|").split("|")]
    labels = []
    for p in parts:
        if p.lower() in OK_WORDS:
            continue
        if p not in LABELS:
            raise InputError(str(path), f"column {column}: unknown label {p!r} (use {', '.join(LABELS)} or ok)", line=row)
        labels.append(p)
    return sorted(set(labels), key=LABELS.index)


# the columns read_labelled makes itself; a `keep` of one of them gets the made one
_OWN_COLUMNS = ("text", "labels", "family", "source")


def read_labelled(paths, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """DataFrame text, labels (list), family, source, and the columns named in `keep` (each file
    must have them: a missing one fails naming the file and the columns it has)."""
    frames = []
    for path in labelled_files(paths):
        df = _frame(path)
        label_col = "labels" if "labels" in df.columns else ("expected" if "expected" in df.columns else None)
        missing = [c for c, ok in (("text", "text" in df.columns), ("labels", label_col is not None),
                                   *((c, c in df.columns) for c in keep)) if not ok]
        if missing:
            raise InputError(str(path), f"missing column(s) {', '.join(missing)}; columns found: "
                                        f"{', '.join(df.columns[:12])}", line=1)
        # row numbers as a spreadsheet shows them: header is row 1
        labels = [parse_labels(v, path, i + 2, label_col) for i, v in enumerate(df[label_col])]
        family = df["family"] if "family" in df.columns else pd.Series([""] * len(df))
        family = [f if f else f"{path.name}#{i}" for i, f in enumerate(family)]
        frames.append(pd.DataFrame({"text": df["text"].astype(str), "labels": labels, "family": family,
                                    "source": [f"{path}:{i + 2}" for i in range(len(df))],
                                    **{c: df[c].astype(str) for c in keep if c not in _OWN_COLUMNS}}))
    return pd.concat(frames, ignore_index=True)


def label_matrix(labels) -> np.ndarray:
    """(n, 4) 0/1 in LABELS order."""
    return np.array([[lab in row for lab in LABELS] for row in labels], dtype=int).reshape(-1, len(LABELS))
