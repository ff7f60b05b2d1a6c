"""Evasion variants generated at training time, so the model learns the disguise rather than a list.

Positives of the evasion-prone labels (diversion, qr_lure, harassment), and ok rows that mention a
contact or lure word (hard negatives), get disguised copies:
homophones (微→薇/威/V), symbols between characters (微-信), full width, pinyin, digit styles
(一三八, ①③⑧, mixed), emoji (❤, 🐧) and spaces. A share of `ok` rows gets the label-neutral
transforms too (emoji, symbols, spaces, full width), so that "has an emoji" or "is full width"
never becomes evidence of a violation on its own.

Applied to training folds only (train.py calls it after splitting). Deterministic for a seed.
"""

from __future__ import annotations

import random
import re

HOMOPHONES = {
    "微信": ["薇信", "威信", "V信", "v信", "vx", "VX", "wx", "威❤信", "微❤信", "绿泡泡", "weixin", "wei信", "徽信",
             "薇❤", "V❤", "卫星", "vx号", "ｖｘ"],
    "qq": ["扣扣", "企鹅号", "🐧", "QQ", "koukou", "Q号", "抠抠"],
    "QQ": ["扣扣", "企鹅号", "🐧", "koukou", "Q号", "抠抠"],
    "加我": ["+我", "➕我", "jia我", "佳我", "嘉我", "家我"],
    "电话": ["dianhua", "電話", "号码", "tel", "電話號碼"],
    "手机": ["手ji", "shouji", "手機"],
    "返现": ["返現", "反现", "fan现", "返💰", "返钱"],
    "好评": ["好評", "hao评", "好平", "5星", "五⭐"],
    "红包": ["紅包", "hongbao", "红bao", "🧧"],
    "差评": ["差評", "cha评", "差平", "中差评"],
    "二维码": ["二維碼", "码", "二weima", "QR码"],
    "头像": ["頭像", "touxiang", "主页"],
    "私聊": ["私liao", "私信", "si聊"],
}
PINYIN = {"微信": "weixin", "加": "jia", "我": "wo", "电话": "dianhua", "扣扣": "koukou", "好评": "haoping",
          "返现": "fanxian", "红包": "hongbao", "联系": "lianxi", "私聊": "siliao"}
CONTACT_WORDS = re.compile(r"(微信|qq|QQ|好评|返现|红包|电话|差评|二维码|加我|私聊|手机|联系|头像)")
SYMBOLS = ["-", "*", " ", ".", "~", "|", "❤", "·", "_", "/", "、", "#"]
_DIGIT_TABLES = ["零一二三四五六七八九", "〇壹贰叁肆伍陆柒捌玖", "⓪①②③④⑤⑥⑦⑧⑨", "０１２３４５６７８９",
                 "洞幺两三四五六拐八勾", "0123456789"]
DIGIT_STYLES = [dict(zip("0123456789", t)) for t in _DIGIT_TABLES]
EMOJI = ["😊", "🌹", "❤", "👉", "✨", "🎁", "💕", "🙏", "😘", "🔥"]


def _homophone(rng, t):
    keys = [k for k in HOMOPHONES if k in t]
    if not keys:
        return None
    k = rng.choice(keys)
    return t.replace(k, rng.choice(HOMOPHONES[k]), 1)


def _pinyin(rng, t):
    keys = [k for k in PINYIN if k in t]
    if not keys:
        return None
    k = rng.choice(keys)
    return t.replace(k, PINYIN[k], 1)


def _symbols(rng, t):
    """A symbol (or space) between the characters of one contact/lure word: 微-信, 好 评."""
    found = list(CONTACT_WORDS.finditer(t))
    if not found:
        return None
    m = rng.choice(found)
    return t[:m.start()] + rng.choice(SYMBOLS).join(m.group(0)) + t[m.end():]


def _noise(rng, t):
    """Label-neutral: a symbol at a random place between two characters."""
    if len(t) < 3:
        return None
    i = rng.randrange(1, len(t))
    return t[:i] + rng.choice(SYMBOLS) + t[i:]


def _full_width(rng, t):
    out = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t)
    return out if out != t else None


def _digits(rng, t):
    """Digit runs (phone/QQ numbers) in another style, or in a mix of styles per digit: 13８一三⑤."""
    if not re.search(r"[0-9]{5,}", t):
        return None
    if rng.random() < 0.3:
        return re.sub(r"[0-9]{5,}", lambda m: "".join(rng.choice(DIGIT_STYLES)[d] for d in m.group(0)), t)
    style = rng.choice(DIGIT_STYLES[:-1])
    return re.sub(r"[0-9]{5,}", lambda m: "".join(style[d] for d in m.group(0)), t)


def _spaced_digits(rng, t):
    m = re.search(r"[0-9]{7,}", t)
    if not m:
        return None
    d, sep = m.group(0), rng.choice([" ", "-", " - ", "."])
    return t[:m.start()] + sep.join(p for p in (d[:3], d[3:7], d[7:]) if p) + t[m.end():]


def _emoji(rng, t):
    if len(t) < 3:
        return None
    i = rng.randrange(1, len(t))
    return t[:i] + rng.choice(EMOJI) + t[i:]


DISGUISES = [_homophone, _pinyin, _symbols, _full_width, _digits, _spaced_digits, _emoji]
NEUTRAL = [_noise, _full_width, _emoji]


def disguise(text: str, rng: random.Random, transforms=DISGUISES) -> str | None:
    """One variant made by one or two transforms, or None if none applies."""
    wanted = rng.choice((1, 1, 2))
    out, used = text, 0
    for fn in rng.sample(transforms, len(transforms)):
        v = fn(rng, out)
        if v and v != out:
            out, used = v, used + 1
            if used >= wanted:
                break
    return out if out != text else None


def augment(texts, labels, families, seed: int = 13, per_row: int = 2,
            only_labels=("diversion", "qr_lure", "harassment"), ok_share: float = 0.25,
            hard_negatives: bool = True):
    """Extra (texts, labels, families): disguised copies of positives of `only_labels` (up to
    `per_row` each), of ok rows that mention a contact/lure word (hard negatives, when
    `hard_negatives`), and neutral variants of a share `ok_share` of the other ok rows.
    A copy keeps its source's family, so it stays on the source's side of every grouped split."""
    rng = random.Random(seed)
    wanted = set(only_labels)
    out_t, out_l, out_f = [], [], []
    for t, labs, fam in zip(texts, labels, families):
        t = str(t)
        if set(labs) & wanted:
            n, transforms = per_row, DISGUISES
        elif not labs and hard_negatives and CONTACT_WORDS.search(t):
            # a hard negative (支持微信支付吗, 不能加微信哦) gets the same disguises as a positive: otherwise
            # "薇信" or "V信" only ever appears in violations and becomes evidence on its own
            n, transforms = per_row, DISGUISES
        elif not labs and rng.random() < ok_share:
            n, transforms = 1, NEUTRAL + [_homophone]
        else:
            continue
        seen = {t}
        for _ in range(n):
            v = disguise(t, rng, transforms)
            if v and v not in seen:
                seen.add(v)
                out_t.append(v)
                out_l.append(list(labs))
                out_f.append(fam)
    return out_t, out_l, out_f
