"""A/B of `chatmon classify` from a file: an older source tree against this one, with wall AND CPU time.

    git archive <commit> | tar -x -C /tmp/old
    .venv/bin/python bench/ab_classify.py --old /tmp/old [--new /tmp/new] --sizes 200000 1000000 --repeats 5 \
        [--model bench/_work/model_resaved] [--naive]

Every run is its own process (this venv's python; PYTHONPATH picks the tree), round-robin, so a busy
phase of the shared machine hits all contenders alike. CPU time (user+sys of the child, from wait4)
is far less sensitive to other load than wall time. Inputs are bench_classify's seller_<n>.csv.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PY, REPO, WORK, run_child as run  # noqa: E402



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="source tree of the baseline (e.g. a git archive)")
    ap.add_argument("--new", default=str(REPO), help="source tree to compare (default: this one; a git archive "
                                                     "of a commit keeps edits made meanwhile out of the runs)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--model", action="append", default=[], help="also run the new tree with --model DIR")
    ap.add_argument("--naive", action="store_true", help="also run the naive jieba+TF-IDF+LR contender")
    ap.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    args = ap.parse_args()
    # -P: no current folder on sys.path, so PYTHONPATH alone picks the tree (the cwd is this repo)
    cli = ["-P", "-c", "from monitor.cli import main; main()", "classify"]
    for n in args.sizes:
        inp = WORK / f"seller_{n}.csv"
        out = ["--input", str(inp), "--format", args.format, "-o"]
        cs = {
            "old": ([PY, *cli, *out, str(WORK / f"ab_old.{args.format}")], {"PYTHONPATH": str(Path(args.old))}),
            "new": ([PY, *cli, *out, str(WORK / f"ab_new.{args.format}")], {"PYTHONPATH": args.new}),
        }
        for k, m in enumerate(args.model):
            cs[f"new --model {Path(m).name}"] = ([PY, *cli, "--model", m, *out, str(WORK / f"ab_new{k}.{args.format}")],
                                                 {"PYTHONPATH": args.new})
        if args.naive:
            cs["naive"] = ([PY, str(REPO / "bench/contenders/naive_tfidf.py"), "classify", str(WORK / "naive.joblib"),
                            str(inp), str(WORK / "ab_naive.csv")], {})
        res = {name: [] for name in cs}
        print(f"== {n:,} messages; load before: {os.getloadavg()[0]:.2f}")
        for r in range(args.repeats):
            for name, (argv, env) in cs.items():
                wall, cpu = run(argv, env)
                res[name].append((wall, cpu))
                print(f"  {r + 1}/{args.repeats} {name}: {wall:.2f} s wall, {cpu:.2f} s cpu", flush=True)
        print(f"   load after: {os.getloadavg()[0]:.2f}")
        print("| contender | median wall s | min wall s | median cpu s |")
        print("|---|---:|---:|---:|")
        for name, v in res.items():
            print(f"| {name} | {statistics.median(w for w, _ in v):.2f} | {min(w for w, _ in v):.2f} "
                  f"| {statistics.median(c for _, c in v):.2f} |")


if __name__ == "__main__":
    main()
