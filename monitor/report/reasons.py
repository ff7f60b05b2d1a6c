"""Why a file was rejected, in Chinese for the report page.

Readers explain a rejection in English for the terminal (file, line, reason). The page names the
category in Chinese and keeps the reader's own words after it as the detail, so nothing is lost when
a category is not known here (a new reader's message shows as 其他原因 with its detail).
"""

from __future__ import annotations

import re

# (pattern on the English reason, Chinese category); the first match wins
_CATEGORIES = [
    (r"^cannot read|file not found|orders file not found|permission", "无法读取文件"),
    (r"^empty file", "空文件"),
    (r"damaged zip|cut short", "文件不完整（下载或复制时被截断）"),
    (r"^binary file", "不是聊天记录文件（二进制内容）"),
    (r"neither UTF-8 nor GBK|undecodable", "文字编码无法识别（既不是 UTF-8 也不是 GBK）"),
    (r"not valid JSON|not a JSON object|JSON holds no list|JSON.*(deep|depth)", "JSON 格式错误"),
    (r"malformed csv|fields, expected", "CSV 格式错误"),
    (r"xlsx|workbook", "Excel 工作簿无法读取"),
    (r"zip", "压缩包无法读取"),
    (r"too (large|big|many|long)|limit|exceeds", "超出大小限制"),
    (r"no known chat export layout|no recognisable columns|no sheet with recognisable", "无法识别的导出格式"),
    (r"orders export lacks|column mapping", "缺少必要的列"),
    (r"unparseable timestamp|unparseable date|outside the supported range|has no time|time line before",
     "时间无法识别"),
    (r"truncated", "文件可能被截断"),
    (r"role .* is not one of", "发送方角色无法识别"),
    (r"message header|nick line|sender line|text outside a message|system lines|timestamp line",
     "聊天记录格式错误"),
    (r"not a regular file|symlink|device", "不是普通文件"),
]
_COMPILED = [(re.compile(p, re.IGNORECASE), name) for p, name in _CATEGORIES]
OTHER = "其他原因"


def reason_category(reason: str) -> str:
    """The Chinese category of an English rejection reason (其他原因 when none fits)."""
    text = str(reason or "")
    for pattern, name in _COMPILED:
        if pattern.search(text):
            return name
    return OTHER


_LINE = re.compile(r"^line (\d+): ")


def rejected_rows(rejected: list[dict]) -> list[dict]:
    """summary.json's rejected entries as the page shows them: file name (not its path), line,
    Chinese category and the reader's detail."""
    rows = []
    for r in rejected or []:
        reason = str(r.get("reason", ""))
        line = r.get("line")
        m = _LINE.match(reason)
        if m:
            line = line or int(m.group(1))
            reason = reason[m.end():]
        path = str(r.get("file", ""))
        rows.append({"file": path.replace("\\", "/").rsplit("/", 1)[-1] or path, "path": path,
                     "line": line, "category": reason_category(reason), "detail": reason})
    return rows
