"""A/B of the classifier alone, as the scan calls it: CPU seconds of `Classifier.classify` over a night's
distinct seller texts, one call per shop file, old tree against new, in alternation.

    git archive <commit> | tar -x -C /tmp/old
    .venv/bin/python bench/ab_classifier_cpu.py --night bench/_work/real_300000 --old /tmp/old [--new /tmp/new] \
        --repeats 3

Each run is its own process (this venv's python; PYTHONPATH picks the tree). The timed part is only the
classify calls (process CPU time, so other load on the shared machine inflates it far less than wall
time); reading the files and loading the model are outside it. The scan classifies each shop's distinct
readable seller texts it has not seen yet: here each file's distinct seller texts, in file order, minus
those an earlier file had (the same order of first appearance). Also prints a digest of every result, so
the two trees are seen to give the same labels, scores and evidence.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import hashlib, json, sys, time
from pathlib import Path
import pandas as pd
from monitor.detect import load_model
files = sorted(Path(sys.argv[1]).glob("shop*.csv"))
seen, calls = set(), []
for f in files:
    df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    texts = [t for t in dict.fromkeys(df.loc[df["role"] != "buyer", "text"]) if t.strip() and t not in seen]
    seen.update(texts)
    calls.append(texts)
model = load_model()
digest = hashlib.sha256()
t0 = time.process_time()
results = [model.classify(texts) for texts in calls]
cpu = time.process_time() - t0
for rs in results:
    for r in rs:
        digest.update(json.dumps([r.labels, [float(v).hex() for v in r.scores.values()],
                                  [e.to_dict() for e in r.evidence]], ensure_ascii=False).encode())
print(json.dumps({"cpu": cpu, "texts": sum(map(len, calls)), "calls": len(calls), "digest": digest.hexdigest()}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--night", type=Path, required=True)
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", default=str(Path(__file__).resolve().parents[1]))
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    res: dict[str, list] = {"old": [], "new": []}
    print(f"load before: {os.getloadavg()[0]:.2f}")
    for r in range(args.repeats):
        for name, tree in (("old", args.old), ("new", args.new)):
            out = subprocess.run([sys.executable, "-P", "-c", CHILD, str(args.night)], capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": tree}, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            res[name].append(got)
            print(f"  {r + 1}/{args.repeats} {name}: {got['cpu']:.2f} CPU s, {got['texts']:,} texts in "
                  f"{got['calls']} calls, digest {got['digest'][:16]}, load {os.getloadavg()[0]:.2f}", flush=True)
    print("| tree | median CPU s | min | max | texts/CPU s |")
    print("|---|---:|---:|---:|---:|")
    for name, v in res.items():
        cpus = [g["cpu"] for g in v]
        print(f"| {name} | {statistics.median(cpus):.2f} | {min(cpus):.2f} | {max(cpus):.2f} | "
              f"{v[0]['texts'] / statistics.median(cpus):,.0f} |")
    same = len({g["digest"] for v in res.values() for g in v}) == 1
    print("same results old vs new:", same)


if __name__ == "__main__":
    main()
