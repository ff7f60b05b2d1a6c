"""The shop's (or agency's) own rules: forbidden phrases and patterns from the config's [rules] tables.

    [rules.extreme_words]
    pattern = "全网最低|全网第一"     # a phrase, or with regex = true a Python regular expression
    regex = true
    label = "极限词"                 # the label the report shows
    reason = "广告法禁止的极限用语"   # the Chinese reason shown next to the evidence
    yuan = 0                         # optional: a figure per order (0: reported, not fined)

Matching is on the normalised text (monitor/text/normalise.py: width, case, traditional → simplified,
noise between characters, contact-word variants), so a rule catches the same disguises the built-in
rules do: a phrase is normalised like the messages, a regex runs on the normalised text. Evidence spans
point back into the original text, like the built-in rules'. A bad rule (no pattern, a regex that does
not compile, a pattern that matches the empty string, a non-number yuan …) stops the scan at start
with `file:rules.KEY: reason`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError
from .text.normalise import normalise_cached, normalise_text

RULE_KEYS = {"pattern", "regex", "label", "reason", "yuan"}
# built-in label names a shop rule must not reuse (their amounts and meaning are fixed elsewhere)
_RESERVED = {"diversion", "qr_lure", "negative", "harassment", "promise", "ok", "slow", "unanswered",
             "broken_promise", "pestering"}


@dataclass(frozen=True)
class ShopRule:
    key: str
    pattern: re.Pattern
    label: str
    reason: str
    yuan: float

    @property
    def rule_name(self) -> str:
        return f"shop_rule:{self.key}"


def parse_rules(table: dict, file: str) -> list[ShopRule]:
    """[rules] tables -> ShopRule list; raises InputError(file, 'rules.KEY: reason') for a bad one."""
    if not isinstance(table, dict):
        raise InputError(file, "rules: [rules] must hold one table per rule, e.g. [rules.extreme_words]")
    out = []
    for key, spec in table.items():
        where = f"rules.{key}"
        if not isinstance(spec, dict):
            raise InputError(file, f"{where}: must be a table with pattern, label and reason")
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise InputError(file, f"{where}: unknown setting {sorted(unknown)[0]!r} "
                                   f"(known: pattern, regex, label, reason, yuan)")
        for need in ("pattern", "label", "reason"):
            if not isinstance(spec.get(need), str) or not spec[need].strip():
                raise InputError(file, f"{where}: {need} must be a non-empty string")
        label = spec["label"].strip()
        if label in _RESERVED:
            raise InputError(file, f"{where}: label {label!r} is a built-in label; choose another name")
        yuan = spec.get("yuan", 0)
        if isinstance(yuan, bool) or not isinstance(yuan, (int, float)) or yuan < 0:
            raise InputError(file, f"{where}: yuan must be a number ≥ 0")
        regex = spec.get("regex", False)
        if not isinstance(regex, bool):
            raise InputError(file, f"{where}: regex must be true or false")
        if regex:
            try:
                pattern = re.compile(spec["pattern"])
            except re.error as exc:
                raise InputError(file, f"{where}: pattern is not a valid regular expression ({exc})") from None
        else:
            phrase = normalise_text(spec["pattern"])
            if not phrase:
                raise InputError(file, f"{where}: pattern {spec['pattern']!r} is empty once normalised")
            pattern = re.compile(re.escape(phrase))
        if pattern.search(""):
            raise InputError(file, f"{where}: pattern matches the empty string, so every message")
        out.append(ShopRule(key=str(key), pattern=pattern, label=label, reason=spec["reason"].strip(),
                            yuan=float(yuan)))
    return out


def rule_evidence(text: str, rules: list[ShopRule]) -> list[dict]:
    """Evidence dicts (label, start, end, match, rule, reason) for every rule that matches `text`."""
    if not rules or not text:
        return []
    n = normalise_cached(text)
    found = []
    for rule in rules:
        m = rule.pattern.search(n.text)
        if m is None:
            continue
        a, b = n.span_to_original(m.start(), m.end())
        found.append({"label": rule.label, "start": a, "end": b, "match": text[a:b], "rule": rule.rule_name,
                      "reason": rule.reason})
    return found


def apply_shop_rules(messages: pd.DataFrame, rules: list[ShopRule]) -> pd.DataFrame:
    """Seller messages matching a shop rule gain its label (in `labels`, p = 1 as a rule flag) and its
    evidence. Without rules the frame is returned as it is (no cost on a night without them)."""
    if not rules or messages.empty or "labels" not in messages:
        return messages
    seller = messages["role"].isin(("agent", "auto")).to_numpy()
    rows = np.flatnonzero(seller)
    if not len(rows):
        return messages
    texts = messages["text"].astype(str).to_numpy()[rows]
    codes, uniques = pd.factorize(texts)
    hits = [rule_evidence(t, rules) for t in uniques]
    if not any(hits):
        return messages
    out = messages.copy()
    labels = out["labels"].astype(str).to_numpy(dtype=object).copy()
    evidence = (out["evidence"].fillna("[]").astype(str).to_numpy(dtype=object).copy() if "evidence" in out
                else np.full(len(out), "[]", dtype=object))
    for row, code in zip(rows, codes):
        found = hits[code]
        if not found:
            continue
        have = [x for x in str(labels[row]).split("|") if x and x != "ok"]
        labels[row] = "|".join(have + [e["label"] for e in found if e["label"] not in have])
        try:
            ev = json.loads(evidence[row]) if evidence[row] else []
        except ValueError:
            ev = []
        evidence[row] = json.dumps(ev + found, ensure_ascii=False)
    out["labels"] = pd.Series(labels, index=out.index, dtype="str")
    out["evidence"] = pd.Series(evidence, index=out.index, dtype="str")
    return out


def rule_labels(rules: list[ShopRule]) -> dict[str, float]:
    """{label: yuan} of the shop rules (the largest figure when two rules share a label)."""
    out: dict[str, float] = {}
    for r in rules:
        out[r.label] = max(out.get(r.label, 0.0), r.yuan)
    return out


def rule_reasons(rules: list[ShopRule]) -> dict[str, str]:
    return {r.label: r.reason for r in rules}
