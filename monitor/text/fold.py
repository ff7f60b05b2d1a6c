"""Character folding: one original character → zero or more normalised characters.

Width and compatibility forms (NFKC: ＶＸ → vx, ① → 1, ⑴ → (1)), case folding, traditional →
simplified, letter-like emoji (🅥, 🇻, Ⓥ → v) and deletion of noise (spaces, punctuation, symbols,
emoji, combining marks, control and invisible characters).

Every step is per character, so the result of one character is cached in a dict: chats use a few
thousand distinct characters. The whole text is then folded by one str.translate over a cached
table (a C loop), and offsets come from a parallel width table, not from a Python loop per character.

Traditional → simplified uses OpenCC's own character table (TSCharacters.txt, shipped by
opencc-python-reimplemented), first candidate only. Phrase-level conversion (OpenCC's converter)
is not needed to see a contact word, is ~100× slower, and can change the length of a phrase, which
would break the one-to-one offsets evidence needs.
"""

from __future__ import annotations

import unicodedata
from importlib import resources


def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            simp = parts[1].split(" ")[0]
            if len(simp) == 1 and simp != parts[0]:
                table[ord(parts[0])] = simp
    return table


T2S = _t2s_table()

# Symbols that carry a contact meaning: kept so the variant map can read them.
KEPT_SYMBOLS = frozenset("🐧➕+@#%")
# Emoji letters NFKC leaves alone: 🄰-🅉 squared, 🅐-🅩 negative circled, 🅰-🆉 negative squared,
# 🇦-🇿 regional indicators. People write 🅥🅧 or 🇻🇽 for vx.
_EMOJI_LETTER_BLOCKS = (0x1F130, 0x1F150, 0x1F170, 0x1F1E6)


def _emoji_letter(cp: int) -> str | None:
    for base in _EMOJI_LETTER_BLOCKS:
        if base <= cp < base + 26:
            return chr(ord("a") + cp - base)
    return None


def _is_noise(ch: str) -> bool:
    """Separators people put inside words to dodge filters."""
    if ch in KEPT_SYMBOLS:
        return False
    # P punctuation, S symbols (emoji), Z separators, C control/format/unassigned, M combining marks
    return unicodedata.category(ch)[0] in "PSZCM"


def _fold_char(ch: str) -> str:
    if ch.isascii():
        if ch.isalnum():
            return ch.lower()
        return ch if ch in KEPT_SYMBOLS else ""
    cp = ord(ch)
    letter = _emoji_letter(cp)
    if letter:
        return letter
    # ㈠-㈨ and ㊀-㊈: numerals in brackets or circles are digit styles, never words; NFKC would give
    # (一)/一, which the digit projection treats as a word numeral
    if 0x3220 <= cp <= 0x3228 or 0x3280 <= cp <= 0x3288:
        return str((cp & 0xF) + 1)
    if ch in KEPT_SYMBOLS:
        return ch
    out = unicodedata.normalize("NFKC", ch).casefold().translate(T2S)
    return "".join(c for c in out if not _is_noise(c))


class _FoldCache(dict):
    def __missing__(self, ch: str) -> str:
        out = self[ch] = _fold_char(ch)
        return out


class _TranslateCache(dict):
    """str.translate tables keyed by code point, filled on first sight of a character."""

    def __init__(self, value):
        super().__init__()
        self._value = value

    def __missing__(self, cp: int) -> str:
        out = self[cp] = self._value(FOLD[chr(cp)])
        return out


# FOLD[ch] is the folded form of one character ("" for noise).
FOLD: dict[str, str] = _FoldCache()
# text.translate(FOLD_TABLE): the folded text in one C-level pass
FOLD_TABLE: dict[int, str] = _TranslateCache(lambda out: out)
# text.translate(WIDTH_TABLE): per character "\x00" noise, "\x01" one character, "\x02" several
# (⑴ → 1 is one, ß → ss several); lets the offsets be computed in C when no character grows
WIDTH_TABLE: dict[int, str] = _TranslateCache(lambda out: chr(min(len(out), 2)))
