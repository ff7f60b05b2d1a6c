"""Digit-like characters and the digits-only projection of spoken numbers.

People dodge number filters by writing a phone number as 一三八…, 幺三九…, 壹叁捌…, ❶❸❽…, or mixing
styles. NFKC already turns full-width, circled (①), parenthesised (⑴), superscript and ㈠-style
digits into 0-9 (or into 一 … 九); this module maps what remains (Chinese numerals, the spoken
幺/两/拐/洞/勾, dingbat ❶ digits) to 0-9.

Only RUNS of at least MIN_RUN digit-like characters are projected (after noise such as spaces or
dashes between them has been removed): a phone, QQ or WeChat number is that long, while ordinary
words with numerals (一起, 三天, 下三滥, 一下, 一三五发货) are shorter and stay words.
"""

from __future__ import annotations

import re

MIN_RUN = 5

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


def to_ascii_digits(run: str) -> str:
    return run.translate(_TABLE)
