"""Working hours and quiet hours — the time rules of reminders, escalation and pushes.

- Working hours: a workday (``core.workdays``: statutory holidays, make-up days, local days) from
  ``WORKDAY_START`` (09:00, ``settings.ZHUANBAN["WORKDAY_START"]`` if set) to ``workdays.workday_end()``
  (17:30).  "X working hours after the deadline" is counted only inside those hours, so a deadline on the
  eve of National Day escalates after the holiday, not during it.
- Quiet hours (免打扰): no push (e-mail, group robot) between ``quiet_start`` and ``quiet_end`` (22:00–07:30
  by default, a person may tune theirs) unless the item is urgent; the in-app item exists at once, the push
  waits until the window ends.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from zhuanban.core import workdays

QUIET_START = dt.time(22, 0)
QUIET_END = dt.time(7, 30)


def workday_start() -> dt.time:
    hh, _, mm = str(settings.ZHUANBAN.get("WORKDAY_START", "09:00")).partition(":")
    return dt.time(int(hh), int(mm or 0))


def _aware(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def subtract_working_hours(now: dt.datetime, hours: float) -> dt.datetime:
    """The moment ``hours`` working hours before ``now`` (a deadline earlier than it is that far overdue)."""
    left = dt.timedelta(hours=hours)
    local = timezone.localtime(now)
    day, cursor = local.date(), local
    start_t, end_t = workday_start(), workdays.workday_end()
    cal = workdays.Calendar(day - dt.timedelta(days=60), day)
    for _ in range(400):
        if cal.is_workday(day):
            start, end = _aware(day, start_t), _aware(day, end_t)
            top = min(cursor, end)
            if top > start:
                span = top - start
                if span >= left:
                    return top - left
                left -= span
        day -= dt.timedelta(days=1)
        if day < cal.start:
            cal = workdays.Calendar(day - dt.timedelta(days=60), day)
        cursor = _aware(day, end_t)
    return cursor


def in_quiet_hours(moment: dt.datetime, start: dt.time = QUIET_START, end: dt.time = QUIET_END) -> bool:
    t = timezone.localtime(moment).time()
    if start <= end:
        return start <= t < end
    return t >= start or t < end


def push_time(moment: dt.datetime, *, urgent: bool, start: dt.time = QUIET_START,
              end: dt.time = QUIET_END) -> dt.datetime:
    """When a push may go out: now, or (not urgent, in quiet hours) when the quiet window ends."""
    if urgent or not in_quiet_hours(moment, start, end):
        return moment
    local = timezone.localtime(moment)
    day = local.date() if local.time() < end else local.date() + dt.timedelta(days=1)
    return _aware(day, end)
