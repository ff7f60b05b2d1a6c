"""A stand-in for the classifier with fixed outputs, so scan tests can assert exact yuan."""

from monitor.detect.types import LABELS, Classification, Evidence


class FixedClassifier:
    """Flags texts containing a key with the given label and probability; everything else is ok."""

    card = {"model_id": "fixed-test-model"}

    def __init__(self, rules: dict[str, tuple[str, float]]):
        self.rules = rules

    def classify(self, texts, progress=False):
        out = []
        for t in texts:
            scores = {lab: 0.01 for lab in LABELS}
            labels, evidence = [], []
            for key, (label, p) in self.rules.items():
                if key in t:
                    scores[label] = p
                    labels.append(label)
                    s = t.index(key)
                    evidence.append(Evidence(label, s, s + len(key), key, "test"))
            out.append(Classification(t, labels, scores, evidence))
        return out
