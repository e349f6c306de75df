"""Read side: meeting lists scoped to what the viewer sees, attendance rates, the duty roster and who is
on duty today (contact masked, ``core.masking``).  Every function runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhuanban.core.masking import mask_phone
from zhuanban.taskforces.models import TaskForce

from . import access
from .models import Attendance, DutyShift, DutySwap, Meeting, Station, Verification

HELD = Meeting.Status.HELD


def meeting_list(user: Any, filters: dict[str, Any]) -> QuerySet[Meeting]:
    qs = access.visible_meetings(user).select_related("taskforce", "series")
    if filters.get("taskforce"):
        qs = qs.filter(taskforce_id=filters["taskforce"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("date_from"):
        qs = qs.filter(starts_at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(starts_at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    return qs


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def upcoming_and_past(tf: TaskForce, *, upcoming: int = 10, past: int = 10) -> tuple[list[Meeting], list[Meeting]]:
    now = timezone.now()
    qs = Meeting.objects.filter(taskforce=tf).select_related("series", "upper")
    return (list(qs.filter(ends_at__gte=now).order_by("starts_at", "id")[:upcoming]),
            list(qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")[:past]))


def attendance_rates(tf: TaskForce, *, since: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """Attendance of the task force's held meetings: per unit (present in person or by a substitute over
    invited) and per person (present in person over invited).  Two aggregate queries."""
    rows = Attendance.objects.filter(meeting__taskforce=tf, meeting__status=HELD)
    if since:
        rows = rows.filter(meeting__starts_at__gte=_start_of(since))
    present = Q(status=Attendance.Status.PRESENT)
    covered = present | Q(substitute__isnull=False)
    units = (rows.exclude(unit__isnull=True).values("unit_id", "unit__name", "unit__short_name").order_by("unit__name")
             .annotate(invited=Count("id"), attended=Count("id", filter=covered)))
    people = (rows.values("person_id", "person__name").order_by("person__name")
              .annotate(invited=Count("id"), attended=Count("id", filter=present),
                        substituted=Count("id", filter=Q(substitute__isnull=False))))

    def rate(r: dict[str, Any]) -> float:
        return round(r["attended"] / r["invited"], 4) if r["invited"] else 0.0

    return {
        "units": [{"id": r["unit_id"], "name": r["unit__short_name"] or r["unit__name"], "invited": r["invited"],
                   "attended": r["attended"], "rate": rate(r)} for r in units],
        "people": [{"id": r["person_id"], "name": r["person__name"], "invited": r["invited"],
                    "attended": r["attended"], "substituted": r["substituted"], "rate": rate(r)} for r in people],
    }


def shift_row(s: DutyShift) -> dict[str, Any]:
    return {"id": s.pk, "taskforce_id": s.taskforce_id, "date": s.date, "start_time": s.start_time,
            "end_time": s.end_time, "person": {"id": s.person_id, "name": s.person.name},
            "contact": mask_phone(s.person.phone), "note": s.note}


def roster(tf_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[DutyShift]:
    return (DutyShift.objects.filter(taskforce_id__in=tf_ids, date__gte=start, date__lte=end)
            .select_related("person", "taskforce").order_by("date", "start_time", "id"))


def on_duty_today(tf_ids: list[int], day: dt.date | None = None) -> list[DutyShift]:
    return list(roster(tf_ids, day or timezone.localdate(), day or timezone.localdate()))


def pending_swaps(tf_ids: list[int]) -> QuerySet[DutySwap]:
    return (DutySwap.objects.filter(shift__taskforce_id__in=tf_ids, status=DutySwap.Status.PENDING)
            .select_related("shift", "from_person", "to_person").order_by("shift__date", "id"))


def stations(tf: TaskForce) -> QuerySet[Station]:
    return Station.objects.filter(taskforce=tf).prefetch_related("units").order_by("-from_on", "id")


def verifications(tf_ids: list[int] | None) -> QuerySet[Verification]:
    """Verifications of the task forces ``tf_ids`` (``None``: all, for administrators)."""
    qs = Verification.objects.all() if tf_ids is None else Verification.objects.filter(taskforce_id__in=tf_ids)
    return (qs.select_related("verifier")
            .prefetch_related("tasks", "photos").order_by("-at", "-id"))


def my_meetings(user: Any, person_id: int, *, limit: int = 50) -> list[Meeting]:
    """My upcoming meetings across task forces (invited), nearest first."""
    now = timezone.now()
    return list(access.visible_meetings(user).filter(
        attendances__person_id=person_id, ends_at__gte=now).select_related("taskforce")
        .order_by("starts_at", "id")[:limit])


def next_meeting(tf: TaskForce) -> Meeting | None:
    return (Meeting.objects.filter(taskforce=tf, ends_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED)
            .order_by("starts_at", "id").first())
