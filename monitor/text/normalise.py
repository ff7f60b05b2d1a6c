"""Two views of a message: the original (evidence spans point into it) and a normalised one.

Steps, each keeping a map from every normalised character back to its span in the original:
1. NFKC (full width → ASCII, ① → 1, ㈠ → (一), ligatures) and case folding;
2. traditional → simplified, character by character from OpenCC's TSCharacters table
   (opencc-python-reimplemented ships it). Phrase-level conversion is not needed to see a contact
   word, and a one-to-one table keeps offsets exact and is ~100× faster than OpenCC's converter;
3. deletion of noise BETWEEN word characters: spaces, symbols, punctuation used as separators,
   emoji and invisible characters (加 微-信 → 加微信, 威❤信 → 威信);
4. contact-word variants and homophones (薇信/威信/V信/vx → 微信, 扣扣/🐧 → qq, 绿泡泡 → 微信,
   pinyin weixin/jiawo/koukou/dianhua). Only whole contact words are rewritten: 维修, 卫生, 威力 stay.

Digits are NOT rewritten in the normalised text (下三滥, 一起, 三天 stay words); `digit_runs` gives a
separate digits-only projection of runs that look like a spoken number.

We compared what Lips7/Matcher, houbb/sensitive-word and ToolGood.Words normalise (width, case,
traditional/simplified, symbol skipping, number styles, pinyin); none is a maintained Python package
that returns offsets into the original text, which evidence needs, so the steps are our own code over
OpenCC's table and Python's unicodedata.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# ---- traditional -> simplified, one character to one character --------------------------------


def _t2s_table() -> dict[int, str]:
    table: dict[int, str] = {}
    try:
        text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):  # pragma: no cover - dependency always installed
        return table
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            simp = parts[1].split(" ")[0]
            if len(simp) == 1 and simp != parts[0]:
                table[ord(parts[0])] = simp
    return table


T2S = _t2s_table()

# ---- noise ---------------------------------------------------------------------------------------
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff]")


# Symbols that ARE a contact word: kept through noise deletion so the variant map can read them.
_MEANINGFUL = frozenset("🐧➕")


def _is_noise(ch: str) -> bool:
    """Separators people put inside words to dodge filters: spaces, punctuation, symbols, emoji."""
    if ch in _MEANINGFUL:
        return False
    if ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff":
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "PSZC" and ch not in "@#+%"


# ---- contact-word variants (applied to the folded, noise-free text) -------------------------------
# (pattern, replacement). Order matters: longer, more specific patterns first.
VARIANTS: list[tuple[str, str]] = [
    (r"(?:绿泡泡|小绿软件|绿色软件|绿色聊天软件|绿色app|小绿app|绿色图标)", "微信"),
    (r"(?:weixin|wechat|vchat|weixing)", "微信"),
    (r"(?:微|薇|威|维|徽|卫|危|v|wei)(?:x|信|芯|心)(?!用|息|号码?段)", "微信"),
    (r"(?<![a-z])(?:vx|wx)", "微信"),
    (r"(?:加|\+|➕|家)(?:v|vv|w|威|薇)(?![a-z\u4e00-\u9fff]?信)", "加微信"),
    (r"(?:扣扣|抠抠|寇寇|口口|蔻蔻|koukou|🐧|企鹅号|(?<=加)企鹅|(?<=加我)企鹅)", "qq"),
    (r"(?:jiawo|jia wo)", "加我"),
    (r"(?:dianhua|dian hua)", "电话"),
    (r"(?:shoujihao|shouji)", "手机号"),
    (r"(?:siliao|sixin)", "私聊"),
    (r"(?:tou xiang|touxiang)", "头像"),
]
_VARIANT_RE = re.compile("|".join(f"({p})" for p, _ in VARIANTS))
_REPLACEMENTS = [r for _, r in VARIANTS]


@dataclass(frozen=True)
class NormalisedText:
    original: str
    text: str
    starts: tuple[int, ...]     # starts[i]: index in original of normalised char i
    ends: tuple[int, ...]       # ends[i]: end (exclusive) in original of normalised char i

    @property
    def offsets(self) -> tuple[int, ...]:
        return self.starts

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """A span of the normalised text as a span of the original text."""
        if end <= start or start >= len(self.text):
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold(text: str) -> tuple[list[str], list[int], list[int]]:
    chars, starts, ends = [], [], []
    for i, ch in enumerate(text):
        if ch.isascii():
            out = ch.lower()
        else:
            out = unicodedata.normalize("NFKC", ch).casefold()
            out = out.translate(T2S)
        for o in out:
            chars.append(o)
            starts.append(i)
            ends.append(i + 1)
    return chars, starts, ends


def _drop_noise(chars, starts, ends):
    """Delete noise characters lying between two word characters (or at the ends)."""
    keep = [not _is_noise(c) for c in chars]
    # Dropping every noise character is what makes 加 微 信 match; the normalised view is only
    # for matching and features, never shown, so joining ordinary words does no harm.
    out_c, out_s, out_e = [], [], []
    for c, s, e, k in zip(chars, starts, ends, keep):
        if k:
            out_c.append(c)
            out_s.append(s)
            out_e.append(e)
    return out_c, out_s, out_e


def _apply_variants(text: str, starts: list[int], ends: list[int]):
    if not _VARIANT_RE.search(text):
        return text, starts, ends
    out, o_s, o_e = [], [], []
    pos = 0
    for m in _VARIANT_RE.finditer(text):
        a, b = m.span()
        out.append(text[pos:a])
        o_s += starts[pos:a]
        o_e += ends[pos:a]
        rep = _REPLACEMENTS[m.lastindex - 1]
        out.append(rep)
        # every replacement character covers the whole matched span of the original
        o_s += [starts[a]] * len(rep)
        o_e += [ends[b - 1]] * len(rep)
        pos = b
    out.append(text[pos:])
    o_s += starts[pos:]
    o_e += ends[pos:]
    return "".join(out), o_s, o_e


def normalise(text: str | None) -> NormalisedText:
    text = "" if text is None else str(text)
    chars, starts, ends = _fold(text)
    chars, starts, ends = _drop_noise(chars, starts, ends)
    folded = "".join(chars)
    norm, starts, ends = _apply_variants(folded, starts, ends)
    return NormalisedText(original=text, text=norm, starts=tuple(starts), ends=tuple(ends))


@lru_cache(maxsize=200_000)
def normalise_text(text: str) -> str:
    """Just the normalised string (what the vectorisers see); cached, chats repeat a lot."""
    return normalise(text).text


# ---- digits-only projection -------------------------------------------------------------------------
DIGIT_VALUES: dict[str, str] = {}
for _chars, _d in (("0零〇洞⓪", "0"), ("1一壹幺①❶⑴⒈㈠¹", "1"), ("2二贰两②❷⑵⒉㈡²", "2"),
                   ("3三叁③❸⑶⒊㈢³", "3"), ("4四肆④❹⑷⒋㈣⁴", "4"), ("5五伍⑤❺⑸⒌㈤⁵", "5"),
                   ("6六陆⑥❻⑹⒍㈥⁶", "6"), ("7七柒拐⑦❼⑺⒎㈦⁷", "7"), ("8八捌⑧❽⑻⒏㈧⁸", "8"),
                   ("9九玖勾⑨❾⑼⒐㈨⁹", "9")):
    for _c in _chars:
        DIGIT_VALUES[_c] = _d
for _i in range(10):
    DIGIT_VALUES[chr(0xFF10 + _i)] = str(_i)     # full-width digits
_DIGIT_CLASS = "".join(re.escape(c) for c in DIGIT_VALUES)
_SEP = r"[\s\-_.·•,，、~*/|]"
# at least 5 digit-like characters, separators of up to 2 characters allowed between them
_RUN_RE = re.compile(rf"[{_DIGIT_CLASS}](?:{_SEP}{{0,2}}[{_DIGIT_CLASS}]){{4,}}")


def digit_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) in the ORIGINAL text for every run of ≥ 5 digit-like characters.

    Mixed styles count as one run (13８一三⑤...). Short runs are left alone: 一三五发货 is a schedule,
    not a number, and the normalised text never rewrites them.
    """
    out = []
    for m in _RUN_RE.finditer(text or ""):
        digits = "".join(DIGIT_VALUES[c] for c in m.group(0) if c in DIGIT_VALUES)
        out.append((m.start(), m.end(), digits))
    return out
