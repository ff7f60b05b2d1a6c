"""Rule `phone_number` in context: a number given as an example, or read back to the buyer as a
question, is nobody's contact; the same number offered or asked to be called still is."""

import pytest

from monitor.detect.rules import find_evidence


def phones(text):
    return [(e.start, e.end, e.match) for e in find_evidence(text) if e.rule == "phone_number"]


@pytest.mark.parametrize("text", [
    "设置呼叫转移：例如要转到13810011234，就在拨号盘输入转移码再拨号",
    "格式示例：13912345678（不用加区号）",
    "您好，请问您的联系电话是：13712345678吗？",
    "请问15812345678这个号码是需要停机的号码吗？",
    "请问收件人电话是不是13612345678",
    "您的联系方式是13512345678对吧",
])
def test_example_or_read_back_is_no_contact(text):
    assert phones(text) == []


@pytest.mark.parametrize("text, expected", [
    ("请问您方便的话联系13812345678吗", [(9, 20, "13812345678")]),
    ("您好，请问可以打这个号码13812345678吗", [(12, 23, "13812345678")]),
    ("你可以加13812345678吗", [(4, 15, "13812345678")]),
    ("有事打这个13812345678", [(5, 16, "13812345678")]),
    ("我的电话13812345678，有问题打给我", [(4, 15, "13812345678")]),
])
def test_offered_or_to_be_called_is_a_contact(text, expected):
    assert phones(text) == expected


@pytest.mark.parametrize("text", [
    "亲,是15619911004号码吗？谢谢！",                                    # 是 + number + 吗
    "请问您的宽带账号还是HZDSL1052192156@16900.gd吗？",                   # the buyer's own account ID
])
def test_more_read_backs(text):
    assert [e.rule for e in find_evidence(text) if e.rule in ("phone_number", "wechat_id")] == []


def test_qq_as_the_software_is_no_contact_cue():
    assert find_evidence("请您将QQ软件卸载重装试一下") == []
    assert [e.rule for e in find_evidence("请qq验证")] == ["contact_cue"]
