"""Who wrote a message: buyer, agent (a sub-account), auto (robot / auto-reply) or system.

Shared by every reader so that one export layout never decides roles differently from another.
Evidence used, strongest first: an explicit role column; the export's auto-reply markers in the text
(自动回复, [自动回复], 快捷短语 ...) and robot sender names (店小蜜, 机器人, per-shop lists); the shop's
sub-account form `店铺名:客服昵称` or names listed in the shop config; otherwise the contact (buyer).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..config import Config, load_config

# Text that platforms insert themselves: transfers, recalls, visitor-source notes, cards.
# Whole-line notices only: an agent's body line such as 原因：仓库缺货 or 客服马上接入处理 must stay text.
SYSTEM_PATTERNS = re.compile(
    r"^(?:当前用户来自.*|由\s*\S.*转交给.*|原因[:：]\s*【[^】]*】|.{0,40}撤回了一条消息|系统消息.*|\[系统消息\].*"
    r"|.{0,40}-->\s*.{0,40}|会话已结束|买家已离开(?:会话)?|已转接.*|客服\S{0,12}已接入(?:会话)?)$"
)
_ROLE_WORDS = {
    "buyer": "buyer", "买家": "buyer", "顾客": "buyer", "客户": "buyer", "消费者": "buyer", "用户": "buyer",
    # a direction column as TOP's chat-log APIs define it: 1 = to_id (the buyer) -> from_id (the shop)
    "customer": "buyer", "1": "buyer",
    "agent": "agent", "客服": "agent", "卖家": "agent", "商家": "agent", "seller": "agent", "人工": "agent",
    "子账号": "agent", "主账号": "agent", "0": "agent",
    "auto": "auto", "机器人": "auto", "自动回复": "auto", "店小蜜": "auto", "robot": "auto", "bot": "auto",
    "智能客服": "auto",
    "system": "system", "系统": "system", "平台": "system",
}


def role_word(value) -> str | None:
    """Map a role cell (账号类型 / 发送方 / direction) to a canonical role, or None if unknown."""
    if value is None:
        return None
    v = str(value).strip().lower()
    if v in _ROLE_WORDS:
        return _ROLE_WORDS[v]
    for word, role in _ROLE_WORDS.items():
        if len(word) > 1 and word in v:
            return role
    return None


class RoleResolver:
    """Decides roles for one shop with its config (agents, auto-reply senders, markers, texts)."""

    def __init__(self, shop: str | None, config: Config | None = None):
        config = config or load_config()
        sc = config.for_shop(shop or "")
        self.shop = shop
        self.agents = set(sc.agents)
        self.auto_senders = [s for s in sc.roles.get("auto_reply_senders", []) if s]
        self.auto_markers = tuple(m for m in sc.roles.get("auto_reply_markers", []) if m)
        self.auto_texts = {t.strip() for t in sc.auto_reply_texts if t.strip()}

    def is_auto(self, sender: str, text: str) -> bool:
        if text.startswith(self.auto_markers) or text.strip() in self.auto_texts:
            return True
        nick = sender.split(":", 1)[-1]
        return any(a == sender or a == nick or (len(a) > 1 and a in nick) for a in self.auto_senders)

    def is_agent_sender(self, sender: str) -> bool:
        if sender in self.agents:
            return True
        # Qianniu writes every sub-account as `主账号:昵称`; Taobao member names cannot hold a colon, so
        # any `x:y` sender is a sub-account, whatever shop the main account is (agencies mix shops).
        return shop_of_sender(sender) is not None

    def resolve(self, sender: str, text: str, hint: str | None = None) -> str:
        """hint: a role read from the export itself (a role column), trusted except for auto markers."""
        sender = sender or ""
        text = text or ""
        if hint == "system" or (hint is None and (sender in SYSTEM_SENDERS
                                                  or (not sender and SYSTEM_PATTERNS.match(text)))):
            return "system"
        if hint in ("agent", "auto") or (hint is None and self.is_agent_sender(sender)):
            return "auto" if self.is_auto(sender, text) or hint == "auto" else "agent"
        if hint == "buyer":
            return "buyer"
        if self.is_auto(sender, text):
            return "auto"
        if SYSTEM_PATTERNS.match(text) and not sender:
            return "system"
        return "buyer"


SYSTEM_SENDERS = frozenset({"系统", "system", "系统消息"})


def contact_hint(sender: str, contact: str | None) -> str | None:
    """In a thread whose contact (the buyer) is known, everyone else who writes is the shop's side.

    The Qianniu page names the contact at the top; a LibianCrawlers cleaner of that page treats any
    other sender as staff, which also covers sub-accounts exported without the `店铺名:` prefix.
    Returns None (no evidence) when the contact is unknown or the sender is the system.
    """
    if not contact or not sender or sender in SYSTEM_SENDERS:
        return None
    return "buyer" if sender == contact else "agent"


def seller_shop(sender: str, hint: str | None, buyer: str | None) -> str | None:
    """The shop a message's sender names as `店铺名:昵称`, only when the sender is on the shop's side:
    a role column saying agent or auto, or no role column and a sender who is not the thread's buyer.
    A buyer's nick may hold a colon (`竞品店:x`): it names no shop, whatever it says before the colon."""
    if hint in ("buyer", "system"):
        return None
    if hint is None and buyer is not None and sender == buyer:
        return None
    return shop_of_sender(sender)


@lru_cache(maxsize=1 << 16)     # called per message; a night has few distinct senders
def shop_of_sender(sender: str) -> str | None:
    """`店铺名:小美` -> 店铺名 (Qianniu writes sub-accounts as main account, colon, nick)."""
    parts = re.split(r"[:：]", sender or "", maxsplit=1)
    return parts[0].strip() or None if len(parts) == 2 else None


ORDER_ID_RE = re.compile(r"(?:订单(?:号|编号)?|order(?:\s*id)?)\s*[:：#]?\s*(\d{16,20})(?!\d)", re.I)


def order_id_of(text: str) -> str | None:
    m = ORDER_ID_RE.search(text or "")
    return m.group(1) if m else None
