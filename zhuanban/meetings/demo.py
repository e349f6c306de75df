"""Demo data of this app, loaded by ``zhuanban.demo.loader`` once every demo task force and its tasks exist.

Through the services, with dates relative to today:

- ``brain`` (城市大脑): the fixed weekly meeting where each unit reports its projects (Mondays, the
  member units' liaisons); the last one with a decision turned into a task;
- ``fzx`` (城市副中心): monthly dispatch meetings (3rd workday); a resident station in T区 for the member
  units' teams; an on-site verification linked to a task, with a photo;
- ``ya_office`` (亚运 一办): the weekly office meeting (Wednesdays), with ``ya_news``/``ya_online``
  follow-up meetings within 2 workdays;
- a duty roster for the coming two weeks (brain, ya_office), each with one swap request awaiting the office.

Meetings that have already taken place were held: attendance recorded (one absence with its reason and a
substitute) and minutes saved, which marks them held — except the most recent follow-up meeting of
``ya_online``, left unrecorded so the tab shows what an unrecorded past meeting looks like (未记录).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership, TaskForce

from . import schedule, services
from .models import Kind, Meeting, MeetingSeries

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def _open(tf: TaskForce | None) -> bool:
    return tf is not None and tf.status not in CLOSED


def _series(admin: Any, tf: TaskForce, title: str, **kw: Any) -> MeetingSeries:
    found = MeetingSeries.objects.filter(taskforce=tf, title=title).first()
    return found or services.create_series(admin, tf, title=title, **kw)


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    """Idempotent: a second run finds what the first made and adds nothing."""
    today = timezone.localdate()
    start, until = today - dt.timedelta(days=28), today + dt.timedelta(days=35)
    brain, fzx, office = taskforces.get("brain"), taskforces.get("fzx"), taskforces.get("ya_office")
    if _open(brain):
        s = _series(admin, brain, "城市大脑运行专班周例会（各单位汇报项目进展）", kind=Kind.WEEKLY,
                    recurrence=MeetingSeries.Recurrence.WEEKLY, weekday=0, location="区指挥中心三楼会商室",
                    invitees=MeetingSeries.Invitees.LIAISONS)
        services.schedule_series(admin, s, start=start, until=until)
        _hold_past(admin, s, today)
        _decide_last(admin, brain, s, today)
        _roster(admin, brain, today)
        _swap(admin, brain, today)
    if _open(fzx):
        s = _series(admin, fzx, "城市副中心建设月调度会", kind=Kind.MONTHLY_DISPATCH,
                    recurrence=MeetingSeries.Recurrence.MONTHLY, nth_workday=3, time_of_day=dt.time(14, 30),
                    duration_minutes=120, location="T区行政办公区 1 号楼", invitees=MeetingSeries.Invitees.LIAISONS)
        services.schedule_series(admin, s, start=start, until=until + dt.timedelta(days=30))
        _hold_past(admin, s, today)
        _station(admin, fzx)
        _verification(admin, fzx, today)
    if _open(office):
        up = _series(admin, office, "亚运一办周例会", kind=Kind.WEEKLY, recurrence=MeetingSeries.Recurrence.WEEKLY,
                     weekday=2, time_of_day=dt.time(9, 0), location="区亚运办会议室",
                     invitees=MeetingSeries.Invitees.LIAISONS)
        services.schedule_series(admin, up, start=start, until=until)
        _hold_past(admin, up, today)
        _roster(admin, office, today)
        _swap(admin, office, today)
        for key, title in (("ya_news", "新闻宣传专班跟进会"), ("ya_online", "网络宣传专班跟进会")):
            tf = taskforces.get(key)
            if _open(tf):
                low = _series(admin, tf, title, kind=Kind.TOPIC, recurrence=MeetingSeries.Recurrence.NONE,
                              follows=up, follow_within_workdays=2, follow_offset_workdays=1 if key == "ya_news" else 2,
                              time_of_day=dt.time(15, 0), invitees=MeetingSeries.Invitees.ALL)
                services.schedule_series(admin, low, start=start, until=until)
                _hold_past(admin, low, today, leave_last=key == "ya_online")


MINUTES = {
    Kind.WEEKLY: ("一、各成员单位依次汇报本周工作进展，办公室通报红黄灯任务和逾期事项。\n"
                  "二、对进度滞后的事项逐项分析原因，明确责任单位和完成时限。\n"
                  "三、下周重点：{focus}。"),
    Kind.MONTHLY_DISPATCH: ("一、听取各工作组本月建设进度汇报，通报月度考核情况。\n"
                            "二、协调解决跨部门问题 {n} 项，现场明确牵头单位。\n"
                            "三、下月重点：{focus}。"),
    Kind.TOPIC: ("一、传达上级会议精神，逐条对照本专班任务分工。\n"
                 "二、研究落实措施，明确宣传口径和发布节奏。\n"
                 "三、近期重点：{focus}。"),
}
FOCUS = ("推进智慧社区数据接口联调", "完成重点项目节点核查", "做好节假日期间值守和舆情监测",
         "督促逾期任务整改销号", "梳理下阶段任务清单")


def _hold_past(admin: Any, series: MeetingSeries, today: dt.date, *, leave_last: bool = False) -> None:
    """Every meeting of ``series`` before today that is still scheduled gets its attendance (the last
    invitee absent with a reason, covered by the first) and minutes — which mark it held."""
    past = list(Meeting.objects.filter(series=series, starts_at__date__lt=today, status=Meeting.Status.SCHEDULED)
                .order_by("starts_at"))
    if leave_last and past:
        past = past[:-1]
    for i, m in enumerate(past):
        rows = list(m.attendances.select_related("person").order_by("id"))
        entries: list[dict[str, Any]] = [{"person": a.person, "status": "present"} for a in rows]
        if len(entries) > 2:
            entries[-1] = {"person": rows[-1].person, "status": "absent", "reason": ("外出调研", "参加市里会议",
                                                                                       "病假")[i % 3],
                           "substitute": rows[0].person if rows[0].person_id != rows[-1].person_id else None}
        if entries:
            services.record_attendance(admin, m, entries)
        text = MINUTES.get(m.kind, MINUTES[Kind.WEEKLY]).format(focus=FOCUS[(m.pk + i) % len(FOCUS)], n=2 + i % 3)
        services.save_minutes(admin, m, version=m.version, minutes=text)


def _decide_last(admin: Any, tf: TaskForce, series: MeetingSeries, today: dt.date) -> None:
    last = Meeting.objects.filter(series=series, starts_at__date__lt=today).order_by("-starts_at").first()
    if last is None or last.decisions.exists():
        return
    lead = tf.member_units.filter(left_on__isnull=True).select_related("unit").first()
    liaison = Membership.objects.filter(taskforce=tf, end_on__isnull=True, role=Membership.Role.LIAISON).select_related(
        "person").first()
    d = services.add_decision(admin, last, text="两周内完成智慧社区数据接口联调",
                              lead_unit=lead.unit if lead else None, responsible=liaison.person if liaison else None,
                              due_on=schedule.follow_up_date(today, 10))
    services.decision_to_task(admin, d)


def _roster(admin: Any, tf: TaskForce, today: dt.date) -> None:
    if tf.duty_shifts.filter(date__gte=today).exists():
        return
    people = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).exclude(
        role=Membership.Role.EXTERNAL).order_by("id").values_list("person", flat=True)[:6])
    if not people:
        return
    from zhuanban.org.models import Person

    persons = {p.pk: p for p in Person.objects.filter(pk__in=people)}
    for i in range(14):
        day = today + dt.timedelta(days=i)
        services.add_shift(admin, tf, date=day, person=persons[people[i % len(people)]],
                           note="节假日值守" if not schedule.Calendar(day, day).is_workday(day) else "")


def _swap(admin: Any, tf: TaskForce, today: dt.date) -> None:
    from .models import DutySwap

    if DutySwap.objects.filter(shift__taskforce=tf).exists():
        return
    shifts = list(tf.duty_shifts.filter(date__gt=today).select_related("person").order_by("date", "id")[:6])
    if len(shifts) < 4:
        return
    shift, other = shifts[3], next((s for s in shifts if s.person_id != shifts[3].person_id), None)
    if other is not None:
        services.request_swap(admin, shift, to_person=other.person, reason="当天参加市里专题培训，申请与同事对调")


def _station(admin: Any, tf: TaskForce) -> None:
    if tf.stations.exists():
        return
    units = [mu.unit for mu in tf.member_units.filter(left_on__isnull=True).select_related("unit")]
    services.add_station(admin, tf, place="T区副中心行政办公区驻点（各部门工作组集中办公）", units=units,
                         from_on=max(tf.established_on, tf.established_on + dt.timedelta(days=20)),
                         note="进驻不旁观、指导不越权、服务要到位、考评听基层")


def _verification(admin: Any, tf: TaskForce, today: dt.date) -> None:
    if tf.verifications.exists():
        return
    task = tf.tasks.order_by("id").first()
    verifier = Membership.objects.filter(taskforce=tf, end_on__isnull=True, role__in=Membership.OFFICE_ROLES
                                         ).select_related("person").first() or Membership.objects.filter(
        taskforce=tf, end_on__isnull=True).select_related("person").first()
    if verifier is None:
        return
    services.record_verification(
        admin, tf, verifier=verifier.person, at=timezone.now() - dt.timedelta(days=2), place="T区某河道治理段",
        findings="现场查看河道清淤和岸线整治，已完成约七成，与报送进度相符。",
        tasks=[task] if task else [], uploads=[SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")])
