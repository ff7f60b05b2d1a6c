"""Every contact-word variant pattern rewrites its examples, and the fast-path start characters
cover them (the regex only tries positions that start with one of START_CHARS)."""

import re

import pytest

from monitor.text import normalise_text
from monitor.text.variants import START_CHARS, VARIANTS


@pytest.mark.parametrize("text, expected", [
    ("绿泡泡", "微信"), ("绿色软件", "微信"), ("小绿泡", "微信"),
    ("weixin", "微信"), ("wechat", "微信"), ("vchat", "微信"),
    ("加v", "加微信"), ("+w", "加微信"), ("➕v", "加微信"), ("家v", "加微信"), ("加vx", "加微信"),
    ("vx", "微信"), ("wxin", "微信"), ("v芯", "微信"),
    ("薇信", "微信"), ("徽信", "微信"), ("危x", "微信"), ("葳心", "微信"),
    ("加我伟星", "加我微信"), ("搜尾新", "搜微信"), ("我的喂鑫", "我的微信"),
    ("扣扣", "qq"), ("抠抠", "qq"), ("🐧", "qq"), ("企鹅群", "qq"), ("加球球", "加qq"), ("加我口口", "加我qq"),
    ("jiawo", "加我"), ("dianhua", "电话"), ("shouji", "手机号"), ("siliao", "私聊"), ("touxiang", "头像"),
    ("lianxi", "联系"),
    ("加薇", "加微信"), ("+薇", "加微信"), ("加个威", "加个微信"), ("加微", "加微信"), ("加我威", "加我微信"),
    ("威❤", "微信"), ("v❤", "微信"), ("微 ❤", "微信"),
])
def test_variant_examples(text, expected):
    assert normalise_text(text) == expected


@pytest.mark.parametrize("text", ["伟星", "尾新", "喂鑫", "口口相传", "球球都好看", "微信用户", "威信誉", "showxl",
                                  "添加微量元素", "加微波炉", "增加威力", "加微博", "我的微笑", "我的威望"])
def test_loose_homophones_need_a_cue(text):
    assert normalise_text(text) == text


def test_start_chars_cover_every_pattern():
    samples = ["绿泡泡", "小绿软件", "weixin", "vchat", "加v", "+v", "➕v", "家v", "vx", "wx", "薇信", "扣扣",
               "koukou", "🐧", "企鹅号", "jiawo", "dianhua", "shouji", "siliao", "touxiang", "lianxi"]
    for sample in samples:
        hits = [p for p, _ in VARIANTS if re.match(p, sample)]
        assert hits, sample
        assert sample[0] in START_CHARS, sample
