"""flag_messages keeps the flags of texts it has classified for the batches a process scans later."""

import pandas as pd

import monitor.scan as scan_mod
from fake_classifier import FixedClassifier
from monitor.scan import flag_messages

CLF = FixedClassifier({"微信": ("diversion", 0.9), "滚": ("negative", 0.7)})


class Counting(FixedClassifier):
    def __init__(self, rules):
        super().__init__(rules)
        self.seen = []

    def classify(self, texts, progress=False):
        self.seen += list(texts)
        return super().classify(texts, progress)


def _messages(texts, roles=None):
    n = len(texts)
    return pd.DataFrame({"shop": "甲店", "conversation_id": "甲店|tb", "buyer": "tb", "sender": "甲店:小美",
                         "role": roles or ["agent"] * n, "ts": pd.Timestamp("2026-11-22 10:00:00"), "text": texts,
                         "order_id": None, "source": [f"f:{i}" for i in range(n)]})


A = ["加我微信", "在的", "滚", "", "  ", "好的"]
B = ["好的", "加我微信", "你好", "滚吧", "在的"]


def test_flags_in_later_batches_equal_flagging_all_at_once():
    clf = Counting(CLF.rules)
    together = flag_messages(_messages(A + B), CLF)
    first, second = flag_messages(_messages(A), clf), flag_messages(_messages(B), clf)
    both = pd.concat([first, second], ignore_index=True)
    cols = ["labels", "p_diversion", "p_qr_lure", "p_negative", "p_harassment", "evidence"]
    pd.testing.assert_frame_equal(both[cols], together[cols])
    # the second batch classified only the texts the first one had not
    assert clf.seen == ["加我微信", "在的", "滚", "好的", "你好", "滚吧"]


def test_another_classifier_does_not_see_the_kept_flags():
    flag_messages(_messages(A), CLF)
    other = FixedClassifier({"好的": ("negative", 0.6)})
    out = flag_messages(_messages(A), other)
    assert out["labels"].tolist() == ["", "", "", "", "", "negative"]


def test_the_cache_stops_growing_at_its_bound(monkeypatch):
    monkeypatch.setattr(scan_mod, "FLAG_CACHE_TEXTS", 3)
    clf = Counting(CLF.rules)
    first = flag_messages(_messages(A), clf)
    assert len(scan_mod._flag_cache(clf)) == 3
    again = flag_messages(_messages(A), clf)
    pd.testing.assert_frame_equal(first, again)
    assert clf.seen == ["加我微信", "在的", "滚", "好的", "好的"]


class Thresholded(FixedClassifier):
    """Labels a text only when its probability reaches the label's threshold (as Classifier does)."""

    def __init__(self, rules, thresholds):
        super().__init__(rules)
        self.thresholds = dict(thresholds)

    def classify(self, texts, progress=False):
        out = super().classify(texts, progress)
        for r in out:
            r.labels[:] = [lab for lab in r.labels if r.scores[lab] >= self.thresholds[lab]]
        return out


def test_new_thresholds_on_the_same_classifier_are_not_served_old_flags():
    clf = Thresholded(CLF.rules, {"diversion": 0.5, "negative": 0.5})
    assert flag_messages(_messages(["加我微信", "滚"]), clf)["labels"].tolist() == ["diversion", "negative"]
    clf.thresholds["negative"] = 0.8          # e.g. another operating point set on the loaded model
    assert flag_messages(_messages(["加我微信", "滚"]), clf)["labels"].tolist() == ["diversion", ""]
