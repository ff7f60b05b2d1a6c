"""The classifier: rules ∪ a calibrated one-vs-rest linear model over words, char n-grams and rules.

A message gets a label when a strong rule asserts it OR the model's calibrated probability reaches
the label's threshold (chosen on validation folds at training time). Evidence: the rule spans, and
for labels the model alone gave, the n-grams that pushed hardest toward the label, located in the
original text where they can be found.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ChatmonError
from ..gcpause import collector_paused
from ..text import normalise, normalise_text
from ..text.normalise import normalise_cached
from .feature_names import feature_names
from .features import make_features
from .features import transform as transform_features
from .model_file import CARD_KEY, DEFAULT_MODEL_DIR, read_card, read_trusted_model, write_model_file
from .rules import find_evidence, rule_labels
from .types import LABELS, Classification, Evidence

# a label asserted by a strong rule shows at least this score: the rules are near-certain evidence,
# and the report's expected exposure (probability × fine) should not discount a phone number
RULE_SCORE = 0.99
# Classifier.classify scores new distinct texts in groups of at least this many (the rest at the end):
# enough to amortise the per-call cost, few enough for a progress bar that moves
SCORE_AT_LEAST = 2_000
# ... and keeps the scores and feature rows of at most about this many texts (a scan's millions of
# distinct texts would not fit); a text seen again after they are dropped is scored again, same result
KEEP_SCORED = 50_000
# Clauses recur across calls (a scan's batches, a shop's files): 好的亲 / 请您稍等 / 祝您生活愉快 end many
# long replies. The scores and feature rows of up to KEEP_CLAUSES clause texts are kept from one call
# to the next (a text's scores and row do not depend on what else is in its batch), then dropped all
# at once. On the 300k real night's 60 shop calls: 30,919 clause rows scored, 16,738 of them distinct.
KEEP_CLAUSES = 20_000
# Clause by clause: a message of at least CLAUSE_MIN_CHARS normalised characters that splits into two
# or more clauses has each clause scored alone too, so one rude or contact sentence is not diluted by
# good ones. Only where the whole message's probability for a label it did not get is at least
# CLAUSE_GATE (one more model call for a few messages, not for every long one), and a clause flags the
# label only at max(threshold, CLAUSE_MIN_P): short clauses are scored out of their message.
CLAUSE_MIN_CHARS = 24
CLAUSE_GATE = 0.05
CLAUSE_MIN_P = 0.9
_CLAUSE_SPLIT = re.compile(r"[。！？!?；;，,\n~～…]+|\s{2,}")
_CLAUSE_MIN = 6      # shorter pieces join the clause before them (好的，亲，…, 您客气了)


def make_pipeline(seed: int = 13, base: str = "svc", C: float = 2.0, class_weight=None,
                  hashing: bool = False, char_range=(1, 3), min_df: int = 1, merge_duplicates: bool = False,
                  n_jobs: int | None = None, nb_view: bool = False):
    """FeatureUnion → one-vs-rest linear model, calibrated on family-grouped folds (a sklearn Pipeline).
    Fit with `pipe.fit(texts, Y, clf__groups=families)`; `n_jobs` processes fit the labels."""
    # scikit-learn imported for training only: predicting with a saved model does without it
    from sklearn.pipeline import Pipeline

    from .ovr import GroupCalibratedOVR

    return Pipeline([
        ("features", make_features(hashing=hashing, char_range=char_range, min_df=min_df)),
        ("clf", GroupCalibratedOVR(base=base, C=C, class_weight=class_weight, seed=seed,
                                   merge_duplicates=merge_duplicates, n_jobs=n_jobs, nb_view=nb_view)),
    ])


def _clean(texts) -> list[str]:
    # str inputs (nearly all) pass through untouched; the test for them first keeps a million cheap
    return [t if t.__class__ is str else _clean_one(t) for t in texts]


def _clean_one(t) -> str:
    return "" if t is None or (isinstance(t, float) and t != t) else str(t)


def _key(text: str) -> str:
    # what the model sees; whitespace-only text has no key and is ok without asking the model
    return (normalise_text(text) or text.strip()) if text.strip() else ""


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of a message's clauses in the original text, punctuation left out; a piece of
    fewer than _CLAUSE_MIN characters joins its neighbour (the clause before it, or the next one when it
    comes first). [] for a short message or one that does not split."""
    if len(text) < CLAUSE_MIN_CHARS or len(normalise_text(text)) < CLAUSE_MIN_CHARS:
        return []
    spans, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and (b - a < _CLAUSE_MIN or merged[-1][1] - merged[-1][0] < _CLAUSE_MIN):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged if len(merged) >= 2 else []


