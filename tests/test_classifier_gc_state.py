"""Classifier.classify turns Python's cyclic garbage collector off while it runs (a speed measure) and
leaves it as it found it: on after the call, off if it was off, on again when the call fails."""

import gc

import pytest

from monitor.detect import load_model


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_collector_is_off_during_the_call_and_on_after(model, monkeypatch):
    seen = []
    inner = model._classify
    monkeypatch.setattr(model, "_classify", lambda *a: (seen.append(gc.isenabled()), inner(*a))[1])
    assert gc.isenabled()
    out = model.classify(["加我微信", "好的亲"])
    assert seen == [False] and gc.isenabled()
    assert out[0].labels == ["diversion"] and out[1].labels == []


def test_collector_left_off_when_it_was_off(model):
    gc.disable()
    try:
        model.classify(["好的"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_back_on_when_the_call_fails(model, monkeypatch):
    def fail(*a):
        raise RuntimeError("boom")

    monkeypatch.setattr(model, "_classify", fail)
    with pytest.raises(RuntimeError):
        model.classify(["好的"])
    assert gc.isenabled()
