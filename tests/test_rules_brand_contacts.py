"""DESIGN.md: in a Taobao chat a brand's own hotline and a request for the buyer's phone/WeChat/QQ are
diversion; the platform's lines, confirming the order's number and refusals are not."""

import pytest

from monitor.detect.rules import find_evidence


def _ev(text):
    return [(e.label, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("售后请拨打400-800-1234", [("diversion", "400-800-1234", "landline")]),
    ("有问题可以致电我们的售后热线4008203377", [("diversion", "4008203377", "landline")]),
    ("请留下您的手机号，稍后客服联系您", [("diversion", "留下您的手机号", "ask_contact")]),
    ("请私信提供您的手机号和订单号", [("diversion", "提供您的手机号", "ask_contact")]),
    ("发一下你的微信，我让师傅加你", [("diversion", "发一下你的微信", "ask_contact")]),
    ("方便留个电话吗", [("diversion", "留个电话", "ask_contact")]),
    ("如方便，请私信提供您的手机号码，小编帮您核实", [("diversion", "提供您的手机号码", "ask_contact")]),
])
def test_brand_lines_and_asking_for_the_buyers_contact(text, expected):
    assert _ev(text) == expected


@pytest.mark.parametrize("text", [
    "淘宝客服95188",                         # the platform's own line
    "麻烦核对一下收货人手机号",                 # the number on the order
    "提供下您下单时的手机号",
    "请核对一下您的手机号",
    "您报修时留的电话多少？这边查询",            # a number the buyer gave already
    "请问您下单时是否有预留联系电话",
    "请提供您订购时留下的手机号，我们查一下",
    "您留的电话是尾号1234的对吗",
    "不需要提供电话，在这里说就行",             # refused
    "订单号8001234567",                      # an order number that looks like a service line
    "给您发个电话号码，您自己联系厂家",          # giving, not asking (no rule; the model decides)
])
def test_not_a_request_for_the_buyers_contact(text):
    assert [e for e in find_evidence(text) if e.rule in ("ask_contact", "landline")] == []


@pytest.mark.parametrize("text, match", [
    ("删差评给你10元", "删差评给你10元"),
    ("给你转20块把差评删了", "给你转20块把差评删"),
    ("差评改一下，给你退一半的钱", "差评改一下，给你退一半的钱"),
])
def test_money_for_changing_a_review_is_a_lure(text, match):
    assert [(e.match, e.rule) for e in find_evidence(text) if e.label == "qr_lure"] == [(match, "review_reward")]


@pytest.mark.parametrize("text", [
    "不改差评的话，退款我们就不处理了",          # a threat to withhold, not a benefit
    "一个差评扣我300块，亲你就帮我改了吧",        # the seller's fine
    "您的差评我们看到了，已经给您补发了新的",
    "修改评价的入口在订单里",
])
def test_no_lure_without_a_benefit_for_the_review(text):
    assert [e for e in find_evidence(text) if e.label == "qr_lure"] == []