class Classifier:
    """A fitted pipeline with per-label thresholds; sklearn-style predict/predict_proba.

    `pipeline`: sklearn's Pipeline (training, load_model(..., sklearn=True)) or the inference
    stand-ins load_model gives by default (monitor.detect.standins); both have `named_steps`
    "features" (transform, feature names) and "clf" (predict_proba, label_weights)."""

    def __init__(self, pipeline, thresholds: dict[str, float], card: dict | None = None):
        self.pipeline = pipeline
        self.thresholds = {lab: float(thresholds.get(lab, 0.5)) for lab in LABELS}
        self.card = card or {}
        self._coef = None
        self._names = None
        self._is_gram = None    # per feature: a word or char n-gram (evidence can point at it)
        self._clauses: dict[str, tuple] = {}    # clause text -> (proba row, X, X row), across calls

    def prepare(self) -> None:
        """Build now what classifying builds on its first use and then keeps: the vocabularies' lookup
        tables, the rules' automata (one small transform, ~0.14 s) and the feature names and mean
        weights the model evidence reads (~0.05 s). Called before forking processes that classify, so
        that they share these instead of each building its own. Results do not change."""
        transform_features(self.pipeline.named_steps["features"], ["好的亲"])
        self._weights()

    # -- probabilities -----------------------------------------------------------------------------
    def _score_distinct(self, texts: list[str]):
        """Score each distinct normalised text once (service chats repeat greetings heavily).

        Returns (inverse, representatives, X, proba): row i of the input is representative
        inverse[i]; X and proba have one row per representative (X is None when all are empty).
        """
        first: dict[str, int] = {}
        inverse = np.empty(len(texts), dtype=np.int64)
        reps: list[str] = []
        for i, t in enumerate(texts):
            k = _key(t)
            j = first.get(k)
            if j is None:
                j = first[k] = len(reps)
                reps.append(t if k else "")
            inverse[i] = j
        proba = np.zeros((len(reps), len(LABELS)))
        nonempty = np.array([bool(r.strip()) for r in reps], dtype=bool)
        X = None
        if nonempty.any():
            X = transform_features(self.pipeline.named_steps["features"],
                                   [r for r, ne in zip(reps, nonempty) if ne]).tocsr()
            proba[nonempty] = self.pipeline.named_steps["clf"].predict_proba(X)
        # map representative -> row of X (or -1)
        xrow = np.full(len(reps), -1, dtype=np.int64)
        xrow[nonempty] = np.arange(int(nonempty.sum()))
        return inverse, reps, X, xrow, proba

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 4) calibrated model probabilities in LABELS order (rules not applied); 0 for empty text."""
        texts = _clean(texts)
        if not texts:
            return np.zeros((0, len(LABELS)))
        inverse, _, _, _, proba = self._score_distinct(texts)
        return proba[inverse]

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [c.labels for c in self.classify(texts)]

    # -- labels with evidence -------------------------------------------------------------------------
    def classify(self, texts: Sequence[str], progress: bool = False, batch: int = 20_000) -> list[Classification]:
        """One Classification per input, in order; repeated texts share one object.

        Within each batch of `batch` inputs, texts with the same normalised key are scored through
        the first of them (its representative), whose feature row also gives the model evidence.
        The work is done once per distinct (text, representative) pair over the whole input, not
        once per row: a million seller messages hold a few ten thousand distinct texts. New
        representatives are scored together once SCORE_AT_LEAST of them wait (the features and the
        calibrated models cost ~10 ms a call however few rows they get), or at the end.
        """
        # the cyclic garbage collector off for the call (monitor/gcpause.py): it kept walking the
        # caches' live objects; the call itself leaves about a hundred objects in cycles (measured on
        # 30k real texts), collected as usual once it is back on
        with collector_paused():
            return self._classify(texts, progress, batch)

    def _classify(self, texts: Sequence[str], progress: bool, batch: int) -> list[Classification]:
        texts = _clean(texts)
        out: list[Classification] = []
        scored: dict[str, tuple] = {}                          # representative -> (proba row, X, X row)
        done: dict[tuple[str, str], Classification] = {}       # (text, representative) -> result
        waiting: list[tuple[list[str], dict]] = []             # batches whose new representatives wait
        new_reps: dict[str, None] = {}                         # (an ordered set)
        bar = None
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=len(texts), unit="msg", desc="classifying", file=__import__("sys").stderr)

        def finish_waiting() -> None:
            self._score_new(list(new_reps), scored)
            self._score_clauses(new_reps, scored)
            new_reps.clear()
            for chunk, pairs in waiting:
                for pair in pairs.values():
                    if pair not in done:
                        p, X, row = scored[pair[1]]
                        done[pair] = self._one(pair[0], p, X, row, self._clause_scores(pair[1], p, scored))
                out.extend([done[pairs[t]] for t in chunk])
                if bar:
                    bar.update(len(chunk))
            waiting.clear()
            if len(scored) > KEEP_SCORED:     # only once no waiting batch needs them
                scored.clear()

        for i in range(0, len(texts), batch):
            chunk = texts[i:i + batch]
            rep_of: dict[str, str] = {}                        # key -> first text of this batch with it
            pairs: dict[str, tuple[str, str]] = {}             # distinct text -> (text, representative)
            for text in dict.fromkeys(chunk):
                k = _key(text)
                rep = rep_of.setdefault(k, text if k else "")
                pairs[text] = (text, rep)
                if rep not in scored:
                    new_reps[rep] = None
            waiting.append((chunk, pairs))
            if len(new_reps) >= SCORE_AT_LEAST:
                finish_waiting()
        finish_waiting()
        if bar:
            bar.close()
        return out

    def _clause_gate(self, p: np.ndarray) -> bool:
        return any(CLAUSE_GATE <= v < self.thresholds[lab] for lab, v in zip(LABELS, p))

    def _score_clauses(self, reps, scored: dict) -> None:
        """Score the clauses of the long representatives in `reps` whose whole-message probability of
        a label they did not get passes CLAUSE_GATE (stored in `scored` by clause text)."""
        todo: dict[str, None] = {}
        kept = self._clauses
        for r in reps:
            if len(r) >= CLAUSE_MIN_CHARS and self._clause_gate(scored[r][0]):
                for a, b in clauses(r):
                    c = r[a:b]
                    if c not in scored:
                        got = kept.get(c)
                        if got is None:
                            todo[c] = None
                        else:
                            scored[c] = got
        self._score_new(list(todo), scored)
        if len(kept) + len(todo) > KEEP_CLAUSES:
            kept.clear()
        for c in list(todo)[:KEEP_CLAUSES]:
            kept[c] = scored[c]

    def _score_new(self, reps: list[str], scored: dict) -> None:
        """Add each representative's probabilities and feature row to `scored` (all reps distinct)."""
        if not reps:
            return
        proba = np.zeros((len(reps), len(LABELS)))
        nonempty = [j for j, r in enumerate(reps) if r.strip()]
        X = None
        if nonempty:
            X = transform_features(self.pipeline.named_steps["features"], [reps[j] for j in nonempty]).tocsr()
            proba[nonempty] = self.pipeline.named_steps["clf"].predict_proba(X)
        xrow = np.full(len(reps), -1, dtype=np.int64)
        xrow[nonempty] = np.arange(len(nonempty))
        for j, r in enumerate(reps):
            scored[r] = (proba[j], X, int(xrow[j]))

    def _clause_scores(self, rep: str, p: np.ndarray, scored: dict) -> list:
        """[(clause text, proba, X, row)] of the representative's scored clauses."""
        if len(rep) < CLAUSE_MIN_CHARS or not self._clause_gate(p):
            return []
        out = []
        for a, b in clauses(rep):
            got = scored.get(rep[a:b])
            if got is not None:
                out.append((rep[a:b], *got))
        return out

    def _one(self, text: str, p: np.ndarray, X, row: int, clause_scores=()) -> Classification:
        if not text.strip():
            return Classification(text=text, labels=[], scores={lab: 0.0 for lab in LABELS}, evidence=[])
        scores = {lab: float(v) for lab, v in zip(LABELS, p)}
        evidence = find_evidence(text)
        by_rule = rule_labels(evidence)
        by_model = {lab for lab in LABELS if scores[lab] >= self.thresholds[lab]}
        # a clause that alone reaches max(threshold, CLAUSE_MIN_P) gives its label (the clauses are the
        # representative's: a text sharing it differs only in what normalisation drops, so the clause
        # is found in this text by its characters, else the whole text is the span)
        by_clause: dict[str, tuple] = {}
        for clause, cp, cX, crow in clause_scores:
            a = text.find(clause)
            a, b = (a, a + len(clause)) if a >= 0 else (0, len(text))
            for k, lab in enumerate(LABELS):
                if lab in by_rule or lab in by_model or cp[k] < max(self.thresholds[lab], CLAUSE_MIN_P):
                    continue
                if lab not in by_clause or cp[k] > by_clause[lab][2][k]:
                    by_clause[lab] = (a, b, cp, cX, crow)
        labels = [lab for lab in LABELS if lab in by_rule or lab in by_model or lab in by_clause]
        for lab in by_rule:
            scores[lab] = max(scores[lab], RULE_SCORE)
        ev = [e for e in evidence if e.label in labels]
        for lab in labels:
            if lab in by_clause and lab not in by_rule:
                a, b, cp, cX, crow = by_clause[lab]
                scores[lab] = max(scores[lab], float(cp[LABELS.index(lab)]))
                ev += self._clause_evidence(text, lab, a, b, cX, crow)
            elif lab not in by_rule:
                ev += self.model_evidence(text, lab, X, row)
        return Classification(text=text, labels=labels, scores=scores, evidence=ev)

    def _clause_evidence(self, text: str, label: str, a: int, b: int, X, row: int) -> list[Evidence]:
        """The clause (rule "clause") and the n-grams of it that pushed hardest, as spans of `text`."""
        clause = text[a:b] if b <= len(text) else ""
        if not clause.strip():
            return [Evidence(label, 0, len(text), text, "clause")]
        out = [Evidence(label, a, b, clause, "clause")]
        for e in self.model_evidence(clause, label, X, row):
            if e.rule != "model":
                out.append(Evidence(label, a + e.start, a + e.end, e.match, e.rule))
        return out

    def model_evidence(self, text: str, label: str, X=None, row: int = -1, top: int = 2) -> list[Evidence]:
        """The n-grams that pushed `text` hardest toward `label`, as spans of the original text."""
        coef, names = self._weights()
        if X is None or row < 0:
            X, row = self.pipeline.named_steps["features"].transform([text]).tocsr(), 0
        a, b = X.indptr[row], X.indptr[row + 1]     # row `row` of the csr matrix, without X[row]'s copy
        weights = coef[LABELS.index(label)]
        out: list[Evidence] = []
        if names is not None:
            # the word and char n-gram features of this row that push toward the label, in column
            # order: {column: value × weight} (numpy's products, as the scalar ones, bit for bit)
            cols, values = X.indices[a:b], X.data[a:b]
            w = weights[cols]
            keep = (w > 0) & self._is_gram[cols]
            contrib = dict(zip(cols[keep].tolist(), (values[keep] * w[keep]).tolist()))
            n = normalise_cached(text) if isinstance(text, str) else normalise(text)
            # grams of 2+ characters first ("加我" tells a reader more than "加"), each by contribution
            for j in sorted(contrib, key=lambda j: (len(names[j].split("__", 1)[-1]) >= 2, contrib[j]),
                            reverse=True):
                gram = names[j].split("__", 1)[-1]
                pos = n.text.find(gram)
                if pos < 0 or not gram.strip():
                    continue
                s, e = n.span_to_original(pos, pos + len(gram))
                if e <= s or any(o.start < e and s < o.end for o in out):
                    continue
                out.append(Evidence(label, s, e, text[s:e], f"model:{gram}"))
                if len(out) >= top:
                    break
        if not out:   # hashed features (no names) or nothing locatable: the whole message
            out.append(Evidence(label, 0, len(text), text, "model"))
        return out

    def _weights(self):
        if self._coef is None:
            features = self.pipeline.named_steps["features"]
            try:
                self._names = feature_names(features)
                n = len(self._names)
                self._is_gram = np.fromiter((name.startswith(("words__", "chars__")) for name in self._names),
                                            dtype=bool, count=n)
            except (AttributeError, ValueError):   # hashing vectorisers have no names
                self._names = None
                clf = self.pipeline.named_steps["clf"]
                # models fitted before n_features_ was kept: read it off the first label's weights
                n = getattr(clf, "n_features_", None) or \
                    clf.estimators_[0].calibrated_classifiers_[0].estimator.coef_.size
            self._coef = self.pipeline.named_steps["clf"].label_weights(n)
        return self._coef, self._names

    # -- persistence ----------------------------------------------------------------------------------
    def save(self, out_dir: Path) -> None:
        from ..atomic import atomic_path, write_text

        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(out_dir / "model.joblib") as tmp:
            sha = write_model_file(tmp, {"pipeline": self.pipeline, "thresholds": self.thresholds, "labels": LABELS})
        # the card vouches for this exact file: loading checks it before unpickling (model_file.py)
        self.card[CARD_KEY] = sha
        write_text(out_dir / "card.json", json.dumps(self.card, ensure_ascii=False, indent=2) + "\n")


