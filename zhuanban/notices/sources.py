"""The other apps' reminders into the one inbox — read from their models and queries here, in this app only
(registered by ``NoticesConfig.ready``; the reports and meetings apps know nothing of the inbox).

Sources of the reminder sweep (``reminders.register_reminder_source``; exactly once by the item's key
``src:<source>:<subject kind>:<subject id>:<person>:<occurrence>``):

- ``reports.due`` — report due today and not filed: for every active report template whose current period
  is due today (``reports.periods.info(...).due_at`` falls on today; daily reports on their day, weekly and
  monthly ones on the last workday of the week/month, ad hoc ones on their deadline), each filer that
  ``reports.queries.missing_for_taskforce(tf, today)`` lists and that has a person (the unit's liaison, or
  the named filer) gets one reminder per template and period (occurrence = the period's start).
- ``meetings.tomorrow`` — meeting tomorrow: the invitees (``Attendance`` rows not marked absent) of every
  scheduled meeting starting after today and before the end of the next workday (so on a Friday: Saturday,
  Sunday and Monday's meetings), one per meeting, person and start day (a meeting moved to another day is
  announced again).
- ``meetings.duty`` — today's on-duty person: one "for information" item per task force and active member
  naming today's shifts (``meetings.DutyShift``), so it folds into the digest; runs on rest days too
  (rosters of the Games work every day).

And the 催报 of the reports app (``reports.services.remind_missing`` bulk-creates ``ReportReminder`` rows and
records the audit event ``report.remind``): ``on_report_reminder`` / ``on_report_remind_event`` (``post_save``
receivers connected in ``apps.py``) put one item per reminder row into the reminded person's inbox after the
commit; the ``reports.reminded`` source re-offers the rows of the last two days, so a crash between the
commit and the receiver loses nothing, and the key (``report_reminder`` + the row id) keeps it to one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhuanban.core import workdays

from .models import Priority
from .reminders import ReminderSpec, insert_specs, register_reminder_source

log = logging.getLogger(__name__)

REPORTS_DUE = "reports.due"
REPORTS_REMINDED = "reports.reminded"
MEETING_TOMORROW = "meetings.tomorrow"
DUTY_TODAY = "meetings.duty"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# ---- reports ----------------------------------------------------------------------------------------------


def report_due_today(now: dt.datetime, today: dt.date) -> Iterator[ReminderSpec]:
    from zhuanban.reports import periods, queries
    from zhuanban.reports.models import ReportTemplate

    due: dict[int, dict[int, tuple[Any, Any]]] = defaultdict(dict)  # tf id -> template id -> (template, info)
    tfs = {}
    for t in ReportTemplate.objects.filter(is_active=True).select_related("taskforce").order_by("id"):
        start = periods.period_start(t, today)
        info = periods.info(t, start) if start is not None else None
        if info is None or _local(info.due_at).date() != today or (info.closes_at and info.closes_at <= now):
            continue
        due[t.taskforce_id][t.pk] = (t, info)
        tfs[t.taskforce_id] = t.taskforce
    for tf_id, templates in due.items():
        for row in queries.missing_for_taskforce(tfs[tf_id], today):
            hit = templates.get(row["template_id"])
            if hit is None or not row["person_id"]:
                continue
            t, info = hit
            yield ReminderSpec(
                person_id=row["person_id"], subject_kind="report", subject_id=t.pk, occurrence=info.start.isoformat(),
                title=f"【今日报送】{t.name}（{periods.label(t, info.start)}）今天 {_local(info.due_at):%H:%M} 截止，尚未报送",
                taskforce_id=tf_id, due_at=info.due_at, link=f"/reports/{t.pk}/fill")


def _reminder_specs(rows: Iterable[Any]) -> Iterator[ReminderSpec]:
    from zhuanban.reports import periods

    for r in rows:
        if not r.person_id:
            continue
        t = r.template
        info = periods.info(t, r.period)
        yield ReminderSpec(
            person_id=r.person_id, subject_kind="report_reminder", subject_id=r.pk, occurrence=r.period.isoformat(),
            title=f"【催报】{t.name}（{periods.label(t, r.period)}）请尽快报送", taskforce_id=t.taskforce_id,
            due_at=info.due_at if info else None, link=f"/reports/{t.pk}/fill", priority=Priority.URGENT)


def report_reminders_since(now: dt.datetime, today: dt.date) -> Iterator[ReminderSpec]:
    """The 催报 rows of the last two days (what the receivers deliver at once; this catches up)."""
    from zhuanban.reports.models import ReportReminder

    rows = (ReportReminder.objects.filter(at__gte=now - dt.timedelta(days=2), person__isnull=False)
            .select_related("template").order_by("id"))
    yield from _reminder_specs(rows)


def deliver_report_reminders(template_id: int, period: dt.date | None = None, ids: list[int] | None = None) -> int:
    """The inbox items of these 催报 rows (idempotent: the key of each row)."""
    from zhuanban.reports.models import ReportReminder

    qs = ReportReminder.objects.filter(template_id=template_id, person__isnull=False).select_related("template")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if period is not None:
        qs = qs.filter(period=period)
    return insert_specs(REPORTS_REMINDED, _reminder_specs(qs.order_by("id")), timezone.now())


def _after_commit(fn: Any) -> None:
    def run() -> None:
        try:
            fn()
        except Exception:  # the reports action has committed; the sweep's reports.reminded source catches up
            log.exception("notices: could not put a 催报 into the inbox; the reminder sweep will")

    transaction.on_commit(run)


def on_report_reminder(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kw: Any) -> None:
    """post_save of one ReportReminder row (saved one by one)."""
    if created and not raw:
        _after_commit(lambda: deliver_report_reminders(instance.template_id, ids=[instance.pk]))


def on_report_remind_event(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kw: Any) -> None:
    """post_save of the audit event ``report.remind`` (``remind_missing`` bulk-creates its rows, which sends no
    post_save per row): deliver the template and period's rows."""
    if not created or raw or instance.action != "report.remind" or not instance.object_id.isdigit():
        return
    try:
        period = dt.date.fromisoformat((instance.after or {}).get("period", ""))
    except (TypeError, ValueError):
        period = None
    template_id = int(instance.object_id)
    _after_commit(lambda: deliver_report_reminders(template_id, period))


