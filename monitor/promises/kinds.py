"""What a seller promised: the kind of a promise message (发货, 退款, 补发 …), read from its words.

Kinds are tried in order, the most specific first: "换的裤子明天寄出" is an exchange (换货) although
it also says 寄出, and "差价今天退" is a price-protection refund (价保) although it says 退. A message
that names none of them is `其他` (a promise the orders export can never settle).
"""

from __future__ import annotations

import re

from .deadline import fold

# (kind, pattern), in the order they are tried
KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("价保", re.compile(r"价保|差价|保价")),
    ("发票", re.compile(r"发票|专票|普票|开票")),
    ("赠品", re.compile(r"赠品|赠送|[赠送]的|送您|送你|小样|试吃|试用装")),
    ("补发", re.compile(r"补发|补寄|补上|补给|重新发|再发一|漏[发掉的]|补的")),
    ("换货", re.compile(r"换货|换新|换[一个]|换好|换的|换码|换色|换尺")),
    ("退款", re.compile(r"退款|退钱|退给|退回|退您|退你|退\d|退[一二两三四五六七八九十]|全退|原路")),
    ("回复", re.compile(r"回复|答复|回电|回个|回您|回你|准话|联系您|联系你|打电话|约时间")),
    ("到货", re.compile(r"到您手|到你手|送到|到货|能到|就到|会到|必到|包到|送达|给您送|给你送|送过去|派送")),
    ("发货", re.compile(r"发货|发出|发走|寄出|寄回|寄过去|出库|发顺丰|[给您你就]发|发$|寄$|提货|走$")),
)
OTHER = "其他"
KIND_NAMES = tuple(k for k, _ in KINDS) + (OTHER,)


def promise_kind(text: str) -> str:
    """The kind of a promise message: one of KIND_NAMES."""
    t = fold(text or "").strip(" 。！!~～，,.")
    for kind, pattern in KINDS:
        if pattern.search(t):
            return kind
    return OTHER
