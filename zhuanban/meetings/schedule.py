"""When meetings take place: the one place for the recurrence and follow-up rules.

- **Weekly on a weekday** (周例会): the meeting is on that weekday; if it is not a workday (a statutory
  holiday, a local day off) it moves to the next workday of the same week.  A week with no workday left
  after that day (the Spring Festival week) has no meeting — it is not piled onto the next week's.
- **Monthly on the Nth workday** (月调度会): the Nth workday of the month, make-up Saturdays (调休上班)
  included since they are workdays; a month with fewer workdays uses its last one.
- **Follow-up** (上级会议 → 下级会议, 一办N专班: the studies see the lower meeting 2–3 days after the upper):
  a series that ``follows`` another places each of its meetings ``follow_offset_workdays`` workdays after
  the upper meeting, and no follow-up meeting may be placed more than ``follow_within_workdays``
  workdays after its upper meeting (:func:`check_follow_up`, a 422 otherwise).

Working days come from ``zhuanban.core.workdays`` (chinese-calendar + ``LocalDay``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from zhuanban.core.errors import Invalid
from zhuanban.core.workdays import Calendar, add_workday_dates, count_workdays

from .models import Meeting, MeetingSeries

DAY = dt.timedelta(days=1)
# The default limit of a follow-up meeting without a series (the studies: 2–3 days).
DEFAULT_FOLLOW_WITHIN = 2
# How far ahead ``schedule`` may generate in one call (a year and a bit).
MAX_SPAN_DAYS = 400


def weekly_dates(weekday: int, start: dt.date, end: dt.date, cal: Calendar | None = None) -> Iterator[dt.date]:
    """The dates of a weekly meeting on ``weekday`` (0 = Monday) in ``[start, end]``."""
    cal = cal or Calendar(start - 7 * DAY, end + 14 * DAY)
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        day = monday + dt.timedelta(days=weekday)
        next_monday = monday + 7 * DAY
        while day < next_monday and not cal.is_workday(day):
            day += DAY
        if day < next_monday and start <= day <= end:
            yield day
        monday = next_monday


def nth_workday(year: int, month: int, n: int, cal: Calendar | None = None) -> dt.date:
    """The ``n``-th workday (1-based) of the month; the last workday if the month has fewer."""
    first = dt.date(year, month, 1)
    last = (first + 32 * DAY).replace(day=1) - DAY
    cal = cal or Calendar(first, last)
    days = list(cal.workdays(first, last))
    if not days:  # a month of local days off: the first day of the next month's workdays is not ours
        return first
    return days[min(n, len(days)) - 1]


def monthly_dates(n: int, start: dt.date, end: dt.date, cal: Calendar | None = None) -> Iterator[dt.date]:
    cal = cal or Calendar(start.replace(day=1), end + 31 * DAY)
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        day = nth_workday(year, month, n, cal)
        if start <= day <= end:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def follow_up_date(upper_day: dt.date, offset_workdays: int) -> dt.date:
    """Where a follow-up meeting goes: ``offset_workdays`` workdays after the upper meeting's day."""
    return add_workday_dates(upper_day, offset_workdays)


def workdays_after(upper_day: dt.date, day: dt.date) -> int:
    """How many workdays lie after ``upper_day`` up to and including ``day``."""
    return count_workdays(upper_day + DAY, day)


def check_follow_up(starts_at: dt.datetime, upper: Meeting | None, within: int | None) -> None:
    """Refuse (422) a follow-up meeting before its upper meeting, or more than ``within`` workdays after."""
    if upper is None:
        return
    limit = DEFAULT_FOLLOW_WITHIN if within is None else within
    day = timezone.localtime(starts_at).date()
    upper_day = timezone.localtime(upper.starts_at).date()
    if starts_at < upper.starts_at:
        raise Invalid("follow_up_before_upper", "下级会议不能早于上级会议",
                      {"starts_at": f"须在上级会议（{upper_day:%Y-%m-%d}）之后"})
    n = workdays_after(upper_day, day)
    if n > limit:
        latest = add_workday_dates(upper_day, limit)
        raise Invalid("follow_up_too_late",
                      f"下级会议须在上级会议后 {limit} 个工作日内召开（最迟 {latest:%Y-%m-%d}），当前为第 {n} 个工作日",
                      {"starts_at": f"最迟 {latest:%Y-%m-%d}"})


def occurrence_days(series: MeetingSeries, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days of ``series``' own rhythm in ``[start, end]`` (a follow-up series: see ``follow_ups``)."""
    if series.recurrence == MeetingSeries.Recurrence.WEEKLY and series.weekday is not None:
        return list(weekly_dates(series.weekday, start, end))
    if series.recurrence == MeetingSeries.Recurrence.MONTHLY and series.nth_workday:
        return list(monthly_dates(series.nth_workday, start, end))
    return []


def at(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def check_series(data: dict[str, object]) -> None:
    """The rule of one series' fields (422 naming the field)."""
    rec = data.get("recurrence")
    errors: dict[str, str] = {}
    if rec == MeetingSeries.Recurrence.WEEKLY and not data.get("follows"):
        wd = data.get("weekday")
        if not isinstance(wd, int) or not 0 <= wd <= 6:
            errors["weekday"] = "每周重复须指定星期几（0=周一 … 6=周日）"
    if rec == MeetingSeries.Recurrence.MONTHLY and not data.get("follows"):
        n = data.get("nth_workday")
        if not isinstance(n, int) or not 1 <= n <= 23:
            errors["nth_workday"] = "每月重复须指定第几个工作日（1–23）"
    within = data.get("follow_within_workdays")
    offset = data.get("follow_offset_workdays")
    if isinstance(within, int) and isinstance(offset, int) and offset > within:
        errors["follow_offset_workdays"] = f"不能晚于上级会议后 {within} 个工作日"
    duration = data.get("duration_minutes")
    if isinstance(duration, int) and not 10 <= duration <= 24 * 60:
        errors["duration_minutes"] = "时长须在 10 分钟到 24 小时之间"
    if errors:
        raise Invalid("invalid_series", "会议系列设置有误", errors)
