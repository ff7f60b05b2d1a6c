"""The classifier: rules ∪ a calibrated one-vs-rest linear model over words, char n-grams and rules.

A message gets a label when a strong rule asserts it OR the model's calibrated probability reaches
the label's threshold (chosen on validation folds at training time). Evidence: the rule spans, and
for labels the model alone gave, the n-grams that pushed hardest toward the label, located in the
original text where they can be found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from ..errors import ChatmonError
from ..text import normalise
from .features import make_features
from .rules import find_evidence, rule_labels
from .types import LABELS, Classification, Evidence

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "default"


def make_pipeline(seed: int = 13) -> Pipeline:
    """Plain scikit-learn: FeatureUnion → one-vs-rest (LinearSVC calibrated by Platt scaling)."""
    svc = LinearSVC(C=0.5, class_weight="balanced", random_state=seed)
    return Pipeline([
        ("features", make_features()),
        ("clf", OneVsRestClassifier(CalibratedClassifierCV(svc, method="sigmoid", cv=3))),
    ])


class Classifier:
    """A fitted pipeline with per-label thresholds; sklearn-style predict/predict_proba."""

    def __init__(self, pipeline: Pipeline, thresholds: dict[str, float], card: dict | None = None):
        self.pipeline = pipeline
        self.thresholds = {lab: float(thresholds.get(lab, 0.5)) for lab in LABELS}
        self.card = card or {}
        self._coef = None
        self._names = None

    # -- probabilities -----------------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 4) calibrated probabilities in LABELS order; each distinct text is scored once."""
        texts = ["" if t is None else str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(LABELS)))
        uniq, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        proba = np.zeros((len(uniq), len(LABELS)))
        nonempty = np.array([bool(t.strip()) for t in uniq])
        if nonempty.any():
            proba[nonempty] = self.pipeline.predict_proba(list(uniq[nonempty]))
        return proba[inverse]

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [c.labels for c in self.classify(texts)]

    # -- labels with evidence -------------------------------------------------------------------------
    def classify(self, texts: Sequence[str], progress: bool = False, batch: int = 20_000) -> list[Classification]:
        texts = ["" if t is None else str(t) for t in texts]
        out: list[Classification] = []
        bar = None
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=len(texts), unit="msg", desc="classifying")
        for i in range(0, len(texts), batch):
            chunk = texts[i:i + batch]
            proba = self.predict_proba(chunk)
            for text, p in zip(chunk, proba):
                out.append(self._one(text, p))
            if bar:
                bar.update(len(chunk))
        if bar:
            bar.close()
        return out

    def _one(self, text: str, p: np.ndarray) -> Classification:
        scores = {lab: float(v) for lab, v in zip(LABELS, p)}
        if not text.strip():
            return Classification(text=text, labels=[], scores={lab: 0.0 for lab in LABELS}, evidence=[])
        evidence = find_evidence(text)
        by_rule = rule_labels(evidence)
        by_model = {lab for lab in LABELS if scores[lab] >= self.thresholds[lab]}
        labels = [lab for lab in LABELS if lab in by_rule or lab in by_model]
        # a strong rule is near-certain evidence: the score shown is never below the rule's verdict
        for lab in by_rule:
            scores[lab] = max(scores[lab], 0.99)
        ev = [e for e in evidence if e.label in labels]
        for lab in labels:
            if lab not in by_rule:
                ev += self.model_evidence(text, lab)
        return Classification(text=text, labels=labels, scores=scores, evidence=ev)

    def model_evidence(self, text: str, label: str, top: int = 2) -> list[Evidence]:
        """The n-grams that pushed `text` hardest toward `label`, as spans of the original text."""
        coef, names = self._weights()
        x = self.pipeline.named_steps["features"].transform([text]).tocsr()
        row = coef[LABELS.index(label)]
        contrib = {j: x[0, j] * row[j] for j in x.indices if row[j] > 0 and not names[j].startswith("rule=")}
        n = normalise(text)
        out = []
        for j in sorted(contrib, key=contrib.get, reverse=True):
            gram = names[j].split("__", 1)[-1]
            pos = n.text.find(gram)
            if pos < 0 or len(gram.strip()) < 2:
                continue
            s, e = n.span_to_original(pos, pos + len(gram))
            if any(o.start <= s < o.end for o in out):
                continue
            out.append(Evidence(label, s, e, text[s:e], f"model:{gram}"))
            if len(out) >= top:
                break
        if not out:
            out.append(Evidence(label, 0, len(text), text, "model"))
        return out

    def _weights(self):
        if self._coef is None:
            clf = self.pipeline.named_steps["clf"]
            rows = []
            for est in clf.estimators_:
                rows.append(np.mean([c.estimator.coef_.ravel() for c in est.calibrated_classifiers_], axis=0))
            self._coef = np.vstack(rows)
            self._names = self.pipeline.named_steps["features"].get_feature_names_out()
        return self._coef, self._names

    # -- persistence ----------------------------------------------------------------------------------
    def save(self, out_dir: Path) -> None:
        from ..atomic import atomic_path, write_text

        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(out_dir / "model.joblib") as tmp:
            joblib.dump({"pipeline": self.pipeline, "thresholds": self.thresholds, "labels": LABELS}, tmp,
                        compress=3)
        write_text(out_dir / "card.json", json.dumps(self.card, ensure_ascii=False, indent=2))


def load_model(path=None) -> Classifier:
    folder = Path(path) if path else DEFAULT_MODEL_DIR
    model_file = folder / "model.joblib"
    if not model_file.exists():
        raise ChatmonError(f"{folder}: no model.joblib here (build the default one with `make model`)")
    try:
        blob = joblib.load(model_file)
    except Exception as exc:  # a truncated or foreign file: say so instead of a traceback
        raise ChatmonError(f"{model_file}: cannot load the model ({exc.__class__.__name__}: {exc})") from None
    if tuple(blob.get("labels", ())) != LABELS:
        raise ChatmonError(f"{model_file}: the model's labels {blob.get('labels')} differ from {LABELS}")
    card = {}
    if (folder / "card.json").exists():
        card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    return Classifier(blob["pipeline"], blob["thresholds"], card)
