"""Periods of a report template — the one place for which periods exist, when each is due and closes.

A period is identified by its start date:
- daily: the day itself, only on workdays (``core.workdays``) unless the template runs ``every_day``;
  due at ``due_time`` on that day;
- weekly: the Monday; due at ``due_time`` on the last workday of that week;
- monthly: the 1st; due at ``due_time`` on the last workday of that month;
- ad hoc: an ``AdhocPeriod`` opened by the office, due at its ``due_at``, closed explicitly.

A regular period is open from 00:00 of its start until ``due_time`` on the ``grace_workdays``-th workday
after its due day (grace 0: it closes at the due time).  A submission after the due time is late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from zhuanban.core.workdays import Calendar, add_workday_dates

from .models import AdhocPeriod, ReportTemplate

C = ReportTemplate.Cadence


@dataclass(frozen=True)
class PeriodInfo:
    start: dt.date
    end: dt.date
    due_at: dt.datetime
    closes_at: dt.datetime | None  # None: open until the office closes it (ad hoc)
    opens_at: dt.datetime

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def is_late(self, at: dt.datetime) -> bool:
        return at > self.due_at


def _aware(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def _last_workday(start: dt.date, end: dt.date) -> dt.date:
    cal = Calendar(start, end)
    day = end
    while day >= start:
        if cal.is_workday(day):
            return day
        day -= dt.timedelta(days=1)
    return end  # a span with no workday at all (never seen): due on its last day


def period_start(template: ReportTemplate, day: dt.date) -> dt.date | None:
    """The start of the period containing ``day``, or None if no period contains it."""
    if template.cadence == C.DAILY:
        if template.every_day or Calendar(day, day).is_workday(day):
            return day
        return None
    if template.cadence == C.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if template.cadence == C.MONTHLY:
        return day.replace(day=1)
    start = (AdhocPeriod.objects.filter(template=template, start__lte=day)
             .order_by("-start").values_list("start", flat=True).first())
    return start


def _end(template: ReportTemplate, start: dt.date) -> dt.date:
    if template.cadence == C.WEEKLY:
        return start + dt.timedelta(days=6)
    if template.cadence == C.MONTHLY:
        nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return nxt - dt.timedelta(days=1)
    return start


def info(template: ReportTemplate, start: dt.date) -> PeriodInfo | None:
    """The facts of the period starting on ``start``; None if no such period exists."""
    if template.cadence == C.ADHOC:
        p = AdhocPeriod.objects.filter(template=template, start=start).first()
        if p is None:
            return None
        return PeriodInfo(start, start, p.due_at, p.closed_at, _aware(start, dt.time(0)))
    if period_start(template, start) != start:
        return None
    return _info(template, start, *_days(template, start))


def _days(template: ReportTemplate, start: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(end, due day, closing day) of a regular period: they depend on the cadence, ``every_day`` and
    ``grace_workdays`` only (the due time is applied by ``_info``)."""
    end = _end(template, start)
    due_day = start if template.cadence == C.DAILY else _last_workday(start, end)
    close_day = add_workday_dates(due_day, template.grace_workdays) if template.grace_workdays else due_day
    return end, due_day, close_day


def _info(template: ReportTemplate, start: dt.date, end: dt.date, due_day: dt.date, close_day: dt.date
          ) -> PeriodInfo:
    return PeriodInfo(start, end, _aware(due_day, template.due_time), _aware(close_day, template.due_time),
                      _aware(start, dt.time(0)))


def current_for(templates: list[ReportTemplate], day: dt.date) -> dict[int, tuple[dt.date | None,
                                                                          PeriodInfo | None]]:
    """``(period_start, info)`` of the period containing ``day`` for each template, in a fixed number of
    queries: templates with the same calendar rules share one computation, ad hoc periods are read in one
    query ("my reports" lists every template a person files)."""
    out: dict[int, tuple[dt.date | None, PeriodInfo | None]] = {}
    adhoc = [t.pk for t in templates if t.cadence == C.ADHOC]
    latest: dict[int, AdhocPeriod] = {}
    if adhoc:
        for p in AdhocPeriod.objects.filter(template_id__in=adhoc, start__lte=day).order_by("start"):
            latest[p.template_id] = p  # the last one wins: the latest start on or before ``day``
    shared: dict[tuple[Any, ...], tuple[dt.date | None, tuple[dt.date, dt.date, dt.date] | None]] = {}
    for t in templates:
        if t.cadence == C.ADHOC:
            p = latest.get(t.pk)
            out[t.pk] = (None, None) if p is None else (
                p.start, PeriodInfo(p.start, p.start, p.due_at, p.closed_at, _aware(p.start, dt.time(0))))
            continue
        key = (t.cadence, t.every_day, t.grace_workdays)
        if key not in shared:
            start = period_start(t, day)
            shared[key] = (start, _days(t, start) if start else None)
        start, days = shared[key]
        out[t.pk] = (start, _info(t, start, *days) if start and days else None)
    return out


def current(template: ReportTemplate, day: dt.date | None = None) -> dt.date | None:
    return period_start(template, day or timezone.localdate())


def starts_between(template: ReportTemplate, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The period starts within [first, last], in order."""
    if template.cadence == C.ADHOC:
        yield from AdhocPeriod.objects.filter(template=template, start__range=(first, last)).order_by(
            "start").values_list("start", flat=True)
        return
    if template.cadence == C.DAILY:
        if template.every_day:
            day = first
            while day <= last:
                yield day
                day += dt.timedelta(days=1)
        else:
            yield from Calendar(first, last).workdays(first, last)
        return
    day = period_start(template, first)
    assert day is not None
    if day < first:
        day = _end(template, day) + dt.timedelta(days=1)
    while day <= last:
        yield day
        day = _end(template, day) + dt.timedelta(days=1)


def label(template: ReportTemplate, start: dt.date) -> str:
    if template.cadence == C.WEEKLY:
        return f"{start:%Y-%m-%d} 当周"
    if template.cadence == C.MONTHLY:
        return f"{start.year}年{start.month}月"
    return f"{start:%Y-%m-%d}"
