"""The money explained: each order's yuan as a list of causes, the sure lower bound, the rules in force."""

from monitor.config import load_config
from monitor.report.html import breakdown_text
from scoring import flag, score
from transcripts import transcript


def test_an_order_breaks_into_its_rules_and_causes():
    msgs = transcript("b 10:00:00 在吗", "a 10:04:00 加我微信", "b 10:05:00 能便宜吗", "a 10:09:00 爱买不买")
    exp = score(flag(msgs, {1: {"diversion": 0.5}, 3: {"negative": 0.5}}))
    (order,) = exp.orders.to_dict("records")
    assert order["breakdown"] == [
        {"rule": "service", "causes": ["slow", "negative"], "fine": 20.0, "expected": 20.0, "certain": 20.0, "count": 3},
        {"rule": "diversion", "causes": ["diversion"], "fine": 20.0, "expected": 10.0, "certain": 0.0, "count": 1},
    ]
    assert (order["worst_yuan"], order["expected_yuan"], order["certain_yuan"]) == (40.0, 30.0, 20.0)
    assert breakdown_text(order["breakdown"]) == "回复慢+消极回复（3处） ¥20 + 导流站外 ¥20"


def test_the_shop_keeps_the_sure_part_and_the_rules_in_force():
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:00:20 加我vx"), {1: {"diversion": 0.8}}))
    shop = exp.shops.iloc[0]
    assert (shop["exposure_expected_yuan"], shop["exposure_certain_yuan"], shop["exposure_worst_yuan"]) == (16.0, 0.0, 20.0)
    rules = {r["rule"]: r for r in shop["penalties"]["rules"]}
    assert rules["service"]["yuan"] == {"slow": 20.0, "unanswered": 20.0, "negative": 20.0}
    assert rules["harassment"]["yuan"] == {"harassment": 300.0, "pestering": 300.0}
    assert "公开报道" in rules["service"]["source"]
    assert shop["penalties"]["charge_consultations"] is True


def test_a_shops_own_amount_is_shown_as_its_own(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[shops."甲店"]\ndiversion_yuan = 50\n', encoding="utf-8")
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:00:20 加我vx"), {1: {"diversion": 1.0}}), config=load_config(p))
    rules = {r["rule"]: r for r in exp.shops.iloc[0]["penalties"]["rules"]}
    assert rules["diversion"]["source"] == "本店设置（--config）"
    assert exp.orders["worst_yuan"].tolist() == [50.0]


def test_consultations_can_be_free(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[penalties]\ncharge_consultations = false\n", encoding="utf-8")
    exp = score(flag(transcript("b 10:00:00 在吗", "a 10:05:00 在"), {}), config=load_config(p))
    assert exp.orders["worst_yuan"].tolist() == [0.0]
    assert exp.shops.iloc[0]["penalties"]["charge_consultations"] is False


def test_a_perfect_chat_ending_in_thanks_costs_nothing():
    exp = score(flag(transcript("b 10:00:00 有蓝色吗", "a 10:00:30 有的亲", "b 10:01:00 好的谢谢"), {}))
    shop = exp.shops.iloc[0]
    assert exp.orders.empty
    assert (shop["exposure_worst_yuan"], shop["unanswered_orders"], shop["acknowledgements_excluded"]) == (0.0, 0, 1)


def test_a_contact_a_rule_found_is_sure_though_the_model_says_0_9_and_counts_fully():
    import json
    m = flag(transcript("b 10:00:00 在吗", "a 10:00:20 加我微信 abc_12345"), {1: {"diversion": 0.9}})
    m.loc[1, "evidence"] = json.dumps([{"label": "diversion", "start": 5, "end": 14, "match": "abc_12345",
                                        "rule": "wechat_id"}])
    m.loc[0, "evidence"] = "[]"
    shop = score(m).shops.iloc[0]
    assert (shop["exposure_expected_yuan"], shop["exposure_certain_yuan"]) == (20.0, 20.0)
