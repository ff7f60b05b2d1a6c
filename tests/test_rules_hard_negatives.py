"""Hard negatives: contact words in fine sentences (payment, refusals, platform groups, anti-counterfeit)."""

import pytest

from evidence import labels


@pytest.mark.parametrize("text", [
    "支持微信支付吗",
    "只支持支付宝哦",
    "亲，平台规定不能加微信哦，有问题直接旺旺问我",
    "不方便留电话哦亲",
    "欢迎加入我们的淘宝群",
    "吊牌上有防伪码，扫码验真",
    "说明书二维码扫码看安装视频",
    "收到满意的话给个好评哦",
    "店铺红包在首页领取",
    "好的，稍等",
    "",
    "   ",
])
def test_fine_messages_have_no_strong_evidence(text):
    assert labels(text) == set()
