"""The chats' date when an export gives only the time of day (`20:57:11`).

The Qianniu page exporter's workbook (userscript "千牛聊天记录导出器 Excel" v5.5) and khgkk's
one-cell-per-customer workbook drop the page's date lines. The date must then come from the user:
`--date YYYY-MM-DD` (ingest, scan) or, for `scan`, `--night` when no --date is given. It is never
guessed from other files, the file's modification time or the export time (导出时间 is when the
exporter ran; the page it ran on lists up to three months of chats).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date, datetime

from ..errors import UsageError

HOW_TO_GIVE = ("give the chats' date with --date YYYY-MM-DD (chatmon scan: --date or --night) "
               "(请用 --date YYYY-MM-DD 指定聊天日期)")


@dataclass(frozen=True)
class GivenDate:
    """A date the user gave for time-only exports, and which option gave it."""

    day: Date
    source: str = "--date"

    def note(self) -> str:
        """The assumption, as `--explain` and scan's per-file line print it."""
        return f"聊天日期 {self.day:%Y-%m-%d} 来自 {self.source}（文件里只有时分秒）"


def given_date(value, source: str = "--date") -> GivenDate | None:
    """None, a GivenDate, a date or `YYYY-MM-DD` text -> GivenDate; anything else is a UsageError."""
    if value is None or value == "":
        return None
    if isinstance(value, GivenDate):
        return value
    if isinstance(value, datetime):
        return GivenDate(value.date(), source)
    if isinstance(value, Date):
        return GivenDate(value, source)
    try:
        return GivenDate(datetime.strptime(str(value).strip(), "%Y-%m-%d").date(), source)
    except ValueError:
        raise UsageError(f"{source} {value!r} is not a date of the form YYYY-MM-DD") from None
