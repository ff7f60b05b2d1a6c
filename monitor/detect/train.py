"""Train the classifier and measure it honestly.

Measurement: grouped 5-fold cross-validation (StratifiedGroupKFold by `family`, so near-duplicates
never straddle a split). Inside each outer training part, per-label thresholds are chosen on a grouped
3-fold split of that part only; the outer test fold is scored once with them. Augmented disguises are
made from training rows only. The shipped model is then fitted on everything, with thresholds from a
grouped 5-fold split of all the data.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold

from ..errors import InputError
from .augment import augment
from .labelled import label_matrix, labelled_files, read_labelled
from .model import Classifier, make_pipeline
from .rules import find_evidence, rule_labels
from .types import LABELS

THRESHOLD_GRID = np.round(np.arange(0.10, 0.91, 0.025), 3)


def _fit(texts, labels, families, seed):
    at, al, af = augment(texts, labels, families, seed=seed)
    all_t = list(texts) + at
    y = label_matrix(list(labels) + al)
    pipe = make_pipeline(seed)
    pipe.fit(all_t, y)
    return pipe


def _strata(y: np.ndarray) -> np.ndarray:
    # the first label of a row, or 'ok': enough to spread every label over the folds
    return np.where(y.any(axis=1), y.argmax(axis=1), len(LABELS))


def grouped_proba(texts, labels, families, seed: int, n_splits: int) -> np.ndarray:
    """Out-of-fold probabilities, folds grouped by family."""
    texts, families = np.asarray(texts, dtype=object), np.asarray(families, dtype=object)
    y = label_matrix(labels)
    proba = np.zeros((len(texts), len(LABELS)))
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for tr, te in folds.split(texts, _strata(y), families):
        pipe = _fit(texts[tr], [labels[i] for i in tr], families[tr], seed)
        proba[te] = pipe.predict_proba(list(texts[te]))
    return proba


def rule_matrix(texts) -> np.ndarray:
    return np.array([[lab in rule_labels(find_evidence(t)) for lab in LABELS] for t in texts], dtype=int)


def choose_thresholds(y: np.ndarray, proba: np.ndarray, rules: np.ndarray) -> dict[str, float]:
    """Per label, the threshold that maximises F1 of rules ∪ (p ≥ threshold)."""
    out = {}
    for k, lab in enumerate(LABELS):
        best, best_f1 = 0.5, -1.0
        for t in THRESHOLD_GRID:
            pred = (proba[:, k] >= t) | rules[:, k].astype(bool)
            f1 = _f1(y[:, k], pred)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(t), f1
        out[lab] = best
    return out


def _f1(y, pred) -> float:
    tp = int(((y == 1) & pred).sum())
    fp = int(((y == 0) & pred).sum())
    fn = int(((y == 1) & ~pred).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def metrics(y: np.ndarray, pred: np.ndarray) -> dict:
    """Per-label precision, recall, F1, support; macro-F1 over labels with support; false-alarm rate on ok rows."""
    out = {}
    for k, lab in enumerate(LABELS):
        t, p = y[:, k] == 1, pred[:, k].astype(bool)
        tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
        out[lab] = {"precision": round(tp / (tp + fp), 4) if tp + fp else None,
                    "recall": round(tp / (tp + fn), 4) if tp + fn else None,
                    "f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else None,
                    "support": int(t.sum()), "predicted": int(p.sum())}
    f1s = [out[lab]["f1"] for lab in LABELS if out[lab]["support"]]
    ok_rows = ~y.any(axis=1)
    out["macro_f1"] = round(float(np.mean([f or 0.0 for f in f1s])), 4) if f1s else None
    out["ok"] = {"support": int(ok_rows.sum()),
                 "false_alarm_rate": round(float(pred[ok_rows].any(axis=1).mean()), 4) if ok_rows.any() else None}
    return out


def predict_with(proba, rules, thresholds) -> np.ndarray:
    thr = np.array([thresholds[lab] for lab in LABELS])
    return ((proba >= thr) | rules.astype(bool)).astype(int)


def cross_validate(df: pd.DataFrame, seed: int, echo: Callable = print, n_splits: int = 5) -> dict:
    texts = np.asarray(df["text"], dtype=object)
    labels = list(df["labels"])
    fams = np.asarray(df["family"], dtype=object)
    y = label_matrix(labels)
    rules = rule_matrix(texts)
    pred = np.zeros_like(y)
    proba_all = np.zeros(y.shape)
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for i, (tr, te) in enumerate(folds.split(texts, _strata(y), fams), start=1):
        tr_labels = [labels[j] for j in tr]
        inner = grouped_proba(texts[tr], tr_labels, fams[tr], seed, n_splits=3)
        thr = choose_thresholds(y[tr], inner, rules[tr])
        pipe = _fit(texts[tr], tr_labels, fams[tr], seed)
        proba_all[te] = pipe.predict_proba(list(texts[te]))
        pred[te] = predict_with(proba_all[te], rules[te], thr)
        echo(f"  fold {i}/{n_splits}: thresholds {thr}")
    return metrics(y, pred)


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in labelled_files(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("scikit-learn", "numpy", "scipy", "pandas", "jieba", "rjieba", "opencc-python-reimplemented",
                "pyahocorasick", "joblib"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def train_model(paths, out_dir: Path, seed: int = 13, echo: Callable = print, cv: bool = True) -> dict:
    """Measure by grouped CV, fit on everything, write out_dir/model.joblib and card.json; return the card."""
    t0 = time.perf_counter()
    df = read_labelled(paths)
    if len(df) < 20:
        raise InputError(", ".join(map(str, paths)), f"only {len(df)} labelled rows: too few to train on")
    y = label_matrix(list(df["labels"]))
    missing = [lab for k, lab in enumerate(LABELS) if y[:, k].sum() < 5]
    if missing:
        raise InputError(", ".join(map(str, paths)), f"fewer than 5 examples of {', '.join(missing)}")
    echo(f"{len(df)} labelled rows, {df['family'].nunique()} families")
    card: dict = {"labels": list(LABELS), "seed": seed}
    if cv:
        echo("grouped 5-fold cross-validation ...")
        card["metrics"] = {"cv_grouped_5fold": cross_validate(df, seed, echo)}
        card["metrics"]["how"] = ("Grouped 5-fold CV (StratifiedGroupKFold by family) on data/labelled; "
                                  "thresholds chosen on a grouped 3-fold split of each training part only; "
                                  "augmentation from training rows only; labels = strong rules ∪ p ≥ threshold.")
    texts, labels, fams = list(df["text"]), list(df["labels"]), list(df["family"])
    echo("thresholds from grouped 5-fold out-of-fold probabilities on all rows ...")
    proba = grouped_proba(texts, labels, fams, seed, n_splits=5)
    thresholds = choose_thresholds(y, proba, rule_matrix(texts))
    echo("fitting the final model on all rows ...")
    pipe = _fit(np.asarray(texts, dtype=object), labels, np.asarray(fams, dtype=object), seed)
    card.update({
        "thresholds": thresholds,
        "training_rows": int(len(df)),
        "rows_per_label": {lab: int(y[:, k].sum()) for k, lab in enumerate(LABELS)} | {"ok": int((~y.any(axis=1)).sum())},
        "families": int(df["family"].nunique()),
        "training_data_sha256": _hash_files(paths),
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "train_seconds": round(time.perf_counter() - t0, 1),
        "versions": _versions(),
        "pipeline": "FeatureUnion(jieba words TF-IDF, char 1-3-gram TF-IDF, rule counts) -> "
                    "OneVsRest(CalibratedClassifierCV(LinearSVC, sigmoid, cv=3)); labels = strong rules ∪ p ≥ threshold",
    })
    card["model_id"] = hashlib.sha256(json.dumps([card["training_data_sha256"], seed, thresholds],
                                                 sort_keys=True).encode()).hexdigest()[:16]
    Classifier(pipe, thresholds, card).save(Path(out_dir))
    echo(f"wrote {Path(out_dir) / 'model.joblib'} in {card['train_seconds']} s")
    return card
