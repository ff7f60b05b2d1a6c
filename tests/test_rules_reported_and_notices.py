"""Safe phrases: a seller retelling that someone phoned the buyer, and a notice that staff will text the
buyer, are not invitations to contact the seller off the platform; the invitations still are."""

from monitor.detect.rules import find_evidence


def _rules(text):
    return [(e.rule, e.match) for e in find_evidence(text)]


def test_reported_call_is_not_an_invitation():
    assert _rules("您是说昨天有人给我打电话说缺货对吗") == []
    assert _rules("缺货的话给我打电话") == [("lexicon:diversion", "给我打电话")]


def test_notice_that_staff_will_text_the_buyer():
    assert _rules("审核完成后专员会短信联系您") == []
    assert _rules("处理好了会电话或者短信联系到您") == []
    assert _rules("有问题短信联系我") == [("lexicon:diversion", "短信联系")]
