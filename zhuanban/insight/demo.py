"""Demo data of insight, loaded by ``zhuanban.demo.loader`` after the other apps' demo data.

The demo's task forces trip some health checks and not others, visibly, mostly from what the cases
already hold: the 亚运 L区 task forces still running after the Games (past their planned end), 钱晓岚 in
four of them at 120 % (too many task forces, over 100 %), 城市环境提升专班 set up orally, 舆情应急协调专班
a 协调表态型 without entity operation, the office's daily reports that nobody opens.  The dissolved cases
(健康码, 物业管理条例立法, 场馆运行保障) got their archived summaries from the dissolution hook.

What this module adds, through the services: the attendance of the latest meeting held in the last four
weeks of 城市大脑 and the 亚运 task forces (everyone present but two of 城市大脑's members, who stay
"seconded but absent"), so that check names a few people instead of whole teams; a read of 城市大脑's weekly
report (it is used; the 亚运 office's daily report is not); the province-wide snapshot.
Idempotent: attendance is set, not added; the read is counted once a day; the snapshot is replaced.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership, TaskForce

from . import services

ATTENDED = ("brain", "ya_office", "ya_news", "ya_online")
ABSENT_IN_BRAIN = 2


def _attend(admin: Any, tf: TaskForce, absent: int = 0) -> None:
    from zhuanban.meetings import services as meetings
    from zhuanban.meetings.models import Attendance, Meeting

    now = timezone.now()
    meeting = (Meeting.objects.filter(taskforce=tf, status=Meeting.Status.HELD, starts_at__lte=now,
                                      starts_at__gte=now - dt.timedelta(weeks=4)).order_by("-starts_at").first())
    if meeting is None:
        return
    members = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person")
                   .order_by("id"))
    present = members[:len(members) - absent] if absent else members
    done = set(Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT)
               .values_list("person_id", flat=True))
    entries = [{"person": m.person, "status": Attendance.Status.PRESENT} for m in present if m.person_id not in done]
    if entries:
        meetings.record_attendance(admin, meeting, entries)


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    from zhuanban.reports.models import ReportTemplate

    for key in ATTENDED:
        tf = taskforces.get(key)
        if tf is not None and tf.status not in CLOSED:
            _attend(admin, tf, ABSENT_IN_BRAIN if key == "brain" else 0)
    brain = taskforces.get("brain")
    if brain is not None:
        from .models import ReportRead

        for t in ReportTemplate.objects.filter(taskforce=brain):
            if not ReportRead.objects.filter(template=t, day=timezone.localdate()).exists():
                services.record_read(t.pk)
    services.refresh_snapshot()
