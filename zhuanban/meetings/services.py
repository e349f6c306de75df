"""Use cases of meetings, duty and on-site work: the only code that changes this app's rows.

Each function checks the actor's permission (``access``: managers of the task force), applies the rule
(dates in ``schedule``; here: who is invited, what a swap or a decision may do), writes the audit event
and runs in one transaction.  Minutes are saved with ``save_versioned``: the later of two editors gets
409 and the earlier one's text is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership, TaskForce

from . import schedule
from .models import (
    Attendance,
    Decision,
    DutyShift,
    DutySwap,
    Kind,
    Meeting,
    MeetingSeries,
    Station,
    Verification,
)

audit.ACTION_LABELS.update({
    "meeting.series_create": "新建会议系列", "meeting.series_update": "修改会议系列",
    "meeting.schedule": "生成会议日程", "meeting.create": "安排会议", "meeting.update": "修改会议",
    "meeting.cancel": "取消会议", "meeting.attendance": "登记出席情况", "meeting.minutes": "编辑会议纪要",
    "meeting.decision_add": "新增议定事项", "meeting.decision_to_task": "议定事项转为任务",
    "meeting.dispatch_tasks": "会议新任务清单一并派发",
    "duty.shift_add": "安排值班", "duty.shift_remove": "删除值班", "duty.swap_request": "申请换班",
    "duty.swap_approve": "同意换班", "duty.swap_reject": "驳回换班",
    "station.add": "新增驻点", "verification.add": "登记现场核验",
})

SERIES_FIELDS = ("kind", "title", "recurrence", "weekday", "nth_workday", "time_of_day", "duration_minutes",
                 "location", "invitees", "follows", "follow_within_workdays", "follow_offset_workdays", "active")
MEETING_FIELDS = ("title", "kind", "starts_at", "ends_at", "location", "upper")


def _snap(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """``audit.snapshot`` with times of day as text (the audit JSON knows dates, not times)."""
    return {k: v.isoformat() if isinstance(v, dt.time) else v for k, v in audit.snapshot(obj, fields).items()}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _manage(actor: Any, tf: TaskForce) -> None:
    tf_access.require_manage(actor, tf)
    if tf.status in tf_access.CLOSED:
        raise Conflict("taskforce_closed", "专班已解散或并入，不能再安排会商、值班和现场工作")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _members(tf: TaskForce) -> dict[int, int]:
    """person id → dispatching unit id of the task force's active members."""
    return dict(Membership.objects.filter(taskforce=tf, end_on__isnull=True)
                .values_list("person_id", "dispatching_unit_id"))


def invitees_of(tf: TaskForce, scope: str, named: Iterable[Person] = ()) -> list[tuple[int, int | None]]:
    """(person id, unit id) of who a meeting invites: all active members; the member units' liaisons with
    the leaders and the office (who chair and minute it); or the named people."""
    ms = Membership.objects.filter(taskforce=tf, end_on__isnull=True)
    if scope == MeetingSeries.Invitees.LIAISONS:
        ms = ms.filter(role__in={Membership.Role.LIAISON, *Membership.LEADER_ROLES, Membership.Role.OFFICE_DIRECTOR})
    elif scope == MeetingSeries.Invitees.NAMED:
        units = _members(tf)
        return [(p.pk, units.get(p.pk, p.home_unit_id)) for p in named]
    return list(ms.order_by("id").values_list("person_id", "dispatching_unit_id"))


def _invite(meeting: Meeting, people: list[tuple[int, int | None]]) -> None:
    seen = set(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person_id=pid, unit_id=uid)
                                    for pid, uid in dict(people).items() if pid not in seen])


# ---- series ---------------------------------------------------------------------------------------


def _check_follows(tf: TaskForce, follows: MeetingSeries | None, actor: Any) -> None:
    if follows is None:
        return
    if follows.taskforce_id != tf.pk and not tf_access.get_access(actor, follows.taskforce).view:
        raise Invalid("invalid_reference", "引用的对象不存在或无权查看", {"follows": "不存在或无权查看"})


