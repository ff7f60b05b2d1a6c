"""Texts for equality tests that must hold on input we did not write: the labelled corpus and the real
public text of ../shared/eval (evaluation only: read here, never trained on or copied)."""

import csv
from pathlib import Path

import pytest

from monitor.detect.labelled import read_labelled

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
needs_eval = pytest.mark.skipif(not EVAL.exists(), reason="../shared/eval not present")


def corpus_texts() -> list[str]:
    return read_labelled([ROOT / "data" / "labelled"])["text"].tolist()


def eval_texts(pattern: str = "*.csv") -> list[str]:
    texts = []
    for path in sorted(EVAL.glob(pattern)):
        with open(path, encoding="utf-8", newline="") as fh:
            texts += [r["text"] for r in csv.DictReader(fh)]
    return texts
