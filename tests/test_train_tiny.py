"""train_model end to end on a tiny literal corpus: files written, card contents, model reloads."""

import json

import pytest

from monitor.detect import LABELS, load_model
from monitor.detect.train import choose_thresholds, train_model
from monitor.errors import InputError
from tiny_corpus import ROWS as TINY_ROWS

# the shared tiny corpus, its ordinary replies under the empty label (how a blank labels cell reads)
ROWS = {("" if label == "ok" else label): texts for label, texts in TINY_ROWS.items()}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    lines = ["text,labels"] + [f"{t},{lab or 'ok'}" for lab, ts in ROWS.items() for t in ts]
    (d / "l.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    card = train_model([str(d / "l.csv")], d / "model", seed=5, echo=lambda m: None)
    return d, card


def test_files_written_and_card_on_disk_matches(trained):
    d, card = trained
    assert (d / "model" / "model.joblib").stat().st_size > 0
    assert json.loads((d / "model" / "card.json").read_text(encoding="utf-8")) == card


def test_card_contents(trained):
    _, card = trained
    assert card["labels"] == list(LABELS) and card["seed"] == 5
    assert card["rows_per_label"] == {"diversion": 6, "qr_lure": 6, "negative": 6, "harassment": 6, "promise": 6,
                                      "ok": 10}
    assert card["training_rows"] == 40 and len(card["training_data_sha256"]) == 64
    cv = card["metrics"]["cv_grouped_5fold"]
    assert set(LABELS) <= set(cv) and "macro_f1" in cv and len(cv["fold_thresholds"]) == 5
    assert "Grouped 5-fold" in card["metrics"]["how"]
    assert set(card["thresholds"]) == set(LABELS)
    assert card["versions"]["scikit-learn"]


def test_trained_model_reloads_and_predicts(trained):
    d, card = trained
    clf = load_model(d / "model")
    assert clf.thresholds == card["thresholds"]
    assert clf.predict_proba(["好的亲", "加我微信聊"]).shape == (2, 5)


def test_too_few_examples_of_a_label_is_an_input_error(tmp_path):
    lines = ["text,labels"] + [f"好的{i},ok" for i in range(30)] + ["加我微信,diversion"]
    (tmp_path / "l.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="fewer than 5 examples of diversion, qr_lure, negative, harassment, promise"):
        train_model([str(tmp_path / "l.csv")], tmp_path / "m", echo=lambda m: None)


def test_thresholds_maximise_f1_in_the_middle_of_ties():
    import numpy as np
    y = np.array([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
    proba = np.array([[0.9, 0, 0, 0, 0], [0.8, 0, 0, 0, 0], [0.3, 0, 0, 0, 0], [0.1, 0, 0, 0, 0]])
    thr = choose_thresholds(y, proba, np.zeros_like(y))
    # every threshold in (0.3, 0.8] separates perfectly; the middle of that plateau is chosen
    assert 0.5 <= thr["diversion"] <= 0.6


def test_cli_no_cv_writes_a_model_whose_card_has_no_metrics(tmp_path):
    from click.testing import CliRunner

    from monitor.cli import cli
    lines = ["text,labels"] + [f"{t},{lab or 'ok'}" for lab, ts in ROWS.items() for t in ts]
    (tmp_path / "l.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["train", str(tmp_path / "l.csv"), "--out", str(tmp_path / "m"), "--no-cv"])
    assert res.exit_code == 0, res.output
    card = json.loads((tmp_path / "m" / "card.json").read_text(encoding="utf-8"))
    assert "metrics" not in card and set(card["thresholds"]) == set(LABELS)
    assert load_model(tmp_path / "m").predict(["好的亲"]) == [[]]


def test_shipped_thresholds_come_from_a_grouped_3_fold_split_like_the_cv_inner_split(trained):
    from monitor.detect.labelled import label_matrix, read_labelled
    from monitor.detect.train import grouped_proba, rule_matrix
    d, card = trained
    df = read_labelled([str(d / "l.csv")])
    texts, labels, fams = list(df["text"]), list(df["labels"]), list(df["family"])
    proba = grouped_proba(texts, labels, fams, seed=5, n_splits=3)
    assert card["params"]["threshold_folds"] == 3
    assert card["thresholds"] == choose_thresholds(label_matrix(labels), proba, rule_matrix(texts), 0.01)