@transaction.atomic
def create_series(actor: Any, tf: TaskForce, *, title: str, invited_people: Iterable[Person] = (),
                  **data: Any) -> MeetingSeries:
    _manage(actor, tf)
    if not (title or "").strip():
        raise Invalid("title_required", "请填写会议名称", {"title": "必填"})
    unknown = set(data) - set(SERIES_FIELDS)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    series = MeetingSeries(taskforce=tf, title=title.strip(), created_by=_user(actor), **data)
    schedule.check_series({f: getattr(series, f) for f in SERIES_FIELDS})
    _check_follows(tf, series.follows, actor)
    series.save()
    series.invited_people.set(list(invited_people))
    audit.record(actor, "meeting.series_create", series, after=_snap(series, SERIES_FIELDS),
                 taskforce_id=tf.pk)
    return series


@transaction.atomic
def update_series(actor: Any, series: MeetingSeries, *, version: int, invited_people: Iterable[Person] | None = None,
                  **changes: Any) -> MeetingSeries:
    _manage(actor, series.taskforce)
    unknown = set(changes) - set(SERIES_FIELDS)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    before = _snap(series, changes)
    for name, value in changes.items():
        setattr(series, name, value)
    schedule.check_series({f: getattr(series, f) for f in SERIES_FIELDS})
    if "follows" in changes:
        if series.follows_id == series.pk:
            raise Invalid("follows_self", "会议系列不能跟进自身", {"follows": "不能选择自身"})
        _check_follows(series.taskforce, series.follows, actor)
    save_versioned(series, version, [MeetingSeries._meta.get_field(n).attname for n in changes])
    if invited_people is not None:
        series.invited_people.set(list(invited_people))
    audit.record(actor, "meeting.series_update", series, before=before, after=_snap(series, changes),
                 taskforce_id=series.taskforce_id)
    return series


@transaction.atomic
def schedule_series(actor: Any, series: MeetingSeries, *, until: dt.date,
                    start: dt.date | None = None) -> list[Meeting]:
    """Create the series' meetings from ``start`` (default today) up to ``until``; idempotent.

    A follow-up series gets one meeting per upper meeting in the range (placed by ``schedule``)."""
    tf = series.taskforce
    _manage(actor, tf)
    start = start or timezone.localdate()
    if until < start:
        raise Invalid("invalid_range", "截止日期不能早于开始日期", {"until": "不能早于开始日期"})
    if (until - start).days > schedule.MAX_SPAN_DAYS:
        raise Invalid("range_too_long", f"一次最多生成 {schedule.MAX_SPAN_DAYS} 天的日程",
                      {"until": f"距开始日期不超过 {schedule.MAX_SPAN_DAYS} 天"})
    if not series.active:
        raise Conflict("series_inactive", "该会议系列已停用")
    length = dt.timedelta(minutes=series.duration_minutes)
    plan: list[tuple[dt.datetime, Meeting | None]] = []
    if series.follows_id:
        uppers = Meeting.objects.filter(series_id=series.follows_id, starts_at__date__gte=start,
                                        starts_at__date__lte=until).exclude(status=Meeting.Status.CANCELLED)
        done = set(Meeting.objects.filter(series=series, upper__in=uppers).values_list("upper_id", flat=True))
        for up in uppers:
            if up.pk in done:
                continue
            day = schedule.follow_up_date(timezone.localtime(up.starts_at).date(), series.follow_offset_workdays)
            plan.append((schedule.at(day, series.time_of_day), up))
    else:
        for day in schedule.occurrence_days(series, start, until):
            plan.append((schedule.at(day, series.time_of_day), None))
    existing = set(Meeting.objects.filter(series=series, starts_at__in=[s for s, _ in plan])
                   .values_list("starts_at", flat=True))
    people = invitees_of(tf, series.invitees, series.invited_people.all())
    created: list[Meeting] = []
    for starts, up in plan:
        if starts in existing:
            continue
        schedule.check_follow_up(starts, up, series.follow_within_workdays)
        m = Meeting.objects.create(taskforce=tf, series=series, kind=series.kind, title=series.title,
                                   starts_at=starts, ends_at=starts + length, location=series.location,
                                   upper=up, created_by=_user(actor))
        _invite(m, people)
        created.append(m)
    if created:  # a repeated call that adds nothing leaves no trace either (idempotent)
        audit.record(actor, "meeting.schedule", series, taskforce_id=tf.pk,
                     after={"from": start.isoformat(), "until": until.isoformat(), "created": len(created)})
    return created


