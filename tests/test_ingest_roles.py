"""Role inference shared by every reader: buyer, agent, auto, system."""

import pytest

from monitor.config import load_config
from monitor.ingest.roles import RoleResolver, contact_hint, order_id_of, role_word, shop_of_sender


@pytest.fixture(scope="module")
def shop_config(tmp_path_factory):
    p = tmp_path_factory.mktemp("cfg") / "shops.toml"
    p.write_text('[shops."甲店"]\nagents = ["阿强"]\nauto_reply_senders = ["甲店:小助手"]\n'
                 'auto_reply_texts = ["亲，欢迎光临甲店"]\n', encoding="utf-8")
    return load_config(p)


@pytest.mark.parametrize("sender,text,hint,want", [
    ("tb_buyer", "在吗", None, "buyer"),
    ("甲店:小美", "在的", None, "agent"),
    ("乙店:小美", "在的", None, "agent"),            # any 主账号:昵称 is a sub-account
    ("阿强", "好的", None, "agent"),                 # listed in the shop's agents
    ("甲店:小美", "[自动回复]亲，稍等", None, "auto"),  # marker from defaults.toml
    ("甲店:店小蜜", "您好", None, "auto"),            # robot sender from defaults.toml
    ("甲店:小助手", "您好", None, "auto"),            # the shop's own robot sender
    ("甲店:小美", "亲，欢迎光临甲店", None, "auto"),   # the shop's known auto-reply text
    ("系统", "任何通知", None, "system"),
    ("", "tb_a 撤回了一条消息", None, "system"),
    ("tb_buyer", "在吗", "agent", "agent"),          # an explicit role column wins
    ("客服", "[快捷短语]发货时间", "agent", "auto"),   # ... except that auto-reply markers refine agent
    ("甲店:小美", "在的", "buyer", "buyer"),
])
def test_resolve(shop_config, sender, text, hint, want):
    assert RoleResolver("甲店", shop_config).resolve(sender, text, hint) == want


def test_other_shops_do_not_get_this_shops_agents(shop_config):
    assert RoleResolver("乙店", shop_config).resolve("阿强", "好的") == "buyer"


@pytest.mark.parametrize("cell,want", [("买家", "buyer"), ("消费者", "buyer"), ("客服", "agent"), ("卖家", "agent"),
                                       ("机器人", "auto"), ("系统", "system"), ("0", "agent"), ("1", "buyer"),
                                       ("Seller", "agent"), ("其他", None), (None, None)])
def test_role_words(cell, want):
    # a direction cell as TOP documents it: 0 = from_id (the shop) writing, 1 = to_id (the buyer)
    assert role_word(cell) == want


def test_contact_hint():
    assert [contact_hint("tb_a", "tb_a"), contact_hint("小美", "tb_a"), contact_hint("系统", "tb_a"),
            contact_hint("小美", None)] == ["buyer", "agent", None, None]


@pytest.mark.parametrize("text,want", [
    ("订单号：123456789012345678", "123456789012345678"),
    ("[订单卡片] 订单编号 1234567890123456 已付款", "1234567890123456"),
    ("订单号:12345678901234567890", "12345678901234567890"),
    ("订单号：123456789012345", None),                    # 15 digits: too short for an order number
    ("订单号：123456789012345678901", None),              # 21 digits: not an order number
    ("我的手机 13812345678", None),
])
def test_order_id(text, want):
    assert order_id_of(text) == want


def test_shop_of_sender():
    assert [shop_of_sender("甲店:小美"), shop_of_sender("甲店：小美"), shop_of_sender("tb_a")] == ["甲店", "甲店", None]
