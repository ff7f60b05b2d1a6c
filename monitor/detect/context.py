"""A seller message read with what it answers: the conversation around it.

The classifier and the rules judge one text alone (and the scan keeps their results per distinct
text: quick phrases repeat in every shop). This module then looks at each seller message's place in
its conversation and changes the outcome only where the context can change it:

- split_contact: a contact sent over up to four consecutive seller messages ("加我" / "v" / "abc" /
  "123"; a handle promised in one message and given in the next). The rules run on the run of
  messages joined; a contact they find there that a message does not show alone flags that message
  (diversion, rule `context:split_contact`, the span is the message's part of the contact).
- buyer_payment: the buyer's previous turn asks about paying by WeChat (微信支付可以吗): a short
  seller answer whose diversion comes from the model alone (可以微信) is not diversion.
- buyer_request: the buyer's previous turn asks for help or a refund, and the seller answers with a
  bare brush-off (没办法, 呵呵, 切, 管不了): negative (rule `context:buyer_request`).
- buyer_complaint: a buyer in the last few messages says they are being pestered (别再打电话了,
  你们一直骚扰我): the seller's next messages get `harassment` at half the label's threshold
  (rule `context:buyer_complaint`; the match quotes the buyer's words, the span is empty).

Only rows whose neighbours pass cheap tests (per distinct text) are looked at one by one, so a night
of ordinary chat costs a few vectorised passes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..text.normalise import normalise_text
from .rules import find_evidence
from .types import LABELS, Evidence

SELLER_ROLES = ("agent", "auto")
# a split contact: at most this many consecutive seller messages, the earlier ones by their last
# TAIL characters (where a cue like 加我微信 sits), the last by its first HEAD characters
SPLIT_MESSAGES = 4
TAIL, HEAD = 16, 40
# a piece of a split contact is a short message: only messages this short (normalised) get the flag,
# and only runs of them are joined (the first message of a run, where the cue sits, may be longer)
PIECE_MAX = 20
# the buyer's previous turn counts while at most this many seller messages followed it
ANSWER_WITHIN = 2
# a buyer's complaint of pestering supports harassment in the seller messages this close after it
COMPLAINT_WITHIN = 6
COMPLAINT_FACTOR = 0.5
# the model's diversion on a short answer to a payment question is about the payment
PAYMENT_ANSWER_MAX = 15

_PAYMENT_Q = re.compile(r"微信.{0,4}(?:支付|付款|付钱|买单|付)|(?:支付|付款|付钱|买单).{0,6}微信")
_REQUEST = re.compile(r"退款|退货|退钱|换货|换一个|补发|赔|补偿|坏了|破了|漏了|少了|错了|不能用|用不了|质量|"
                      r"投诉|怎么办|处理一下|帮我|能不能|可以吗|行吗|好吗|什么时候")
# a bare brush-off, the whole message (normalised: punctuation and spaces gone)
_BRUSH_OFF = re.compile(r"^(?:那|这|我也|这边也|我们也|这个)?(?:没办法|没有办法|没辙|管不了|不归我管|不关我事|"
                        r"呵呵|切|爱咋咋地?|随便你?|你看着办|自己看|那你退吧|你自己看着办)"
                        r"(?:了|的|啊|呀|哦|呢|吧|哈)*$")
_COMPLAINT = re.compile(r"(?:别再?|不要再?)(?:给我)?(?:打|发|联系|烦)(?:电话|短信|消息|我)?了?|骚扰|一直打|天天打|老是打|"
                        r"又打|打了好几[次遍个]|打了[好很]多[次遍个]|烦死了?|拉黑|别烦我")
# something a piece of a contact holds: a digit (any style), a letter, or a contact word
_CONTACT_BITS = re.compile(r"[0-9a-z零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖①-⑩]|微信|qq|电话|手机|加我|私聊|号")


@dataclass
class _Rows:
    """The messages in conversation order, as plain arrays."""
    order: np.ndarray        # sorted position -> row position in the frame
    conv: np.ndarray
    seller: np.ndarray
    buyer: np.ndarray
    text: list


def _sorted_rows(df: pd.DataFrame) -> _Rows:
    conv, _ = pd.factorize(df["conversation_id"].astype(str), sort=False)
    ts = pd.to_datetime(df["ts"], errors="coerce").to_numpy(dtype="datetime64[s]").astype(np.int64)
    order = np.lexsort((np.arange(len(df)), ts, conv))
    role = df["role"].to_numpy()[order]
    return _Rows(order=order, conv=conv[order], seller=np.isin(role, SELLER_ROLES), buyer=role == "buyer",
                 text=[("" if t is None else str(t)) for t in df["text"].to_numpy()[order].tolist()])


def _per_distinct(texts: list, mask: np.ndarray, fn) -> np.ndarray:
    """fn(text) -> bool for the rows in `mask`, computed once per distinct text."""
    out = np.zeros(len(texts), dtype=bool)
    rows = np.flatnonzero(mask)
    if len(rows):
        codes, uniques = pd.factorize(np.asarray(texts, dtype=object)[rows])
        hit = np.fromiter((bool(fn(u)) for u in uniques), dtype=bool, count=len(uniques))
        out[rows] = hit[codes]
    return out


def _at(positions: np.ndarray, n: int) -> np.ndarray:
    """A mask of length n, true at `positions`."""
    out = np.zeros(n, dtype=bool)
    out[positions] = True
    return out


def _last_before(flag: np.ndarray, conv: np.ndarray) -> np.ndarray:
    """Per position, the latest position at or before it where `flag` holds, within the same
    conversation; -1 where there is none."""
    pos = np.where(flag, np.arange(len(flag)), -1)
    last = np.maximum.accumulate(pos) if len(pos) else pos
    ok = last >= 0
    ok[ok] = conv[last[ok]] == conv[ok]
    return np.where(ok, last, -1)


class _NormalisedTexts(dict):
    """text -> normalised text for one call of apply_context, each text normalised once. The
    context passes read every distinct text of the frame five or six times, in turn; a night holds
    more distinct texts (225k on the 300k real-wording benchmark night) than normalise_text's LRU
    cache, so through that cache alone every pass missed (450k normalisations instead of 225k)."""

    def __missing__(self, text: str) -> str:
        out = self[text] = normalise_text(text)
        return out


class ContextFlags:
    """Per-row edits of a frame's flags, in conversation order: labels (a list per row) and evidence
    (a list of dicts per row, parsed from its JSON only for the rows that are looked at)."""

    def __init__(self, labels: list, evidence_json: np.ndarray):
        self.labels = labels
        self._json = evidence_json
        self._evidence: dict[int, list] = {}
        self.changed: set[int] = set()

    def evidence(self, i: int) -> list:
        if i not in self._evidence:
            raw = self._json[i]
            try:
                self._evidence[i] = json.loads(raw) if isinstance(raw, str) and raw else []
            except ValueError:
                self._evidence[i] = []
        return self._evidence[i]

    def add(self, i: int, label: str, ev: Evidence) -> None:
        if label not in self.labels[i]:
            self.labels[i] = [lab for lab in LABELS if lab in self.labels[i] or lab == label]
        self.evidence(i).append(ev.to_dict())
        self.changed.add(i)

    def drop(self, i: int, label: str) -> None:
        self.labels[i] = [lab for lab in self.labels[i] if lab != label]
        self._evidence[i] = [e for e in self.evidence(i) if e.get("label") != label]
        self.changed.add(i)


def apply_context(df: pd.DataFrame, thresholds: dict) -> pd.DataFrame:
    """The frame with `labels` and `evidence` of seller messages changed where their conversation
    changes the outcome (see the module's docstring). `df` holds canonical messages with flags
    (labels |-joined, p_<label>, evidence JSON) as flag_messages makes them; returns a copy only
    when something changed."""
    if df.empty or "conversation_id" not in df or "labels" not in df:
        return df
    r = _sorted_rows(df)
    n = len(r.text)
    if not r.seller.any():
        return df
    lab_col = df["labels"].to_numpy(dtype=object)[r.order]
    ev_col = df["evidence"].to_numpy()[r.order]
    # most rows carry no label: only the labelled ones are split (an empty row's () is never changed
    # in place: ContextFlags replaces a row's list)
    labels: list = [()] * n
    for i in np.flatnonzero(pd.notna(lab_col) & (lab_col != "")).tolist():
        v = lab_col[i]
        labels[i] = [x for x in v.split("|") if x] if isinstance(v, str) else []
    p = {lab: pd.to_numeric(df[f"p_{lab}"], errors="coerce").to_numpy(dtype=float)[r.order]
         if f"p_{lab}" in df else np.zeros(n) for lab in LABELS}
    flags = ContextFlags(labels, ev_col)
    ev_of = flags.evidence
    norm = _NormalisedTexts()

    # how many seller messages since the last buyer message (the buyer's turn they answer)
    last_buyer = _last_before(r.buyer, r.conv)
    seller_count = np.cumsum(r.seller)
    since = np.where(last_buyer >= 0, seller_count - seller_count[np.maximum(last_buyer, 0)], n)
    answers = r.seller & (last_buyer >= 0) & (since <= ANSWER_WITHIN)

    # 1. payment questions: a short model-only diversion answer is about paying
    # only the buyer turns some labelled answer points back to are read: most buyer texts of a
    # night are seen by no other pass, and normalising them all was most of this module's time
    diverted = np.fromiter(("diversion" in lab for lab in labels), dtype=bool, count=n)
    pay_q = _per_distinct(r.text, r.buyer & _at(last_buyer[answers & diverted], n),
                          lambda t: _PAYMENT_Q.search(norm[t]))
    for i in np.flatnonzero(answers & pay_q[np.maximum(last_buyer, 0)]).tolist():
        if "diversion" in labels[i] and len(norm[r.text[i]]) <= PAYMENT_ANSWER_MAX and \
                all(str(e.get("rule", "")).startswith("model") for e in ev_of(i) if e.get("label") == "diversion"):
            flags.drop(i, "diversion")

    # 2. a bare brush-off of a buyer's request
    brush = _per_distinct(r.text, r.seller, lambda t: _BRUSH_OFF.match(norm[t]))
    if brush.any():
        request = _per_distinct(r.text, r.buyer & _at(last_buyer[brush & answers], n),
                                lambda t: _REQUEST.search(norm[t]))
        for i in np.flatnonzero(brush & answers & request[np.maximum(last_buyer, 0)]).tolist():
            if "negative" not in labels[i]:
                t = r.text[i]
                s = len(t) - len(t.lstrip())
                e = len(t.rstrip())
                flags.add(i, "negative", Evidence("negative", s, e, t[s:e], "context:buyer_request"))

    # 3. a buyer's complaint of pestering supports harassment after it
    # only buyer turns in the COMPLAINT_WITHIN positions before a seller message that could take
    # the label are read: the latest complaint within reach of such a message is always among them
    bar = COMPLAINT_FACTOR * float(thresholds.get("harassment", 0.5))
    could = r.seller & (np.nan_to_num(p["harassment"]) >= bar)
    reach = (np.flatnonzero(could)[:, None] - np.arange(1, COMPLAINT_WITHIN + 1)).ravel()
    complaint = _per_distinct(r.text, r.buyer & _at(reach[reach >= 0], n),
                              lambda t: _COMPLAINT.search(norm[t]))
    if complaint.any():
        last_c = _last_before(complaint, r.conv)
        near = r.seller & (last_c >= 0) & (np.arange(n) - last_c <= COMPLAINT_WITHIN)
        for i in np.flatnonzero(near & could).tolist():
            m = _COMPLAINT.search(norm[r.text[last_c[i]]])
            words = m.group(0) if m else r.text[last_c[i]][:20]
            flags.add(i, "harassment", Evidence("harassment", 0, 0, words, "context:buyer_complaint"))

    # 4. contacts split over consecutive seller messages
    _split_contacts(r, flags, ev_of, norm)

    if not flags.changed:
        return df
    out = df.copy()
    rows = sorted(flags.changed)
    pos = r.order[rows]
    lab_vals = out["labels"].to_numpy(dtype=object).copy()
    ev_vals = out["evidence"].to_numpy(dtype=object).copy()
    for i, row in zip(rows, pos.tolist()):
        lab_vals[row] = "|".join(labels[i])
        ev_vals[row] = json.dumps(ev_of(i), ensure_ascii=False)
    out["labels"] = pd.Series(lab_vals, index=out.index, dtype="str")
    out["evidence"] = pd.Series(ev_vals, index=out.index, dtype="str")
    return out


def _split_contacts(r: _Rows, flags: ContextFlags, ev_of, norm: _NormalisedTexts) -> None:
    n = len(r.text)
    bits = _per_distinct(r.text, r.seller, lambda t: _CONTACT_BITS.search(norm[t]))
    short = _per_distinct(r.text, r.seller, lambda t: len(norm[t]) <= PIECE_MAX)
    # a seller message directly after another seller message of the same conversation
    follows = np.zeros(n, dtype=bool)
    follows[1:] = r.seller[1:] & r.seller[:-1] & (r.conv[1:] == r.conv[:-1])
    for i in np.flatnonzero(follows & bits & short).tolist():
        j = i
        while j > i - SPLIT_MESSAGES + 1 and follows[j] and short[j]:   # the first may be long
            j -= 1
        pieces, starts, offsets = [], [], []
        pos = 0
        for k in range(j, i + 1):
            t = r.text[k]
            off = max(0, len(t) - TAIL) if k < i else 0
            piece = t[off:] if k < i else t[:HEAD]
            pieces.append(piece)
            starts.append(pos)
            offsets.append(off)
            pos += len(piece)
        if not any(bits[k] for k in range(j, i)):
            continue                                  # nothing before it that could complete a contact
        joined = "".join(pieces)
        for ev in find_evidence(joined):
            if ev.label != "diversion":
                continue
            for idx, k in enumerate(range(j, i + 1)):
                a, b = starts[idx], starts[idx] + len(pieces[idx])
                s, e = max(ev.start, a), min(ev.end, b)
                if e <= s or not r.seller[k] or not short[k]:
                    continue
                if ev.start >= a and ev.end <= b and any(
                        x.rule == ev.rule for x in find_evidence(r.text[k]) if x.label == "diversion"):
                    continue                          # the message shows it alone: nothing new
                if any(d.get("rule") == "context:split_contact" for d in ev_of(k)):
                    continue
                if "diversion" in flags.labels[k] and any(d.get("label") == "diversion" and
                                                          not str(d.get("rule", "")).startswith("model")
                                                          for d in ev_of(k)):
                    continue                          # a rule flagged it already
                ms, me = s - a + offsets[idx], e - a + offsets[idx]
                t = r.text[k]
                flags.add(k, "diversion", Evidence("diversion", ms, me, t[ms:me], "context:split_contact"))
