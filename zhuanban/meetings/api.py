"""Meeting, duty and on-site endpoints of /api/v1.

Objects are looked up through ``access`` (unknown and invisible are the same 404), writes go through
``services``, ids in a body are resolved among what the caller may see (a miss is a 422 naming the
field).  Paths avoid the task-force router's catch-all ``POST /taskforces/{id}/{action}``: the roster
is ``/duty-shifts?taskforce=``, stations ``/stations?taskforce=``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Path as PathParam
from ninja import Query, Router, Status

from zhuanban.core.errors import NotFound
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageParams, page, raise_if, resolve
from zhuanban.org.models import Person
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership

from . import access, agenda, exports, feed, queries, services
from .models import Attendance, Decision, DutyShift, DutySwap, Meeting, MeetingSeries, Station, Verification
from .schemas import (
    AttendanceIn,
    AttendanceList,
    DecisionIn,
    DecisionOut,
    DispatchAllOut,
    MeetingDetail,
    MeetingFilters,
    MeetingIn,
    MeetingPage,
    MeetingPatch,
    MinutesIn,
    MinutesOut,
    ScheduleIn,
    ScheduleOut,
    SeriesIn,
    SeriesOut,
    SeriesPatch,
    ShiftFilters,
    ShiftIn,
    ShiftOut,
    StationIn,
    StationOut,
    SwapDecisionIn,
    SwapIn,
    SwapOut,
    VerificationIn,
    VerificationOut,
    attendance_out,
    decision_out,
    meeting_row,
    new_task_out,
    series_out,
    station_out,
    swap_out,
    verification_out,
)

router = Router(tags=["meetings"])


def _people(user: Any) -> Any:
    return tf_access.visible_people(user)


def _units(user: Any) -> Any:
    return tf_access.visible_units(user)


# Rows of people shown by name only: their encrypted personal fields are not loaded (nor decrypted).
_PERSON_SECRETS = ("phone", "id_card_no")


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("person", "unit", "substitute").defer(
        *(f"{who}__{f}" for who in ("person", "substitute") for f in _PERSON_SECRETS)).order_by("id"))


def meeting_rate(rows: list[Attendance]) -> float | None:
    if not rows or all(a.status == Attendance.Status.INVITED for a in rows):
        return None
    ok = sum(1 for a in rows if a.status == Attendance.Status.PRESENT or a.substitute_id)
    return round(ok / len(rows), 4)


def decisions_of(meeting: Meeting) -> list[Decision]:
    return list(meeting.decisions.select_related("lead_unit", "responsible").defer(
        *(f"responsible__{f}" for f in _PERSON_SECRETS)).order_by("id"))


def detail(user: Any, meeting: Meeting, acc: Any = None) -> dict[str, Any]:
    rows = attendance_rows(meeting)
    day = timezone.localtime(meeting.starts_at).date()
    return {**meeting_row(meeting), "minutes": meeting.minutes,
            "agenda": agenda.summary(agenda.build(user, meeting.taskforce, day, acc=acc)),
            "attendance": [attendance_out(a) for a in rows], "attendance_rate": meeting_rate(rows),
            "decisions": [decision_out(d) for d in decisions_of(meeting)],
            "new_tasks": [new_task_out(t) for t in services.new_tasks(meeting)]}


def _managed_meeting(user: Any, meeting_id: int) -> Meeting:
    meeting, acc = access.get_visible_meeting(user, meeting_id)
    access.require_manage(acc)
    return meeting


# ---- meetings -------------------------------------------------------------------------------------


@router.get("/meetings", response={200: MeetingPage, **READ_ERRORS}, summary="会议列表（按专班、日期、类型筛选）")
def list_meetings(request: HttpRequest, filters: Query[MeetingFilters], paging: Query[PageParams]):
    qs = queries.meeting_list(request.auth, filters.dict(exclude_none=True)).order_by("starts_at", "id")
    count, rows = page(qs, paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": [meeting_row(m) for m in rows]}


@router.post("/meetings", response={201: MeetingDetail, **WRITE_ERRORS}, summary="安排会议")
def create_meeting(request: HttpRequest, payload: MeetingIn):
    user = request.auth
    acc = access.full_access(user, payload.taskforce)
    access.require_manage(acc)
    errors: dict[str, str] = {}
    upper = resolve(access.visible_meetings(user), payload.upper, "upper", errors)
    people = list(_people(user).filter(pk__in=payload.invited_people))
    if len(people) != len(set(payload.invited_people)):
        errors["invited_people"] = "不存在或无权查看"
    raise_if(errors)
    m = services.create_meeting(user, acc.taskforce, title=payload.title, kind=payload.kind,
                                starts_at=payload.starts_at, ends_at=payload.ends_at, location=payload.location,
                                upper=upper, invitees=payload.invitees, invited_people=people)
    return Status(201, detail(user, Meeting.objects.select_related("taskforce").get(pk=m.pk)))


@router.get("/meetings/{meeting_id}", response={200: MeetingDetail, **READ_ERRORS},
            summary="会议详情（议程摘要、出席、议定事项、新任务清单）")
def get_meeting(request: HttpRequest, meeting_id: int):
    meeting, acc = access.get_visible_meeting(request.auth, meeting_id)
    return detail(request.auth, meeting, acc)


@router.patch("/meetings/{meeting_id}", response={200: MeetingDetail, **WRITE_ERRORS},
              summary="修改或取消会议（须带 version）")
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch):
    user = request.auth
    meeting = _managed_meeting(user, meeting_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if changes.pop("cancel", False):
        services.cancel_meeting(user, meeting, version=version)
    else:
        if "upper" in changes:
            errors: dict[str, str] = {}
            changes["upper"] = resolve(access.visible_meetings(user), changes["upper"], "upper", errors)
            raise_if(errors)
        services.update_meeting(user, meeting, version=version, **changes)
    return detail(user, access.get_visible_meeting(user, meeting_id)[0])


@router.get("/meetings/{meeting_id}/attendance", response={200: AttendanceList, **READ_ERRORS}, summary="出席情况")
def get_attendance(request: HttpRequest, meeting_id: int):
    meeting, _ = access.get_visible_meeting(request.auth, meeting_id)
    rows = attendance_rows(meeting)
    return {"items": [attendance_out(a) for a in rows], "rate": meeting_rate(rows)}


@router.post("/meetings/{meeting_id}/attendance", response={200: AttendanceList, **WRITE_ERRORS},
             summary="登记出席（出席 / 缺席须说明理由 / 代为参会）")
def post_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn):
    user = request.auth
    meeting = _managed_meeting(user, meeting_id)
    errors: dict[str, str] = {}
    people = {p.pk: p for p in _people(user).filter(
        pk__in=[e.person for e in payload.entries] + [e.substitute for e in payload.entries if e.substitute])}
    entries = []
    for i, e in enumerate(payload.entries):
        if e.person not in people:
            errors[f"entries.{i}.person"] = "不存在或无权查看"
        if e.substitute is not None and e.substitute not in people:
            errors[f"entries.{i}.substitute"] = "不存在或无权查看"
        entries.append({"person": people.get(e.person), "status": e.status, "reason": e.reason,
                        "substitute": people.get(e.substitute) if e.substitute else None})
    raise_if(errors)
    services.record_attendance(user, meeting, entries)
    rows = attendance_rows(meeting)
    return {"items": [attendance_out(a) for a in rows], "rate": meeting_rate(rows)}


@router.get("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **READ_ERRORS}, summary="会议纪要")
def get_minutes(request: HttpRequest, meeting_id: int):
    m, _ = access.get_visible_meeting(request.auth, meeting_id)
    return {"minutes": m.minutes, "version": m.version, "status": m.status}


@router.put("/meetings/{meeting_id}/minutes", response={200: MinutesOut, **WRITE_ERRORS},
            summary="保存会议纪要（须带 version；他人已保存时 409，您的修改未保存）")
def put_minutes(request: HttpRequest, meeting_id: int, payload: MinutesIn):
    m = _managed_meeting(request.auth, meeting_id)
    services.save_minutes(request.auth, m, version=payload.version, minutes=payload.minutes)
    return {"minutes": m.minutes, "version": m.version, "status": m.status}


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut, **WRITE_ERRORS}, summary="新增议定事项")
def add_decision(request: HttpRequest, meeting_id: int, payload: DecisionIn):
    user = request.auth
    m = _managed_meeting(user, meeting_id)
    errors: dict[str, str] = {}
    unit = resolve(_units(user), payload.lead_unit, "lead_unit", errors)
    person = resolve(_people(user), payload.responsible, "responsible", errors)
    raise_if(errors)
    d = services.add_decision(user, m, text=payload.text, lead_unit=unit, responsible=person, due_on=payload.due_on)
    return Status(201, decision_out(d))


@router.post("/meetings/{meeting_id}/decisions/{decision_id}/to-task", response={201: DecisionOut, **WRITE_ERRORS},
             summary="议定事项一键转为任务（来源：会议决定）")
def decision_to_task(request: HttpRequest, meeting_id: int, decision_id: int):
    user = request.auth
    m = _managed_meeting(user, meeting_id)
    d = Decision.objects.filter(meeting=m, pk=decision_id).select_related("meeting__taskforce").first()
    if d is None:
        raise NotFound()
    services.decision_to_task(user, d)
    d = Decision.objects.select_related("lead_unit", "responsible").get(pk=d.pk)
    return Status(201, decision_out(d))


@router.post("/meetings/{meeting_id}/dispatch-tasks", response={200: DispatchAllOut, **WRITE_ERRORS},
             summary="新任务清单一并派发（尚未派发的）")
def dispatch_tasks(request: HttpRequest, meeting_id: int):
    m = _managed_meeting(request.auth, meeting_id)
    out = services.dispatch_meeting_tasks(request.auth, m)
    return {"dispatched": [t.pk for t in out["dispatched"]], "skipped": [t.pk for t in out["skipped"]]}


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get("/meetings/{meeting_id}/minutes.docx", response=READ_ERRORS,
            summary="会议纪要 .docx（GB/T 9704 版式；X-Zhuanban-Fonts 头给出所用字体）",
            openapi_extra={"responses": {200: {
                "description": "纪要 .docx", "content": {DOCX: BINARY},
                "headers": {"X-Zhuanban-Fonts": {"description": "所用字体（URL 编码）", "schema": {"type": "string"}},
                            "Content-Disposition": {"schema": {"type": "string"}}}}}})
def minutes_docx(request: HttpRequest, meeting_id: int):
    m, _ = access.get_visible_meeting(request.auth, meeting_id)
    return docx_response(m)


def docx_response(m: Meeting) -> HttpResponse:
    from urllib.parse import quote

    data, fonts = exports.minutes_docx(m, decisions_of(m), attendance_rows(m))
    resp = HttpResponse(data, content_type=DOCX)
    name = f"{m.title}纪要-{timezone.localtime(m.starts_at):%Y%m%d}.docx"
    resp["Content-Disposition"] = f"attachment; filename=\"minutes-{m.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    resp["X-Zhuanban-Fonts"] = quote(fonts.describe())
    return resp


@router.get("/meeting-feed/{person_id}/{token}.ics", auth=None, response={404: ErrorOut, 422: ErrorOut},
            summary="个人会商日程订阅（.ics；链接含个人令牌，无需登录）",
            description="无需登录：链接中的令牌即凭据。令牌不符或人员不存在时 404；person_id 不是整数、"
                        "令牌含 URL 安全 base64 以外的字符时 422。",
            openapi_extra={"responses": {200: {"description": "iCalendar 日程", "content": {
                "text/calendar": {"schema": {"type": "string"}}}}}})
def ics_feed(request: HttpRequest, person_id: int,
             token: str = PathParam(..., min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")):
    data, _ = feed.render(person_id, token, request.get_host().split(":")[0])
    resp = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    resp["Content-Disposition"] = 'inline; filename="meetings.ics"'
    resp["Cache-Control"] = "private, max-age=300"
    return resp


@router.get("/my-meetings/feed", response={200: dict[str, str], **READ_ERRORS}, summary="我的 .ics 订阅地址")
def my_feed(request: HttpRequest):
    me = access.person_of(request.auth)
    if me is None:
        raise NotFound()
    return {"url": request.build_absolute_uri(feed.feed_path(me.pk))}


# ---- series ---------------------------------------------------------------------------------------


def _series_qs(user: Any) -> Any:
    qs = MeetingSeries.objects.select_related("taskforce")
    return qs if tf_access.is_admin(user) else qs.filter(taskforce_id__in=access.full_taskforce_ids(user))


@router.get("/meeting-series", response={200: list[SeriesOut], **READ_ERRORS}, summary="会议系列")
def list_series(request: HttpRequest, taskforce: int | None = None):
    qs = _series_qs(request.auth)
    if taskforce is not None:
        qs = qs.filter(taskforce_id=taskforce)
    return [series_out(s) for s in qs.order_by("id")[:500]]


@router.post("/meeting-series", response={201: SeriesOut, **WRITE_ERRORS}, summary="新建会议系列（周例会、月调度会…）")
def create_series(request: HttpRequest, payload: SeriesIn):
    user = request.auth
    acc = access.full_access(user, payload.taskforce)
    access.require_manage(acc)
    data = payload.dict()
    data.pop("taskforce")
    errors: dict[str, str] = {}
    data["follows"] = resolve(_series_qs(user), data["follows"], "follows", errors)
    ids = data.pop("invited_people")
    people = list(_people(user).filter(pk__in=ids))
    if len(people) != len(set(ids)):
        errors["invited_people"] = "不存在或无权查看"
    raise_if(errors)
    s = services.create_series(user, acc.taskforce, invited_people=people, **data)
    return Status(201, series_out(s))


@router.get("/meeting-series/{series_id}", response={200: SeriesOut, **READ_ERRORS}, summary="会议系列详情")
def get_series(request: HttpRequest, series_id: int):
    s, _ = access.get_visible_series(request.auth, series_id)
    return series_out(s)


@router.patch("/meeting-series/{series_id}", response={200: SeriesOut, **WRITE_ERRORS}, summary="修改会议系列")
def update_series(request: HttpRequest, series_id: int, payload: SeriesPatch):
    s, acc = access.get_visible_series(request.auth, series_id)
    access.require_manage(acc)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    services.update_series(request.auth, s, version=version, **changes)
    return series_out(s)


@router.post("/meeting-series/{series_id}/schedule", response={200: ScheduleOut, **WRITE_ERRORS},
             summary="按规则生成会议（至指定日期；重复调用不重复生成）")
def schedule_series(request: HttpRequest, series_id: int, payload: ScheduleIn):
    s, acc = access.get_visible_series(request.auth, series_id)
    access.require_manage(acc)
    created = services.schedule_series(request.auth, s, until=payload.until, start=payload.start)
    for m in created:
        m.taskforce = s.taskforce
    return {"created": [meeting_row(m) for m in created]}


# ---- duty -----------------------------------------------------------------------------------------


@router.get("/duty-shifts", response={200: list[ShiftOut], **READ_ERRORS},
            summary="值班表（默认今天起 14 天；联系电话脱敏）")
def list_shifts(request: HttpRequest, filters: Query[ShiftFilters]):
    return _shifts(request, filters.taskforce, filters.date_from, filters.date_to)


def _shifts(request: HttpRequest, taskforce: int, date_from: dt.date | None, date_to: dt.date | None) -> list[Any]:
    access.full_access(request.auth, taskforce)
    start = date_from or timezone.localdate()
    end = date_to or start + dt.timedelta(days=13)
    if (end - start).days > 366:
        from zhuanban.core.errors import Invalid

        raise Invalid("range_too_long", "一次最多查询一年的值班表", {"to": "距开始日期不超过一年"})
    return [queries.shift_row(s) for s in queries.roster([taskforce], start, end)]


@router.post("/duty-shifts", response={201: ShiftOut, **WRITE_ERRORS}, summary="安排值班")
def add_shift(request: HttpRequest, payload: ShiftIn):
    user = request.auth
    acc = access.full_access(user, payload.taskforce)
    access.require_manage(acc)
    errors: dict[str, str] = {}
    person = resolve(_people(user), payload.person, "person", errors)
    raise_if(errors)
    s = services.add_shift(user, acc.taskforce, date=payload.date, person=person, start_time=payload.start_time,
                           end_time=payload.end_time, note=payload.note)
    return Status(201, queries.shift_row(DutyShift.objects.select_related("person").get(pk=s.pk)))


def _visible_shift(user: Any, shift_id: int) -> DutyShift:
    shift = DutyShift.objects.select_related("taskforce", "person").filter(pk=shift_id).first()
    if shift is None:
        raise NotFound()
    access.full_access(user, shift.taskforce_id)
    return shift


def _visible_swap(user: Any, swap_id: int) -> DutySwap:
    swap = DutySwap.objects.select_related("shift__taskforce", "from_person", "to_person").filter(pk=swap_id).first()
    if swap is None:
        raise NotFound()
    access.full_access(user, swap.shift.taskforce_id)
    return swap


@router.get("/duty-swaps", response={200: list[SwapOut], **READ_ERRORS}, summary="换班申请（待审批在前）")
def list_swaps(request: HttpRequest, taskforce: int):
    access.full_access(request.auth, taskforce)
    qs = DutySwap.objects.filter(shift__taskforce_id=taskforce).select_related("shift", "from_person", "to_person")
    return [swap_out(s) for s in qs.order_by("-status", "-requested_at", "-id")[:500]]


@router.post("/duty-swaps", response={201: SwapOut, **WRITE_ERRORS}, summary="申请换班（值班本人或办公室）")
def request_swap(request: HttpRequest, payload: SwapIn):
    user = request.auth
    errors: dict[str, str] = {}
    shift = resolve(DutyShift.objects.filter(taskforce_id__in=access.full_taskforce_ids(user))
                    if not tf_access.is_admin(user) else DutyShift.objects.all(), payload.shift, "shift", errors)
    to = resolve(_people(user), payload.to_person, "to_person", errors)
    raise_if(errors)
    s = services.request_swap(user, shift, to_person=to, reason=payload.reason)
    return Status(201, swap_out(_visible_swap(user, s.pk)))


@router.post("/duty-swaps/{swap_id}/approve", response={200: SwapOut, **WRITE_ERRORS}, summary="同意换班（办公室）")
def approve_swap(request: HttpRequest, swap_id: int, payload: SwapDecisionIn | None = None):
    swap = _visible_swap(request.auth, swap_id)
    services.approve_swap(request.auth, swap, note=payload.note if payload else "")
    return swap_out(_visible_swap(request.auth, swap_id))


@router.post("/duty-swaps/{swap_id}/reject", response={200: SwapOut, **WRITE_ERRORS}, summary="驳回换班（办公室）")
def reject_swap(request: HttpRequest, swap_id: int, payload: SwapDecisionIn | None = None):
    swap = _visible_swap(request.auth, swap_id)
    services.reject_swap(request.auth, swap, note=payload.note if payload else "")
    return swap_out(_visible_swap(request.auth, swap_id))


# ---- stations and verifications ---------------------------------------------------------------------


@router.get("/stations", response={200: list[StationOut], **READ_ERRORS}, summary="驻点")
def list_stations(request: HttpRequest, taskforce: int):
    acc = access.full_access(request.auth, taskforce)
    return [station_out(s) for s in queries.stations(acc.taskforce)[:500]]


@router.post("/stations", response={201: StationOut, **WRITE_ERRORS}, summary="新增驻点")
def add_station(request: HttpRequest, payload: StationIn):
    user = request.auth
    acc = access.full_access(user, payload.taskforce)
    access.require_manage(acc)
    units = list(_units(user).filter(pk__in=payload.units))
    if len(units) != len(set(payload.units)):
        raise_if({"units": "不存在或无权查看"})
    s = services.add_station(user, acc.taskforce, place=payload.place, units=units, from_on=payload.from_on,
                             to_on=payload.to_on, note=payload.note)
    return Status(201, station_out(Station.objects.prefetch_related("units").get(pk=s.pk)))


@router.get("/verifications", response={200: list[VerificationOut], **READ_ERRORS},
            summary="现场核验记录（可按任务筛选）")
def list_verifications(request: HttpRequest, taskforce: int | None = None, task: int | None = None):
    user = request.auth
    if taskforce is not None:
        access.full_access(user, taskforce)
        ids = [taskforce]
    else:
        ids = access.full_taskforce_ids(user) if not tf_access.is_admin(user) else None
    qs = queries.verifications(ids)
    if task is not None:
        from zhuanban.tasks.access import visible_tasks

        qs = qs.filter(tasks__in=visible_tasks(user).filter(pk=task))
    return [verification_out(v) for v in qs.order_by("-at", "-id")[:200]]


@router.post("/verifications", response={201: VerificationOut, **WRITE_ERRORS},
             summary="登记现场核验（照片先经 /attachments 上传到本专班）")
def add_verification(request: HttpRequest, payload: VerificationIn):
    from zhuanban.files import queries as file_queries
    from zhuanban.tasks.access import visible_tasks

    user = request.auth
    acc = access.full_access(user, payload.taskforce)
    access.require_manage(acc)
    tf = acc.taskforce
    errors: dict[str, str] = {}
    verifier = resolve(Person.objects.filter(pk__in=Membership.objects.filter(
        taskforce=tf, end_on__isnull=True).values("person_id")), payload.verifier, "verifier", errors)
    tasks = list(visible_tasks(user).filter(taskforce=tf, pk__in=payload.tasks))
    if len(tasks) != len(set(payload.tasks)):
        errors["tasks"] = "不存在、无权查看或不属于本专班"
    photos = list(file_queries.attachments_of(user, tf, acc).filter(pk__in=payload.photos))
    if len(photos) != len(set(payload.photos)):
        errors["photos"] = "不存在、无权查看或不属于本专班"
    raise_if(errors)
    v = services.record_verification(user, tf, verifier=verifier, at=payload.at, place=payload.place,
                                     findings=payload.findings, tasks=tasks, photos=photos)
    return Status(201, verification_out(Verification.objects.select_related("verifier")
                                        .prefetch_related("tasks", "photos").get(pk=v.pk)))
