"""Two views of a message: the original (evidence spans point into it) and a normalised one.

normalise(text) returns both, with a map from every normalised character back to the original:
1. fold each character (monitor/text/fold.py): NFKC width and compatibility forms, case folding,
   traditional → simplified, emoji letters, deletion of noise (spaces, symbols, emoji, marks)
   BETWEEN the characters that carry meaning (加 微-信 → 加微信, 威❤信 → 威信);
2. a heart standing in for 微 right before 信 (❤信) becomes 微, and one standing in for 信 right after
   a 微-like character (威❤, v❤) becomes 信;
3. digits: runs of ≥ 5 digit-like characters (一三八…, 壹叁捌…, ❶❸❽…, mixed) become ASCII digits
   (monitor/text/digits.py; ≥ 7 when every one of them is a numeral also used in words, 一二三…);
   shorter ones stay words (一起, 三天, 下三滥, 一三五发货);
4. contact-word variants and homophones → canonical words (monitor/text/variants.py): 薇信/vx/绿泡泡
   → 微信, 扣扣/🐧 → qq, 加V/+v → 加微信, weixin/jiawo/koukou/dianhua → 微信/加我/qq/电话.

Why our own code: we looked at what Lips7/Matcher (matcher_py; process types Fanjian, Delete,
Normalize, PinYin), houbb/sensitive-word (Java: ignore width/case/num style/traditional/repeat) and
ToolGood.Words (C#/Java; simplified/traditional, width, number and pinyin forms) normalise. They agree
on the steps above, but they are matchers that return the hit words, not a normalised text with a map
back into the original, which every piece of evidence needs; and none of them is a maintained Python
package we could call per step. So the steps are ours, over Python's unicodedata (NFKC, categories)
and OpenCC's character table (opencc-python-reimplemented). Pinyin syllables are a fixed list
(pypinyin is not needed at run time).

The normalised text is for matching and features only, never shown: joining words by removing
spaces does no harm there.
"""

from __future__ import annotations

import re
from itertools import compress
from functools import lru_cache

from .digits import HAS_SPOKEN, RUN_RE, project_run
from .fold import FOLD, FOLD_TABLE, WIDTH_TABLE
from .variants import REPLACEMENTS, VARIANT_RE

# a heart written for 微 in 微信 (❤信), unless a 微-like character is already there (威❤信)
_HEARTS = "❤♥♡💚💗💙🧡💛💜🖤🤍💕💖💓"
_HEART_WEI = re.compile(rf"(?<![微薇威维徽卫vVｖＶ])[{_HEARTS}]\ufe0f?(?=信)")
# …and a heart written for 信 (心, xīn) right after a 微-like character (威❤, 微 ❤, v❤), unless the
# real 信 follows (威❤信 stays 威信): the heart is the only thing that makes 威/v a contact word
_HEART_XIN = re.compile(rf"[微薇威维徽卫vVｖＶ][ \u3000]?([{_HEARTS}])(?!\ufe0f?[ \u3000]?信)")
_ANY_HEART = re.compile(f"[{_HEARTS}]")


