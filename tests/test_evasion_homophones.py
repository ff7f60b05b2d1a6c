"""Homophones and look-alike characters for contact words (薇信, 威信, 卫星, 围心, 扣扣, 企鹅, 绿泡泡)."""

import pytest

from monitor.detect.rules import find_evidence, rule_labels


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("加我薇信发你实拍", [("diversion", 0, 6, "加我薇信发你", "lexicon:diversion")]),
    ("加我威信吧", [("diversion", 0, 4, "加我威信", "lexicon:diversion")]),
    ("加个卫信聊", [("diversion", 0, 5, "加个卫信聊", "lexicon:diversion")]),
    ("加个围心聊", [("diversion", 0, 5, "加个围心聊", "lexicon:diversion")]),
    ("我的卫星号：kefu_88", [("diversion", 0, 5, "我的卫星号", "lexicon:diversion"),
                           ("diversion", 6, 13, "kefu_88", "wechat_id")]),
    ("绿泡泡联系我", [("diversion", 0, 5, "绿泡泡联系", "lexicon:diversion")]),
    ("加V详聊", [("diversion", 0, 4, "加V详聊", "lexicon:diversion")]),
    ("+v发你", [("diversion", 0, 4, "+v发你", "lexicon:diversion")]),
    ("加vx", [("diversion", 0, 3, "加vx", "lexicon:diversion")]),
    ("扣扣 12345678 找我", [("diversion", 3, 11, "12345678", "qq_number")]),
    ("加我企鹅 87654321", [("diversion", 0, 4, "加我企鹅", "lexicon:diversion"),
                        ("diversion", 5, 13, "87654321", "qq_number")]),
    ("企鹅 87654321", [("diversion", 3, 11, "87654321", "qq_number")]),
])
def test_homophones_of_contact_words(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "维修师傅明天上门", "卫生纸两提", "威力很大的吸尘器", "微微偏大一码", "信封装的",
    "加V领毛衣有货", "家wifi信号不好", "我们为新客户准备了赠品", "企鹅玩偶有三个尺寸", "卫星定位手表",
])
def test_ordinary_words_with_the_same_characters(text):
    assert find_evidence(text) == []


@pytest.mark.parametrize("text, expected", [
    ("私下给你发别的款式图，加一下V", [("diversion", 0, 4, "私下给你", "lexicon:diversion"),
                                 ("diversion", 11, 15, "加一下V", "lexicon:diversion")]),
    ("有事扣我，一一二二三三四四五五", [("diversion", 5, 15, "一一二二三三四四五五", "qq_number")]),
])
def test_v_after_an_adding_phrase_and_kou_as_qq(text, expected):
    assert spans(text) == expected
