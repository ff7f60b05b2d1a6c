"""Contact-word variants and homophones → one canonical spelling (微信, qq, 加微信, 电话 …).

Applied to the folded, noise-free text (so 薇 ❤ 信 is already 薇信). Only whole contact words are
rewritten, never a character on its own: 维修, 卫生, 威力, 微微, 卫星图 stay as they are. Loose
homophones (伟/围/喂/为 + 信/心/星 …) are rewritten only right after an adding cue (加, 加我, 加个,
搜, 我的), where no ordinary word is written that way.

Pinyin is matched as the plain romanisations people type (weixin, jiawo, koukou, dianhua …);
spaces between syllables are gone by now (wei xin → weixin). pypinyin is not needed at run time:
the few syllables that matter are listed here, and a fixed list keeps the rewrite predictable.
"""

from __future__ import annotations

import re

# homophones of 微 that are never the first character of an ordinary "X信/X芯/X心" word
_WEI_STRICT = "微薇威维徽卫危巍葳嵬"
# homophones that ARE first characters of ordinary words (伟, 围, 尾 …): only after an adding cue;
# 为/未/位/味 are left out even there (加为新客户…)
_WEI_LOOSE = _WEI_STRICT + "伟围唯惟尾委萎违喂魏蔚韦苇玮炜纬"
_XIN = "信芯心"
_XIN_LOOSE = "信芯心新星鑫欣馨辛"
_ADD_CUE = r"(?<=加|搜|添)|(?<=加我|加个|加下|我的)"

# (pattern, replacement). The alternation is tried left to right at each position: specific first.
VARIANTS: list[tuple[str, str]] = [
    (r"绿泡泡|小绿泡|小绿软件|绿色软件|绿色聊天软件|绿色app|小绿app|绿色图标|绿色的app", "微信"),
    (r"weixin|wechat|vchat|weichat|weixing", "微信"),
    # 加V / +v / 加vx / 家v → 加微信 (not V领, the neckline, nor English words after it)
    (r"(?:加|\+|➕)(?:vx|wx|vv|v|w)(?![a-z]|领)|家v(?![a-z]|领)", "加微信"),
    # vx / wx / v信, not inside an English word (showx…); IDs may follow directly (vxkefu88)
    (rf"(?<![a-z])(?:vxin|wxin|vx|wx|v[{_XIN}])", "微信"),
    # 加一下V / 加个v / 加我w: the V after an adding phrase
    (r"(?:(?<=加一下)|(?<=加个|加下|加我))(?:vv|v|w)(?![a-z]|领)", "微信"),
    (rf"[{_WEI_STRICT}](?:x|[{_XIN}])(?!用|息|号码?段|片|任|誉)", "微信"),
    (rf"(?:{_ADD_CUE})[{_WEI_LOOSE}][{_XIN_LOOSE}]", "微信"),
    # 加薇 / +薇 / 加个威 / 加微: the 信 left out altogether, right after an adding cue (not 加微量,
    # 加威力, 加微博 …: words that start with 微/威 are listed)
    (r"(?:加|\+|➕)薇(?![信芯心])", "加微信"),
    (rf"(?:{_ADD_CUE})(?:威|微)(?![{_XIN_LOOSE}]|[量波米调笑粒型小博店商软创距观力风望严胁武猛慑名廉尼士海尔])", "微信"),
    (r"扣扣|抠抠|寇寇|蔻蔻|叩叩|koukou|🐧|企鹅号|企鹅群", "qq"),
    (rf"(?:{_ADD_CUE})(?:企鹅|球球|秋秋|口口)", "qq"),
    (r"jiawo", "加我"),
    (r"dianhua", "电话"),
    (r"shoujihao|shouji", "手机号"),
    (r"siliao|sixin", "私聊"),
    (r"touxiang", "头像"),
    (r"lianxi", "联系"),
]
# Every character a variant can START with. The lookahead lets the regex engine skip other
# positions with a fast character-set scan: ~15× faster on text with no variant (most messages).
# Keep it in step with VARIANTS (tests/test_text_variants.py checks each pattern's examples).
START_CHARS = "绿小wv加+➕家扣抠寇蔻叩k🐧企球秋口jdstl" + _WEI_LOOSE
VARIANT_RE = re.compile(f"(?=[{re.escape(START_CHARS)}])(?:" + "|".join(f"({p})" for p, _ in VARIANTS) + ")")
REPLACEMENTS: tuple[str, ...] = tuple(r for _, r in VARIANTS)
