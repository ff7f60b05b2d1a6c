"""data/conventions.py: a benefit offered for a review makes a harassment row qr_lure too (money named
without 元, gifts counted in jars or boxes); a refund held back until the review goes, or a benefit
already given and cited to press the buyer, is no offer."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))

from conventions import review_benefit, with_conventions, without_non_offer  # noqa: E402


def test_offers_named_without_yuan_are_benefits():
    assert with_conventions("harassment", "差评删了我给你转40吧") == "qr_lure|harassment"
    assert with_conventions("harassment", "好评改回来，送您两盒茶叶") == "qr_lure|harassment"
    assert with_conventions("harassment", "评价改一下，运费我们给你退运费") == "qr_lure|harassment"


def test_withholding_or_citing_a_past_benefit_is_no_offer():
    assert review_benefit("先把差评删了再给你退款") is False
    assert review_benefit("收了我们的补偿，评价还不改？") is False
    assert with_conventions("harassment", "先把差评删了再给你退款") == "harassment"


def test_promise_is_kept_and_undo_only_takes_qr_lure_from_non_offers():
    assert with_conventions("harassment|promise", "明天给你补发，差评删了我给你转40") == \
        "qr_lure|harassment|promise"
    assert without_non_offer("qr_lure|harassment", "先删评价再退款，流程就这样") == "harassment"
    assert without_non_offer("qr_lure|harassment", "差评删了返你10元") == "qr_lure|harassment"


def test_replacements_warranties_drinks_and_shares_are_benefits():
    assert with_conventions("harassment", "评价改成五星，我给你换新的") == "qr_lure|harassment"
    assert with_conventions("harassment", "热水器差评删了吧，给你延保两年") == "qr_lure|harassment"
    assert with_conventions("harassment", "差评改一下，请你喝奶茶") == "qr_lure|harassment"
    assert with_conventions("harassment", "您改好评，我的提成分您一半") == "qr_lure|harassment"
    assert with_conventions("harassment", "差评删掉再发两个给您") == "qr_lure|harassment"
    assert with_conventions("harassment", "改了差评给你三百块") == "qr_lure|harassment"


def test_the_sellers_own_fine_a_count_of_messages_and_a_gift_already_sent_are_no_offer():
    assert with_conventions("harassment", "这种差评要罚两百块的，删了吧") == "harassment"
    assert with_conventions("harassment", "我因为你这个差评被扣了三百块") == "harassment"
    assert with_conventions("harassment", "已经给您发了五条消息了，您看一下评价的事") == "harassment"
    assert with_conventions("harassment", "又给您补寄了一箱，一定要改差评，不然就白送了") == "harassment"


def test_free_services_compensation_a_named_price_discounts_and_meals_are_benefits():
    # the third pass (from the out-of-fold qr_lure errors): offers the pattern did not know
    assert with_conventions("harassment", "耳机的差评能删掉吗？我们给您免费换一副新的") == "qr_lure|harassment"
    assert with_conventions("harassment", "那条评价先删了，我们私下解决，赔您双倍") == "qr_lure|harassment"
    assert with_conventions("harassment", "开个价吧，多少钱你才肯删差评") == "qr_lure|harassment"
    assert with_conventions("harassment", "差评撤了，下单全部八折") == "qr_lure|harassment"
    assert with_conventions("harassment", "改一下差评吧，我请你吃饭") == "qr_lure|harassment"
    assert with_conventions("harassment", "沙发差评删一下 来回运费我们全包") == "qr_lure|harassment"
    assert with_conventions("harassment", "差评删掉 这单算我请你") == "qr_lure|harassment"


def test_a_threat_a_withheld_refund_or_a_benefit_already_taken_stays_no_offer():
    # withholding warranty service is a threat, not a benefit
    assert with_conventions("harassment", "您要是不改评价，保修我们这边就不太好处理了") == "harassment"
    assert with_conventions("harassment", "书的差评改改吧 就因为一个折角 求您") == "harassment"
    assert without_non_offer("qr_lure|harassment", "想退款？先把差评删了再说") == "harassment"
    assert without_non_offer("qr_lure|negative|harassment", "收了红包不改评价，骗子") == "negative|harassment"
    assert with_conventions("harassment", "东西都给您免费了，好评总该给一个吧") == "harassment"
    assert with_conventions("harassment", "主管说不删差评就让我赔钱") == "harassment"
    # the benefits review_rewards.csv was written with survive --undo-not-offers
    assert without_non_offer("qr_lure|harassment", "改个好评嘛，会员积分给你翻倍") == "qr_lure|harassment"
    assert without_non_offer("qr_lure|harassment", "把评价改了，下次报我名字减二十") == "qr_lure|harassment"


def test_a_replacement_or_a_home_service_is_a_benefit_but_coming_to_change_the_review_is_not():
    assert with_conventions("harassment", "衣服的差评改一下吧，我给你换一件") == "qr_lure|harassment"
    assert with_conventions("harassment", "沙发差评改一下，我们上门帮你清洗") == "qr_lure|harassment"
    assert with_conventions("harassment", "您不会改评价没关系，我们可以上门帮您改") == "harassment"
