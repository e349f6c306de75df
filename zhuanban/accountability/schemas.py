"""Request and response shapes of the accountability API (names unique across the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from zhuanban.core.schemas import Filters, Input

from .models import Supervision


class FiguresOut(Schema):
    tasks_owned: int
    tasks_done: int
    done_on_time: int
    overdue: int
    returned: int
    disputes_caused: int
    disputes_resolved: int
    assisted: int
    joint_done: int
    reports_due: int
    reports_on_time: int
    meetings_expected: int
    meetings_attended: int
    acks_required: int
    acks_done: int
    ack_latency_hours_median: float | None
    on_time_rate: float | None
    report_timeliness: float | None
    attendance_rate: float | None
    ack_rate: float | None
    collaboration_index: float


class PortraitTaskforceOut(Schema):
    taskforce: int
    name: str
    owned: int
    done: int
    on_time: int
    overdue: int
    supervisions: int


class SupervisionOut(Schema):
    id: int
    version: int
    taskforce: int
    kind: str
    kind_label: str
    person: int
    person_name: str
    unit: int | None
    unit_name: str
    tasks: list[int]
    title: str
    reason: str
    talk_at: dt.datetime | None
    location: str
    follow_up_due: dt.date
    status: str
    status_label: str
    response: str
    responded_at: dt.datetime | None
    closing_note: str
    closed_at: dt.datetime | None
    closed_by: int | None
    notice: int | None
    created_at: dt.datetime


class PortraitOut(Schema):
    person: int
    name: str
    home_unit: str
    scope: list[int] | None = Field(description="计入画像的专班 id（null：全部，系统管理员）")
    figures: FiguresOut
    taskforces: list[PortraitTaskforceOut]
    supervision_counts: dict[str, int]
    supervisions: list[SupervisionOut]


class SupervisionIn(Input):
    kind: Literal["notice", "talk", "circular"] = Field(..., description="notice 督办通知 / talk 约谈 / circular 通报")
    tasks: list[int] = Field(..., description="引起督办的任务 id（同一专班）")
    person: int | None = Field(None, description="被督办人；省略时取任务的责任人")
    title: str = Field(..., max_length=200)
    reason: str = Field(..., max_length=5000)
    follow_up_due: dt.date
    talk_at: dt.datetime | None = None
    location: str = Field("", max_length=120)


class SupervisionFollowUpIn(Input):
    action: Literal["respond", "close"]
    text: str = Field("", max_length=5000, description="整改反馈（respond）或办结意见（close）")
    version: int | None = None


class SupervisionFilters(Filters):
    taskforce: int | None = None
    person: int | None = None
    status: Literal["open", "responded", "closed"] | None = None
    kind: Literal["notice", "talk", "circular"] | None = None


class SupervisionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SupervisionOut]


class ResponsibilityRowOut(Schema):
    id: int
    title: str
    parent: str
    status: str
    status_label: str
    light: str
    due_at: dt.datetime | None
    decision_owner_id: int | None
    decision_owner: str
    decision_unit: str
    execution_owner_id: int | None
    execution_owner: str
    execution_unit: str
    lead_unit: str
    cooperating_units: list[str]
    dispatcher: str
    supervisions: int


class ResponsibilityPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ResponsibilityRowOut]


def supervision_out(s: Supervision) -> dict[str, Any]:
    return {
        "id": s.pk, "version": s.version, "taskforce": s.taskforce_id, "kind": s.kind,
        "kind_label": s.get_kind_display(), "person": s.person_id, "person_name": s.person.name,
        "unit": s.unit_id, "unit_name": str(s.unit) if s.unit_id else "",
        "tasks": sorted(t.pk for t in s.tasks.all()), "title": s.title, "reason": s.reason,
        "talk_at": s.talk_at, "location": s.location, "follow_up_due": s.follow_up_due, "status": s.status,
        "status_label": s.get_status_display(), "response": s.response, "responded_at": s.responded_at,
        "closing_note": s.closing_note, "closed_at": s.closed_at, "closed_by": s.closed_by_id,
        "notice": s.notice_id, "created_at": s.created_at,
    }
