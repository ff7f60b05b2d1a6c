"""Lexicon rules for qr_lure, harassment and negative, and strong vs weak phrases."""

import pytest

from monitor.detect.rules import RULE_NAMES, find_evidence, rule_vector


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("好评返现5元", [("qr_lure", 0, 4, "好评返现", "lexicon:qr_lure")]),
    ("五星好评送小礼品", [("qr_lure", 0, 5, "五星好评送", "lexicon:qr_lure")]),
    ("包裹里有卡片，扫码领红包", [("qr_lure", 7, 12, "扫码领红包", "lexicon:qr_lure")]),
    ("晒图返现哦", [("qr_lure", 0, 4, "晒图返现", "lexicon:qr_lure")]),
    ("包裹卡上有惊喜", [("qr_lure", 0, 3, "包裹卡", "lexicon:qr_lure")]),
    ("加好友返5元", [("diversion", 0, 3, "加好友", "lexicon:diversion"),
                    ("qr_lure", 0, 4, "加好友返", "lexicon:qr_lure")]),
])
def test_qr_and_cashback_lures(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("求改差评", [("harassment", 0, 4, "求改差评", "lexicon:harassment")]),
    ("求求你了，改个好评吧", [("harassment", 5, 9, "改个好评", "lexicon:harassment")]),
    # money for deleting a review is a lure too (DESIGN.md's convention)
    ("删差评给你10元", [("harassment", 0, 5, "删差评给你", "lexicon:harassment"),
                    ("qr_lure", 0, 8, "删差评给你10元", "review_reward")]),
    ("追评改一下可以吗", [("harassment", 0, 5, "追评改一下", "lexicon:harassment")]),
    ("差评能不能删", [("harassment", 0, 6, "差评能不能删", "lexicon:harassment")]),
    ("求求你 拜托拜托 差评删了吧", [("harassment", 0, 8, "求求你 拜托拜托", "lexicon:harassment"),
                              ("harassment", 9, 13, "差评删了", "lexicon:harassment")]),
    ("拜托了，求求你，那个评价", [("harassment", 0, 7, "拜托了，求求你", "lexicon:harassment")]),
    ("求求你求求你求求你", [("harassment", 0, 9, "求求你求求你求求你", "lexicon:harassment")]),
])
def test_review_pestering(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["拜托啦亲，帮忙确认收货哦", "求求你快点发货吧", "差评我们会认真改进"])
def test_a_single_plea_or_review_word_is_not_harassment(text):
    assert find_evidence(text) == []


@pytest.mark.parametrize("text, expected", [
    ("爱买不买", [("negative", 0, 4, "爱买不买", "lexicon:negative")]),
    ("自己看详情页", [("negative", 0, 6, "自己看详情页", "lexicon:negative")]),
    ("烦不烦啊", [("negative", 0, 3, "烦不烦", "lexicon:negative")]),
    ("听不懂吗？", [("negative", 0, 4, "听不懂吗", "lexicon:negative")]),
    ("不会看吗", [("negative", 0, 4, "不会看吗", "lexicon:negative")]),
    ("你有病吧", [("negative", 0, 4, "你有病吧", "lexicon:negative")]),
    ("你滚吧", [("negative", 0, 2, "你滚", "lexicon:negative")]),
])
def test_rude_replies(text, expected):
    assert spans(text) == expected


def test_weak_phrases_are_features_not_evidence():
    text = "亲，随便看看，有问题叫我"
    assert find_evidence(text) == []
    assert rule_vector(text)[RULE_NAMES.index("lexicon:negative:weak")] == 1.0


@pytest.mark.parametrize("text, expected", [
    ("评价写上宝贝名字，返现五元", [("qr_lure", 0, 13, "评价写上宝贝名字，返现五元", "review_reward")]),
    ("好评后返你10块话费", [("qr_lure", 0, 8, "好评后返你10块", "review_reward")]),
    ("带图评价的妈妈们找客服领红包", [("qr_lure", 0, 14, "带图评价的妈妈们找客服领红包", "review_reward")]),
    ("满意就好评，给你返两元", [("qr_lure", 3, 11, "好评，给你返两元", "review_reward")]),
    ("好评返现五元", [("qr_lure", 0, 4, "好评返现", "lexicon:qr_lure")]),   # the phrase already says it
])
def test_money_or_gifts_for_a_review(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "评价后系统会送淘金币",
    "亲，好评返现的活动我们没有",
    "退货运费险会返12元",
    "确认收货后会返还运费",
])
def test_platform_rewards_and_refusals_are_not_lures(text):
    assert find_evidence(text) == []


@pytest.mark.parametrize("text, expected", [
    ("不撤我就一直发消息给你", [("harassment", 0, 4, "不撤我就", "lexicon:harassment"),
                           ("harassment", 4, 9, "一直发消息", "lexicon:harassment")]),
    ("你到底改不改", [("harassment", 3, 6, "改不改", "lexicon:harassment")]),
    ("别给脸不要脸", [("negative", 1, 6, "给脸不要脸", "lexicon:negative")]),
])
def test_threats_and_insults(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["快递会直接送去你家门口", "这么晚了还没发货吗", "没办法哦亲，仓库已经发出了"])
def test_words_near_threats_in_fine_messages(text):
    assert find_evidence(text) == []
