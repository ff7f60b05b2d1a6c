"""The promote gate: a retrained model replaces the default only if it is not worse on a fixed check set.

`chatmon train` writes a candidate folder; `chatmon promote CANDIDATE` (or `train --promote`) scores
the candidate and the model it would replace on the same check files (by default data/check: labelled
seller messages and ordinary replies written for this check and never trained on), and copies the
candidate in only when, for every label with support, its F1 is at least the current model's (minus
`tolerance`), and its false-alarm rate on the ok rows is at most the current one's (plus `tolerance`).
Either way the comparison is returned for printing. The replaced model is kept in `<into>/previous/`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from ..atomic import atomic_path
from ..errors import ChatmonError, UsageError
from .labelled import label_matrix, labelled_files, read_labelled
from .metrics import metrics
from .model import DEFAULT_MODEL_DIR, load_model
from .types import LABELS

DEFAULT_CHECK = Path(__file__).resolve().parents[2] / "data" / "check"
MODEL_FILES = ("model.joblib", "card.json")


def score_on(model_dir, check_paths) -> dict:
    """metrics() of the model in `model_dir` on the check files (labels = rules ∪ model, default point)."""
    # sklearn's own objects (the stand-ins give the same numbers; evaluation keeps the reference)
    model = load_model(model_dir, sklearn=True)
    df = read_labelled([str(p) for p in labelled_files(check_paths)])
    results = model.classify(list(df["text"]))
    pred = np.array([[lab in c.labels for lab in LABELS] for c in results], dtype=int).reshape(-1, len(LABELS))
    return metrics(label_matrix(list(df["labels"])), pred)


def compare(candidate: dict, current: dict, tolerance: float = 0.0) -> dict:
    """Per label F1 and the ok false-alarm rate of both, and whether the candidate is not worse."""
    rows, worse = [], []
    for lab in LABELS:
        c, k = candidate.get(lab) or {}, current.get(lab) or {}
        if not c.get("support"):
            continue
        cf, kf = c.get("f1") or 0.0, (k.get("f1") or 0.0) if current else None
        rows.append({"measure": f"F1 {lab}", "current": kf, "candidate": cf, "better": "higher"})
        if kf is not None and cf < kf - tolerance:
            worse.append(f"F1 {lab} {cf:.4f} < {kf:.4f}")
    cfa = (candidate.get("ok") or {}).get("false_alarm_rate")
    kfa = (current.get("ok") or {}).get("false_alarm_rate") if current else None
    if cfa is not None:
        rows.append({"measure": "false alarms on ok rows", "current": kfa, "candidate": cfa, "better": "lower"})
        if kfa is not None and cfa > kfa + tolerance:
            worse.append(f"false alarms {cfa:.4f} > {kfa:.4f}")
    return {"rows": rows, "worse": worse, "promote": not worse, "tolerance": tolerance}


def comparison_text(result: dict, candidate_dir, into) -> str:
    lines = [f"check set: {', '.join(map(str, result['check']))}",
             f"{'measure':<26}{'current':>10}{'candidate':>11}"]
    for r in result["rows"]:
        cur = "-" if r["current"] is None else f"{r['current']:.4f}"
        lines.append(f"{r['measure']:<26}{cur:>10}{r['candidate']:>11.4f}")
    if result["promote"]:
        how = "not worse on any measure" + (f" beyond the tolerance {result['tolerance']}" if result["tolerance"] else "")
        lines.append(f"promoted: {candidate_dir} -> {into} ({how}; the old model is in {Path(into) / 'previous'})"
                     if result.get("done") else f"{how}: {candidate_dir} may replace {into}")
    else:
        lines.append(f"NOT promoted: {candidate_dir} is worse than {into}: " + "; ".join(result["worse"]))
    return "\n".join(lines)


def promote(candidate_dir, into=None, check_paths=None, tolerance: float = 0.0, force: bool = False,
            dry_run: bool = False) -> dict:
    """Compare, then copy the candidate's files over `into` (default models/default) if it is not worse
    (or `force`). Returns the comparison with `done` telling whether the files were replaced."""
    candidate_dir, into = Path(candidate_dir), Path(into) if into else DEFAULT_MODEL_DIR
    if tolerance < 0:
        raise UsageError(f"--tolerance must be 0 or more, not {tolerance}")
    if candidate_dir.resolve() == into.resolve():
        raise UsageError(f"{candidate_dir}: the candidate is the model it would replace")
    check = [Path(p) for p in (check_paths or [DEFAULT_CHECK])]
    cand = score_on(candidate_dir, check)
    if (into / "model.joblib").exists():
        try:
            cur = score_on(into, check)
        except ChatmonError as exc:        # a model of other labels, or a broken file: nothing to keep
            if not force:
                raise ChatmonError(f"{into}: the current model cannot be scored ({exc}); use --force to replace it")
            cur = {}
    else:
        cur = {}
    result = compare(cand, cur, tolerance)       # no current model: nothing to be worse than
    result.update(check=[str(p) for p in check], candidate=cand, current=cur, done=False)
    if (result["promote"] or force) and not dry_run:
        _replace(candidate_dir, into, result)
        result["done"] = True
    return result


def _replace(candidate_dir: Path, into: Path, result: dict) -> None:
    into.mkdir(parents=True, exist_ok=True)
    previous = into / "previous"
    if (into / "model.joblib").exists():
        previous.mkdir(exist_ok=True)
        for name in MODEL_FILES:
            if (into / name).exists():
                shutil.copy2(into / name, previous / name)
    card = json.loads((candidate_dir / "card.json").read_text(encoding="utf-8")) \
        if (candidate_dir / "card.json").exists() else {}
    card["check_set"] = {"files": result["check"], "metrics": result["candidate"],
                         "replaced_metrics": result["current"] or None}
    # the model first, then its card: each file is replaced whole (an interrupted copy leaves the old one)
    with atomic_path(into / "model.joblib") as tmp:
        shutil.copyfile(candidate_dir / "model.joblib", tmp)
    with atomic_path(into / "card.json") as tmp:
        Path(tmp).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
