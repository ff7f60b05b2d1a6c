"""Training time on 10k and 100k labelled rows.

    .venv/bin/python bench/bench_train.py --sizes 10000 100000 --repeats 1

The corpus is smaller than that, so the rows are the corpus plus disguised variants of its rows
(monitor.detect.augment, fixed seed) until the size is reached; families are kept, so grouped folds
still hold. Times `chatmon train --out ...` end to end, which includes the grouped 5-fold measurement
and the final fit, and `chatmon train --no-cv` (thresholds from grouped 3-fold out-of-fold
probabilities, then the final fit: 4 fits, what a retrain without the measurement costs). `--full-max N`:
sizes above N run only the --no-cv contender (the full train is 24 fits).

The labels are fitted in CHATMON_WORKERS processes (default: the CPU count, at most 4). Those workers'
CPU time and memory are not in the wait4 figures of the chatmon process; for the CPU cost of a run,
run it with CHATMON_WORKERS=1.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import REPO, WORK, Contender, results_payload, run_alternating, save, table  # noqa: E402

from monitor.detect.augment import disguise  # noqa: E402
from monitor.detect.labelled import read_labelled  # noqa: E402


def make_rows(n: int, seed: int = 7) -> Path:
    path = WORK / f"labelled_{n}" / "rows.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    df = read_labelled([REPO / "data" / "labelled"])
    rng = random.Random(seed)
    rows = [(t, "|".join(ls) or "ok", f) for t, ls, f in zip(df["text"], df["labels"], df["family"])]
    seen = {r[0] for r in rows}
    base = list(rows)
    tries = 0
    while len(rows) < n and tries < n * 20:
        tries += 1
        t, labels, fam = rng.choice(base)
        v = disguise(t, rng) or (t + rng.choice(["～", "哦", "呢", "!", "。", " 😊", "亲"]) * rng.randint(1, 3))
        if v not in seen:
            seen.add(v)
            rows.append((v, labels, fam))
    rng.shuffle(rows)     # files are read label by label: a prefix of them would miss whole labels
    pd.DataFrame(rows[:n], columns=["text", "labels", "family"]).to_csv(path, index=False)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--full-max", type=int, default=20_000)
    args = ap.parse_args()
    report = {}
    for n in args.sizes:
        rows = make_rows(n)
        base = [str(REPO / ".venv/bin/chatmon"), "train", str(rows), "--out", str(WORK / f"model_{n}")]
        cs = [Contender(f"chatmon train --no-cv ({n:,} rows)", base + ["--no-cv"], n)]
        if n <= args.full_max:
            cs.insert(0, Contender(f"chatmon train ({n:,} rows)", base, n))
        results = run_alternating(cs, repeats=args.repeats)
        print(table(results))
        report[n] = results_payload(results)
    print("saved", save("train", report))


if __name__ == "__main__":
    main()
