"""data/conventions.py, DESIGN.md's qr_lure and diversion definitions applied across the corpus files: a
gift, cash or a red packet offered for adding a contact is qr_lure too; a lure that sends the buyer to an
official account (公众号) or a friend request (加好友) is diversion too."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))

from conventions import with_conventions  # noqa: E402


def test_a_gift_or_red_packet_for_adding_the_contact_is_a_lure():
    assert with_conventions("diversion", "加我威信，发你红包") == "diversion|qr_lure"
    assert with_conventions("diversion", "加我微信领猫粮试吃装") == "diversion|qr_lure"
    assert with_conventions("diversion", "小样试用 加我vx免费寄 不用拍") == "diversion|qr_lure"


def test_a_gift_for_buying_elsewhere_a_refund_or_a_trade_in_is_the_diversion_alone():
    assert with_conventions("diversion", "我们在抖音也有小店，那边有赠品，你去那边买") == "diversion"
    assert with_conventions("diversion", "退款太麻烦，你加我，我直接红包退你") == "diversion"
    assert with_conventions("diversion", "旧的上门回收抵现金，感兴趣的加我企鹅登记") == "diversion"
    assert with_conventions("diversion", "加我微信，内部价更便宜") == "diversion"


def test_a_lure_through_an_official_account_or_a_friend_request_is_diversion_too():
    assert with_conventions("qr_lure", "关注我们公众号回复“好评”，领取8元红包") == "diversion|qr_lure"
    assert with_conventions("qr_lure", "包裹卡上扫码加好友，领8元售后红包") == "diversion|qr_lure"
    assert with_conventions("qr_lure", "五星评价完加客服好友领现金") == "diversion|qr_lure"
    assert with_conventions("qr_lure", "好评返现，截图发我") == "qr_lure"
    # ok rows are never touched: the conventions only add to a violation label a row has
    assert with_conventions("ok", "关注公众号领红包") == "ok"