# ---- meetings -------------------------------------------------------------------------------------


def _check_meeting(m: Meeting, within: int | None) -> None:
    errors: dict[str, str] = {}
    if not (m.title or "").strip():
        errors["title"] = "必填"
    if m.kind not in Kind.values:
        errors["kind"] = "会议类型无效"
    if m.starts_at is None:
        errors["starts_at"] = "必填"
    elif m.ends_at is not None and m.ends_at < m.starts_at:
        errors["ends_at"] = "结束时间不能早于开始时间"
    if errors:
        raise Invalid("invalid_meeting", "会议信息有误", errors)
    if m.upper is not None:
        if m.upper.pk == m.pk:
            raise Invalid("upper_self", "会议不能以自身为上级会议", {"upper": "不能选择自身"})
        schedule.check_follow_up(m.starts_at, m.upper, within)


@transaction.atomic
def create_meeting(actor: Any, tf: TaskForce, *, title: str, starts_at: dt.datetime, kind: str = Kind.TOPIC,
                   ends_at: dt.datetime | None = None, location: str = "", upper: Meeting | None = None,
                   series: MeetingSeries | None = None, invitees: str = MeetingSeries.Invitees.ALL,
                   invited_people: Iterable[Person] = ()) -> Meeting:
    _manage(actor, tf)
    if upper is not None and not tf_access.get_access(actor, upper.taskforce).view:
        raise Invalid("invalid_reference", "引用的对象不存在或无权查看", {"upper": "不存在或无权查看"})
    starts_at = _aware(starts_at) if starts_at else starts_at
    m = Meeting(taskforce=tf, series=series, kind=kind, title=(title or "").strip(), starts_at=starts_at,
                ends_at=_aware(ends_at) if ends_at else (starts_at + dt.timedelta(minutes=90) if starts_at else None),
                location=location or "", upper=upper, created_by=_user(actor))
    if invitees not in MeetingSeries.Invitees.values:
        raise Invalid("invalid_invitees", "参会范围无效", {"invitees": "请选择参会范围"})
    _check_meeting(m, series.follow_within_workdays if series else None)
    m.save()
    _invite(m, invitees_of(tf, invitees, invited_people))
    audit.record(actor, "meeting.create", m, after=_snap(m, MEETING_FIELDS), taskforce_id=tf.pk)
    return m


@transaction.atomic
def update_meeting(actor: Any, meeting: Meeting, *, version: int, **changes: Any) -> Meeting:
    _manage(actor, meeting.taskforce)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("meeting_cancelled", "会议已取消，不能修改")
    before = _snap(meeting, changes)
    for name, value in changes.items():
        if name in ("starts_at", "ends_at") and value is not None:
            value = _aware(value)
        setattr(meeting, name, value)
    _check_meeting(meeting, meeting.series.follow_within_workdays if meeting.series_id else None)
    save_versioned(meeting, version, [Meeting._meta.get_field(n).attname for n in changes])
    audit.record(actor, "meeting.update", meeting, before=before, after=_snap(meeting, changes),
                 taskforce_id=meeting.taskforce_id)
    return meeting


@transaction.atomic
def cancel_meeting(actor: Any, meeting: Meeting, *, version: int | None = None, reason: str = "") -> Meeting:
    _manage(actor, meeting.taskforce)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise Conflict("not_scheduled", "只有待召开的会议可以取消")
    meeting.status = Meeting.Status.CANCELLED
    save_versioned(meeting, version, ["status"])
    audit.record(actor, "meeting.cancel", meeting, before={"status": "scheduled"}, after={"status": "cancelled"},
                 note=reason, taskforce_id=meeting.taskforce_id)
    return meeting


