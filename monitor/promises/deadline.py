"""By when a seller promised something: deadline phrases resolved to an absolute time.

The message time is Asia/Shanghai wall-clock time without a zone (the canonical `ts`), and so is the
deadline. Every phrase resolves to the LATEST time it can reasonably mean (今天下午 → 18:00, 明天 →
23:59:59 of tomorrow, 周五前 → the end of this Friday), because a promise is only called broken with
evidence that this time passed: a strict reading would call promises broken that the buyer heard as
kept.

    今天/今日/当天(之内)      today 23:59:59        今天上午 12:00, 中午 14:00, 下午/下班前 18:00
    今晚/今天晚上            today 23:59:59        "今晚十点前" 22:00, "下午5点前" 17:00
    明天/明日/明早/明晚       tomorrow, same parts   后天 (+2 days), 大后天 (+3 days)
    N小时内/N个小时内         the message time + N hours (24/48/72, 二十四 …)
    N天内/N日内/一周内        the end of the day N (7) days later
    N个工作日(内)             the end of the N-th working day after the message's day
    (下)周X前/星期X/礼拜X     the end of that weekday (this week's if still ahead, else next week's)
    N号前/最迟N号             the end of day N of this month (next month's if already past)
Working days are Monday to Friday unless the config says otherwise ([promises] workdays, holidays,
extra_workdays). 马上/尽快/稍后 and deadlines tied to an event (收到退货当天) have no resolvable
deadline: find_deadline returns None and the promise stays open, saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_NUM = r"[0-9零〇一二两三四五六七八九十]{1,4}"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
END_OF_DAY = time(23, 59, 59)
# the latest time each part of a day can mean
_PART_END = {"凌晨": time(6, 0), "早上": time(12, 0), "一早": time(12, 0), "早": time(12, 0),
             "上午": time(12, 0), "中午": time(14, 0), "下午": time(18, 0), "下班前": time(18, 0),
             "傍晚": time(19, 0), "晚上": END_OF_DAY, "晚": END_OF_DAY, "今晚": END_OF_DAY}


def cn_number(text: str) -> int | None:
    """'48' / '四十八' / '二十四' / '十' / '两' -> int; None when it is not a number up to 9999."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _CN_DIGITS.get(head, None) if head else 1
        ones = _CN_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None or len(head) > 1 or len(tail) > 1:
            return None
        return tens * 10 + ones
    value = 0
    for c in text:
        value = value * 10 + _CN_DIGITS[c]
    return value


