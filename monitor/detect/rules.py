"""Evasion-proof rules: high-precision evidence, and features for the classifier.

Strong rules (enough alone to assert a label; `rule_labels`):
    phone_number   a Chinese mobile number in any digit style (13８一三⑤…, +86, spaces, dashes)
    landline       an area-code number next to 电话
    qq_number      5-11 digits next to a QQ cue (qq, 扣扣, 企鹅号, 🐧, 群号 …)
    wechat_id      a WeChat-style ID (a letter then 5-19 letters/digits/-/_, or wxid_…) next to a
                   contact cue (微信, vx, 加, 私聊, 搜 …)
    lexicon:<label>:strong   a strong phrase of data/lexicons/<label>.txt in the normalised text
Weak cues (features only): lexicon:<label>:weak, and the counters negated_contact, safe_phrase and
long_number that tell the model when a contact word was refused, sits in a safe phrase (微信支付,
淘宝群, 防伪码) or a long number is a tracking/order number.

Not contacts: digit runs of 12+ digits (tracking numbers SF…/YT…, 18-19 digit order numbers), prices,
sizes and dates (too short to be a run), a number read back as the buyer's own delivery phone
(收货电话/收件人/核对 just before it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick
import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from ..text import digit_runs, normalise, normalise_text
from .types import LABELS, Evidence

LEXICON_DIR = Path(__file__).resolve().parents[2] / "data" / "lexicons"
NEGATIONS = ("不能", "不可以", "不允许", "禁止", "不方便", "不支持", "无法", "不要", "别", "不用", "没法", "不会")
STRONG_RULES = ("phone_number", "landline", "qq_number", "wechat_id")
RULE_NAMES: tuple[str, ...] = (
    *STRONG_RULES,
    *[f"lexicon:{lab}:{k}" for lab in LABELS for k in ("strong", "weak")],
    "negated_contact", "safe_phrase", "long_number",
)
_INDEX = {name: i for i, name in enumerate(RULE_NAMES)}

_QQ_CUE = re.compile(r"(qq|q号|群号|扣群|qq群|q群|企鹅)")
_CONTACT_CUE = re.compile(r"(微信|加我|加|私聊|搜|号|联系|找我|qq|id|同号)")
_PHONE_CUE = re.compile(r"(电话|手机|号码|打我|call|tel|联系)")
_OWN_PHONE = re.compile(r"(收货|收件|核对|确认|预留|您的|你的|快递员|派送员|配送员|物流电话|客服电话)")
_ID_RE = re.compile(r"(?<![A-Za-z0-9_\-])(wxid_[A-Za-z0-9_\-]{4,}|[A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])")
_TRACKING_ID = re.compile(r"^(?:sf|yt|jt|zto|yd|jd|ems|sto|dpk|ky|zt|yto|best|htky)\d{6,}$", re.I)
_ORDINARY_IDS = frozenset("""iphone ipad android wechat taobao tmall alipay huawei xiaomi oppo vivo
coupon online please thanks hello github typec usb-c bluetooth samsung lenovo redmi honor""".split())


def _read_lexicon(path: Path) -> list[tuple[str, bool]]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        strong = line.endswith(" !")
        phrase = normalise_text(line[:-2].strip() if strong else line)
        if phrase:
            out.append((phrase, strong))
    return out


@lru_cache(maxsize=1)
def _automata():
    """(lexicon automaton, safe automaton), built once per process."""
    lex = ahocorasick.Automaton()
    payloads: dict[str, list] = {}
    for lab in LABELS:
        for phrase, strong in _read_lexicon(LEXICON_DIR / f"{lab}.txt"):
            payloads.setdefault(phrase, []).append((lab, strong))
    for phrase, items in payloads.items():
        lex.add_word(phrase, (phrase, tuple(items)))
    lex.make_automaton()
    safe = ahocorasick.Automaton()
    for phrase, _ in _read_lexicon(LEXICON_DIR / "safe.txt"):
        safe.add_word(phrase, phrase)
    safe.make_automaton()
    return lex, safe


def _nfkc_same_length(text: str) -> str:
    """Full-width letters/digits as ASCII, one character for one, so offsets stay valid."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def _near(text: str, start: int, end: int, cue: re.Pattern, before: int = 8, after: int = 4) -> bool:
    window = normalise_text(text[max(0, start - before):start]) + "|" + normalise_text(text[end:end + after])
    return bool(cue.search(window))


