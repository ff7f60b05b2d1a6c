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
