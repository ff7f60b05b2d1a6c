"""Digit-like characters and the digits-only projection of spoken numbers.

People dodge number filters by writing a phone number as 一三八…, 幺三九…, 壹叁捌…, ❶❸❽…, or mixing
styles. NFKC already turns full-width, circled (①), parenthesised (⑴), superscript and ㈠-style
digits into 0-9 (or into 一 … 九); this module maps what remains (Chinese numerals, the spoken
幺/两/拐/洞/勾, dingbat ❶ digits) to 0-9.

Only RUNS of at least MIN_RUN digit-like characters are projected (after noise such as spaces or
dashes between them has been removed): a phone, QQ or WeChat number is that long, while ordinary
words with numerals (一起, 三天, 下三滥, 一下, 一三五发货) are shorter and stay words. A run made only
of numerals that also live in words (一二三…零两拐洞) needs MIN_WORDY_RUN characters: removing the
spaces of "三三两两 一起" gives five numerals in a row, yet no number. A run with any unambiguous
digit (0-9 in any width, ①/❶ styles, 壹贰叁…) needs only MIN_RUN.
"""

from __future__ import annotations

import re

MIN_RUN = 5
MIN_WORDY_RUN = 7

DIGIT_VALUES: dict[str, str] = {}
for _chars, _d in (("0零〇洞⓪⓿", "0"), ("1一壹幺❶➀➊", "1"), ("2二贰两❷➁➋", "2"), ("3三叁❸➂➌", "3"),
                   ("4四肆❹➃➍", "4"), ("5五伍❺➄➎", "5"), ("6六陆❻➅➏", "6"), ("7七柒拐❼➆➐", "7"),
                   ("8八捌❽➇➑", "8"), ("9九玖勾❾➈➒", "9")):
    for _c in _chars:
        DIGIT_VALUES[_c] = _d
for _i in range(10):
    DIGIT_VALUES[str(_i)] = str(_i)

_CLASS = "".join(sorted(DIGIT_VALUES))
# runs in the FOLDED text (NFKC done, noise already deleted, so no separators are needed here)
RUN_RE = re.compile(f"[{re.escape(_CLASS)}]{{{MIN_RUN},}}")
# cheap pre-check: a text without any non-ASCII digit-like character needs no projection
HAS_SPOKEN = re.compile("[" + re.escape("".join(c for c in _CLASS if not c.isascii())) + "]")
_TABLE = str.maketrans(DIGIT_VALUES)
# numerals that are also parts of ordinary words
WORDY = frozenset("零〇洞一幺二两三四五六七拐八九勾")


def to_ascii_digits(run: str) -> str:
    return run.translate(_TABLE)


def project_run(run: str) -> str:
    """The run as ASCII digits when it looks like a spoken number, else unchanged."""
    if len(run) < MIN_WORDY_RUN and all(c in WORDY for c in run):
        return run
    return run.translate(_TABLE)
