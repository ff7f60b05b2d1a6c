"""Metrics (shared by CV and `chatmon evaluate`) and evaluate_files on literal files."""

import json

import numpy as np

from monitor.detect.evaluate import evaluate_files
from monitor.detect.metrics import metrics


def test_metrics_on_literal_predictions():
    #          div q neg har promise
    y = np.array([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]])
    p = np.array([[1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]])
    m = metrics(y, p)
    assert m["diversion"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2}
    assert m["negative"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "predicted": 1}
    assert m["qr_lure"] == {"precision": None, "recall": None, "f1": None, "support": 0, "predicted": 0}
    assert m["macro_f1"] == 0.75          # mean over labels with support: (0.5 + 1.0) / 2
    # the last ok row is predicted `promise`: not a violation, so not a false alarm
    assert m["ok"] == {"support": 2, "false_alarm_rate": 0.5}
    assert m["promise"] == {"precision": 0.0, "recall": None, "f1": 0.0, "support": 0, "predicted": 1}


def test_evaluate_reads_expected_column_and_is_json(tmp_path):
    f = tmp_path / "eval.csv"
    f.write_text("text,expected,dataset\n有事打我电话13912345678,diversion,x\n好的亲，马上为您发货,ok,x\n"
                 "您好，请问有什么可以帮您,ok,x\n", encoding="utf-8")
    out = evaluate_files([str(f)])
    json.dumps(out)
    m = out["files"][str(f)]
    assert m["rows"] == 3
    assert m["diversion"]["support"] == 1 and m["diversion"]["recall"] == 1.0
    assert m["ok"] == {"support": 2, "false_alarm_rate": 0.0}
    assert m["rows_per_s"] > 0


def test_evaluate_folder_adds_a_total(tmp_path):
    (tmp_path / "a.csv").write_text("text,labels\n有事打我电话13912345678,diversion\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("text,labels\n好的亲,ok\n", encoding="utf-8")
    out = evaluate_files([str(tmp_path)])
    assert len(out["files"]) == 2
    assert out["all"]["diversion"]["support"] == 1 and out["all"]["ok"]["support"] == 1


def test_half_of_is_a_fixed_split_and_evaluate_scores_one_half(tmp_path):
    from monitor.detect.evaluate import half_of
    texts = [f"好的亲，第{i}单马上发货" for i in range(40)]
    halves = [half_of(t) for t in texts]
    assert halves == [half_of(t) for t in texts]                # deterministic
    assert 5 < halves.count("dev") < 35                         # both halves get rows
    f = tmp_path / "e.csv"
    f.write_text("text,expected\n" + "".join(f"{t},ok\n" for t in texts), encoding="utf-8")
    dev = evaluate_files([str(f)], half="dev")["files"][str(f)]
    test = evaluate_files([str(f)], half="test")["files"][str(f)]
    assert dev["rows"] == halves.count("dev") and test["rows"] == halves.count("test")
