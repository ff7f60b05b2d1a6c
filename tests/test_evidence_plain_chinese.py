"""Evidence in plain Chinese (monitor.detect.explain): each rule id as a reader would say it."""

from monitor.detect.explain import describe, reason
from monitor.detect.types import Classification, Evidence


def test_contact_rules_name_the_kind_never_the_number():
    assert describe(Evidence("diversion", 3, 14, "13912345678", "phone_number")) == "规则: 手机号"
    assert describe({"label": "diversion", "start": 0, "end": 8, "match": "abc12345", "rule": "wechat_id"}) == "规则: 微信号"
    assert describe(Evidence("diversion", 0, 9, "800010000", "qq_number")) == "规则: QQ号"


def test_phrases_are_quoted_and_model_grams_too():
    assert describe(Evidence("diversion", 0, 4, "加我微信", "lexicon:diversion")) == "规则: 引流用语「加我微信」"
    assert describe(Evidence("negative", 0, 4, "爱买不买", "lexicon:negative")) == "规则: 不礼貌用语「爱买不买」"
    assert describe(Evidence("diversion", 0, 2, "加我", "model:加我")) == '模型: "加我"'
    assert describe(Evidence("negative", 0, 9, "这都不会看吗亲亲亲", "model")) == "模型: 整条消息"


def test_context_evidence_and_long_quotes():
    assert describe(Evidence("diversion", 0, 3, "138", "context:split_contact")) == "上下文: 分几条消息发出的联系方式"
    assert describe(Evidence("harassment", 0, 0, "别再打电话了", "context:buyer_complaint")) == \
        "上下文: 买家说被骚扰「别再打电话了」"
    long = "一" * 30
    assert describe(Evidence("negative", 0, 30, long, "lexicon:negative")) == "规则: 不礼貌用语「" + "一" * 19 + "…」"


def test_reason_rules_then_context_then_model_each_once():
    ev = [Evidence("diversion", 0, 2, "加我", "model:加我"),
          Evidence("diversion", 5, 13, "abc12345", "wechat_id"),
          Evidence("diversion", 20, 28, "xyz98765", "wechat_id"),
          Evidence("harassment", 0, 0, "骚扰", "context:buyer_complaint")]
    assert reason(ev) == '规则: 微信号；上下文: 买家说被骚扰「骚扰」；模型: "加我"'
    assert Classification("x", ["diversion"], {}, ev).to_dict()["reason"] == reason(ev)
    assert reason([]) == ""
