"""A model file is loaded only when its SHA-256 matches its card (model files are code; issue 18)."""

import json
import shutil

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.detect import load_model
from monitor.detect.model import DEFAULT_MODEL_DIR
from monitor.detect.model_file import ModelNotTrusted, file_sha256, stamp


@pytest.fixture
def model(tmp_path):
    d = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, d)
    return d


def test_the_shipped_card_vouches_for_the_shipped_model():
    card = json.loads((DEFAULT_MODEL_DIR / "card.json").read_text(encoding="utf-8"))
    assert card["model_sha256"] == file_sha256(DEFAULT_MODEL_DIR / "model.joblib")


def test_an_altered_model_file_is_refused_before_unpickling(model, monkeypatch):
    import pickle

    data = bytearray((model / "model.joblib").read_bytes())
    data[-1] ^= 1
    (model / "model.joblib").write_bytes(bytes(data))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("unpickled an unchecked file"))
    with pytest.raises(ModelNotTrusted, match=r"model.joblib: SHA-256 [0-9a-f]{64} does not match its card"):
        load_model(model)


def test_a_card_without_the_hash_or_no_card_is_refused(model):
    card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    del card["model_sha256"]
    (model / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelNotTrusted, match=f"python -m monitor.detect.model_file stamp {model}$"):
        load_model(model)
    assert stamp(model) == file_sha256(model / "model.joblib")
    assert load_model(model).card["model_sha256"] == file_sha256(model / "model.joblib")
    (model / "card.json").unlink()
    with pytest.raises(ModelNotTrusted, match="no model card beside model.joblib"):
        load_model(model)


def test_scan_with_a_swapped_model_exits_2(model, tmp_path):
    (model / "model.joblib").write_bytes(b"\x80\x04K\x01.")       # a pickle, but not the one the card names
    (tmp_path / "e.txt").write_text("tb_a 2026-11-22 10:00:00\n在吗\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["scan", str(tmp_path / "e.txt"), "--model", str(model), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "does not match its card" in res.output and "Traceback" not in res.output
    help_text = " ".join(CliRunner().invoke(cli, ["scan", "--help"]).output.split())
    assert "Model files are code (a pickle): load them only from places you trust" in help_text
