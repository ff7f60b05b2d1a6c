"""Which models load_model gives as inference stand-ins (monitor/detect/standins.py) and which through
sklearn: a model the stand-ins cover gives the same numbers both ways; anything else (hashed features, a
class they do not know) is unpickled by sklearn as before, and the stand-ins refuse to be pickled."""

import pickle
from pathlib import Path

import numpy as np
import pytest

from monitor.detect import load_model
from monitor.detect.labelled import label_matrix, read_labelled
from monitor.detect.model import Classifier, make_pipeline
from monitor.detect.model_file import read_model_file
from monitor.detect.standins import Pipeline, loads

ROOT = Path(__file__).resolve().parent.parent


def _saved(folder: Path, **params) -> Path:
    df = read_labelled([ROOT / "data" / "labelled"]).sample(300, random_state=5)
    texts = df["text"].tolist()
    pipe = make_pipeline(**params).fit(texts, label_matrix(list(df["labels"])), clf__groups=np.arange(len(df)) // 2)
    Classifier(pipe, {}).save(folder)
    return folder


@pytest.fixture(scope="module")
def probe():
    return read_labelled([ROOT / "data" / "labelled"]).sample(400, random_state=6)["text"].tolist() + ["", "加我vx"]


@pytest.mark.parametrize("params", [{"base": "lr", "nb_view": False}, {"base": "svc", "nb_view": True}])
def test_a_covered_model_is_stand_ins_with_sklearns_numbers(tmp_path, probe, params):
    folder = _saved(tmp_path, **params)
    standin, real = load_model(folder), load_model(folder, sklearn=True)
    assert type(standin.pipeline) is Pipeline
    assert type(real.pipeline) is not Pipeline
    assert np.array_equal(standin.predict_proba(probe), real.predict_proba(probe))
    assert [c.to_dict() for c in standin.classify(probe)] == [c.to_dict() for c in real.classify(probe)]


def test_hashed_features_load_through_sklearn(tmp_path, probe):
    folder = _saved(tmp_path, hashing=True)
    model = load_model(folder)
    assert type(model.pipeline).__module__ == "sklearn.pipeline"
    assert model.predict_proba(probe).shape == (len(probe), 5)


def test_a_class_the_stand_ins_do_not_know_is_left_to_sklearn(tmp_path):
    from sklearn.preprocessing import MaxAbsScaler

    blob = read_model_file(_saved(tmp_path, base="lr") / "model.joblib")
    assert loads(pickle.dumps(blob)) is not None
    blob["pipeline"].named_steps["features"].transformer_list.append(("scale", MaxAbsScaler()))
    assert loads(pickle.dumps(blob)) is None      # load_model then unpickles the bytes with sklearn


def test_bytes_the_stand_ins_cannot_read_are_left_to_sklearn():
    # load_model then unpickles them the ordinary way, which says what is wrong with the file
    assert loads(b"\x80\x05garbage") is None
    assert loads(pickle.dumps({"pipeline": "not a model"})) is None


def test_stand_ins_are_not_pickled():
    model = load_model()
    with pytest.raises(TypeError, match="stand-in"):
        pickle.dumps(model.pipeline)
