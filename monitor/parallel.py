"""Render shops' reports in worker processes.

The caller hands over the function that renders one shop (monitor.report.render_shop): this module
imports neither the report nor the scan, so both can use it without importing each other in a circle.

A night's reports are independent per shop (each shop writes its own folder, atomically file by file)
and rendering is pure Python (templates, masking, xlsx XML), so it scales with processes, not threads.
Workers are forked: they inherit the scan's tables, nothing is pickled but the shop's position in the
list and the written paths. Where fork is not available, or the night is small, shops render in turn.

CHATMON_WORKERS sets the number of processes (1 = no workers); the default is the CPU count, at most 4.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

# below this many messages in a night, forking costs more than it saves
MIN_MESSAGES = 50_000

_JOB: tuple | None = None


def _render_one(i: int) -> list[str]:
    shop_nights, out_dir, render = _JOB
    return [str(p) for p in render(shop_nights[i], out_dir)]


def workers_for(n_shops: int, n_messages: int) -> int:
    env = os.environ.get("CHATMON_WORKERS", "").strip()
    if env:
        try:
            wanted = max(1, int(env))
        except ValueError:
            wanted = 1
    else:
        if n_messages < MIN_MESSAGES:
            return 1
        wanted = min(4, os.cpu_count() or 1)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(wanted, n_shops))


def render_shops(shop_nights: list, out_dir: Path, *, render, workers: int | None = None) -> list[Path]:
    """render(shop_night, out_dir) for every shop (monitor.report.render_shop), in `workers` processes;
    returns the written paths in shop order."""
    from .scan_workers import die_with_parent

    global _JOB
    if workers is None:
        workers = workers_for(len(shop_nights), sum(len(sn.messages) for sn in shop_nights))
    if workers <= 1 or len(shop_nights) < 2:
        out = []
        for sn in shop_nights:
            out += render(sn, out_dir)
        return out
    # largest shops first, so no worker is left with a big shop at the end
    order = sorted(range(len(shop_nights)), key=lambda i: -len(shop_nights[i].messages))
    _JOB = (shop_nights, Path(out_dir), render)
    try:
        ctx = multiprocessing.get_context("fork")
        pool = ctx.Pool(workers, initializer=die_with_parent, initargs=(os.getpid(),))
        try:
            done = dict(zip(order, pool.imap(_render_one, order, chunksize=1)))
        except BaseException:
            pool.terminate()        # a failed render: stop the others now
            raise
        # every task done: let the workers end on their own. Pool's `with` would terminate() them, which
        # signals workers that may be waiting on the task queue's lock; one such run hung for good in
        # the test suite (2026-12-06 evening, tests/test_report_fast_paths.py, the worker left waiting)
        pool.close()
        pool.join()
    finally:
        _JOB = None
    return [Path(p) for i in range(len(shop_nights)) for p in done[i]]
