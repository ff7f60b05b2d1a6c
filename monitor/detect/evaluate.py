"""`chatmon evaluate`: score a model on labelled files (or ../shared/eval files with `expected`)."""

from __future__ import annotations

import time

import numpy as np

from .labelled import label_matrix, labelled_files, read_labelled
from .model import load_model
from .metrics import metrics
from .types import LABELS


def evaluate_files(paths, model_dir=None) -> dict:
    """Per file and over all files: per-label P/R/F1/support, ok false-alarm rate, rows/s."""
    model = load_model(model_dir)
    out = {"model": str(model_dir or "models/default"), "model_id": model.card.get("model_id"), "files": {}}
    ys, preds = [], []
    for path in labelled_files(paths):
        df = read_labelled([path])
        t0 = time.perf_counter()
        pred = np.array([[lab in c.labels for lab in LABELS] for c in model.classify(list(df["text"]))], dtype=int)
        secs = time.perf_counter() - t0
        y = label_matrix(list(df["labels"]))
        m = metrics(y, pred)
        m["rows"] = int(len(df))
        m["rows_per_s"] = round(len(df) / secs, 1) if secs else None
        m["flagged_any"] = round(float(pred.any(axis=1).mean()), 4) if len(df) else None
        out["files"][str(path)] = m
        ys.append(y)
        preds.append(pred)
    if len(ys) > 1:
        out["all"] = metrics(np.vstack(ys), np.vstack(preds))
    return out
