"""The word view's segmenter: rjieba (compiled) by default, cutting as jieba (the reference) does."""

import logging
from importlib.metadata import requires

import jieba
import pytest

from monitor.detect import features

jieba.setLogLevel(logging.WARNING)

# shop chat lines written for this test (not taken from any corpus)
LINES = [
    "亲，您的订单已经发货了，预计明天送达哦",
    "加我微信领红包，好评返现五元",
    "这款连衣裙有三个颜色，尺码偏小建议拍大一码",
    "不好意思让您久等了，退款已经帮您申请",
    "收到货后请给个五星好评呀，谢谢亲亲",
    "您好，我是店铺客服小美，有什么可以帮您",
]


def test_rjieba_is_a_default_dependency():
    # a plain `pip install chatmon` (a shop owner on Windows or macOS) must get the compiled segmenter
    reqs = [r for r in requires("chatmon") if "extra ==" not in r]
    assert any(r.startswith("rjieba") for r in reqs)
    assert features.SEGMENTER == "rjieba"


@pytest.mark.parametrize("line", LINES)
def test_default_segmenter_cuts_as_jieba(line):
    assert features._cut(line) == jieba.lcut(line)


def test_words_drop_whitespace_tokens():
    assert features.words("好的 亲") == ["好", "的", "亲"]
