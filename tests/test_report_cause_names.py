"""report.cause_names: an order's causes in the 原因 column, in score.CAUSE_ORDER, unknown causes last in
their own order, whether the cell is a list, its JSON text (read back from the history) or one cause."""

from monitor.report import cause_names


def test_causes_in_the_score_order():
    assert cause_names(["qr_lure", "slow", "diversion"]) == "回复慢、导流站外、好评返现/二维码"
    assert cause_names('["broken_promise", "unanswered"]') == "未回复、违背承诺"


def test_unknown_causes_last_in_their_order():
    assert cause_names(["zeta", "negative", "alpha", "slow"]) == "回复慢、消极回复、zeta、alpha"


def test_one_cause_or_none():
    assert cause_names("pestering") == "骚扰（按行为）"
    assert cause_names(["新原因"]) == "新原因"
    assert cause_names([]) == "" and cause_names(None) == "" and cause_names("") == ""
