"""Long messages scored clause by clause as well as whole (monitor.detect.model): one bad sentence is
not diluted by good ones, and the evidence points at that clause. A stand-in pipeline gives fixed
probabilities so the clause logic is tested alone."""

import numpy as np
import scipy.sparse as sp

from monitor.detect.model import CLAUSE_MIN_P, Classifier, clauses
from monitor.detect.types import LABELS

BAD = "乌龟跑得比你快多了"


class _Features:
    def __init__(self):
        self.seen = []

    def transform(self, texts):
        self.seen.extend(texts)
        return sp.csr_matrix(np.zeros((len(texts), 1)))


class _Clf:
    """negative: 0.95 for a short text holding BAD, 0.3 for a long one (diluted), 0.01 otherwise."""
    n_features_ = 1

    def __init__(self, features):
        self.features = features

    def predict_proba(self, X):
        texts = self.features.seen[-X.shape[0]:]
        out = np.full((len(texts), len(LABELS)), 0.01)
        for i, t in enumerate(texts):
            if BAD in t:
                out[i, LABELS.index("negative")] = 0.95 if len(t) <= 12 else 0.3
        return out

    def label_weights(self, n):
        return np.zeros((len(LABELS), n))


def _model():
    f = _Features()
    pipe = type("P", (), {"named_steps": {"features": f, "clf": _Clf(f)}})()
    return Classifier(pipe, {lab: 0.5 for lab in LABELS}), f


LONG = "您好亲，感谢您选择本店，商品都是正品保证，" + BAD + "，有问题随时找我们"


def test_clauses_split_on_punctuation_and_skip_short_messages():
    # a piece under six characters (您好亲) joins the clause after it
    assert [LONG[a:b] for a, b in clauses(LONG)] == ["您好亲，感谢您选择本店", "商品都是正品保证", BAD, "有问题随时找我们"]
    assert clauses("好的亲，马上发货") == []


def test_a_bad_clause_flags_a_long_message_and_is_the_evidence():
    model, _ = _model()
    c = model.classify([LONG])[0]
    assert c.labels == ["negative"]
    assert c.scores["negative"] == 0.95 >= CLAUSE_MIN_P
    clause = [e for e in c.evidence if e.rule == "clause"]
    assert [(e.start, e.end, e.match) for e in clause] == [(LONG.index(BAD), LONG.index(BAD) + len(BAD), BAD)]
    assert c.to_dict()["reason"] == f'模型(分句): "{BAD}"'


def test_good_long_messages_stay_ok_and_low_scores_skip_the_clauses():
    model, f = _model()
    good = "您好亲，感谢您选择本店，商品都是正品保证，有问题随时找我们，祝您购物愉快"
    c = model.classify([good])[0]
    assert c.labels == []
    # the whole message scored 0.01 everywhere (under the gate): its clauses were never scored
    assert f.seen == [good]