@dataclass(frozen=True)
class Workdays:
    """Which days count as working days (ISO weekday numbers 1-7), with holidays and make-up days."""

    weekdays: frozenset = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset = frozenset()          # dates off although their weekday works
    extra: frozenset = frozenset()             # make-up working days (调休) on a weekend

    @classmethod
    def from_config(cls, section: dict) -> "Workdays":
        def dates(values):
            return frozenset(date.fromisoformat(str(v)) for v in values or [])
        return cls(frozenset(int(d) for d in section.get("workdays", [1, 2, 3, 4, 5])),
                   dates(section.get("holidays")), dates(section.get("extra_workdays")))

    def works(self, day: date) -> bool:
        if day in self.extra:
            return True
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def add(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n >= 1); `day` itself does not count."""
        d, left = day, max(1, n)
        for _ in range(3700):          # ten years: a config with no working day cannot loop forever
            d += timedelta(days=1)
            if self.works(d):
                left -= 1
                if left == 0:
                    return d
        return d


@dataclass(frozen=True)
class Deadline:
    due: datetime          # Asia/Shanghai wall-clock time, like the message's ts
    phrase: str            # the words it was read from (NFKC-folded)
    rule: str              # which reading: today, tomorrow, hours, days, workdays, weekday, date_of_month


def _hour(num: str, part: str | None, half: bool) -> time | None:
    h = cn_number(num)
    if h is None or h > 24:
        return None
    evening = part in ("晚上", "晚", "今晚", "明晚")
    if evening and h == 12:
        return END_OF_DAY          # 晚上12点: midnight, the end of that day
    if (evening or part in ("下午", "傍晚")) and h < 12:
        h += 12
    if h >= 24:
        return END_OF_DAY
    return time(h, 30 if half else 0)


_DAY_WORDS = r"(?P<day>大后天|后天|明天|明日|明早|明晚|今天|今日|今晚|当天|次日|第二天)"
_PARTS = r"(?P<part>凌晨|早上|一早|上午|中午|下午|傍晚|晚上|下班前|晚)?"
_CLOCK = rf"(?:(?P<clock>{_NUM}|[0-9]{{1,2}})(?:点|:00|：00|时)(?P<half>半|30)?)?"
_DAY_PHRASE = re.compile(_DAY_WORDS + r"(?:之内|以内|内)?" + _PARTS + _CLOCK)
_BARE_CLOCK = re.compile(r"(?P<part>凌晨|早上|上午|中午|下午|傍晚|晚上)" + rf"(?P<clock>{_NUM})(?:点|时)(?P<half>半)?")
_HOURS = re.compile(rf"(?P<n>{_NUM})(?:个)?(?:小时|钟头)(?:之内|以内|内)")
_DAYS = re.compile(rf"(?P<n>{_NUM})(?:个)?(?:天|日)(?:之内|以内|内)|(?P<week>一周|一个星期|一个礼拜)(?:之内|以内|内)")
_WORKDAYS = re.compile(rf"(?P<n>{_NUM})(?:个)?工作日")
_WEEKDAY_PHRASE = re.compile(r"(?P<next>下)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])(?:之前|以前|前)?")
_DATE_OF_MONTH = re.compile(rf"(?:(?P<month>{_NUM})月)?(?P<d>{_NUM})(?:号|日)(?:之前|以前|前)")
_LATEST_DATE = re.compile(rf"(?:最迟|最晚|截止)(?:(?P<month>{_NUM})月)?(?P<d>{_NUM})(?:号|日)")
_DAY_OFFSET = {"今天": 0, "今日": 0, "今晚": 0, "当天": 0, "明天": 1, "明日": 1, "明早": 1, "明晚": 1,
               "次日": 1, "第二天": 1, "后天": 2, "大后天": 3}


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t)


def _candidates(text: str, sent: datetime, workdays: Workdays):
    today = sent.date()
    for m in _DAY_PHRASE.finditer(text):
        day = today + timedelta(days=_DAY_OFFSET[m["day"]])
        part = m["part"] or {"今晚": "今晚", "明晚": "晚上", "明早": "早上"}.get(m["day"])
        t = None
        if m["clock"]:
            t = _hour(m["clock"], part, bool(m["half"]))
        if t is None:
            t = _PART_END.get(part, END_OF_DAY) if part else END_OF_DAY
        rule = "today" if day == today else "tomorrow" if day == today + timedelta(days=1) else "day_after"
        yield m.start(), Deadline(_at(day, t), m.group(0), rule)
    for m in _BARE_CLOCK.finditer(text):
        # "下午5点前" without a day word: today, unless that time has already passed (then tomorrow)
        if any(m.start() >= s and m.end() <= e for s, e in _spans(_DAY_PHRASE, text)):
            continue
        t = _hour(m["clock"], m["part"], bool(m["half"]))
        if t is None:
            continue
        due = _at(today, t)
        if due <= sent:
            due += timedelta(days=1)
        yield m.start(), Deadline(due, m.group(0), "clock")
    for m in _HOURS.finditer(text):
        n = cn_number(m["n"])
        if n:
            yield m.start(), Deadline(sent + timedelta(hours=n), m.group(0), "hours")
    for m in _WORKDAYS.finditer(text):
        n = cn_number(m["n"])
        if n:
            yield m.start(), Deadline(_at(workdays.add(today, n), END_OF_DAY), m.group(0), "workdays")
    for m in _DAYS.finditer(text):
        n = 7 if m["week"] else cn_number(m["n"])
        if n:
            yield m.start(), Deadline(_at(today + timedelta(days=n), END_OF_DAY), m.group(0), "days")
    for m in _WEEKDAY_PHRASE.finditer(text):
        wd = _WEEKDAY[m["wd"]]
        ahead = (wd - today.weekday()) % 7
        if m["next"]:
            # 下周三: the Wednesday of next week (Monday-based weeks)
            ahead = 7 - today.weekday() + wd
        elif ahead == 0:
            ahead = 7          # "周一前" said on a Monday means next Monday
        yield m.start(), Deadline(_at(today + timedelta(days=ahead), END_OF_DAY), m.group(0), "weekday")
    for pattern in (_DATE_OF_MONTH, _LATEST_DATE):
        for m in pattern.finditer(text):
            d = cn_number(m["d"])
            month = cn_number(m["month"]) if m["month"] else None
            due = _date_of_month(today, month, d)
            if due is not None:
                yield m.start(), Deadline(_at(due, END_OF_DAY), m.group(0), "date_of_month")


def _spans(pattern, text):
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _date_of_month(today: date, month: int | None, d: int | None) -> date | None:
    """Day d of the given month (this year's, else next year's) or of this month (else the next
    month that has a day d); None for impossible days."""
    if not d or d > 31 or (month is not None and not 1 <= month <= 12):
        return None
    if month is not None:
        for year in (today.year, today.year + 1):
            try:
                due = date(year, month, d)
            except ValueError:
                continue
            if due >= today:
                return due
        return None
    year, mon = today.year, today.month
    for _ in range(3):
        try:
            due = date(year, mon, d)
            if due >= today:
                return due
        except ValueError:
            pass
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return None


def fold(text: str) -> str:
    """Full-width digits and colons as ASCII (１２点 → 12点), so one pattern reads both."""
    return unicodedata.normalize("NFKC", text)


def find_deadline(text: str, sent: datetime, workdays: Workdays | None = None) -> Deadline | None:
    """The deadline a seller message states, resolved from its send time; None when it states none.

    When a message states several (今天处理，最迟明天到账), the latest counts: the promise is kept
    if the work is done by then.
    """
    if not text:
        return None
    workdays = workdays or Workdays()
    found = [d for _, d in _candidates(fold(text), sent, workdays) if d.due >= sent]
    if not found:
        return None
    return max(found, key=lambda d: d.due)
