"""`chatmon classify`: label messages given as arguments, a csv/xlsx column, or a txt file of lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_open
from ..errors import UsageError
from ..ingest.encoding import decode_bytes, is_xlsx
from .labelled import file_bytes, table_from_bytes
from .model import load_model
from .types import LABELS

PROGRESS_FROM = 5_000   # below this a bar is noise; above it a user waits seconds


def read_texts(path: str, column: str = "text") -> list[str]:
    """Messages of a txt file (one per line, order kept) or of one column of a csv/xlsx file."""
    p = Path(path)
    data = file_bytes(p)
    if not is_xlsx(data) and p.suffix.lower() != ".csv":   # txt (or anything else): one message per line
        text, _ = decode_bytes(data, str(path))
        return text.lstrip("\ufeff").splitlines()
    df = table_from_bytes(data, p)
    if column not in df.columns:
        raise UsageError(f"{path}: no column {column!r} (columns: {', '.join(map(str, df.columns[:12]))}); "
                         "use --text-column")
    return df[column].astype(str).tolist()


def _csv(results) -> str:
    # repeated texts share one Classification object (Classifier.classify reuses it): format each
    # object once and map the rows onto it, instead of rounding and JSON-encoding a million rows
    first: dict[int, int] = {}
    uniq = []
    rows = np.empty(len(results), dtype=np.int64)
    for i, r in enumerate(results):
        j = first.get(id(r))
        if j is None:
            j = first[id(r)] = len(uniq)
            uniq.append(r)
        rows[i] = j
    cols = {
        "labels": np.array(["|".join(r.labels) for r in uniq], dtype=object),
        **{f"p_{lab}": np.array([round(r.scores[lab], 4) for r in uniq]) for lab in LABELS},
        "evidence": np.array([json.dumps([e.to_dict() for e in r.evidence], ensure_ascii=False) for r in uniq],
                             dtype=object),
    }
    df = pd.DataFrame({"text": [r.text for r in results], **{k: v[rows] for k, v in cols.items()}})
    return df.to_csv(index=False)


def _jsonl(results) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)


def classify_command(texts, input_path=None, text_column="text", model_dir=None, fmt="jsonl", output=None,
                     operating_point=None) -> None:
    """jsonl: one {"text", "labels", "scores", "evidence"} per input, in order. csv: text, labels
    (|-joined), p_<label> per label, evidence (JSON). To `output` atomically, else to stdout."""
    if fmt not in ("jsonl", "csv"):
        raise UsageError(f"unknown format {fmt!r}: use jsonl or csv")
    texts = list(texts)
    if input_path:
        texts += read_texts(input_path, text_column)
    if not texts:
        raise UsageError("nothing to classify: give TEXT arguments or --input FILE")
    model = load_model(model_dir, operating_point)
    results = model.classify(texts, progress=len(texts) >= PROGRESS_FROM and sys.stderr.isatty())
    body = _jsonl(results) if fmt == "jsonl" else _csv(results)
    if output:
        # csv gets a BOM so Excel opens the Chinese text correctly; jsonl stays plain UTF-8
        with atomic_open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            fh.write(body)
    else:
        sys.stdout.write(body)