# ---- meetings ---------------------------------------------------------------------------------------------


def meeting_window(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of tomorrow, end of the next workday): on a Friday, the weekend's and Monday's meetings."""
    nxt = workdays.add_workday_dates(today, 1)
    return _day_start(today + dt.timedelta(days=1)), _day_start(nxt + dt.timedelta(days=1))


def meeting_tomorrow(now: dt.datetime, today: dt.date) -> Iterator[ReminderSpec]:
    from zhuanban.meetings.models import Attendance, Meeting

    lo, hi = meeting_window(today)
    rows = (Attendance.objects.filter(meeting__status=Meeting.Status.SCHEDULED, meeting__starts_at__gte=lo,
                                      meeting__starts_at__lt=hi)
            .exclude(status=Attendance.Status.ABSENT)
            .values_list("person_id", "meeting_id", "meeting__title", "meeting__starts_at", "meeting__location",
                         "meeting__taskforce_id").order_by("meeting__starts_at", "meeting_id", "person_id"))
    for pid, mid, title, starts, place, tf_id in rows:
        when = _local(starts)
        day = "明天" if when.date() == today + dt.timedelta(days=1) else f"{when:%m-%d}"
        yield ReminderSpec(
            person_id=pid, subject_kind="meeting", subject_id=mid, occurrence=when.date().isoformat(),
            title=f"【会议提醒】{day} {when:%H:%M} {title}{'（' + place + '）' if place else ''}",
            taskforce_id=tf_id, due_at=starts, link=f"/meetings/{mid}/")


def duty_today(now: dt.datetime, today: dt.date) -> Iterator[ReminderSpec]:
    from zhuanban.meetings.models import DutyShift
    from zhuanban.taskforces.models import Membership

    shifts: dict[int, list[str]] = defaultdict(list)
    for tf_id, person, start, end in (
            DutyShift.objects.filter(date=today).order_by("taskforce_id", "start_time", "id")
            .values_list("taskforce_id", "person__name", "start_time", "end_time")):
        shifts[tf_id].append(f"{person} {start:%H:%M}–{end:%H:%M}")
    if not shifts:
        return
    members = (Membership.objects.filter(taskforce_id__in=sorted(shifts), end_on__isnull=True)
               .values_list("taskforce_id", "person_id").distinct().order_by("taskforce_id", "person_id"))
    for tf_id, pid in members:
        yield ReminderSpec(
            person_id=pid, subject_kind="duty", subject_id=tf_id, occurrence=today.isoformat(),
            title=f"【今日值班】{'、'.join(shifts[tf_id])}", taskforce_id=tf_id,
            link=f"/tf/{tf_id}/meetings/", priority=Priority.INFO)


def register() -> None:
    register_reminder_source(REPORTS_DUE, report_due_today)
    register_reminder_source(REPORTS_REMINDED, report_reminders_since, every_day=True)
    register_reminder_source(MEETING_TOMORROW, meeting_tomorrow)
    register_reminder_source(DUTY_TODAY, duty_today, every_day=True)


def connect() -> None:
    from django.db.models.signals import post_save

    from zhuanban.core.models import AuditEvent
    from zhuanban.reports.models import ReportReminder

    post_save.connect(on_report_reminder, sender=ReportReminder, dispatch_uid="notices.report_reminder")
    post_save.connect(on_report_remind_event, sender=AuditEvent, dispatch_uid="notices.report_remind_event")
