"""How much of a buyer's nick or a contact a report may show: at most a third of its characters, the
first and last few, four stars between (the rule monitor/report/mask.py applies to everything a report
shows). Here, apart from the detector's contact rules, so that reading an export (its one-line summary
names a few buyers, masked) does not import scikit-learn and the report with them.
"""

from __future__ import annotations

import re

STARS = "****"
_SEPARATORS = re.compile(r"[\s\-.·•,，、~*]+")


def mask_id(value: str) -> str:
    """At most a third of the characters shown (first ⌈k/2⌉ and last ⌊k/2⌋ of k = len // 3), stars between.

    Separators inside a contact (138-0013-8000) are dropped first: they would count as characters."""
    value = _SEPARATORS.sub("", str(value)) or str(value)
    k = len(value) // 3
    head, tail = (k + 1) // 2, k // 2
    return value[:head] + STARS + (value[len(value) - tail:] if tail else "")


def mask_nick(nick: str | None) -> str:
    """tb_88213489 -> tb****9; 快乐的小猫咪 -> 快****咪; 阿花 -> 阿*."""
    if nick is None:
        return ""
    nick = str(nick)
    if not nick:
        return ""
    if len(nick) <= 3:
        return nick[0] + "*" * (len(nick) - 1)
    return mask_id(nick)
