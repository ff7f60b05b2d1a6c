"""The per-text caches of detection (normalised texts, jieba words, rule analyses), emptied between
a scan's batches.

Each cache keeps up to 200k entries: within a batch the vectorisers, the rules, the context pass and
the report all ask for the same texts, and the cache answers. Across batches they help little (the
scan's own flag cache, monitor.scan.FLAG_CACHE_TEXTS, keeps the outcome of recurring texts), but on
real wording every cache fills: on the 1M real-wording night a worker held about 350 MB of them, and
the scan's memory grew past 2 GB at 1M messages and to 3 GB at 5M (bench/RESULTS.md). Emptied at
the start of each batch, they hold one batch's texts at most.
"""

from __future__ import annotations

import sys

# the modules whose large functools caches hold per-text results
_MODULES = ("monitor.text.normalise", "monitor.detect.rules", "monitor.detect.features")
LARGE = 10_000


def text_caches() -> list:
    """The lru_cache-wrapped functions of those modules that keep at least LARGE entries."""
    found = []
    for name in _MODULES:
        module = sys.modules.get(name)
        for value in vars(module).values() if module else ():
            info = getattr(value, "cache_info", None)
            if info is not None and (info().maxsize or 0) >= LARGE and value not in found:
                found.append(value)
    return found


def clear_text_caches() -> int:
    """Empty them, and the rules' record of texts without a rule trigger (monitor.detect.rules._NO_HITS,
    a plain dict: it keeps up to 200k texts alive); returns how many entries were dropped."""
    dropped = 0
    for fn in text_caches():
        dropped += fn.cache_info().currsize
        fn.cache_clear()
    rules = sys.modules.get("monitor.detect.rules")
    no_hits = getattr(rules, "_NO_HITS", None)
    if no_hits:
        dropped += len(no_hits)
        no_hits.clear()
    return dropped
