"""The rule features the classifier uses: stable names, vectors, the sklearn transformer."""

import pickle

import numpy as np
import scipy.sparse as sp

from monitor.detect.rules import RULE_NAMES, RuleFeatures, find_evidence, rule_labels, rule_vector
from monitor.detect.types import Evidence


def test_rule_names_are_stable():
    # the shipped model's feature order: changing it needs a retrained model
    assert RULE_NAMES == (
        "phone_number", "landline", "qq_number", "wechat_id",
        "lexicon:diversion:strong", "lexicon:diversion:weak", "lexicon:qr_lure:strong", "lexicon:qr_lure:weak",
        "lexicon:negative:strong", "lexicon:negative:weak", "lexicon:harassment:strong", "lexicon:harassment:weak",
        "lexicon:promise:strong", "lexicon:promise:weak",
        "negated_contact", "safe_phrase", "long_number",
    )


def test_rule_vector_counts_hits():
    v = dict(zip(RULE_NAMES, rule_vector("加我微信，电话13800138000")))
    assert v["phone_number"] == 1.0
    assert v["lexicon:diversion:strong"] == 1.0          # 加我微信
    assert v["lexicon:diversion:weak"] == 3.0             # 加我, 微信, 电话
    assert sum(rule_vector("好的亲")) == 0.0


def test_promise_wording_is_a_weak_feature_never_a_flag():
    v = dict(zip(RULE_NAMES, rule_vector("今天下午一定给您发出")))
    assert v["lexicon:promise:weak"] == 2.0               # 一定给您, 给您发出
    assert rule_labels(find_evidence("今天下午一定给您发出")) == set()


def test_counts_are_capped_at_three():
    assert dict(zip(RULE_NAMES, rule_vector("加微信 加微信 加微信 加微信 加微信")))["lexicon:diversion:strong"] == 3.0


def test_transformer_output():
    rf = RuleFeatures().fit(["x"])
    X = rf.transform(["好评返现", "", "好的"])
    assert sp.isspmatrix_csr(X) and X.shape == (3, len(RULE_NAMES))
    assert X[0, RULE_NAMES.index("lexicon:qr_lure:strong")] == 2.0   # 好评返 and 好评返现
    assert X[1].nnz == 0 and X[2].nnz == 0
    assert list(rf.get_feature_names_out()) == [f"rule={n}" for n in RULE_NAMES]
    assert pickle.loads(pickle.dumps(rf)).transform(["好评返现"]).toarray().tolist() == X[0].toarray().tolist()


def test_transformer_on_no_texts():
    assert RuleFeatures().transform([]).shape == (0, len(RULE_NAMES))


def test_rule_labels():
    assert rule_labels(find_evidence("加我微信，爱买不买")) == {"diversion", "negative"}
    assert rule_labels([Evidence("qr_lure", 0, 1, "x", "lexicon:qr_lure")]) == {"qr_lure"}
    assert rule_labels([]) == set()


def test_odd_inputs():
    assert find_evidence(None) == [] and find_evidence(float("nan")) == []
    assert rule_vector(None) == [0.0] * len(RULE_NAMES)
    assert np.isfinite(RuleFeatures().transform([None, 12345]).toarray()).all()
