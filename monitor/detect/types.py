"""Value types shared by rules, classifier, CLI and reports."""

from __future__ import annotations

from dataclasses import dataclass, field

# The model's labels, in the order of every probability column. `ok` means none of them.
LABELS: tuple[str, ...] = ("diversion", "qr_lure", "negative", "harassment", "promise")

# The labels that are violations by themselves. `promise` is not: a seller's commitment (发货/退款/补发 …
# by a deadline) costs nothing unless it is broken, which monitor/promises decides from the orders
# export; so flag counts, exposure, false-alarm rates and the reports' "flagged" use these.
VIOLATION_LABELS: tuple[str, ...] = tuple(lab for lab in LABELS if lab != "promise")


@dataclass(frozen=True)
class Evidence:
    """Why a label was given: a span of the ORIGINAL text and the rule (or model feature) behind it.

    `start`/`end` are character offsets into the original message, so `text[start:end] == match`.
    `rule` names a rule (e.g. "phone_number", "lexicon:diversion") or "model:<top n-grams>";
    monitor.detect.explain says it in plain Chinese. Evidence from the conversation around the
    message (rule "context:…", monitor.detect.context) may quote another message's words: its span
    is then empty (start == end == 0).
    """

    label: str
    start: int
    end: int
    match: str
    rule: str

    def to_dict(self) -> dict:
        # what dataclasses.asdict gives (same keys, same order), without its deep copy of every
        # field: a csv of a million classifications formats tens of thousands of these
        return {"label": self.label, "start": self.start, "end": self.end, "match": self.match, "rule": self.rule}


@dataclass
class Classification:
    text: str
    labels: list[str]
    scores: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "labels": list(self.labels),
            "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
            "evidence": [e.to_dict() for e in self.evidence],
            "reason": self.reason(),
        }

    def reason(self) -> str:
        """The evidence in plain Chinese, one line (规则: 微信号；模型: "加我")."""
        from .explain import reason
        return reason(self.evidence)