def load_model(path=None, operating_point: str | None = None, sklearn: bool = False) -> Classifier:
    """The model in `path` (default models/default) with the thresholds of `operating_point`:
    `balanced` (best F1 on the corpus), `quiet` (each label flags at most 0.2% of the validation ok
    rows: fewer false alarms on real chats, fewer catches) or `live` (chosen for real prevalence on the
    dev half of real replies), as listed in its card. None: the card's `default_point` (else balanced).

    For classifying, the model's sklearn objects are replaced by inference stand-ins that give the same
    numbers without importing scikit-learn (monitor.detect.standins; ~0.9 s of every run), wherever they
    cover the model; `sklearn=True` keeps sklearn's own objects (to inspect, refit or save the pipeline,
    to evaluate or promote a model)."""
    folder = Path(path) if path else DEFAULT_MODEL_DIR
    model_file = folder / "model.joblib"
    if not model_file.exists():
        raise ChatmonError(f"{folder}: no model.joblib here (build the default one with `make model`)")
    # the card first: it holds the model file's SHA-256, checked before the file is unpickled
    card = read_card(folder)
    try:
        blob = read_trusted_model(model_file, card, stand_ins=not sklearn)
    except ChatmonError:
        raise
    except Exception as exc:  # a truncated or foreign file: say so instead of a traceback
        raise ChatmonError(f"{model_file}: cannot load the model ({exc.__class__.__name__}: {exc})") from None
    if not isinstance(blob, dict) or tuple(blob.get("labels", ())) != LABELS:
        raise ChatmonError(f"{model_file}: not a chatmon model for labels {', '.join(LABELS)}")
    thresholds = blob["thresholds"]
    # no point asked for: the model's default (its card's `default_point`, e.g. `live`, chosen for real
    # prevalence by notebooks/choose_default_point.py), else `balanced`
    operating_point = operating_point or card.get("default_point") or "balanced"
    if operating_point != "balanced":
        points = card.get("operating_points") or {}
        if operating_point not in points:
            raise ChatmonError(f"{folder}: this model has no {operating_point!r} operating point "
                               f"(its card lists: {', '.join(points) or 'none'}; retrain it to get one)")
        thresholds = points[operating_point]
    steps = getattr(blob["pipeline"], "named_steps", None)      # (sklearn's Pipeline or the stand-in)
    clf = steps.get("clf") if steps is not None else None
    if hasattr(clf, "fused"):
        # all labels' weights in one matrix now, before a scan forks its workers (they share it)
        clf.fused()
    return Classifier(blob["pipeline"], thresholds, card)
