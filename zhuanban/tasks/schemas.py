"""API shapes of tasks, dispatch hops, disputes and progress, and the functions that fill them from
objects the queries already loaded (no field triggers a query of its own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from zhuanban.core.labels import SecurityLabel
from zhuanban.core.schemas import Filters, Input, Ref

from .models import Dispatch, Dispute, ProgressUpdate, Task


class TaskPersonRef(Ref):
    unit: str = ""


def person_ref(p: Any) -> dict[str, Any] | None:
    return {"id": p.pk, "name": p.name, "unit": str(p.home_unit)} if p is not None else None


def unit_ref(u: Any) -> dict[str, Any] | None:
    return {"id": u.pk, "name": str(u)} if u is not None else None


class TaskFilters(Filters):
    taskforce: int | None = None
    status: str | None = Field(None, json_schema_extra={"enum": list(Task.Status.values)})
    light: str | None = Field(None, json_schema_extra={"enum": list(Task.Light.values)})
    unit: int | None = Field(None, description="牵头或配合单位 id")
    person: int | None = Field(None, description="责任人或决策责任人 id")
    group: int | None = None
    parent: int | None = None
    due_after: dt.date | None = None
    due_before: dt.date | None = None
    q: str | None = Field(None, description="任务名称或说明包含")


class MilestoneIO(Schema):
    title: str
    due_on: dt.date
    done_on: dt.date | None = None


class TaskRow(Schema):
    id: int
    taskforce: Ref
    parent_id: int | None
    title: str
    status: str
    status_label: str
    light: str
    light_label: str
    priority: int
    progress: int
    source: str
    security_label: str
    lead_unit: Ref | None
    cooperating_units: list[Ref]
    responsible: TaskPersonRef | None
    responsible_dispatching_unit: str | None = Field(None, description="责任人的派出单位（逾期时追溯到人和单位）")
    decision_owner: Ref | None
    group: Ref | None
    start_at: dt.datetime | None
    due_at: dt.datetime | None
    open_children: int
    version: int


class TaskPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskRow]


class HopOut(Schema):
    id: int
    status: str
    from_label: str
    to_label: str
    to_unit: Ref | None
    to_person: Ref | None
    to_taskforce: Ref | None
    at: dt.datetime
    signed_at: dt.datetime | None
    signed_by: Ref | None
    returned_at: dt.datetime | None
    reason: str
    note: str
    by_ruling: bool


class ProgressOut(Schema):
    id: int
    at: dt.datetime
    author: str
    progress: int
    note: str
    attachment_id: int | None


class DisputeOut(Schema):
    id: int
    task: Ref
    taskforce: Ref
    status: str
    opened_at: dt.datetime
    bounces: list[dict[str, Any]]
    owner_unit: Ref | None
    owner_person: Ref | None
    owner_taskforce: Ref | None
    ruling: str
    ruled_at: dt.datetime | None


class TaskEventOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str


class TaskDetail(TaskRow):
    description: str
    plan: str
    source_note: str
    requires_verification: bool
    bounces: int
    milestones: list[MilestoneIO]
    depends_on: list[int]
    children: list[TaskRow]
    dispatches: list[HopOut]
    unsigned: list[HopOut] = Field(description="尚未签收的派发（发送方据此催签）")
    progress_updates: list[ProgressOut]
    disputes: list[DisputeOut]
    history: list[TaskEventOut]
    allowed_actions: list[str]


class TaskIn(Input):
    taskforce: int
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    plan: str = Field("", description="一事一方案（Markdown，保存前净化）")
    parent: int | None = None
    group: int | None = None
    lead_unit: int | None = None
    cooperating_units: list[int] = []
    responsible: int | None = None
    decision_owner: int | None = None
    start_at: dt.datetime | dt.date | None = None
    due_at: dt.datetime | dt.date | None = Field(None, description="完成时限；只给日期时为当日下班时间")
    due_in_workdays: int | None = Field(None, ge=0, le=365, description="自计划开始（或现在）起 N 个工作日内完成")
    priority: int = 2
    source: str = Task.Source.AD_HOC
    source_note: str = ""
    requires_verification: bool = False
    security_label: SecurityLabel = SecurityLabel.INTERNAL
    milestones: list[MilestoneIO] = []
    depends_on: list[int] = []


class TaskPatch(Input):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    plan: str | None = None
    parent: int | None = None
    group: int | None = None
    lead_unit: int | None = None
    cooperating_units: list[int] | None = None
    responsible: int | None = None
    decision_owner: int | None = None
    start_at: dt.datetime | dt.date | None = None
    due_at: dt.datetime | dt.date | None = None
    priority: int | None = None
    source: str | None = None
    source_note: str | None = None
    requires_verification: bool | None = None
    security_label: SecurityLabel | None = None
    milestones: list[MilestoneIO] | None = None
    depends_on: list[int] | None = None


class VersionIn(Input):
    version: int | None = None


class DispatchIn(VersionIn):
    to_unit: int | None = None
    to_person: int | None = None
    to_taskforce: int | None = None
    note: str = Field("", max_length=300)


class ReturnIn(VersionIn):
    reason: str = Field("", max_length=300)


class ProgressIn(VersionIn):
    progress: int = Field(ge=0, le=100)
    note: str = ""
    attachment: int | None = None


class CompleteIn(VersionIn):
    note: str = ""


class ReopenIn(VersionIn):
    reason: str = ""


class ReassignIn(VersionIn):
    responsible: int | None = None
    lead_unit: int | None = None
    reason: str = ""


class RuleIn(Input):
    ruling: str = ""
    owner_unit: int | None = None
    owner_person: int | None = None
    owner_taskforce: int | None = None


def task_row(t: Task) -> dict[str, Any]:
    return {
        "id": t.pk, "taskforce": {"id": t.taskforce_id, "name": t.taskforce.name}, "parent_id": t.parent_id,
        "title": t.title, "status": t.status, "status_label": t.get_status_display(), "light": t.light,
        "light_label": t.get_light_display(), "priority": t.priority, "progress": t.progress, "source": t.source,
        "security_label": t.security_label,
        "lead_unit": unit_ref(t.lead_unit), "cooperating_units": [unit_ref(u) for u in t.cooperating_units.all()],
        "responsible": person_ref(t.responsible),
        "responsible_dispatching_unit": getattr(t, "dispatching_unit_name", None),
        "decision_owner": {"id": t.decision_owner.pk, "name": t.decision_owner.name} if t.decision_owner else None,
        "group": {"id": t.group.pk, "name": t.group.name} if t.group else None,
        "start_at": t.start_at, "due_at": t.due_at, "open_children": getattr(t, "open_children", 0),
        "version": t.version,
    }


def hop_out(h: Dispatch) -> dict[str, Any]:
    def r(o: Any) -> dict[str, Any] | None:
        return {"id": o.pk, "name": str(o)} if o is not None else None

    return {"id": h.pk, "status": h.status, "from_label": h.sender_label, "to_label": h.receiver_label,
            "to_unit": r(h.to_unit), "to_person": r(h.to_person), "to_taskforce": r(h.to_taskforce), "at": h.at,
            "signed_at": h.signed_at, "signed_by": r(h.signed_by), "returned_at": h.returned_at,
            "reason": h.reason, "note": h.note, "by_ruling": h.by_ruling}


def progress_out(p: ProgressUpdate) -> dict[str, Any]:
    return {"id": p.pk, "at": p.at, "author": p.author_name, "progress": p.progress, "note": p.note,
            "attachment_id": p.attachment_id}


def dispute_out(d: Dispute) -> dict[str, Any]:
    def r(o: Any) -> dict[str, Any] | None:
        return {"id": o.pk, "name": str(o)} if o is not None else None

    return {"id": d.pk, "task": {"id": d.task_id, "name": d.task.title}, "taskforce": r(d.taskforce),
            "status": d.status, "opened_at": d.opened_at, "bounces": d.bounces, "owner_unit": r(d.owner_unit),
            "owner_person": r(d.owner_person), "owner_taskforce": r(d.owner_taskforce), "ruling": d.ruling,
            "ruled_at": d.ruled_at}


def now() -> dt.datetime:
    return timezone.now()