class NormalisedText:
    """The original text, its normalised form and the map between them.

    offsets[i] is the index in `original` where normalised character i starts, ends[i] where it ends
    (exclusive). The map is built on first use: most texts are only matched and vectorised, and only
    the few a rule or a span lookup touches need it (building it for every text was about a fifth of
    a scan's CPU time on real wording). Immutable, compared and hashed by value like a frozen record.
    """

    __slots__ = ("original", "text", "_offsets", "_ends")

    def __init__(self, original: str, text: str, offsets: tuple[int, ...] | None = None,
                 ends: tuple[int, ...] | None = None):
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "_offsets", None if offsets is None else tuple(offsets))
        object.__setattr__(self, "_ends", None if ends is None else tuple(ends))

    def __setattr__(self, name, value):
        raise AttributeError(f"NormalisedText is immutable: cannot set {name}")

    def _map(self) -> None:
        full = _normalise_mapped(self.original)
        if full.text != self.text:     # the two paths must agree; tests hold them to it
            raise AssertionError(f"normalise paths disagree on {self.original!r}")
        object.__setattr__(self, "_offsets", full._offsets)
        object.__setattr__(self, "_ends", full._ends)

    @property
    def offsets(self) -> tuple[int, ...]:
        if self._offsets is None:
            self._map()
        return self._offsets

    @property
    def ends(self) -> tuple[int, ...]:
        if self._ends is None:
            self._map()
        return self._ends

    @property
    def starts(self) -> tuple[int, ...]:
        return self.offsets

    def _key(self):
        return (self.original, self.text, self.offsets, self.ends)

    def __eq__(self, other):
        if not isinstance(other, NormalisedText):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return (f"NormalisedText(original={self.original!r}, text={self.text!r}, "
                f"offsets={self.offsets!r}, ends={self.ends!r})")

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """A span [start, end) of the normalised text as a span of the original text.

        A rewritten word maps to the whole original word it came from (绿泡泡 for 微信)."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self.offsets[start] if start < n else len(self.original)
            return pos, pos
        return self.offsets[start], self.ends[end - 1]


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    override: dict[int, str] = {}
    if "信" in text:
        for m in _HEART_WEI.finditer(text):
            override[m.start()] = "微"
    if _ANY_HEART.search(text):
        for m in _HEART_XIN.finditer(text):
            override[m.start(1)] = "信"
    if not override:
        widths = text.translate(WIDTH_TABLE)
        if "\x02" not in widths:
            # fast path (almost every message): each character folds to zero or one character
            starts = list(compress(range(len(text)), widths.encode("latin-1")))
            return text.translate(FOLD_TABLE), starts, list(map((1).__add__, starts))
    chars: list[str] = []
    starts: list[int] = []
    fold = FOLD
    for i, ch in enumerate(text):
        out = override.get(i) if override else None
        if out is None:
            out = fold[ch]
        if not out:
            continue
        if len(out) == 1:
            chars.append(out)
            starts.append(i)
        else:
            chars.extend(out)
            starts.extend([i] * len(out))
    return "".join(chars), starts, [s + 1 for s in starts]


def _project_digits(folded: str) -> str:
    """Spoken-number runs (≥ 5 digit-like characters) as ASCII digits, same length."""
    if not HAS_SPOKEN.search(folded):
        return folded
    return RUN_RE.sub(lambda m: project_run(m.group(0)), folded)


def _apply_variants(text: str, starts: list[int], ends: list[int]):
    if not VARIANT_RE.search(text):
        return text, starts, ends
    out: list[str] = []
    o_s: list[int] = []
    o_e: list[int] = []
    pos = 0
    for m in VARIANT_RE.finditer(text):
        a, b = m.span()
        out.append(text[pos:a])
        o_s += starts[pos:a]
        o_e += ends[pos:a]
        rep = REPLACEMENTS[m.lastindex - 1]
        out.append(rep)
        # each replacement character covers the whole original word it stands for
        o_s += [starts[a]] * len(rep)
        o_e += [ends[b - 1]] * len(rep)
        pos = b
    out.append(text[pos:])
    o_s += starts[pos:]
    o_e += ends[pos:]
    return "".join(out), o_s, o_e


def _variant_word(m: re.Match) -> str:
    return REPLACEMENTS[m.lastindex - 1]


def _normalised_string(text: str) -> str | None:
    """The normalised text alone, by C-level passes (one translate, a regex substitution), or None
    where a heart may stand in for 微/信 (the character-by-character path handles those). Equal to
    _normalise_mapped(text).text: each step is the same step without the offsets."""
    if _ANY_HEART.search(text):
        return None
    folded = _project_digits(text.translate(FOLD_TABLE))
    norm = VARIANT_RE.sub(_variant_word, folded) if VARIANT_RE.search(folded) else folded
    for _ in range(3 if norm != folded else 0):
        again = VARIANT_RE.sub(_variant_word, norm)
        if again == norm:
            break
        norm = again
    return norm


def _normalise_mapped(text: str) -> NormalisedText:
    """Both views with the offsets, character by character."""
    folded, starts, ends = _fold(text)
    folded = _project_digits(folded)
    norm, starts, ends = _apply_variants(folded, starts, ends)
    # a rewrite can make a neighbour match (weixinvx → 微信vx → 微信微信): repeat to a fixed point,
    # so normalising the normalised text changes nothing more
    for _ in range(3 if norm != folded else 0):
        again, starts, ends = _apply_variants(norm, starts, ends)
        if again == norm:
            break
        norm = again
    return NormalisedText(original=text, text=norm, offsets=tuple(starts), ends=tuple(ends))


def normalise(text: str | None) -> NormalisedText:
    """Both views of `text` (None and non-strings are read as text; never raises). The map back to
    the original is built when first asked for (NormalisedText.offsets)."""
    text = "" if text is None else str(text)
    norm = _normalised_string(text)
    if norm is None:
        return _normalise_mapped(text)
    return NormalisedText(original=text, text=norm)


@lru_cache(maxsize=200_000)
def normalise_cached(text: str) -> NormalisedText:
    """normalise() for a str, cached: the vectoriser and the rules both ask for each message. 200k
    entries: a real-wording night of 300k messages holds about 225k distinct texts and clauses, and
    an entry is two strings until a rule asks for its map."""
    return normalise(text)


@lru_cache(maxsize=200_000)
def normalise_text(text: str) -> str:
    """Just the normalised string (what the vectorisers see); cached, chats repeat a lot."""
    return normalise_cached(text).text


_ASCII_RUN = re.compile(r"[0-9]{5,}")


def digit_runs(text: str) -> list[tuple[int, int, str]]:
    """(orig_start, orig_end, digits) for every run of ≥ 5 digit-like characters in `text`
    (≥ 7 when all are numerals also used in words: see monitor/text/digits.py).

    Styles may be mixed (13８一三⑤…) and separated by noise (138 0013-8000); the span covers the
    run in the original text. Shorter runs are left out: prices, sizes and 一三五发货 are not numbers
    anyone could call.
    """
    n = normalise_cached(text) if isinstance(text, str) else normalise(text)   # the rules normalised it already
    return [(s, e, d) for s, e, d, _ in runs_with_groups(n)]


def runs_with_groups(n: NormalisedText) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """Digit runs of a normalised text: (orig_start, orig_end, digits, group_lengths)."""
    out = []
    for m in _ASCII_RUN.finditer(n.text):
        a, b = m.span()
        s, e = n.span_to_original(a, b)
        out.append((s, e, m.group(0), digit_groups(n, a, b)))
    return out


def digit_groups(n: NormalisedText, a: int, b: int) -> tuple[int, ...]:
    """Split the normalised digits [a, b) where the original had a separator between two digits
    (138 0013 8000 → (3, 4, 4)), so two numbers written side by side can be told apart."""
    groups = []
    size = 1
    for i in range(a + 1, b):
        if n.offsets[i] > n.ends[i - 1]:      # something was deleted between these digits
            groups.append(size)
            size = 0
        size += 1
    groups.append(size)
    return tuple(groups)
