"""Segmenters on real wording: texts per CPU-second and how many texts each cuts differently from jieba.

    .venv/bin/python bench/bench_segment.py                       # the 25,624 real agent replies
    .venv/bin/python bench/bench_segment.py --file real_cs_customer_turns.csv

Input: a text column of ../shared/eval (benchmark input only), each text normalised as the classifier
does (monitor.text.normalise_text) before cutting. jieba (the reference) and rjieba (the default) are
installed with chatmon; the others are measured when present in the environment
(`pip install jieba_fast jieba-fast-dat`), else skipped. Each segmenter cuts every text three times; the
fastest pass (by CPU time) is reported, and its cuts (whitespace tokens dropped, as features.words does)
are compared with jieba's.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import time
from pathlib import Path

import pandas as pd

from monitor.text import normalise_text

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _loader(name: str):
    if name == "rjieba":
        import rjieba
        return rjieba.cut
    mod = __import__(name)             # jieba, jieba_fast, jieba_fast_dat share jieba's API
    if hasattr(mod, "setLogLevel"):
        mod.setLogLevel(logging.WARNING)
    mod.initialize()
    return mod.lcut


def measure(name: str, texts: list[str]) -> tuple[dict, list[list[str]]] | None:
    c0 = _cpu()
    try:
        cut = _loader(name)
    except ImportError:
        return None
    cut("初始化")
    load = _cpu() - c0
    best, out = None, None
    for _ in range(3):
        c0, t0 = _cpu(), time.perf_counter()
        cuts = [cut(t) for t in texts]
        c, w = _cpu() - c0, time.perf_counter() - t0
        if best is None or c < best[0]:
            best, out = (c, w), cuts
    return ({"segmenter": name, "load_cpu_s": round(load, 2), "cpu_s": round(best[0], 3), "wall_s": round(best[1], 3),
             "texts_per_cpu_s": round(len(texts) / best[0])},
            [[w for w in c if w.strip()] for c in out])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default="real_cs_agent_replies.csv", help="a csv of ../shared/eval with a text column")
    ap.add_argument("--segmenters", nargs="+", default=["jieba", "rjieba", "jieba_fast", "jieba_fast_dat"])
    args = ap.parse_args()
    raw = pd.read_csv(EVAL / args.file, usecols=["text"], dtype=str, keep_default_na=False)["text"]
    texts = [normalise_text(t) for t in raw]
    ref = None
    for name in args.segmenters:
        got = measure(name, texts)
        if got is None:
            print(json.dumps({"segmenter": name, "skipped": "not installed"}))
            continue
        row, cuts = got
        if ref is None:
            ref = (name, cuts)
        row["texts"] = len(texts)
        row[f"differ_from_{ref[0]}"] = sum(a != b for a, b in zip(ref[1], cuts))
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
