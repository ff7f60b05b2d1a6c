"""Violation phrases: varied enough that a classifier cannot memorise them, and disguised like real ones."""

import random
import re

from monitor.samples import LABELS, _violation


def test_each_label_has_many_distinct_phrasings():
    rng = random.Random(1)
    for label in LABELS:
        texts = [_violation(rng, label) for _ in range(400)]
        # composed from openings x cores x endings (x contacts): repeats should be rare
        assert len(set(texts)) > 150, label


def test_diversion_contacts_are_sometimes_disguised():
    rng = random.Random(2)
    texts = [_violation(rng, "diversion") for _ in range(600)]
    assert any(any(c in t for c in "①②③④⑤⑥⑦⑧⑨") for t in texts)          # circled digits
    assert any(re.search("[零一二三四五六七八九]{5,}", t) for t in texts)    # digits as Chinese numerals
    assert any(re.search(r"\d{3}[-. *]\d{3}", t) for t in texts)             # split by symbols
    assert any("ＶＸ" in t for t in texts) and any("薇信" in t for t in texts)
