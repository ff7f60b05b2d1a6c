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
