"""Which texts of a batch hold a match, found in one pass over the batch joined: one regex or automaton
scan of a long string costs far less than one call per text (the rules' triggers and the shape
features' digit runs and ID-like tokens, monitor/detect/rules.py and features.py)."""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

# between the joined texts: not a digit, not an ID character, in no lexicon phrase or trigger word, so
# no match runs across it, and regexes treat it like the string's edge
SEPARATOR = "\n"


def texts_with_hits(view: list[str], starts_in: Callable[[str], Iterable[int]]) -> np.ndarray:
    """Per text of `view`: does starts_in(the texts joined by SEPARATOR) give a position inside it (or
    on the separator after it)? starts_in returns positions in the joined string, e.g. match starts."""
    n = len(view)
    hit = np.zeros(n, dtype=bool)
    if not n:
        return hit
    ends = np.cumsum(np.fromiter(map(len, view), dtype=np.int64, count=n) + 1)   # one past each separator
    pos = np.fromiter(starts_in(SEPARATOR.join(view)), dtype=np.int64)
    if len(pos):
        hit[np.searchsorted(ends, pos, side="right")] = True
    return hit


def match_starts(pattern) -> Callable[[str], Iterable[int]]:
    """starts_in for a compiled regex: where each of its matches starts."""
    return lambda joined: (m.start() for m in pattern.finditer(joined))
