"""Evidence in plain Chinese for the people who read a flag (规则: 微信号; 模型: "加我").

The machine fields of an Evidence (`rule` = phone_number, lexicon:diversion, model:加我 …) stay as
they are for scripts; `describe` turns one evidence item into what a shop owner can read, and
`reason` joins a message's items into one line. Spans that are contacts (a phone or WeChat number)
are named by their kind, never quoted: the message shows them, masked, next to this line.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .types import Evidence

# a rule that finds a contact: its kind, not the number itself (the report masks the number in the text)
_CONTACT_RULES = {
    "phone_number": "手机号",
    "landline": "电话号码",
    "qq_number": "QQ号",
    "wechat_id": "微信号",
}
# rules whose match is a phrase, quoted after the kind of phrase
_PHRASE_RULES = {
    "lexicon:diversion": "引流用语",
    "lexicon:qr_lure": "好评返现/诱导用语",
    "lexicon:negative": "不礼貌用语",
    "lexicon:harassment": "纠缠/施压用语",
    "lexicon:promise": "承诺用语",
    "contact_cue": "引导联系站外",
    "review_reward": "评价换奖励",
    "ask_contact": "索要买家联系方式",
}
# evidence taken from the conversation around the message (monitor.detect.context)
_CONTEXT_RULES = {
    "context:split_contact": "分几条消息发出的联系方式",
    "context:buyer_complaint": "买家说被骚扰",
    "context:buyer_request": "回绝买家的请求",
}
_MAX_QUOTE = 20


def _quote(match: str) -> str:
    match = " ".join(str(match).split())
    return match if len(match) <= _MAX_QUOTE else match[:_MAX_QUOTE - 1] + "…"


def describe(ev: Evidence | Mapping) -> str:
    """One evidence item in plain Chinese: 规则: 手机号 / 规则: 引流用语「加我微信」 / 模型: "加我"."""
    rule = ev.rule if isinstance(ev, Evidence) else str(ev.get("rule", ""))
    match = ev.match if isinstance(ev, Evidence) else str(ev.get("match", ""))
    if rule in _CONTACT_RULES:
        return f"规则: {_CONTACT_RULES[rule]}"
    if rule in _PHRASE_RULES:
        return f"规则: {_PHRASE_RULES[rule]}「{_quote(match)}」"
    if rule in _CONTEXT_RULES:
        if rule == "context:split_contact":     # a piece of a contact: named, not quoted
            return f"上下文: {_CONTEXT_RULES[rule]}"
        return f"上下文: {_CONTEXT_RULES[rule]}「{_quote(match)}」"
    if rule == "clause":                    # a clause of a long message, scored alone
        return f"模型(分句): \"{_quote(match)}\""
    if rule.startswith("model:"):
        return f"模型: \"{_quote(rule[len('model:'):])}\""
    if rule == "model":
        return "模型: 整条消息"
    if rule.startswith("shop_rule:"):       # a shop's own [rules] entry: its key names it
        return f"店铺规则: {rule[len('shop_rule:'):]}「{_quote(match)}」"
    if (ev.label if isinstance(ev, Evidence) else ev.get("label")) == "note":
        return rule                         # a note already in Chinese (a message cut for length)
    return f"规则: {rule}" if rule else "规则"


def reason(evidence: Iterable[Evidence | Mapping]) -> str:
    """A message's evidence as one line: each distinct description once; rules, then context, then the model."""
    seen: dict[str, None] = {}
    for ev in evidence:
        seen.setdefault(describe(ev), None)
    parts = list(seen)
    return "；".join(sorted(parts, key=lambda p: (not p.startswith("规则"), p.startswith("模型"))))
