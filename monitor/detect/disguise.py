"""Name the disguises a message uses to hide a contact (for error analysis, not for detection):
which kinds of evasion the model misses, e.g. on the real contact-spam set."""

from __future__ import annotations

import re

# (name, pattern on the original text); a message may use several
DISGUISE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("masked placeholder", re.compile(r"WECHAT|CELLPHONE|(?<![A-Za-z])QQ(?![A-Za-z])|DIGIT|[xX]{4,}")),
    ("homophone", re.compile(r"[薇威徽]信|[vVｖＶ][xXｘＸ信]|(?<![A-Za-z])wx(?![A-Za-z])|扣扣|抠抠|企鹅|🐧|绿泡泡|卫星|V❤|薇❤")),
    ("symbols between characters", re.compile(r"[微薇威vV扣加][^\w\s]{1,3}[信xX扣我]|[\u4e00-\u9fff][*\-·|/\\~_.][\u4e00-\u9fff]")),
    ("full width", re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")),   # letters/digits, not ，！：
    ("pinyin", re.compile(r"weixin|wei xin|koukou|dianhua|lianxi|jia\s*wo|shouji|siliao", re.I)),
    ("digits as words or circled", re.compile(r"[零一二三四五六七八九壹贰叁肆伍陆柒捌玖幺洞拐勾]{4,}|[①-⑨⓪❶-❾⑴-⒇]")),
    ("emoji", re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")),
    ("spaces between characters", re.compile(r"[\u4e00-\u9fff0-9] [\u4e00-\u9fff0-9] [\u4e00-\u9fff0-9]")),
)


def disguise_types(text: str) -> list[str]:
    """Every disguise found in `text`, or ["plain"] when it uses none."""
    text = text or ""
    found = [name for name, pat in DISGUISE_PATTERNS if pat.search(text)]
    return found or ["plain"]
