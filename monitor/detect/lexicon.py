"""Lexicon files (data/lexicons/*.txt) → one Aho-Corasick automaton per purpose.

Each phrase is normalised like the messages, so the automaton runs once over the normalised text
and finds every disguised spelling of every phrase in one pass (no loop of `in`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import ahocorasick

from ..text import normalise_text
from .types import LABELS

LEXICON_DIR = Path(__file__).resolve().parents[2] / "data" / "lexicons"

STRONG, PLEA, WEAK = "strong", "plea", "weak"


def read_lexicon(path: Path) -> list[tuple[str, str]]:
    """(normalised phrase, kind) for every entry; kind is strong (` !`), plea (` +`) or weak."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind = WEAK
        if line.endswith(" !"):
            kind, line = STRONG, line[:-2]
        elif line.endswith(" +"):
            kind, line = PLEA, line[:-2]
        phrase = normalise_text(line.strip())
        if phrase:
            out.append((phrase, kind))
    return out


@lru_cache(maxsize=1)
def automata() -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    """(label automaton, safe automaton), built once per process.

    Label automaton values: (phrase, ((label, kind), ...)); safe automaton values: phrase."""
    lex = ahocorasick.Automaton()
    payloads: dict[str, list] = {}
    for lab in LABELS:
        for phrase, kind in read_lexicon(LEXICON_DIR / f"{lab}.txt"):
            items = payloads.setdefault(phrase, [])
            if (lab, kind) not in items:
                items.append((lab, kind))
    for phrase, items in payloads.items():
        lex.add_word(phrase, (phrase, tuple(items)))
    lex.make_automaton()
    safe = ahocorasick.Automaton()
    for phrase, _ in read_lexicon(LEXICON_DIR / "safe.txt"):
        safe.add_word(phrase, phrase)
    safe.make_automaton()
    return lex, safe
