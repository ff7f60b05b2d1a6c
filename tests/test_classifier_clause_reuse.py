"""The clauses scored in one classify call are reused by the next (their scores do not depend on the
batch), up to KEEP_CLAUSES of them; the results are those of a fresh classifier."""

import monitor.detect.model as model_mod
from test_classifier_clauses import BAD, LONG, _model

OTHER = "亲，您好，感谢您选择本店，" + BAD + "，祝您生活愉快"
CLAUSES_OF_LONG = ["您好亲，感谢您选择本店", "商品都是正品保证", BAD, "有问题随时找我们"]


def test_a_second_call_scores_only_the_clauses_it_has_not_seen():
    model, f = _model()
    first = model.classify([LONG])[0]
    assert f.seen == [LONG, *CLAUSES_OF_LONG]
    f.seen.clear()
    second = model.classify([OTHER, LONG])
    # LONG itself again (each call scores its texts), OTHER, and of OTHER's clauses only the new ones
    assert f.seen == [OTHER, LONG, "亲，您好，感谢您选择本店", "祝您生活愉快"]
    fresh, _ = _model()
    assert [c.to_dict() for c in second] == [c.to_dict() for c in fresh.classify([OTHER, LONG])]
    assert second[1].to_dict() == first.to_dict()


def test_the_kept_clauses_are_dropped_when_there_are_too_many(monkeypatch):
    monkeypatch.setattr(model_mod, "KEEP_CLAUSES", 3)
    model, f = _model()
    model.classify([LONG])
    assert list(model._clauses) == CLAUSES_OF_LONG[:3]       # at most KEEP_CLAUSES of a call kept
    f.seen.clear()
    model.classify([LONG])
    assert f.seen == [LONG, "有问题随时找我们"]
    assert list(model._clauses) == ["有问题随时找我们"]       # 3 kept + 1 new > 3: the old dropped
