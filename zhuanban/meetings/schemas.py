"""API shapes of meetings, series, attendance, decisions, duty, stations and verifications, and the
functions that fill them from objects the queries already loaded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from zhuanban.core.schemas import Filters, Input, Ref

from .models import Attendance, Kind, Meeting, MeetingSeries


class MeetingFilters(Filters):
    taskforce: int | None = None
    kind: str | None = Field(None, json_schema_extra={"enum": list(Kind.values)})
    status: str | None = Field(None, json_schema_extra={"enum": list(Meeting.Status.values)})
    date_from: dt.date | None = Field(None, alias="from", description="开始日期（含）")
    date_to: dt.date | None = Field(None, alias="to", description="结束日期（含）")


class MeetingRow(Schema):
    id: int
    taskforce: Ref
    series_id: int | None
    upper_id: int | None
    kind: str
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    status: str
    version: int


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingRow]


class AttendanceOut(Schema):
    person: Ref
    unit: Ref | None
    status: str
    reason: str
    substitute: Ref | None


class DecisionOut(Schema):
    id: int
    text: str
    lead_unit: Ref | None
    responsible: Ref | None
    due_on: dt.date | None
    task_id: int | None


class NewTaskOut(Schema):
    id: int
    title: str
    status: str
    lead_unit: Ref | None
    responsible: Ref | None
    due_at: dt.datetime | None


class MeetingDetail(MeetingRow):
    minutes: str
    agenda: dict[str, Any]
    attendance: list[AttendanceOut]
    attendance_rate: float | None = Field(None, description="本次会议出席率（出席或代为参会 / 应到）")
    decisions: list[DecisionOut]
    new_tasks: list[NewTaskOut]


class MeetingIn(Input):
    taskforce: int
    title: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(Kind.TOPIC, json_schema_extra={"enum": list(Kind.values)})
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    location: str = Field("", max_length=120)
    upper: int | None = Field(None, description="上级会议 id（下级会议须在其后 N 个工作日内）")
    invitees: str = Field(MeetingSeries.Invitees.ALL, json_schema_extra={"enum": list(MeetingSeries.Invitees.values)})
    invited_people: list[int] = Field(default_factory=list)


class MeetingPatch(Input):
    version: int
    title: str | None = Field(None, min_length=1, max_length=120)
    kind: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str | None = Field(None, max_length=120)
    upper: int | None = None
    cancel: bool = Field(False, description="true：取消会议")


class AttendanceEntry(Input):
    person: int
    status: str = Field(Attendance.Status.PRESENT, json_schema_extra={"enum": list(Attendance.Status.values)})
    reason: str = Field("", max_length=200)
    substitute: int | None = None


class AttendanceIn(Input):
    entries: list[AttendanceEntry]  # an empty list changes nothing (and still needs the right to manage)


class AttendanceList(Schema):
    items: list[AttendanceOut]
    rate: float | None


class MinutesOut(Schema):
    minutes: str
    version: int
    status: str


class MinutesIn(Input):
    version: int
    minutes: str = Field(..., max_length=100_000)


class DecisionIn(Input):
    text: str = Field(..., min_length=1, max_length=5000)
    lead_unit: int | None = None
    responsible: int | None = None
    due_on: dt.date | None = None


class DispatchAllOut(Schema):
    dispatched: list[int]
    skipped: list[int]


class SeriesIn(Input):
    taskforce: int
    title: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(Kind.WEEKLY, json_schema_extra={"enum": list(Kind.values)})
    recurrence: str = Field(MeetingSeries.Recurrence.WEEKLY,
                            json_schema_extra={"enum": list(MeetingSeries.Recurrence.values)})
    weekday: int | None = Field(None, ge=0, le=6, description="0=周一 … 6=周日")
    nth_workday: int | None = Field(None, ge=1, le=23)
    time_of_day: dt.time = dt.time(9, 0)
    duration_minutes: int = Field(90, ge=10, le=1440)
    location: str = Field("", max_length=120)
    invitees: str = Field(MeetingSeries.Invitees.ALL, json_schema_extra={"enum": list(MeetingSeries.Invitees.values)})
    invited_people: list[int] = Field(default_factory=list)
    follows: int | None = Field(None, description="跟进的上级会议系列 id")
    follow_within_workdays: int = Field(2, ge=0, le=10)
    follow_offset_workdays: int = Field(1, ge=0, le=10)


class SeriesPatch(Input):
    version: int
    title: str | None = Field(None, min_length=1, max_length=120)
    weekday: int | None = Field(None, ge=0, le=6)
    nth_workday: int | None = Field(None, ge=1, le=23)
    time_of_day: dt.time | None = None
    duration_minutes: int | None = Field(None, ge=10, le=1440)
    location: str | None = Field(None, max_length=120)
    active: bool | None = None
    follow_within_workdays: int | None = Field(None, ge=0, le=10)
    follow_offset_workdays: int | None = Field(None, ge=0, le=10)


class SeriesOut(Schema):
    id: int
    taskforce: Ref
    kind: str
    title: str
    recurrence: str
    weekday: int | None
    nth_workday: int | None
    time_of_day: dt.time
    duration_minutes: int
    location: str
    invitees: str
    follows_id: int | None
    follow_within_workdays: int
    follow_offset_workdays: int
    active: bool
    version: int


class ScheduleIn(Input):
    until: dt.date
    start: dt.date | None = None


class ScheduleOut(Schema):
    created: list[MeetingRow]


class ShiftFilters(Filters):
    taskforce: int
    date_from: dt.date | None = Field(None, alias="from", description="开始日期（默认今天）")
    date_to: dt.date | None = Field(None, alias="to", description="结束日期（默认 14 天）")


class ShiftIn(Input):
    taskforce: int
    date: dt.date
    person: int
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    note: str = Field("", max_length=200)


class ShiftOut(Schema):
    id: int
    taskforce_id: int
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    person: Ref
    contact: str = Field(description="联系电话（脱敏）")
    note: str


class SwapIn(Input):
    shift: int
    to_person: int
    reason: str = Field("", max_length=200)


class SwapDecisionIn(Input):
    note: str = Field("", max_length=200)


class SwapOut(Schema):
    id: int
    shift_id: int
    date: dt.date
    from_person: Ref
    to_person: Ref
    reason: str
    status: str
    decided_at: dt.datetime | None
    decision_note: str


class StationIn(Input):
    taskforce: int
    place: str = Field(..., min_length=1, max_length=160)
    units: list[int] = Field(default_factory=list)
    from_on: dt.date
    to_on: dt.date | None = None
    note: str = Field("", max_length=300)


class StationOut(Schema):
    id: int
    taskforce_id: int
    place: str
    units: list[Ref]
    from_on: dt.date
    to_on: dt.date | None
    note: str


class VerificationIn(Input):
    taskforce: int
    verifier: int
    at: dt.datetime
    place: str = Field(..., min_length=1, max_length=160)
    findings: str = Field(..., min_length=1, max_length=10_000)
    tasks: list[int] = Field(default_factory=list)
    photos: list[int] = Field(default_factory=list, description="本专班已上传附件的 id（/attachments）")


class VerificationOut(Schema):
    id: int
    taskforce_id: int
    verifier: Ref
    at: dt.datetime
    place: str
    findings: str
    tasks: list[Ref]
    photos: list[Ref]


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": getattr(obj, "title", None) or str(obj)} if obj is not None else None


def meeting_row(m: Meeting) -> dict[str, Any]:
    return {"id": m.pk, "taskforce": {"id": m.taskforce_id, "name": m.taskforce.name}, "series_id": m.series_id,
            "upper_id": m.upper_id, "kind": m.kind, "kind_label": m.get_kind_display(), "title": m.title,
            "starts_at": m.starts_at, "ends_at": m.ends_at, "location": m.location, "status": m.status,
            "version": m.version}


def attendance_out(a: Attendance) -> dict[str, Any]:
    return {"person": {"id": a.person_id, "name": a.person.name},
            "unit": {"id": a.unit_id, "name": str(a.unit)} if a.unit_id else None, "status": a.status,
            "reason": a.reason, "substitute": {"id": a.substitute_id, "name": a.substitute.name}
            if a.substitute_id else None}


def decision_out(d: Any) -> dict[str, Any]:
    return {"id": d.pk, "text": d.text, "lead_unit": _ref(d.lead_unit), "responsible": _ref(d.responsible),
            "due_on": d.due_on, "task_id": d.task_id}


def new_task_out(t: Any) -> dict[str, Any]:
    return {"id": t.pk, "title": t.title, "status": t.status, "lead_unit": _ref(t.lead_unit),
            "responsible": _ref(t.responsible), "due_at": t.due_at}


def series_out(s: MeetingSeries) -> dict[str, Any]:
    return {**{f: getattr(s, f) for f in ("id", "kind", "title", "recurrence", "weekday", "nth_workday",
                                          "time_of_day", "duration_minutes", "location", "invitees", "follows_id",
                                          "follow_within_workdays", "follow_offset_workdays", "active", "version")},
            "taskforce": {"id": s.taskforce_id, "name": s.taskforce.name}}


def swap_out(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "shift_id": s.shift_id, "date": s.shift.date, "from_person": _ref(s.from_person),
            "to_person": _ref(s.to_person), "reason": s.reason, "status": s.status, "decided_at": s.decided_at,
            "decision_note": s.decision_note}


def station_out(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "taskforce_id": s.taskforce_id, "place": s.place,
            "units": [_ref(u) for u in s.units.all()], "from_on": s.from_on, "to_on": s.to_on, "note": s.note}


def verification_out(v: Any) -> dict[str, Any]:
    return {"id": v.pk, "taskforce_id": v.taskforce_id, "verifier": _ref(v.verifier), "at": v.at,
            "place": v.place, "findings": v.findings, "tasks": [_ref(t) for t in v.tasks.all()],
            "photos": [{"id": p.pk, "name": p.original_name} for p in v.photos.all()]}

