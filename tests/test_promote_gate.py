"""The promote gate: a candidate replaces the model only if it is not worse on the check set (tiny models)."""

import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.detect.promote import compare, promote
from monitor.detect.train import train_model
from tiny_corpus import ROWS

GOOD = ROWS
CHECK = ("text,labels\n爱买不买不退,negative\n烦不烦啊你,negative\n好的亲马上发货,ok\n亲亲稍等一下,ok\n"
         "感谢支持哦,ok\n已为您备注好了,ok\n")


def _write(path, rows):
    path.write_text("text,labels\n" + "".join(f"{t},{lab}\n" for lab, ts in rows.items() for t in ts), encoding="utf-8")


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    d = tmp_path_factory.mktemp("gate")
    _write(d / "good.csv", GOOD)
    # a worse corpus: the rude rows relabelled ok, the polite ones negative
    bad = {**GOOD, "negative": GOOD["ok"][:6], "ok": GOOD["negative"] + GOOD["ok"][6:]}
    _write(d / "bad.csv", bad)
    (d / "check.csv").write_text(CHECK, encoding="utf-8")
    train_model([str(d / "good.csv")], d / "good", seed=3, echo=lambda m: None, cv=False)
    train_model([str(d / "bad.csv")], d / "bad", seed=3, echo=lambda m: None, cv=False)
    return d


def test_compare_flags_a_lower_f1_and_more_false_alarms():
    cur = {"negative": {"f1": 0.9, "support": 5}, "ok": {"false_alarm_rate": 0.01}}
    cand = {"negative": {"f1": 0.85, "support": 5}, "ok": {"false_alarm_rate": 0.02}}
    r = compare(cand, cur)
    assert r["promote"] is False
    assert r["worse"] == ["F1 negative 0.8500 < 0.9000", "false alarms 0.0200 > 0.0100"]
    assert compare(cand, cur, tolerance=0.05)["promote"] is True
    assert compare(cur, cur)["promote"] is True


def test_a_worse_candidate_does_not_replace_the_model(models, tmp_path):
    into = tmp_path / "default"
    first = promote(models / "good", into=into, check_paths=[models / "check.csv"])
    assert first["done"] and (into / "model.joblib").read_bytes() == (models / "good" / "model.joblib").read_bytes()
    before = (into / "model.joblib").read_bytes()
    r = promote(models / "bad", into=into, check_paths=[models / "check.csv"])
    assert r["promote"] is False and r["done"] is False
    assert any(w.startswith("F1 negative") for w in r["worse"])
    assert (into / "model.joblib").read_bytes() == before


def test_a_candidate_not_worse_replaces_it_and_keeps_the_old_one(models, tmp_path):
    into = tmp_path / "default"
    promote(models / "bad", into=into, check_paths=[models / "check.csv"], force=True)
    r = promote(models / "good", into=into, check_paths=[models / "check.csv"])
    assert r["promote"] and r["done"]
    assert (into / "model.joblib").read_bytes() == (models / "good" / "model.joblib").read_bytes()
    assert (into / "previous" / "model.joblib").read_bytes() == (models / "bad" / "model.joblib").read_bytes()
    card = json.loads((into / "card.json").read_text(encoding="utf-8"))
    assert card["check_set"]["metrics"]["negative"]["f1"] == r["candidate"]["negative"]["f1"]


def test_cli_prints_the_comparison_and_exits_4_when_worse(models, tmp_path):
    into = tmp_path / "default"
    promote(models / "good", into=into, check_paths=[models / "check.csv"])
    res = CliRunner().invoke(cli, ["promote", str(models / "bad"), "--into", str(into),
                                   "--check", str(models / "check.csv")])
    assert res.exit_code == 4
    assert "NOT promoted" in res.output and "F1 negative" in res.output
    res = CliRunner().invoke(cli, ["promote", str(models / "good"), "--into", str(into),
                                   "--check", str(models / "check.csv"), "--dry-run"])
    assert res.exit_code == 0 and "may replace" in res.output


def test_the_candidate_cannot_be_its_own_target(models):
    from monitor.errors import UsageError
    with pytest.raises(UsageError, match="the candidate is the model it would replace"):
        promote(models / "good", into=models / "good", check_paths=[models / "check.csv"])
