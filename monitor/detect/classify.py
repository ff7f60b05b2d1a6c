"""`chatmon classify`: label messages given as arguments, a csv/xlsx column, or a txt file of lines."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd

from ..atomic import atomic_open
from ..errors import UsageError
from ..ingest.encoding import decode_bytes, is_xlsx
from .model import load_model
from .types import LABELS


def read_texts(path: str, column: str) -> list[str]:
    p = Path(path)
    data = p.read_bytes()
    if is_xlsx(data):
        df = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
    else:
        text, _ = decode_bytes(data, path)
        if p.suffix.lower() == ".txt":
            return [line for line in text.splitlines()]
        df = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    if column not in df.columns:
        raise UsageError(f"{path}: no column {column!r} (columns: {', '.join(map(str, df.columns[:12]))}); "
                         "use --text-column")
    return df[column].astype(str).tolist()


def classify_command(texts, input_path=None, text_column="text", model_dir=None, fmt="jsonl", output=None) -> None:
    texts = list(texts)
    if input_path:
        texts += read_texts(input_path, text_column)
    if not texts:
        raise UsageError("nothing to classify: give TEXT arguments or --input FILE")
    model = load_model(model_dir)
    results = model.classify(texts, progress=len(texts) > 20_000 and sys.stderr.isatty())
    if fmt == "jsonl":
        body = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)
        encoding = "utf-8"
    else:
        df = pd.DataFrame({
            "text": [r.text for r in results],
            "labels": ["|".join(r.labels) for r in results],
            **{f"p_{lab}": [round(r.scores[lab], 4) for r in results] for lab in LABELS},
            "evidence": [json.dumps([e.to_dict() for e in r.evidence], ensure_ascii=False) for r in results],
        })
        body = df.to_csv(index=False)
        encoding = "utf-8-sig"
    if output:
        with atomic_open(output, "w", encoding=encoding, newline="") as fh:
            fh.write(body)
    else:
        sys.stdout.write(body)