def _lexicon_hits(n, evidence: list, counts: dict) -> None:
    lex, safe = _automata()
    t = n.text
    if not t:
        return
    safe_spans = [(end - len(p) + 1, end + 1) for end, p in safe.iter(t)]
    if safe_spans:
        counts["safe_phrase"] += len(safe_spans)
    for end, (phrase, items) in lex.iter(t):
        start = end - len(phrase) + 1
        if any(a <= start and end + 1 <= b for a, b in safe_spans):
            continue
        negated = any(t[max(0, start - 4):start].endswith(neg) or neg in t[max(0, start - 4):start]
                      for neg in NEGATIONS)
        for lab, strong in items:
            if negated and lab in ("diversion", "qr_lure"):
                counts["negated_contact"] += 1
                continue
            kind = "strong" if strong else "weak"
            counts[f"lexicon:{lab}:{kind}"] += 1
            if strong:
                s, e = n.span_to_original(start, end + 1)
                evidence.append(Evidence(lab, s, e, n.original[s:e], f"lexicon:{lab}"))


def _number_hits(text: str, evidence: list, counts: dict) -> None:
    for s, e, digits in digit_runs(text):
        is_phone = re.fullmatch(r"(?:0?86)?1[3-9]\d{9}", digits)
        if len(digits) >= 12 and not is_phone:
            counts["long_number"] += 1      # tracking or order number
            continue
        if is_phone:
            if _near(text, s, e, _OWN_PHONE, before=10, after=0):
                continue
            counts["phone_number"] += 1
            evidence.append(Evidence("diversion", s, e, text[s:e], "phone_number"))
        elif re.fullmatch(r"0\d{9,11}", digits) and _near(text, s, e, _PHONE_CUE):
            counts["landline"] += 1
            evidence.append(Evidence("diversion", s, e, text[s:e], "landline"))
        elif 5 <= len(digits) <= 11 and _near(text, s, e, _QQ_CUE):
            counts["qq_number"] += 1
            evidence.append(Evidence("diversion", s, e, text[s:e], "qq_number"))
        elif 6 <= len(digits) <= 11 and _near(text, s, e, re.compile("微信")):
            counts["wechat_id"] += 1
            evidence.append(Evidence("diversion", s, e, text[s:e], "wechat_id"))


def _id_hits(text: str, evidence: list, counts: dict) -> None:
    ascii_view = _nfkc_same_length(text)
    for m in _ID_RE.finditer(ascii_view):
        word = m.group(1)
        low = word.lower()
        if low in _ORDINARY_IDS or _TRACKING_ID.match(word):
            continue
        if not low.startswith("wxid_"):
            if not re.search(r"[0-9_\-]", word) and len(word) < 8:
                continue          # short plain words (shop names, "hello") are not IDs
            if not _near(text, m.start(1), m.end(1), _CONTACT_CUE, before=10, after=3):
                continue
        counts["wechat_id"] += 1
        evidence.append(Evidence("diversion", m.start(1), m.end(1), text[m.start(1):m.end(1)], "wechat_id"))


@lru_cache(maxsize=200_000)
def _analyse(text: str) -> tuple[tuple[Evidence, ...], tuple[int, ...]]:
    counts = {name: 0 for name in RULE_NAMES}
    evidence: list[Evidence] = []
    if text and text.strip():
        n = normalise(text)
        _lexicon_hits(n, evidence, counts)
        _number_hits(text, evidence, counts)
        _id_hits(text, evidence, counts)
    return tuple(_merge(evidence, text)), tuple(counts[name] for name in RULE_NAMES)


def _merge(evidence: list[Evidence], text: str) -> list[Evidence]:
    """Overlapping evidence of one label and rule becomes one span (加我薇信 + 薇信发你 → 加我薇信发你)."""
    evidence = sorted(evidence, key=lambda e: (e.label, e.rule, e.start, e.end))
    merged: list[Evidence] = []
    for ev in evidence:
        last = merged[-1] if merged else None
        if last and last.label == ev.label and last.rule == ev.rule and ev.start < last.end:
            end = max(last.end, ev.end)
            merged[-1] = Evidence(last.label, last.start, end, text[last.start:end], last.rule)
        else:
            merged.append(ev)
    return sorted(merged, key=lambda e: (e.start, e.end, e.label))


def find_evidence(text: str | None) -> list[Evidence]:
    """Every strong rule hit, with its span in the original text."""
    return list(_analyse("" if text is None else str(text))[0])


def rule_vector(text: str | None) -> list[float]:
    """One count per RULE_NAMES entry (capped at 3: a fourth hit says nothing new)."""
    return [float(min(c, 3)) for c in _analyse("" if text is None else str(text))[1]]


def rule_labels(evidence: Iterable[Evidence]) -> set[str]:
    """Labels the strong rules alone assert."""
    return {e.label for e in evidence}


class RuleFeatures(BaseEstimator, TransformerMixin):
    """The rule counts as a sparse matrix, for the classifier's FeatureUnion. Stateless."""

    def fit(self, X, y=None):
        return self

    def transform(self, X: Sequence[str]):
        rows = [rule_vector(t) for t in X]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(RULE_NAMES)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"rule={n}" for n in RULE_NAMES], dtype=object)
