"""apply_context reads only the buyer turns a seller message can point back to (the turn a labelled
answer replies to, the turns just before a message that could take harassment). Its outcome must be
the one it gives when it reads every buyer turn (context._at replaced by an all-true mask)."""

import json

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.detect import context
from monitor.detect.types import LABELS

BUYER = ["微信支付可以吗", "能用微信付款吗", "我要退款", "东西坏了怎么办", "别再打电话了", "你们一直骚扰我", "好的", "在吗", "烦死了"]
SELLER = ["可以微信", "加我", "v", "abc123", "没办法", "呵呵", "亲，今天发货", "好评返现5元", "再不改差评就天天打给你", "13800138000"]
LABEL_SETS = ["", "diversion", "negative", "harassment", "diversion|harassment", "qr_lure"]

turn = st.tuples(st.integers(0, 2), st.sampled_from(["buyer", "agent"]), st.integers(0, 9),
                 st.sampled_from(LABEL_SETS), st.floats(0, 1))


def _frame(turns) -> pd.DataFrame:
    rows = []
    for k, (conv, role, pick, labels, p_har) in enumerate(turns):
        text = BUYER[pick % len(BUYER)] if role == "buyer" else SELLER[pick]
        labels = labels if role == "agent" else ""
        evidence = [{"label": lab, "start": 0, "end": len(text), "match": text, "rule": "model"}
                    for lab in labels.split("|") if lab]
        rows.append({"conversation_id": f"c{conv}", "ts": pd.Timestamp("2026-11-22 10:00") + pd.Timedelta(seconds=k),
                     "role": role, "text": text, "labels": labels, "evidence": json.dumps(evidence, ensure_ascii=False),
                     **{f"p_{lab}": (p_har if lab == "harassment" else 0.0) for lab in LABELS}})
    return pd.DataFrame(rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(turn, min_size=1, max_size=30))
def test_the_outcome_is_the_one_reading_every_turn_gives(turns):
    df = _frame(turns)
    thresholds = {"harassment": 0.6}
    fast = context.apply_context(df, thresholds)
    real_at = context._at
    try:
        context._at = lambda positions, n: np.ones(n, dtype=bool)
        full = context.apply_context(df, thresholds)
    finally:
        context._at = real_at
    assert fast["labels"].tolist() == full["labels"].tolist()
    assert fast["evidence"].tolist() == full["evidence"].tolist()


def test_a_payment_question_still_clears_a_model_only_diversion_answer():
    df = _frame([(0, "buyer", 0, "", 0.0), (0, "agent", 0, "diversion", 0.0)])
    out = context.apply_context(df, {"harassment": 0.6})
    assert out["labels"].tolist() == ["", ""]


def test_a_complaint_six_turns_back_still_counts_and_seven_does_not():
    near = [(0, "buyer", 4, "", 0.0)] + [(0, "agent", 6, "", 0.0)] * 5 + [(0, "agent", 8, "", 0.4)]
    far = [(0, "buyer", 4, "", 0.0)] + [(0, "agent", 6, "", 0.0)] * 6 + [(0, "agent", 8, "", 0.4)]
    assert context.apply_context(_frame(near), {"harassment": 0.6})["labels"].tolist()[-1] == "harassment"
    assert context.apply_context(_frame(far), {"harassment": 0.6})["labels"].tolist()[-1] == ""
