"""Benchmark harness: run contenders as subprocesses, in alternation, several times each.

Each run is its own process, so its peak memory (ru_maxrss from wait4, for that child only) and wall
time are its own. ru_maxrss is the largest single process of the tree, so a contender that works in
several processes also gets pss_mb: the peak of the summed PSS of its whole process tree (shared pages
split between the processes sharing them), sampled every 0.2 s from /proc. Contenders run round-robin (A B C, A B C, ...) so a slow phase of the machine hits
all of them alike. Results are medians with min and max.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "_work"
PY = sys.executable


@dataclass
class Contender:
    name: str
    argv: list[str]
    items: int                     # messages (or rows) processed per run, for items/s
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    items: int
    walls: list[float]
    rss_mb: list[float]
    pss_mb: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def per_s(self) -> float:
        return self.items / self.median if self.median else float("inf")

    def row(self) -> dict:
        return {"name": self.name, "items": self.items, "runs": len(self.walls),
                "median_s": round(self.median, 3), "min_s": round(min(self.walls), 3),
                "max_s": round(max(self.walls), 3), "items_per_s": round(self.per_s, 1),
                "peak_rss_mb": round(max(self.rss_mb), 1),
                "peak_tree_pss_mb": round(max(self.pss_mb), 1) if self.pss_mb else None,
                "median_cpu_s": round(statistics.median(self.cpu_s), 2) if self.cpu_s else None}


def _tree(pid: int) -> list[int]:
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                for child in fh.read().split():
                    out += _tree(int(child))
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(c: Contender) -> tuple[float, float, float, float]:
    """(wall s, peak RSS MB of the largest process, peak summed PSS MB of the tree, CPU s of the tree)."""
    import threading

    env = {**os.environ, **c.env}
    t0 = time.perf_counter()
    proc = subprocess.Popen(c.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(proc.pid)))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise RuntimeError(f"{c.name} failed with {code}: {' '.join(c.argv)}\n{err[-2000:]}")
    # ru_maxrss is in KiB on Linux
    return wall, usage.ru_maxrss / 1024.0, peak[0] / 1024.0, usage.ru_utime + usage.ru_stime


def run_alternating(contenders: list[Contender], repeats: int = 3, echo=print) -> list[Result]:
    results = {c.name: Result(c.name, c.items, [], []) for c in contenders}
    for r in range(repeats):
        for c in contenders:
            wall, rss, pss, cpu = run_once(c)
            results[c.name].walls.append(wall)
            results[c.name].rss_mb.append(rss)
            results[c.name].pss_mb.append(pss)
            results[c.name].cpu_s.append(cpu)
            echo(f"  run {r + 1}/{repeats} {c.name}: {wall:.2f} s, CPU {cpu:.1f} s, {rss:.0f} MB (tree PSS {pss:.0f} MB), "
                 f"load {os.getloadavg()[0]:.1f}")
    return list(results.values())


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_gb, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def python_speed(loops: int = 10_000_000) -> float:
    """CPU seconds of a fixed pure-Python loop in this process: how fast this host runs the
    interpreter right now. A shared host's speed drifts between sittings and within one (on
    2026-12-07 a 20M-step loop like it, at module level, took 1.44-2.01 s in six runs minutes
    apart), and a scan, mostly interpreted, drifts with it more than pandas.read_csv, mostly C:
    printed beside every sitting, so sittings can be compared."""
    t = time.process_time()
    total = 0
    for i in range(loops):
        total += i
    return time.process_time() - t


def table(results: list[Result], baseline: str | None = None) -> str:
    """A Markdown table; `ratio` is each contender's throughput over the baseline's."""
    base = next((r for r in results if r.name == baseline), None)
    lines = ["| contender | items | runs | median s | min s | max s | items/s | CPU s | peak RSS MB | tree PSS MB | ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        d = r.row()
        ratio = f"{r.per_s / base.per_s:.2f}×" if base else ""
        lines.append(f"| {d['name']} | {d['items']:,} | {d['runs']} | {d['median_s']} | {d['min_s']} | {d['max_s']} "
                     f"| {d['items_per_s']:,.0f} | {d['median_cpu_s']} | {d['peak_rss_mb']} | {d['peak_tree_pss_mb']} | {ratio} |")
    return "\n".join(lines)


def save(name: str, payload: dict) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def results_payload(results: list[Result], **extra) -> dict:
    return {"machine": machine(), "command": " ".join([os.path.basename(PY), *sys.argv]),
            "results": [r.row() for r in results], **extra}


def as_dicts(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]


def run_child(argv: list[str], env: dict) -> tuple[float, float]:
    """Run one command to the end: (wall seconds, CPU seconds of the child); raises with its stderr's
    end when it fails (the a/b scripts' round-robin step)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"failed: {' '.join(argv[:6])} …\n{proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime
