"""A/B on a benchmark night: `chatmon scan` and `chatmon ingest` of an older tree and this one, against
`pandas.read_csv` of the same files, round-robin, wall AND CPU time.

    .venv/bin/python bench/real_night.py --messages 300000 --out bench/_work/real_300000
    git archive 3548833 | tar -x -C /tmp/old
    .venv/bin/python bench/ab_night.py --night bench/_work/real_300000 --old /tmp/old --repeats 3

A night on top of a history (--history): build one by scanning earlier nights of other dates, e.g.

    for d in 22 23 24 25 26 27 28; do .venv/bin/python bench/real_night.py --messages 300000 \
        --seed 1$d --day 2026-11-$d --out bench/_work/hist/n$d
      .venv/bin/chatmon scan bench/_work/hist/n$d/shop*.csv --out bench/_work/hist/out --db bench/_work/hist/h.duckdb
    done
    .venv/bin/python bench/real_night.py --messages 300000 --seed 129 --day 2026-11-29 --out bench/_work/hist/n29
    .venv/bin/python bench/ab_night.py --night bench/_work/hist/n29 --history bench/_work/hist/h.duckdb --old /tmp/old

A longer history from those seven nights in seconds (bench/grow_history.py: 28 nights, 1.7 GB):

    .venv/bin/python bench/grow_history.py --history bench/_work/hist/h.duckdb --times 3 --out bench/_work/hist/h28.duckdb

Input: the night's shop*.csv files (canonical csv, what bench/real_night.py writes), passed as files
so its night.json is not read. Every run is its own process (this venv's python; PYTHONPATH picks the
tree, as bench/ab_classify.py does); scans write to a fresh folder and history each run, so nothing is
skipped as already scanned. `pandas.read_csv` reads every file with dtype=str, keep_default_na=False
(the columns as text, as chatmon reads them); its process includes Python's and pandas' start, as
chatmon's does. The ratios are medians over medians; CPU time (user+sys of the process tree, from
wait4) is far less sensitive than wall time to other load on a shared machine. Peak memory: the summed
PSS of the process tree (parent and workers), sampled every 0.2 s (bench/harness.py run_once).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PY, REPO, WORK, Contender, python_speed, run_once  # noqa: E402

# the record (HISTORY.sha256) a tree's last scan leaves of a history, written by that tree's own code
RECORD = ("import sys\n"
          "try:\n    from monitor.history_backup import record_checked\n"
          "except ImportError:\n    from monitor.store import record_checked\n"
          "record_checked(sys.argv[1])\n")
READ_CSV = ("import sys, pandas as pd\n"
            "n = sum(len(pd.read_csv(f, dtype=str, keep_default_na=False, encoding='utf-8-sig')) for f in sys.argv[1:])\n"
            "print(n)")



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--night", type=Path, required=True, help="a folder of canonical csv files (shop*.csv)")
    ap.add_argument("--old", help="source tree of the baseline (e.g. a git archive); omitted: this tree only")
    ap.add_argument("--new", default=str(REPO), help="source tree to compare (default: this one)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", help="CHATMON_WORKERS for the scans (default: chatmon's own choice)")
    ap.add_argument("--skip", nargs="*", default=[], help="contenders to leave out (e.g. 'old scan')")
    ap.add_argument("--history", type=Path,
                    help="a history (.duckdb) each scan starts from, copied afresh before every run, with the "
                         "record each tree's own last scan leaves beside it: a night scanned on top of earlier "
                         "nights, as every night is")
    args = ap.parse_args()
    files = [str(f) for f in sorted(args.night.glob("shop*.csv"))]
    info = json.loads((args.night / "night.json").read_text(encoding="utf-8")) if (args.night / "night.json").exists() else {}
    n = info.get("messages")
    cli = [PY, "-P", "-c", "from monitor.cli import main; main()"]
    scan_env = {"CHATMON_WORKERS": args.workers} if args.workers else {}
    trees = {"new": args.new} | ({"old": args.old} if args.old else {})
    cs = {"pandas.read_csv": ([PY, "-c", READ_CSV, *files], {})}
    for name, tree in trees.items():
        out = WORK / f"ab_night_{name}"
        cs[f"{name} ingest"] = ([*cli, "ingest", *files, "-o", str(WORK / f"ab_night_{name}.csv")],
                                {"PYTHONPATH": tree})
        cs[f"{name} scan"] = ([*cli, "scan", *files, "--out", str(out), "--db", str(WORK / f"ab_night_{name}.duckdb")],
                              {"PYTHONPATH": tree, **scan_env}, out)
    cs = {k: v for k, v in cs.items() if k not in args.skip}
    res: dict[str, list] = {name: [] for name in cs}
    loads = [os.getloadavg()[0]]
    speeds = [python_speed()]
    print(f"== {args.night} ({n or '?'} messages, {len(files)} files); nproc {os.cpu_count()}; load {loads[0]:.2f}"
          + (f"; each scan on a copy of {args.history} ({args.history.stat().st_size / 2**20:,.0f} MB)" if args.history else ""))
    for r in range(args.repeats):
        for name, spec in cs.items():
            argv, env = spec[0], spec[1]
            if len(spec) > 2:       # a scan: fresh output folder and history
                shutil.rmtree(spec[2], ignore_errors=True)
                Path(str(spec[2]) + ".duckdb").unlink(missing_ok=True)
                for db in WORK.glob(f"{spec[2].name}.duckdb*"):
                    db.unlink()
                if args.history:
                    copy = WORK / (spec[2].name + ".duckdb")
                    shutil.copyfile(args.history, copy)
                    # the record the tree's own last scan would have left of this file (its format
                    # and the copy's time are the tree's and the copy's), untimed
                    subprocess.run([PY, "-c", RECORD, str(copy)], env={**os.environ, "PYTHONPATH": spec[1]["PYTHONPATH"]},
                                   check=True)
                    os.sync()       # the copy's writes are not left for the scan's own I/O to wait on
            wall, _, pss, cpu = run_once(Contender(name, argv, n or 0, env))
            res[name].append((wall, cpu, pss))
            print(f"  {r + 1}/{args.repeats} {name}: {wall:.2f} s wall, {cpu:.2f} s cpu, peak PSS of the process "
                  f"tree {pss:,.0f} MB, load {os.getloadavg()[0]:.2f}", flush=True)
        loads.append(os.getloadavg()[0])
        speeds.append(python_speed())
    base = res.get("pandas.read_csv")
    bw = statistics.median(w for w, _, _ in base) if base else None
    bc = statistics.median(c for _, c, _ in base) if base else None
    print(f"load average (1 min) between rounds: {', '.join(f'{x:.2f}' for x in loads)}")
    print(f"host speed between rounds (harness.python_speed, CPU s of a fixed 10M-step Python loop; lower is "
          f"faster): {', '.join(f'{x:.2f}' for x in speeds)}")
    print("| contender | median wall s | min–max wall s | median CPU s | msgs/s (wall) | × read_csv wall | × read_csv CPU "
          "| peak PSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, v in res.items():
        w = statistics.median(x for x, _, _ in v)
        c = statistics.median(y for _, y, _ in v)
        mem = max(m for _, _, m in v)
        rate = f"{n / w:,.0f}" if n else ""
        print(f"| {name} | {w:.2f} | {min(x for x, _, _ in v):.2f}–{max(x for x, _, _ in v):.2f} | {c:.2f} | {rate} "
              f"| {w / bw:.1f}× | {c / bc:.1f}× | {mem:,.0f} |" if bw else
              f"| {name} | {w:.2f} | | {c:.2f} | {rate} | | | {mem:,.0f} |")


if __name__ == "__main__":
    main()
