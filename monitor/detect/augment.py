"""Evasion variants of clean positives, generated at training time (training folds only), so the
model learns the disguise rather than a list: homophones, symbols between characters, full width,
pinyin, digit styles and emoji. Deterministic for a seed.
"""

from __future__ import annotations

import random
import re

HOMOPHONES = {"微信": ["薇信", "威信", "V信", "vx", "VX", "wx", "威❤信", "微❤信", "绿泡泡", "weixin"],
              "qq": ["扣扣", "企鹅号", "🐧", "QQ", "koukou"], "QQ": ["扣扣", "企鹅号", "🐧", "koukou"],
              "加": ["+", "➕", "加"], "电话": ["dianhua", "電話", "号码"], "返现": ["返現", "返 现", "反现"],
              "好评": ["好評", "hao评", "好平"], "红包": ["紅包", "hongbao", "红bao"], "差评": ["差評", "cha评"],
              "二维码": ["二維碼", "码"], "头像": ["頭像", "touxiang"]}
SYMBOLS = ["-", "*", " ", ".", "~", "|", "❤", "·", "_"]
DIGIT_STYLES = [dict(zip("0123456789", "零一二三四五六七八九")), dict(zip("0123456789", "〇壹贰叁肆伍陆柒捌玖")),
                dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨")), dict(zip("0123456789", "０１２３４５６７８９")),
                dict(zip("0123456789", "洞幺两三四五六拐八勾"))]
EMOJI = ["😊", "🌹", "❤", "👉", "✨", "🎁"]


def _homophone(rng, t):
    keys = [k for k in HOMOPHONES if k in t]
    if not keys:
        return None
    k = rng.choice(keys)
    return t.replace(k, rng.choice(HOMOPHONES[k]), 1)


def _symbols(rng, t):
    m = re.search(r"(微信|qq|QQ|好评|返现|红包|电话|差评|二维码)", t)
    if not m:
        return None
    sym = rng.choice(SYMBOLS)
    word = sym.join(m.group(0))
    return t[:m.start()] + word + t[m.end():]


def _full_width(rng, t):
    out = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t)
    return out if out != t else None


def _digits(rng, t):
    if not re.search(r"[0-9]{5,}", t):
        return None
    style = rng.choice(DIGIT_STYLES)
    return re.sub(r"[0-9]{5,}", lambda m: "".join(style[d] for d in m.group(0)), t)


def _spaced_digits(rng, t):
    m = re.search(r"[0-9]{7,}", t)
    if not m:
        return None
    d = m.group(0)
    return t[:m.start()] + " ".join([d[:3], d[3:7], d[7:]]).strip() + t[m.end():]


def _emoji(rng, t):
    if len(t) < 3:
        return None
    i = rng.randrange(1, len(t))
    return t[:i] + rng.choice(EMOJI) + t[i:]


TRANSFORMS = [_homophone, _symbols, _full_width, _digits, _spaced_digits, _emoji]


def disguise(text: str, rng: random.Random) -> str | None:
    """One disguised variant (one or two transforms), or None if nothing applies."""
    fns = rng.sample(TRANSFORMS, len(TRANSFORMS))
    out, used = text, 0
    for fn in fns:
        v = fn(rng, out)
        if v and v != out:
            out, used = v, used + 1
            if used >= rng.choice((1, 2)):
                break
    return out if out != text else None


def augment(texts, labels, families, seed: int = 13, per_row: int = 2,
            only_labels=("diversion", "qr_lure", "harassment")):
    """Extra (text, labels, family) rows: disguised copies of positives of `only_labels`."""
    rng = random.Random(seed)
    out_t, out_l, out_f = [], [], []
    for t, labs, fam in zip(texts, labels, families):
        if not set(labs) & set(only_labels):
            continue
        seen = {t}
        for _ in range(per_row):
            v = disguise(t, rng)
            if v and v not in seen:
                seen.add(v)
                out_t.append(v)
                out_l.append(labs)
                out_f.append(fam)
    return out_t, out_l, out_f