@transaction.atomic
def record_attendance(actor: Any, meeting: Meeting, entries: Iterable[dict[str, Any]]) -> list[Attendance]:
    """Each entry: ``person`` (Person), ``status`` (invited/present/absent), ``reason`` (required when
    absent), ``substitute`` (Person, optional).  A person not yet invited is added."""
    _manage(actor, meeting.taskforce)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("meeting_cancelled", "会议已取消，不能登记出席")
    rows = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    units = _members(meeting.taskforce)
    errors: dict[str, str] = {}
    changed: list[Attendance] = []
    for i, e in enumerate(entries):
        person: Person = e["person"]
        status = e.get("status") or Attendance.Status.PRESENT
        reason = (e.get("reason") or "").strip()
        sub: Person | None = e.get("substitute")
        if status not in Attendance.Status.values:
            errors[f"entries.{i}.status"] = "出席情况无效"
            continue
        if status == Attendance.Status.ABSENT and not reason:
            errors[f"entries.{i}.reason"] = "缺席须说明理由"
            continue
        if sub is not None and sub.pk == person.pk:
            errors[f"entries.{i}.substitute"] = "代为参会人不能是本人"
            continue
        row = rows.get(person.pk) or Attendance(meeting=meeting, person=person,
                                                unit_id=units.get(person.pk, person.home_unit_id))
        row.status, row.reason, row.substitute = status, reason if status == Attendance.Status.ABSENT else "", sub
        changed.append(row)
    if errors:
        raise Invalid("invalid_attendance", "出席登记有误", errors)
    if not changed:
        return []
    for row in changed:
        row.save()
    audit.record(actor, "meeting.attendance", meeting, taskforce_id=meeting.taskforce_id, after={
        "entries": [{"person": r.person_id, "status": r.status, "substitute": r.substitute_id} for r in changed]})
    return changed


@transaction.atomic
def save_minutes(actor: Any, meeting: Meeting, *, version: int, minutes: str) -> Meeting:
    """Write the minutes (the later of two concurrent editors gets 409, nothing lost); a meeting whose
    minutes are written has been held."""
    _manage(actor, meeting.taskforce)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("meeting_cancelled", "会议已取消，不能编写纪要")
    if version is None:
        raise Invalid("version_required", "请提供版本号", {"version": "必填"})
    before = {"minutes_chars": len(meeting.minutes), "status": meeting.status}
    meeting.minutes = minutes or ""
    fields = ["minutes"]
    if meeting.status == Meeting.Status.SCHEDULED and meeting.minutes.strip():
        meeting.status = Meeting.Status.HELD
        fields.append("status")
    save_versioned(meeting, version, fields)
    audit.record(actor, "meeting.minutes", meeting, before=before,
                 after={"minutes_chars": len(meeting.minutes), "status": meeting.status},
                 taskforce_id=meeting.taskforce_id)
    return meeting


@transaction.atomic
def add_decision(actor: Any, meeting: Meeting, *, text: str, lead_unit: Unit | None = None,
                 responsible: Person | None = None, due_on: dt.date | None = None) -> Decision:
    _manage(actor, meeting.taskforce)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("meeting_cancelled", "会议已取消，不能新增议定事项")
    if not (text or "").strip():
        raise Invalid("text_required", "请填写议定事项", {"text": "必填"})
    d = Decision.objects.create(meeting=meeting, text=text.strip(), lead_unit=lead_unit, responsible=responsible,
                                due_on=due_on)
    audit.record(actor, "meeting.decision_add", meeting, taskforce_id=meeting.taskforce_id,
                 after={"decision": d.pk, "text": d.text[:200], "lead_unit": lead_unit.pk if lead_unit else None,
                        "responsible": responsible.pk if responsible else None,
                        "due_on": due_on.isoformat() if due_on else None})
    return d


def source_note(meeting: Meeting) -> str:
    return f"{meeting.title}（{timezone.localtime(meeting.starts_at):%Y-%m-%d}）"[:200]


@transaction.atomic
def decision_to_task(actor: Any, decision: Decision) -> Any:
    """The decision becomes a task of the meeting's task force in one step (source: 会议决定)."""
    from zhuanban.tasks import services as task_services
    from zhuanban.tasks.models import Task

    meeting = decision.meeting
    _manage(actor, meeting.taskforce)
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.task_id is not None:
        raise Conflict("already_converted", "该议定事项已转为任务", extra={"task": locked.task_id})
    task = task_services.create_task(
        actor, meeting.taskforce, title=decision.text.splitlines()[0][:200], description=decision.text,
        lead_unit=decision.lead_unit, responsible=decision.responsible, due_at=decision.due_on,
        source=Task.Source.MEETING, source_note=source_note(meeting))
    decision.task = task
    decision.save(update_fields=["task"])
    audit.record(actor, "meeting.decision_to_task", meeting, taskforce_id=meeting.taskforce_id,
                 after={"decision": decision.pk, "task": task.pk})
    return task


