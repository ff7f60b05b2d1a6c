"""The shop's own rules ([rules] in the config): matched after normalisation, reported and scored."""

import json

import pytest

from monitor.config import load_config
from monitor.errors import InputError
from monitor.shop_rules import apply_shop_rules, rule_evidence
from scoring import flag, score
from transcripts import transcript

RULES = '''
[rules.extreme_words]
pattern = "全网最低|全网第一"
regex = true
label = "极限词"
reason = "广告法禁止的极限用语"
yuan = 50

[rules.rival]
pattern = "隔壁老王家"
label = "竞品"
reason = "提及竞品店铺"
'''


def config_with(tmp_path, text):
    f = tmp_path / "shop.toml"
    f.write_text(text, encoding="utf-8")
    return load_config(f), f


def test_rules_match_after_normalisation(tmp_path):
    cfg, _ = config_with(tmp_path, RULES)
    # full-width letters, traditional characters and noise between characters are folded first
    ev = rule_evidence("亲，我們家是全網 最低價哦", cfg.rules)
    assert [(e["label"], e["match"], e["rule"], e["reason"]) for e in ev] == [
        ("极限词", "全網 最低", "shop_rule:extreme_words", "广告法禁止的极限用语")]
    assert rule_evidence("隔-壁-老-王-家的更贵", cfg.rules)[0]["match"] == "隔-壁-老-王-家"
    assert rule_evidence("我们家价格实惠", cfg.rules) == []


def test_a_matched_rule_is_flagged_and_fined_with_its_own_figure(tmp_path):
    cfg, _ = config_with(tmp_path, RULES)
    msgs = flag(transcript("b 10:00:00 便宜点", "a 10:00:30 我们是全网最低价，隔壁老王家更贵"), {})
    flagged = apply_shop_rules(msgs, cfg.rules)
    assert flagged.loc[1, "labels"] == "极限词|竞品"
    assert [e["label"] for e in json.loads(flagged.loc[1, "evidence"])] == ["极限词", "竞品"]
    assert flagged.loc[0, "labels"] == ""                        # buyers' words are never matched
    exp = score(flagged, cfg)
    assert exp.orders.iloc[0]["worst_yuan"] == 50.0              # 极限词 50 + 竞品 0 (reported, not fined)
    assert exp.shops.iloc[0]["flagged"] == {"diversion": 0, "qr_lure": 0, "negative": 0, "harassment": 0,
                                            "极限词": 1, "竞品": 1}


@pytest.mark.parametrize("body, reason", [
    ('pattern = "全网(最低"\nregex = true\nlabel = "x"\nreason = "y"', "rules.bad: pattern is not a valid regular expression"),
    ('pattern = "a*"\nregex = true\nlabel = "x"\nreason = "y"', "rules.bad: pattern matches the empty string, so every message"),
    ('pattern = "最低"\nlabel = "diversion"\nreason = "y"', "rules.bad: label 'diversion' is a built-in label; choose another name"),
    ('pattern = "最低"\nlabel = "x"', "rules.bad: reason must be a non-empty string"),
    ('pattern = "最低"\nlabel = "x"\nreason = "y"\nyuan = "五十"', "rules.bad: yuan must be a number ≥ 0"),
    ('pattern = "~~"\nlabel = "x"\nreason = "y"', "rules.bad: pattern '~~' is empty once normalised"),
    ('pattern = "最低"\nlabel = "x"\nreason = "y"\ncolour = 1', "rules.bad: unknown setting 'colour'"),
])
def test_bad_rules_are_rejected_at_start_with_file_key_and_reason(tmp_path, body, reason):
    with pytest.raises(InputError) as err:
        config_with(tmp_path, "[rules.bad]\n" + body + "\n")
    assert str(err.value).startswith(f"{tmp_path / 'shop.toml'}: {reason}")


def test_no_rules_leave_messages_untouched():
    msgs = flag(transcript("a 10:00:30 全网最低"), {})
    assert apply_shop_rules(msgs, load_config().rules) is msgs
