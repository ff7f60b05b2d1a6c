"""A buyer's closing acknowledgement needs no reply: it opens no wait (DESIGN.md, Latency)."""

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from monitor.acknowledge import is_acknowledgement
from monitor.config import load_config
from monitor.timing import compute_latency
from transcripts import transcript

CFG = load_config()
LAT = CFG.for_shop("甲店").latency
ARGS = (tuple(LAT["ack_phrases"]), tuple(LAT["ack_reply_markers"]), LAT["ack_max_extra_chars"])


@pytest.mark.parametrize("text", ["好的", "好的谢谢", "好的，谢谢！", "嗯嗯", "知道了", "👌", "👍🏻", "好的我加一下",
                                  "ＯＫ谢谢亲", "谢谢你~", "好滴 收到", "哦哦好的呢", "好的 我试试", "嗯 好 谢谢"])
def test_acknowledgements(text):
    assert is_acknowledgement(text, *ARGS)


@pytest.mark.parametrize("text", ["好的，那什么时候发货", "谢谢，但是我还没收到货", "好的？", "好久了都", "行不行啊",
                                  "嗯 要增票", "好的 你帮我取消吧", "好的 13812345678", "亲 你好", "在吗", "",
                                  "可以还花呗", "好的那蓝色呢"])
def test_not_acknowledgements(text):
    assert not is_acknowledgement(text, *ARGS)


@given(st.text(max_size=30))
def test_never_raises_and_a_question_mark_is_never_an_acknowledgement(text):
    assert is_acknowledgement(text + "？", *ARGS) is False
    assert is_acknowledgement(text, *ARGS) in (True, False)


def one_session(*lines, config=CFG):
    lat = compute_latency(transcript(*lines), config)
    assert len(lat.sessions) == 1
    return lat.sessions.iloc[0], lat.waits


def test_closing_thanks_left_unanswered_is_not_an_unanswered_wait():
    s, w = one_session("b 10:00:00 这个有蓝色吗", "a 10:00:40 有的亲", "b 10:01:00 好的谢谢")
    assert (s["waits"], s["unanswered"], s["acknowledged"]) == (1, 0, 1)
    assert w["answered"].tolist() == [True]


def test_a_question_after_an_acknowledgement_opens_the_wait_at_the_question():
    s, w = one_session("b 10:00:00 好的", "b 10:02:00 那什么时候发货", "a 10:03:00 今天发")
    assert w["wait_s"].tolist() == [60.0]
    assert s["acknowledged"] == 0          # the question opened the wait: none was left out


def test_an_acknowledgement_inside_an_open_wait_does_not_change_it():
    s, w = one_session("b 10:00:00 在吗", "b 10:01:00 好的", "a 10:05:00 在的")
    assert w["wait_s"].tolist() == [300.0] and s["slow_waits"] == 1 and s["acknowledged"] == 0


def test_each_wait_left_out_is_counted_once():
    s, w = one_session("b 10:00:00 有货吗", "a 10:00:30 有", "b 10:01:00 好的", "b 10:01:05 谢谢",
                       "a 10:02:00 不客气", "b 10:03:00 👌")
    assert (s["waits"], s["unanswered"], s["acknowledged"]) == (1, 0, 2)


def test_config_can_turn_it_off(tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[latency]\nack_exclude = false\n", encoding="utf-8")
    s, w = one_session("b 10:00:00 这个有蓝色吗", "a 10:00:40 有的亲", "b 10:01:00 好的谢谢", config=load_config(cfg))
    assert (s["waits"], s["unanswered"], s["acknowledged"]) == (2, 1, 0)


def test_a_shop_can_add_its_own_phrases(tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[shops."甲店"]\nack_phrases = ["妥了"]\n', encoding="utf-8")
    s, _ = one_session("b 10:00:00 发了吗", "a 10:00:40 发了", "b 10:01:00 妥了", config=load_config(cfg))
    assert (s["waits"], s["unanswered"]) == (1, 0)


def test_defaults_document_every_ack_setting():
    text = Path("monitor/defaults.toml").read_text(encoding="utf-8")
    lat = tomllib.loads(text)["latency"]
    assert isinstance(lat["ack_exclude"], bool) and isinstance(lat["ack_max_extra_chars"], int)
    assert "好的" in lat["ack_phrases"] and "吗" in lat["ack_reply_markers"]