def new_tasks(meeting: Meeting) -> Any:
    """The meeting's new task list (新任务清单): the tasks its decisions became."""
    from zhuanban.tasks.models import Task

    return Task.objects.filter(meeting_decision__meeting=meeting).select_related(
        "lead_unit", "responsible").order_by("id")


@transaction.atomic
def dispatch_meeting_tasks(actor: Any, meeting: Meeting) -> dict[str, list[Any]]:
    """Dispatch every task of the new task list not yet dispatched: to its responsible person, else to its
    lead unit; a task with neither is left (and named in ``skipped``)."""
    from zhuanban.tasks import services as task_services
    from zhuanban.tasks.models import Task

    _manage(actor, meeting.taskforce)
    sent: list[Any] = []
    skipped: list[Any] = []
    for task in new_tasks(meeting).filter(status=Task.Status.DRAFT):
        if task.responsible_id is None and task.lead_unit_id is None:
            skipped.append(task)
            continue
        task_services.dispatch(actor, task, to_person=task.responsible,
                               to_unit=task.lead_unit if task.responsible_id is None else None,
                               note=f"依据{source_note(meeting)}")
        sent.append(task)
    audit.record(actor, "meeting.dispatch_tasks", meeting, taskforce_id=meeting.taskforce_id,
                 after={"dispatched": [t.pk for t in sent], "skipped": [t.pk for t in skipped]})
    return {"dispatched": sent, "skipped": skipped}


# ---- duty roster ----------------------------------------------------------------------------------


def _require_member(tf: TaskForce, person: Person | None, field: str) -> None:
    if person is None or not Membership.objects.filter(taskforce=tf, person=person, end_on__isnull=True).exists():
        raise Invalid("not_a_member", "须为本专班在岗成员", {field: "须为本专班在岗成员"})


@transaction.atomic
def add_shift(actor: Any, tf: TaskForce, *, date: dt.date, person: Person, start_time: dt.time | None = None,
              end_time: dt.time | None = None, note: str = "") -> DutyShift:
    _manage(actor, tf)
    _require_member(tf, person, "person")
    start_time = start_time or dt.time(8, 30)
    end_time = end_time or dt.time(17, 30)
    if end_time <= start_time and end_time != dt.time(0, 0):
        raise Invalid("invalid_shift", "结束时间须晚于开始时间（跨夜值班结束填 00:00）", {"end_time": "须晚于开始时间"})
    shift = DutyShift.objects.create(taskforce=tf, date=date, person=person, start_time=start_time,
                                     end_time=end_time, note=note or "")
    audit.record(actor, "duty.shift_add", shift, taskforce_id=tf.pk,
                 after={"date": date.isoformat(), "person": person.pk})
    return shift


@transaction.atomic
def request_swap(actor: Any, shift: DutyShift, *, to_person: Person, reason: str = "") -> DutySwap:
    tf = shift.taskforce
    acc = tf_access.get_access(actor, tf)
    me = tf_access.person_of(actor)
    if not acc.view:
        raise NotFound()
    if not (acc.manage or (me is not None and me.pk == shift.person_id)):
        raise Forbidden("只有值班本人或专班办公室可以申请换班")
    if shift.date < timezone.localdate():
        raise Conflict("shift_past", "已过去的值班不能换班")
    if to_person.pk == shift.person_id:
        raise Invalid("same_person", "替班人不能是原值班人", {"to_person": "请选择其他人"})
    _require_member(tf, to_person, "to_person")
    if DutySwap.objects.filter(shift=shift, status=DutySwap.Status.PENDING).exists():
        raise Conflict("swap_pending", "该班次已有待审批的换班申请")
    swap = DutySwap.objects.create(shift=shift, from_person_id=shift.person_id, to_person=to_person,
                                   reason=reason or "", requested_by=_user(actor))
    audit.record(actor, "duty.swap_request", swap, taskforce_id=tf.pk,
                 after={"shift": shift.pk, "from": shift.person_id, "to": to_person.pk})
    return swap


