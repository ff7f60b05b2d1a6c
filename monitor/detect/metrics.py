"""Per-label precision/recall/F1 and the false-alarm rate on ok rows: one definition for the CV in
train.py and for `chatmon evaluate`, so the two numbers always mean the same thing."""

from __future__ import annotations

import numpy as np

from .types import LABELS, VIOLATION_LABELS

# columns of the violation labels (the false-alarm rate and macro-F1 are over these; `promise` is
# reported on its own: a promise is not a violation, and the numbers stay comparable with older cards)
_VIOLATION = [LABELS.index(lab) for lab in VIOLATION_LABELS]


def _ratio(a: int, b: int):
    return round(a / b, 4) if b else None


def metrics(y: np.ndarray, pred: np.ndarray) -> dict:
    """y, pred: (n, 4) 0/1 in LABELS order.

    Per label: precision, recall, F1 (None when undefined: no positives and no predictions),
    support and predicted counts. macro_f1: mean F1 over the violation labels with support
    (macro_f1_all: over every label, `promise` included). ok: rows with no true violation, and the
    share of them flagged with any violation label (the false-alarm rate).
    """
    y = np.asarray(y, dtype=bool).reshape(-1, len(LABELS))
    pred = np.asarray(pred, dtype=bool).reshape(-1, len(LABELS))
    out: dict = {}
    for k, lab in enumerate(LABELS):
        t, p = y[:, k], pred[:, k]
        tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
        out[lab] = {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
                    "f1": _ratio(2 * tp, 2 * tp + fp + fn), "support": int(t.sum()), "predicted": int(p.sum())}
    f1s = [out[lab]["f1"] or 0.0 for lab in VIOLATION_LABELS if out[lab]["support"]]
    out["macro_f1"] = round(float(np.mean(f1s)), 4) if f1s else None
    f1_all = [out[lab]["f1"] or 0.0 for lab in LABELS if out[lab]["support"]]
    out["macro_f1_all"] = round(float(np.mean(f1_all)), 4) if f1_all else None
    ok_rows = ~y[:, _VIOLATION].any(axis=1)
    out["ok"] = {"support": int(ok_rows.sum()),
                 "false_alarm_rate": _ratio(int(pred[ok_rows][:, _VIOLATION].any(axis=1).sum()), int(ok_rows.sum()))}
    return out
