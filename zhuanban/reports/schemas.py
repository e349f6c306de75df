"""Shapes of the reporting endpoints of /api/v1 (``api.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import BaseModel

from zhuanban.core.schemas import Filters, Input

from .models import ReportField, ReportTemplate, Submission


class FieldIn(Input):
    key: str = Field(..., max_length=40, description="字段标识（英文字母、数字、下划线）")
    label: str = Field(..., max_length=80)
    kind: str = Field(..., json_schema_extra={"enum": list(ReportField.Kind.values)})
    required: bool = False
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    options: list[str] = Field(default_factory=list)
    prefill: str = Field("", json_schema_extra={"enum": list(ReportField.Prefill.values)})
    help_text: str = Field("", max_length=200)


class FieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    min_value: Decimal | None
    max_value: Decimal | None
    options: list[str]
    prefill: str
    help_text: str


class TemplateIn(Input):
    taskforce: int
    name: str = Field(..., max_length=120)
    description: str = ""
    cadence: str = Field("daily", json_schema_extra={"enum": list(ReportTemplate.Cadence.values)})
    due_time: dt.time = dt.time(17, 0)
    every_day: bool = False
    grace_workdays: int = Field(1, ge=0, le=30)
    filers: str = Field("liaisons", json_schema_extra={"enum": list(ReportTemplate.Filers.values)})
    filer_people: list[int] = Field(default_factory=list)
    duplicate_policy: str = Field("update", json_schema_extra={"enum": list(ReportTemplate.Duplicate.values)})
    is_active: bool = True
    shared_with: list[int] = Field(default_factory=list, description="同一办公室统筹下的其他专班 id")
    fields: list[FieldIn]


class TemplatePut(Input):
    version: int
    name: str | None = Field(None, max_length=120)
    description: str | None = None
    cadence: str | None = None
    due_time: dt.time | None = None
    every_day: bool | None = None
    grace_workdays: int | None = Field(None, ge=0, le=30)
    filers: str | None = None
    filer_people: list[int] | None = None
    duplicate_policy: str | None = None
    is_active: bool | None = None
    shared_with: list[int] | None = None
    fields: list[FieldIn] | None = None


class ReportTemplateOut(Schema):
    id: int
    version: int
    taskforce: int
    name: str
    description: str
    cadence: str
    due_time: dt.time
    every_day: bool
    grace_workdays: int
    filers: str
    duplicate_policy: str
    is_active: bool
    shared_with: list[int]
    fields: list[FieldOut]
    current_period: dt.date | None = None


class SubmissionIn(Input):
    template: int
    period: dt.date
    values: dict[str, Any] = Field(default_factory=dict)
    submit: bool = Field(False, description="true：报送（完整校验）；false：保存草稿（只校验类型）")
    unit: int | None = Field(None, description="代表的成员单位 id（一人联络多个单位时必填）")
    version: int | None = None


class SubmissionPut(Input):
    version: int
    values: dict[str, Any]
    submit: bool = False


class SubmissionVersionIn(Input):
    version: int | None = None


class SubmissionReturnIn(Input):
    version: int | None = None
    comment: str = Field("", max_length=500)


class RemindIn(Input):
    period: dt.date
    filers: list[str] | None = Field(None, description="只催这些报送主体（filer_key）；缺省为全部未报")


class ExportIn(Input):
    date_from: dt.date = Field(..., alias="from")
    date_to: dt.date = Field(..., alias="to")


class HistoryOut(Schema):
    at: dt.datetime
    actor: str | None
    action: str
    old_status: str
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    comment: str


class SubmissionOut(Schema):
    id: int
    version: int
    template: int
    period: dt.date
    filer_key: str
    unit: int | None
    person: int | None
    status: str
    values: dict[str, Any]
    submitted_at: dt.datetime | None
    is_late: bool
    return_comment: str
    history: list[HistoryOut] | None = None


class SubmissionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SubmissionOut]


class SubmissionFilters(Filters):
    template: int | None = None
    period: dt.date | None = None
    unit: int | None = None
    status: str | None = Field(None, json_schema_extra={"enum": list(Submission.Status.values)})


class AggRow(BaseModel):
    """(A plain pydantic model: ninja's Schema getter costs ~50 µs a row, and an aggregate has 500.)"""

    filer: str
    filer_key: str
    unit_id: int | None
    person_id: int | None
    status: str
    status_label: str
    submission_id: int | None
    values: dict[str, Any]
    submitted_at: dt.datetime | None
    reminders: int


class AggregateOut(BaseModel):
    template: int
    period: dt.date
    due_at: dt.datetime | None
    is_open: bool
    expected: int
    filed: int
    counts: dict[str, int]
    sums: dict[str, Decimal | None]
    averages: dict[str, Decimal | None]
    rows: list[AggRow]
    missing: list[AggRow]


class TrendParams(Schema):
    field: str = Field(..., description="数值项的字段标识")
    date_from: dt.date | None = Field(None, alias="from", description="缺省为 to 之前 364 天")
    date_to: dt.date | None = Field(None, alias="to", description="缺省为今天")


class TrendPoint(BaseModel):
    period: dt.date
    sum: Decimal | None
    filed: int


class TrendOut(Schema):
    template: int
    field: str
    points: list[TrendPoint]


class ReminderOut(Schema):
    count: int
    filers: list[str]


class ExportJobOut(Schema):
    id: int
    status: str
    percent: int
    processed: int
    total: int
    message: str
    download_url: str | None


def template_out(t: ReportTemplate) -> dict[str, Any]:
    from . import periods

    return {"id": t.pk, "version": t.version, "taskforce": t.taskforce_id, "name": t.name,
            "description": t.description, "cadence": t.cadence, "due_time": t.due_time, "every_day": t.every_day,
            "grace_workdays": t.grace_workdays, "filers": t.filers, "duplicate_policy": t.duplicate_policy,
            "is_active": t.is_active, "shared_with": [s.pk for s in t.shared_with.all()],
            "fields": [{"key": f.key, "label": f.label, "kind": f.kind, "required": f.required,
                        "min_value": f.min_value, "max_value": f.max_value, "options": f.options,
                        "prefill": f.prefill, "help_text": f.help_text} for f in t.fields.all()],
            "current_period": periods.current(t)}


def submission_out(s: Submission, history: bool = False) -> dict[str, Any]:
    out = {"id": s.pk, "version": s.version, "template": s.template_id, "period": s.period,
           "filer_key": s.filer_key, "unit": s.unit_id, "person": s.person_id, "status": s.status,
           "values": s.values, "submitted_at": s.submitted_at, "is_late": s.is_late,
           "return_comment": s.return_comment}
    if history:
        out["history"] = [{"at": h.at, "actor": h.actor.username if h.actor else None, "action": h.action,
                           "old_status": h.old_status, "old_values": h.old_values, "new_values": h.new_values,
                           "comment": h.comment} for h in s.history.select_related("actor")]
    return out


def job_out(job: Any) -> dict[str, Any]:
    return {"id": job.pk, "status": job.status, "percent": job.percent, "processed": job.processed,
            "total": job.total, "message": job.message,
            "download_url": f"/api/v1/report-exports/{job.pk}/download" if job.status == "done" else None}
