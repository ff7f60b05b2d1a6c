"""Full-width letters and digits (ＶＸ, ＱＱ, １３８…), and upper case."""

import pytest

from monitor.detect.rules import find_evidence


def spans(text):
    return [(e.label, e.start, e.end, e.match, e.rule) for e in find_evidence(text)]


@pytest.mark.parametrize("text, expected", [
    ("ＶＸ：Kefu_Mei88", [("diversion", 3, 13, "Kefu_Mei88", "wechat_id")]),
    ("ＶＸ：ｋｅｆｕ＿ｍｅｉ８８", [("diversion", 3, 13, "ｋｅｆｕ＿ｍｅｉ８８", "wechat_id")]),
    ("加ＱＱ：１２３４５６７８", [("diversion", 0, 3, "加ＱＱ", "lexicon:diversion"),
                          ("diversion", 4, 12, "１２３４５６７８", "qq_number")]),
    ("电话１３８００１３８０００", [("diversion", 2, 13, "１３８００１３８０００", "phone_number")]),
    ("加ＷＸ详聊", [("diversion", 0, 5, "加ＷＸ详聊", "lexicon:diversion")]),
    ("WEIXIN同号", [("diversion", 0, 8, "WEIXIN同号", "lexicon:diversion")]),
])
def test_full_width_letters_and_digits(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["尺码ＸＬ有货", "价格１９９元", "ＩＰＨＯＮＥ１５手机壳"])
def test_full_width_ordinary_text(text):
    assert find_evidence(text) == []

