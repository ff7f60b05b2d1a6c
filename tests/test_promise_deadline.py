"""Deadline phrases of seller promises resolved to absolute times (monitor/promises/deadline.py)."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from monitor.promises.deadline import Workdays, cn_number, find_deadline

WED_10 = datetime(2026, 12, 2, 10, 0)        # a Wednesday, 10:00
FRI_16 = datetime(2026, 12, 4, 16, 0)        # a Friday, 16:00


@pytest.mark.parametrize("text, sent, due", [
    ("今天一定给您发出", WED_10, datetime(2026, 12, 2, 23, 59, 59)),
    ("今天之内给您退款", WED_10, datetime(2026, 12, 2, 23, 59, 59)),
    ("今天下午一定给您发出", WED_10, datetime(2026, 12, 2, 18, 0)),
    ("今天下午5点前保证给您发出去", WED_10, datetime(2026, 12, 2, 17, 0)),
    ("今晚之前给你发走", WED_10, datetime(2026, 12, 2, 23, 59, 59)),
    ("今晚10点前把退款给您办好", WED_10, datetime(2026, 12, 2, 22, 0)),
    ("今晚十二点之前发出", WED_10, datetime(2026, 12, 2, 23, 59, 59)),
    ("下班前给您开好发票", WED_10, None),                     # no day word, no clock: not a deadline alone
    ("今天下班前把发票开好发您", WED_10, datetime(2026, 12, 2, 18, 0)),
    ("明天上午给您发出", WED_10, datetime(2026, 12, 3, 12, 0)),
    ("明早给你发走", WED_10, datetime(2026, 12, 3, 12, 0)),
    ("明天10点前主管给您回电", WED_10, datetime(2026, 12, 3, 10, 0)),
    ("明天一定发货", WED_10, datetime(2026, 12, 3, 23, 59, 59)),
    ("后天之前给您发出", WED_10, datetime(2026, 12, 4, 23, 59, 59)),
    ("24小时内给您退款", WED_10, datetime(2026, 12, 3, 10, 0)),
    ("四十八小时内保证发", WED_10, datetime(2026, 12, 4, 10, 0)),
    ("二十四小时内退给你", WED_10, datetime(2026, 12, 3, 10, 0)),
    ("两天内补发给您", WED_10, datetime(2026, 12, 4, 23, 59, 59)),
    ("一周内给您换好寄回", WED_10, datetime(2026, 12, 9, 23, 59, 59)),
    ("周一前给您发货", WED_10, datetime(2026, 12, 7, 23, 59, 59)),
    ("礼拜五之前保证送到", WED_10, datetime(2026, 12, 4, 23, 59, 59)),
    ("周三之前肯定到您手上", WED_10, datetime(2026, 12, 9, 23, 59, 59)),   # said on a Wednesday: next one
    ("下周三发", WED_10, datetime(2026, 12, 9, 23, 59, 59)),
    ("3个工作日内给您发出", WED_10, datetime(2026, 12, 7, 23, 59, 59)),      # Thu, Fri, Mon
    ("三个工作日内给你发", FRI_16, datetime(2026, 12, 9, 23, 59, 59)),      # Mon, Tue, Wed
    ("最迟25号发出哈亲", WED_10, datetime(2026, 12, 25, 23, 59, 59)),
    ("1号前给您发", WED_10, datetime(2027, 1, 1, 23, 59, 59)),              # this month's 1st has passed
    ("今天处理，最迟明天到账", WED_10, datetime(2026, 12, 3, 23, 59, 59)),   # the latest of two
    ("下午４点前把猫粮发走", WED_10, datetime(2026, 12, 2, 16, 0)),          # full-width digit
    ("上午9点前发", WED_10, datetime(2026, 12, 3, 9, 0)),                   # 09:00 has passed: tomorrow's
    ("马上给您发", WED_10, None),
    ("尽快处理", WED_10, None),
    ("好的亲", WED_10, None),
])
def test_literal_deadlines(text, sent, due):
    found = find_deadline(text, sent)
    assert (found.due if found else None) == due


def test_working_days_follow_the_config():
    # the Friday is a holiday and the Saturday a make-up working day (调休)
    wd = Workdays.from_config({"workdays": [1, 2, 3, 4, 5], "holidays": ["2026-12-04"],
                               "extra_workdays": ["2026-12-05"]})
    assert find_deadline("2个工作日内给您退款", WED_10, wd).due == datetime(2026, 12, 5, 23, 59, 59)
    six_days = Workdays.from_config({"workdays": [1, 2, 3, 4, 5, 6]})
    assert find_deadline("3个工作日内发出", FRI_16, six_days).due == datetime(2026, 12, 8, 23, 59, 59)


def test_phrase_and_rule_are_reported():
    d = find_deadline("亲，48小时内一定给您发货", WED_10)
    assert (d.phrase, d.rule) == ("48小时内", "hours")


_CN = ["一", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十二", "二十四", "四十八", "七十二", "九十九"]


@given(n=st.integers(1, 99), chinese=st.booleans(),
       sent=st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)))
def test_hours_add_exactly_n_hours(n, chinese, sent):
    words = {cn_number(w): w for w in _CN}
    if chinese and n not in words:
        chinese = False
    text = f"{words[n] if chinese else n}小时内给您发出"
    assert find_deadline(text, sent).due == sent + timedelta(hours=n)


@given(n=st.integers(1, 15), day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
       weekdays=st.sets(st.integers(1, 7), min_size=1))
def test_workday_deadline_is_the_nth_working_day(n, day, weekdays):
    wd = Workdays(frozenset(weekdays))
    sent = datetime.combine(day, datetime.min.time()).replace(hour=15)
    due = find_deadline(f"{n}个工作日内给您退款", sent, wd).due.date()
    assert wd.works(due)
    between = [day + timedelta(days=k) for k in range(1, (due - day).days + 1)]
    assert sum(wd.works(d) for d in between) == n


@settings(max_examples=300)
@given(text=st.text(max_size=40), sent=st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)))
def test_any_text_gives_none_or_a_deadline_not_before_the_message(text, sent):
    found = find_deadline(text, sent)
    assert found is None or found.due >= sent


@settings(max_examples=300)
@given(prefix=st.sampled_from(["", "亲，", "好的，"]),
       phrase=st.sampled_from(["今天", "今晚", "明天", "明天上午", "后天", "24小时内", "3天内", "周五前",
                               "2个工作日内", "下午5点前"]),
       sent=st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)))
def test_every_listed_phrase_resolves_within_two_weeks(prefix, phrase, sent):
    found = find_deadline(f"{prefix}{phrase}给您发出", sent)
    assert found is not None and sent <= found.due <= sent + timedelta(days=14)


@given(st.integers(0, 99))
def test_cn_number_reads_back_arabic_digits(n):
    assert cn_number(str(n)) == n