def _decide(actor: Any, swap: DutySwap, status: str, note: str) -> DutySwap:
    tf = swap.shift.taskforce
    tf_access.require_manage(actor, tf)
    locked = DutySwap.objects.select_for_update().get(pk=swap.pk)
    if locked.status != DutySwap.Status.PENDING:
        raise Conflict("swap_decided", "该换班申请已审批")
    swap.status, swap.decided_by, swap.decided_at = status, _user(actor), timezone.now()
    swap.decision_note = note or ""
    swap.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if status == DutySwap.Status.APPROVED:
        shift = swap.shift
        if shift.person_id != swap.from_person_id:
            raise Conflict("shift_changed", "该班次的值班人已变更，请重新申请")
        shift.person_id = swap.to_person_id
        shift.save(update_fields=["person"])
    audit.record(actor, f"duty.swap_{'approve' if status == DutySwap.Status.APPROVED else 'reject'}", swap,
                 taskforce_id=tf.pk, note=note or "",
                 after={"shift": swap.shift_id, "from": swap.from_person_id, "to": swap.to_person_id})
    return swap


@transaction.atomic
def approve_swap(actor: Any, swap: DutySwap, *, note: str = "") -> DutySwap:
    return _decide(actor, swap, DutySwap.Status.APPROVED, note)


@transaction.atomic
def reject_swap(actor: Any, swap: DutySwap, *, note: str = "") -> DutySwap:
    return _decide(actor, swap, DutySwap.Status.REJECTED, note)


# ---- stations and verifications -------------------------------------------------------------------


@transaction.atomic
def add_station(actor: Any, tf: TaskForce, *, place: str, from_on: dt.date, units: Iterable[Unit] = (),
                to_on: dt.date | None = None, note: str = "") -> Station:
    _manage(actor, tf)
    if not (place or "").strip():
        raise Invalid("place_required", "请填写驻点地点", {"place": "必填"})
    if to_on is not None and to_on < from_on:
        raise Invalid("invalid_range", "撤离日期不能早于进驻日期", {"to_on": "不能早于进驻日期"})
    units = list(units)
    members = set(tf.member_units.filter(left_on__isnull=True).values_list("unit_id", flat=True))
    if any(u.pk not in members for u in units):
        raise Invalid("not_a_member_unit", "进驻单位须为本专班成员单位", {"units": "须为本专班成员单位"})
    st = Station.objects.create(taskforce=tf, place=place.strip(), from_on=from_on, to_on=to_on, note=note or "")
    st.units.set(units)
    audit.record(actor, "station.add", st, taskforce_id=tf.pk,
                 after={"place": st.place, "units": [u.pk for u in units], "from_on": from_on.isoformat(),
                        "to_on": to_on.isoformat() if to_on else None})
    return st


@transaction.atomic
def record_verification(actor: Any, tf: TaskForce, *, verifier: Person, at: dt.datetime, place: str,
                        findings: str, tasks: Iterable[Any] = (), photos: Iterable[Any] = (),
                        uploads: Iterable[Any] = ()) -> Verification:
    """A site verification; ``photos`` are attachments of the task force already stored, ``uploads`` new
    files stored through the files app (type checked by content)."""
    from zhuanban.files import services as file_services

    _manage(actor, tf)
    errors: dict[str, str] = {}
    if not (place or "").strip():
        errors["place"] = "必填"
    if not (findings or "").strip():
        errors["findings"] = "必填"
    tasks, photos = list(tasks), list(photos)
    if any(t.taskforce_id != tf.pk for t in tasks):
        errors["tasks"] = "须为本专班的任务"
    if any(p.taskforce_id != tf.pk for p in photos):
        errors["photos"] = "须为本专班的附件"
    if errors:
        raise Invalid("invalid_verification", "现场核验记录有误", errors)
    _require_member(tf, verifier, "verifier")
    for up in uploads:
        photos.append(file_services.upload_attachment(actor, tf, up))
    v = Verification.objects.create(taskforce=tf, verifier=verifier, at=_aware(at), place=place.strip(),
                                    findings=findings.strip(), created_by=_user(actor))
    v.tasks.set(tasks)
    v.photos.set(photos)
    audit.record(actor, "verification.add", v, taskforce_id=tf.pk,
                 after={"place": v.place, "tasks": [t.pk for t in tasks], "photos": [p.pk for p in photos]})
    return v
