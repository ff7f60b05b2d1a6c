"""Where a command's wall time goes on the machine's cores: runs it, samples the CPU time of its whole
process tree every --every seconds (/proc/<pid>/stat of the process and every descendant), and prints
how many cores it kept busy over time, the wall seconds with less than all cores busy, the idle core
seconds (cores × wall − CPU), and when each line of its output came.

    .venv/bin/python bench/timeline.py -- .venv/bin/chatmon scan bench/_work/real_300000/*.csv \\
        --out bench/_work/tl --db bench/_work/tl.duckdb

Meaningful on a quiet machine only: other load takes cores the command would have used. The CPU of a
process in the sampling interval it ends in is not seen (the total from wait4 is printed beside).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _tree_ticks(root: int) -> dict[int, int]:
    """{pid: utime+stime ticks} of root and its descendants."""
    seen, todo = {}, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            seen[pid] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
        todo += _children(pid)
    return seen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=float, default=0.25, help="sampling interval, seconds")
    ap.add_argument("--bucket", type=float, default=1.0, help="seconds per line of the printed timeline")
    ap.add_argument("--per-process", action="store_true",
                    help="also print each process's cores busy per line (which of the scan's processes waits)")
    ap.add_argument("argv", nargs=argparse.REMAINDER, help="the command (after --)")
    args = ap.parse_args()
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    cores = os.cpu_count() or 1
    print(f"load average before: {os.getloadavg()[0]:.2f}; {cores} cores; sampling every {args.every} s")
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    samples: list[tuple[float, int]] = []       # (time, CPU ticks of the tree since the start)
    per_pid: list[tuple[float, dict]] = []      # (time, {pid: its CPU ticks so far})
    lines: list[tuple[float, str]] = []
    done = threading.Event()

    def sample() -> None:
        last: dict[int, int] = {}
        total = 0
        while not done.is_set():
            now = _tree_ticks(proc.pid)
            total += sum(t - last.get(p, 0) for p, t in now.items())
            last.update(now)
            samples.append((time.perf_counter() - t0, total))
            per_pid.append((samples[-1][0], dict(last)))
            done.wait(args.every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for raw in proc.stdout:
        lines.append((time.perf_counter() - t0, raw.decode("utf-8", "replace").rstrip()))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    cpu = usage.ru_utime + usage.ru_stime
    print(f"exit {os.waitstatus_to_exitcode(status)}; wall {wall:.2f} s; CPU {cpu:.2f} s (wait4); "
          f"idle core seconds {cores * wall - cpu:.2f}; load average after: {os.getloadavg()[0]:.2f}")
    # cores busy per bucket, from the sampled ticks
    marks = iter(lines)
    mark = next(marks, None)
    start, prev_t, prev_c = 0.0, 0.0, 0
    prev_p: dict = {}
    pids = sorted({p for _, seen in per_pid for p in seen})
    if args.per_process:
        print("per process (pid order: " + " ".join(map(str, pids)) + "; the first is the command)")
    under = 0.0
    while start < wall:
        end = min(start + args.bucket, wall)
        inside = [(t, c) for t, c in samples if start < t <= end]
        if inside:
            t, c = inside[-1]
            span = max(t - prev_t, 1e-9)
            busy = (c - prev_c) / TICK / span
            now_p = next(seen for u, seen in reversed(per_pid) if u <= t)
            each = " ".join(f"{(now_p.get(p, 0) - prev_p.get(p, 0)) / TICK / span:4.2f}" for p in pids)
            prev_t, prev_c, prev_p = t, c, now_p
        else:
            busy, each = float("nan"), ""
        if busy == busy and busy < cores - 0.5:
            under += end - start
        bar = "#" * int(round(busy * 10)) if busy == busy else "?"
        said = []
        while mark is not None and mark[0] <= end:
            said.append(mark[1][:70])
            mark = next(marks, None)
        shown = f" | {said[-1]}" + (f" (+{len(said) - 1} lines)" if len(said) > 1 else "") if said else ""
        print(f"{start:7.1f}s {busy:4.2f} {bar:<{cores * 10}}" + (f" [{each}]" if args.per_process else "")
              + shown)
        start = end
    print(f"wall seconds with fewer than {cores - 0.5:g} cores busy: {under:.1f} of {wall:.1f}")


if __name__ == "__main__":
    sys.exit(main())
