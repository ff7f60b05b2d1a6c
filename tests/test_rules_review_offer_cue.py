"""The review_offer cue (monitor/detect/rules.py): a review and something offered with it counts as a weak
qr_lure cue (a classifier feature, never a flag); a review word alone, a benefit already given, delivery
and a denial do not."""

from monitor.detect.rules import RULE_NAMES, find_evidence, rule_vector

WEAK = RULE_NAMES.index("lexicon:qr_lure:weak")


def weak(text: str) -> float:
    return rule_vector(text)[WEAK]


def test_an_offer_for_a_review_in_words_no_strong_rule_knows_is_a_weak_cue():
    assert weak("差评改一下，我们给您免费换新的") == 1.0
    assert weak("差评删了请你吃饭") == 1.0
    assert weak("差评撤了，下单全部八折") == 1.0
    # a cue, not a flag: no strong rule fires on it
    assert [e for e in find_evidence("差评删了请你吃饭") if e.label == "qr_lure"] == []


def test_a_review_word_alone_is_no_lure_cue():
    assert weak("给五星给五星给五星，拜托了") == 0.0
    assert weak("好评写满15个字带3张图") == 0.0
    assert weak("谢谢亲的好评") == 0.0


def test_a_benefit_already_given_delivery_or_a_denial_is_no_offer():
    assert weak("钱都给你了，评价怎么还没改") == 0.0
    assert weak("差评我们收到了，明天给您送到") == 0.0
    assert weak("这款送两年延保，是厂家的政策，和评价无关") == 0.0
