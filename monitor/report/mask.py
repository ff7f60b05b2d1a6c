"""Masking of personal data in everything a report shows: one rule for HTML, xlsx and csv.

Reports travel (emailed to shop owners, shared in agency chats), so a buyer's nick and every contact
in a message (phone, WeChat ID, QQ number, handle) is shown only partly: enough to see what kind of
contact it was, never enough to reach the person.

The rule:
- WHAT is masked is what the detector finds: the spans of its contact rules (phone_number, landline,
  qq_number, wechat_id in monitor/detect/rules.py, disguises included: ＶＸ, 一三八…, split digits),
  plus any bare 11-digit number (a mobile number, whoever wrote it: a buyer's own number in the
  context lines is personal too). Nothing else: `=HYPERLINK(...)`, prices, sizes, order and tracking
  numbers stay as they are.
- HOW: at most a third of a contact's characters stay visible (the first and last few), the rest is
  four stars: abc12345 -> a****5, 13800138000 -> 13****0, xyz888 -> x****8, abc_123 -> a****3.
- Buyer nicks: the same third, but at least the first character (阿花 -> 阿*).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..detect.rules import STRONG_RULES, find_evidence
from ..mask_id import mask_id, mask_nick

# Digit-like characters a disguised number may be written in.
_DIGITISH = "0-9０-９零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖幺两拐洞①-⑨⓪❶-❾⑴-⑼⒈-⒐㈠-㈨⁰¹²³⁴-⁹"
_SEP = r"[\s\-_.·•,，、~*]?"
# 11 digit-like characters (a mobile number, possibly with separators), never cut out of a longer run
# (an 18-digit order number is not a phone).
PHONE_RE = re.compile(rf"(?<![{_DIGITISH}])(?:\+?86{_SEP})?[{_DIGITISH}](?:{_SEP}[{_DIGITISH}]){{10}}(?![{_DIGITISH}])")


def mask_sender(sender: str | None, role: str | None) -> str:
    """Agents (`店铺名:小美`) are the shop's own staff and stay readable; buyers are masked."""
    if role == "buyer":
        return mask_nick(sender)
    return "" if sender is None else str(sender)


def contact_spans(text: str | None) -> list[tuple[int, int]]:
    """(start, end) of every contact in `text`, sorted and non-overlapping (merged)."""
    if not text:
        return []
    return list(_contact_spans(str(text)))


@lru_cache(maxsize=32_768)
def _contact_spans(text: str) -> tuple[tuple[int, int], ...]:
    """contact_spans, cached per text: a report masks the same message several times (its context
    lines overlap, flagged.csv and the page both show it), and each time re-runs the contact rules."""
    spans = [(e.start, e.end) for e in find_evidence(text) if e.rule in STRONG_RULES and e.end > e.start]
    spans += [m.span() for m in PHONE_RE.finditer(text)]
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)


def mask_contacts(text: str | None) -> str:
    """The text with every contact the detector finds masked (mask_id), everything else as it was."""
    if not text:
        return "" if text is None else text
    text = str(text)
    out, pos = [], 0
    for s, e in contact_spans(text):
        out.append(text[pos:s])
        out.append(mask_id(text[s:e]))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def masked_segments(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text as (masked piece, inside a mark) pairs, for highlighting evidence in HTML.

    Each contact is masked whole, once, in the piece where it starts, so a mark that cuts a contact
    never shows more of it than the masked form does."""
    text = "" if text is None else str(text)
    contacts = contact_spans(text)
    marks = [(max(0, s), min(len(text), e)) for s, e in sorted(marks) if e > s]
    cuts = sorted({0, len(text), *[p for s, e in marks for p in (s, e)], *[p for s, e in contacts for p in (s, e)]})
    out: list[tuple[str, bool]] = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        inside = any(s <= a and b <= e for s, e in marks)
        contact = next(((s, e) for s, e in contacts if s <= a < e), None)
        if contact is None:
            piece = text[a:b]
        elif contact[0] == a:
            piece = mask_id(text[contact[0]:contact[1]])
        else:
            piece = ""
        if out and out[-1][1] == inside:
            out[-1] = (out[-1][0] + piece, inside)
        elif piece:
            out.append((piece, inside))
    return out


def masked_evidence(evidence: list[dict], text: str | None) -> list[dict]:
    """Evidence entries safe to show: a `match` or a model n-gram in `rule` (model:fx8826) that
    overlaps a contact of the message is masked like the contact, so 依据 never repeats an ID."""
    contacts = contact_spans(text) if evidence else []
    out = []
    for e in evidence:
        s, e_end = int(e.get("start", 0) or 0), int(e.get("end", 0) or 0)
        if any(s < ce and cs < e_end for cs, ce in contacts):
            e = dict(e)
            if e.get("match"):
                e["match"] = mask_id(e["match"])
            rule = str(e.get("rule", ""))
            kind, sep, shown = rule.partition(":")
            if sep and shown:
                e["rule"] = f"{kind}:{mask_id(shown)}"
        out.append(e)
    return out
