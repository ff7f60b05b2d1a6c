"""prefetch_model: the model file read, hashed and inflated in a thread; load_model takes those bytes
only while the file is unchanged, checks them against the card, and unpickles exactly them."""

import pickle
import shutil

import numpy as np
import pytest

from monitor.detect import load_model
from monitor.detect import model_file
from monitor.detect.model_file import DEFAULT_MODEL_DIR, ModelNotTrusted, prefetch_model

TEXTS = ["加我薇信 abc12345 发你优惠", "好的亲，马上为您发货", "滚，别烦我"]


@pytest.fixture
def model(tmp_path):
    d = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, d)
    yield d
    model_file._PREFETCHED.clear()


def test_a_prefetched_model_is_the_model(model, monkeypatch):
    prefetch_model(model)
    reads = []
    monkeypatch.setattr(model_file, "read_model_file", lambda p: reads.append(p) or pytest.fail("read again"))
    fetched = load_model(model)
    assert reads == [] and model_file._PREFETCHED == {}          # taken once, then forgotten
    monkeypatch.undo()
    plain = load_model(model)
    np.testing.assert_array_equal(fetched.predict_proba(TEXTS), plain.predict_proba(TEXTS))


def test_a_file_changed_after_the_prefetch_is_read_again_and_refused(model, monkeypatch):
    prefetch_model(model)
    model_file._PREFETCHED[(model / "model.joblib").resolve()].thread.join()
    with open(model / "model.joblib", "ab") as fh:       # now it is not the file the card names
        fh.write(b"\0")
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled an unchecked file"))
    with pytest.raises(ModelNotTrusted, match="does not match its card"):
        load_model(model)


def test_prefetched_bytes_that_do_not_match_the_card_are_refused(model, monkeypatch):
    data = bytearray((model / "model.joblib").read_bytes())
    data[-1] ^= 1
    (model / "model.joblib").write_bytes(bytes(data))
    prefetch_model(model)
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled an unchecked file"))
    with pytest.raises(ModelNotTrusted, match="does not match its card"):
        load_model(model)


def test_no_model_file_no_thread(tmp_path):
    prefetch_model(tmp_path)
    assert model_file._PREFETCHED == {}
