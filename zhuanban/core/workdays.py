"""Working days: Chinese statutory holidays and make-up workdays (chinese-calendar), plus days configured
locally (``tasks.LocalDay``: a local holiday, an extra duty day), and deadlines at the end of a workday.

"Due in 1 working day" means the end of the next workday (``ZHUANBAN_WORKDAY_END``, default 17:30): a task
given on the Friday before National Day is due on the first workday after the holiday, and a make-up
Saturday (调休上班) counts as a workday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

# A span long enough to cover any n working days asked for (the longest Chinese holiday is 9 days).
_LOOKAHEAD = 3


def workday_end() -> dt.time:
    hh, _, mm = str(settings.ZHUANBAN.get("WORKDAY_END", "17:30")).partition(":")
    return dt.time(int(hh), int(mm or 0))


def _local_days(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from zhuanban.tasks.models import LocalDay  # the model lives with its only user

    return dict(LocalDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


@lru_cache(maxsize=4096)
def _statutory_workday(day: dt.date) -> bool:
    """(Cached: the library re-derives the years it covers on every call, ~50 µs each.)"""
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Outside chinese-calendar's data (it covers the years the State Council has published).
        return day.weekday() < 5


class Calendar:
    """Workday facts for a date range, with the local days loaded once (one query per calendar)."""

    def __init__(self, start: dt.date, end: dt.date, local: dict[dt.date, bool] | None = None) -> None:
        self.start, self.end = start, end
        self.local = _local_days(start, end) if local is None else local

    def is_workday(self, day: dt.date) -> bool:
        if day in self.local:
            return self.local[day]
        return _statutory_workday(day)

    def workdays(self, start: dt.date, end: dt.date) -> Iterable[dt.date]:
        day = start
        while day <= end:
            if self.is_workday(day):
                yield day
            day += dt.timedelta(days=1)


def is_workday(day: dt.date) -> bool:
    return Calendar(day, day).is_workday(day)


def add_workday_dates(start: dt.date, n: int) -> dt.date:
    """The ``n``-th workday after ``start`` (``n`` ≥ 1); ``n == 0`` is ``start`` itself if it is a
    workday, else the next workday."""
    if n < 0:
        raise ValueError("n must be >= 0")
    span = max(n, 1) * _LOOKAHEAD + 30
    cal = Calendar(start, start + dt.timedelta(days=span))
    day = start
    if n == 0:
        while not cal.is_workday(day):
            day += dt.timedelta(days=1)
        return day
    count = 0
    while count < n:
        day += dt.timedelta(days=1)
        if day > cal.end:  # a very long run of local holidays: load further
            cal = Calendar(day, day + dt.timedelta(days=span))
        if cal.is_workday(day):
            count += 1
    return day


def add_workdays(start: dt.datetime | dt.date, n: int) -> dt.datetime:
    """Deadline ``n`` working days after ``start``: the end of that workday, as an aware datetime."""
    if isinstance(start, dt.datetime):
        local = timezone.localtime(start) if timezone.is_aware(start) else start
        day = local.date()
    else:
        day = start
    due = add_workday_dates(day, n)
    return timezone.make_aware(dt.datetime.combine(due, workday_end()))


def count_workdays(start: dt.date, end: dt.date) -> int:
    """Workdays in ``[start, end]``."""
    if end < start:
        return 0
    return sum(1 for _ in Calendar(start, end).workdays(start, end))
