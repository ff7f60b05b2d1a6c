"""Chats about a review link to the order they are about, within the review period, not 72 h."""

import pandas as pd

from monitor.config import load_config
from monitor.orders import link_orders
from monitor.timing import compute_latency
from transcripts import transcript


def orders(created):
    return pd.DataFrame({"order_id": ["888"], "buyer": ["tb_a"], "shop": [None], "amount": [99.0],
                         "created": pd.to_datetime([created]), "status": ["交易成功"], "source": ["o.csv:2"]})


def link(msgs, created, config=None):
    cfg = config or load_config()
    lat = compute_latency(msgs, cfg)
    return link_orders(lat.sessions, lat.messages, orders(created), cfg).iloc[0][["order_id", "link"]].tolist()


def test_a_review_chat_links_to_an_order_three_weeks_old():
    msgs = transcript("a 10:00:00 亲，能把差评改一下吗", "b 10:05:00 不改")
    assert link(msgs, "2026-11-01 09:00:00") == ["888", "buyer_time"]


def test_an_ordinary_chat_does_not_reach_back_that_far():
    msgs = transcript("b 10:00:00 在吗", "a 10:00:30 在的")
    assert link(msgs, "2026-11-01 09:00:00")[1] == "consult"


def test_a_review_chat_does_not_link_to_an_order_created_after_it():
    msgs = transcript("a 10:00:00 亲，能把差评改一下吗")
    assert link(msgs, "2026-12-01 09:00:00")[1] == "consult"


def test_beyond_the_review_period_is_a_consultation():
    msgs = transcript("a 10:00:00 亲，能把差评改一下吗")
    assert link(msgs, "2026-10-01 09:00:00")[1] == "consult"


def test_the_period_is_a_setting(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[orders]\nreview_link_window_days = 60\n", encoding="utf-8")
    msgs = transcript("a 10:00:00 亲，能把差评改一下吗")
    assert link(msgs, "2026-10-01 09:00:00", load_config(p)) == ["888", "buyer_time"]
