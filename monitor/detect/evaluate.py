"""`chatmon evaluate`: score a model on labelled files (or ../shared/eval files with `expected`)."""

from __future__ import annotations

import hashlib
import time

import numpy as np

from .labelled import label_matrix, labelled_files, read_labelled
from .metrics import metrics
from .model import DEFAULT_MODEL_DIR, load_model
from .types import LABELS, VIOLATION_LABELS


HALVES = ("dev", "test")


def text_md5(text: str) -> str:
    """The MD5 of a text's UTF-8 bytes, in hex: what the halves split on, and what keys the verdicts
    on flagged eval rows (notebooks/agent_replies_read.csv) without copying eval text."""
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def half_of(text: str) -> str:
    """`dev` or `test`: a fixed split of any file by the MD5 of each row's text (first hex digit 0-7
    is dev). Error analysis reads the dev half only; the test half is the one to report, so rules or
    policy changed after reading errors are not scored on the rows that suggested them."""
    return "dev" if text_md5(text)[0] in "01234567" else "test"


def _scored(y: np.ndarray, pred: np.ndarray) -> dict:
    """metrics() of these rows, with how many there are and how many got any violation label
    (a promise is not a flag: VIOLATION_LABELS)."""
    flagged = pred[:, [LABELS.index(lab) for lab in VIOLATION_LABELS]].any(axis=1)
    return {**metrics(y, pred), "rows": int(len(y)), "flagged_rows": int(flagged.sum()),
            "flagged_any": round(float(flagged.mean()), 4) if len(y) else None}


def _group_metrics(y: np.ndarray, pred: np.ndarray) -> dict:
    return {**_scored(y, pred), "flagged_by_label": {lab: int(pred[:, k].sum()) for k, lab in enumerate(LABELS)}}


def evaluate_files(paths, model_dir=None, half: str | None = None, operating_point: str | None = None,
                   by: str | None = None) -> dict:
    """Per file, and over all files when there are several: per-label precision, recall, F1,
    support; macro-F1; false-alarm rate on ok rows; flagged share; rows/s of classify (JSON-ready).
    `half`: score only that half of every file (see half_of). `by`: a column every file has (the
    eval files' `dataset`, say); each file also gets the flagged share and metrics per value of it,
    because one file can mix sources whose rows differ in kind (shop chats, brand helpdesks)."""
    # sklearn's own objects (the stand-ins give the same numbers; evaluation keeps the reference)
    model = load_model(model_dir, operating_point, sklearn=True)
    out = {"model": str(model_dir or DEFAULT_MODEL_DIR), "model_id": model.card.get("model_id"),
           "operating_point": operating_point or model.card.get("default_point") or "balanced",
           "thresholds": model.thresholds, "half": half,
           "files": {}}
    ys, preds = [], []
    for path in labelled_files(paths):
        df = read_labelled([path], keep=(by,) if by else ())
        if half:
            df = df[df["text"].map(half_of) == half].reset_index(drop=True)
        t0 = time.perf_counter()
        results = model.classify(list(df["text"]))
        secs = time.perf_counter() - t0
        pred = np.array([[lab in c.labels for lab in LABELS] for c in results], dtype=int).reshape(-1, len(LABELS))
        y = label_matrix(list(df["labels"]))
        m = _scored(y, pred)
        m["rows_per_s"] = round(len(df) / secs, 1) if secs > 0 else None
        if by:
            m["by"] = {by: {str(value): _group_metrics(y[rows], pred[rows])
                            for value, rows in df.groupby(by, sort=True).indices.items()}}
        out["files"][str(path)] = m
        ys.append(y)
        preds.append(pred)
    if len(ys) > 1:
        out["all"] = metrics(np.vstack(ys), np.vstack(preds))
    return out
