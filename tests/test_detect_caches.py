"""The per-text caches a scan empties between batches (monitor.detect.caches)."""

from monitor.detect import load_model
from monitor.detect.caches import clear_text_caches, text_caches


def test_the_caches_found_are_the_per_text_ones():
    load_model()
    assert sorted(f.__name__ for f in text_caches()) == ["_analyse", "_words", "normalise_cached", "normalise_text"]


def test_clearing_empties_them_and_classifying_again_gives_the_same_outcome():
    model = load_model()
    texts = ["加我微信abc12345", "亲，今天下午发货哦", "好评返现5元"]
    first = [(r.labels, r.scores) for r in model.classify(texts)]
    assert sum(f.cache_info().currsize for f in text_caches()) > 0
    assert clear_text_caches() > 0
    assert sum(f.cache_info().currsize for f in text_caches()) == 0
    assert [(r.labels, r.scores) for r in model.classify(texts)] == first


def test_clearing_also_empties_the_rules_record_of_texts_without_a_trigger():
    from monitor.detect import rules

    texts = ["亲，今天下午发货哦", "好的谢谢", "加我微信"]
    rules.rule_rows(texts)
    assert "好的谢谢" in rules._NO_HITS and "加我微信" not in rules._NO_HITS
    clear_text_caches()
    assert not rules._NO_HITS
    assert rules.find_evidence("好的谢谢") == [] and rules.find_evidence("加我微信")     # answers as before
