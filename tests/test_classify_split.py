"""`chatmon classify` of a large input does the part after a batch boundary in a forked child
(monitor/detect/classify.py, monitor/forked.py): the output is the one-process output byte for byte."""

import os

import pytest

import monitor.detect.classify as classify_mod
import monitor.forked as forked
from monitor.detect.model import Classifier
from real_texts import corpus_texts

# repeats, texts with one normalised key in several forms (in both parts), long texts with clauses
REPEATED = ["您好亲", "您好 亲", "加我薇信 abc12345 发你优惠", "亲，这款是现货的哦，今天下单明天就能发出，您放心拍吧，有问题随时找我",
            "爱买不买，自己看详情页", "亲，这款是现货的哦,今天下单明天就能发出  您放心拍吧，有问题随时找我"]
TEXTS = [t for pair in zip(corpus_texts()[:160], REPEATED * 27) for t in pair]      # 320: 8 batches of 40


def _run(tmp_path, monkeypatch, fmt: str, workers: str) -> bytes:
    monkeypatch.setenv("CHATMON_WORKERS", workers)
    out = tmp_path / f"out_{workers}.{fmt}"
    classify_mod.classify_command(TEXTS, fmt=fmt, output=str(out))
    return out.read_bytes()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(classify_mod, "BATCH", 40)
    monkeypatch.setattr(classify_mod, "SPLIT_FROM", 80)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    started = []
    real = forked.in_child
    monkeypatch.setattr(forked, "in_child", lambda work: started.append(1) or real(work))
    return started


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_split_output_is_the_one_process_output(tmp_path, monkeypatch, small_batches, fmt):
    alone = _run(tmp_path, monkeypatch, fmt, "1")
    assert small_batches == []
    split = _run(tmp_path, monkeypatch, fmt, "")
    assert small_batches == [1]
    assert split == alone
    assert len(alone.decode("utf-8-sig").splitlines()) == len(TEXTS) + (fmt == "csv")


def test_a_failing_child_is_done_again_here(tmp_path, monkeypatch, small_batches, capfd):
    alone = _run(tmp_path, monkeypatch, "csv", "1")
    parent, real = os.getpid(), Classifier.classify

    def fails_in_child(self, texts, *args, **kwargs):
        if os.getpid() != parent:
            raise RuntimeError("child broke")
        return real(self, texts, *args, **kwargs)

    monkeypatch.setattr(Classifier, "classify", fails_in_child)
    assert _run(tmp_path, monkeypatch, "csv", "") == alone
    assert small_batches == [1] and "child broke" in capfd.readouterr().err


@pytest.mark.parametrize("n, workers, cpus, cut", [
    (39_999, "", 2, None), (40_000, "", 2, 20_000), (60_000, "", 2, 40_000), (1_000_000, "", 4, 500_000),
    (1_000_001, "", 2, 500_000), (60_000, "1", 2, None), (60_000, "", 1, None)])
def test_where_the_input_is_split(monkeypatch, n, workers, cpus, cut):
    monkeypatch.setenv("CHATMON_WORKERS", workers)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert classify_mod._split_at(n) == cut
