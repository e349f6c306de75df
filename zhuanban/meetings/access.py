"""Who sees and does what in this app.  Delegates to ``taskforces.access`` (the one place for task-force
visibility) and adds:

- a meeting, the duty roster, stations and verifications are seen by whoever fully sees the task force
  (external-only members see only the meetings they are invited to);
- managing (series, meetings, attendance, minutes, decisions, duty roster, swap approval, stations,
  verifications) belongs to the task force's managers (``access.manage``);
- a duty swap is requested by the person on duty (or a manager).

Unknown and invisible look the same: 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.context import memoized
from zhuanban.core.errors import Forbidden, NotFound
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.access import Access
from zhuanban.taskforces.models import Membership

from .models import Attendance, Meeting, MeetingSeries

person_of = tf_access.person_of
MANAGE_DENIED = "只有专班领导、专班办公室或系统管理员可以执行此操作"


def full_taskforce_ids(user: Any) -> list[int]:
    """Task forces whose meetings, roster and site records ``user`` sees in full (not external-only)."""

    def compute() -> list[int]:
        ids = tf_access.visible_taskforce_ids(user)
        person = person_of(user)
        if person is None:
            return ids
        other = Membership.objects.filter(person=person, end_on__isnull=True).exclude(
            role=Membership.Role.EXTERNAL).values("taskforce_id")
        external_only = set(Membership.objects.filter(person=person, role=Membership.Role.EXTERNAL).exclude(
            taskforce_id__in=other).values_list("taskforce_id", flat=True))
        return [i for i in ids if i not in external_only]

    return memoized(("meetings.full_tf", getattr(user, "pk", None)), compute)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    qs = Meeting.objects.all()
    if tf_access.is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    cond = Q(taskforce_id__in=full_taskforce_ids(user))
    person = person_of(user)
    if person is not None:
        invited = Attendance.objects.filter(person=person).values("meeting_id")
        cond |= Q(pk__in=invited, taskforce_id__in=tf_access.visible_taskforce_ids(user))
    return qs.filter(cond)


def get_visible_meeting(user: Any, meeting_id: Any) -> tuple[Meeting, Access]:
    try:
        meeting = Meeting.objects.select_related("taskforce", "series", "upper").get(pk=int(meeting_id))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    acc = tf_access.get_access(user, meeting.taskforce)
    if not acc.view:
        raise NotFound()
    if acc.external_only and not visible_meetings(user).filter(pk=meeting.pk).exists():
        raise NotFound()
    return meeting, acc


def get_visible_series(user: Any, series_id: Any) -> tuple[MeetingSeries, Access]:
    try:
        series = MeetingSeries.objects.select_related("taskforce", "follows").get(pk=int(series_id))
    except (MeetingSeries.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    return series, full_access(user, series.taskforce_id)


def full_access(user: Any, tf_id: Any) -> Access:
    """The access to a task force whose roster/series/site records are asked for: 404 unless fully seen."""
    tf, acc = tf_access.get_visible_taskforce(user, tf_id)
    if acc.external_only:
        raise NotFound()
    acc.taskforce = tf  # type: ignore[attr-defined]
    return acc


def require_manage(acc: Access) -> None:
    if not acc.manage:
        raise Forbidden(MANAGE_DENIED)
