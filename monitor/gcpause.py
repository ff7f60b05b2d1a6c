"""Python's cyclic garbage collector paused for a stretch of work.

The scan and the classifier allocate millions of small objects while hundreds of thousands live in
their caches, so the collector keeps walking the live ones: 12% of the CPU time of classifying a
night's 75k distinct seller texts (bench/RESULTS.md). Paused for a call, the cycles the call leaves
are collected as usual once the collector is back on.
"""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The collector off inside the block and on again after it, also on failure; a block inside
    another leaves it off (only the outermost turns it back on)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def paused(fn):
    """fn with the collector paused for each call (collector_paused)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with collector_paused():
            return fn(*args, **kwargs)
    return wrapper
