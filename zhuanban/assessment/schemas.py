"""Request and response shapes of /api/v1/assessment (names prefixed ``Assessment`` / ``Scheme``: one
OpenAPI name each across the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from zhuanban.core.schemas import Input

from .engine import Results, SubjectResult
from .models import Evaluator, ExportJob, Scheme, SchemeRevision, Score


class SchemeIn(Input):
    taskforce: int
    name: str = Field(..., max_length=120)
    period_start: dt.date
    period_end: dt.date
    subject_kind: str = Field("person", json_schema_extra={"enum": list(Scheme.SubjectKind.values)})
    track: str = Field("all", json_schema_extra={"enum": list(Scheme.Track.values)},
                       description="人员范围：全体、专职（full_time）或兼职（part_time）")
    anonymous: bool = True
    duplicate_policy: str = Field("replace", json_schema_extra={"enum": list(Scheme.Duplicate.values)})
    indicators: list[dict[str, Any]] = Field(..., description="指标树：name、weight、kind、metric、rule、max、children")
    evaluator_weights: dict[str, float] = Field(default_factory=dict,
                                                description="评价主体类型→权重（合计 100）")


class SchemePut(Input):
    version: int
    note: str = Field("", max_length=200, description="修订说明")
    name: str | None = Field(None, max_length=120)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    subject_kind: str | None = None
    track: str | None = None
    anonymous: bool | None = None
    duplicate_policy: str | None = None
    status: str | None = Field(None, json_schema_extra={"enum": list(Scheme.Status.values)})
    indicators: list[dict[str, Any]] | None = None
    evaluator_weights: dict[str, float] | None = None


class SchemeRevisionOut(Schema):
    number: int
    note: str
    created_at: dt.datetime
    indicators: list[dict[str, Any]]
    evaluator_weights: dict[str, float]


class SchemeOut(Schema):
    id: int
    taskforce: int
    name: str
    period_start: dt.date
    period_end: dt.date
    subject_kind: str
    track: str
    anonymous: bool
    duplicate_policy: str
    status: str
    revision: int
    version: int
    current: SchemeRevisionOut | None = None
    revisions: list[int] = Field(default_factory=list)


class SchemeEvaluatorsIn(Input):
    kind: str = Field(..., json_schema_extra={"enum": ["self", "internal", "expert", "external", "grassroots"]})
    people: list[int]
    subject: str = Field("", max_length=24, description="只评价某一对象（t/u/p+编号）；自评自动为本人")


class SchemeEvaluatorOut(Schema):
    id: int
    person: int
    person_name: str
    kind: str
    subject: str
    form_sent: bool


class SchemeFormsIn(Input):
    deadline: dt.datetime | None = None


class SchemeFormsOut(Schema):
    sent: int


class EvaluationIn(Input):
    scheme: int
    subject: str = Field(..., max_length=24, description="考核对象：t/u/p+编号")
    values: dict[str, Any] = Field(..., description="评价打分类指标标识→分数（0 至该指标满分）")
    kind: str | None = Field(None, description="在本方案中有多种评价身份时须指定")
    comment: str = Field("", max_length=500)


class EvaluationOut(Schema):
    id: int
    scheme: int
    subject: str
    kind: str
    revision: int
    values: dict[str, float]
    comment: str
    submitted_at: dt.datetime
    version: int
    replaced: int = Field(0, description="被覆盖的历史次数")


class EvaluationFormOut(Schema):
    scheme: int
    scheme_name: str
    taskforce: int
    kind: str
    subject: str
    scored: int
    status: str


class AssessmentRowOut(Schema):
    indicator: str
    path: str
    kind: str
    source: str
    source_label: str
    raw: float | None
    fraction: float | None
    points: float
    share: float
    count: int


class AssessmentMarkOut(Schema):
    id: int
    kind: str
    title: str
    points: float


class AssessmentResultOut(Schema):
    subject: str
    label: str
    kind: str
    home_unit: str
    rank: int
    total: float
    base: float
    bonus: float
    by_source: dict[str, float]
    collaboration_index: float | None
    unscored: list[str]
    breakdown: list[AssessmentRowOut]
    marks: list[AssessmentMarkOut]


class AssessmentResultsOut(Schema):
    scheme: int
    revision: int
    anonymous: bool
    count: int
    items: list[AssessmentResultOut]


class AssessmentMarkIn(Input):
    subject: str = Field(..., max_length=24)
    kind: str = Field(..., json_schema_extra={"enum": ["award", "negative"]})
    title: str = Field(..., max_length=200)
    points: float = Field(0, ge=0, le=20)


class AssessmentExportIn(Input):
    unit: int | None = Field(None, description="派出单位；空为全部")
    fmt: str = Field("xlsx", json_schema_extra={"enum": ["xlsx", "docx"]})


class AssessmentExportOut(Schema):
    id: int
    status: str
    percent: int
    processed: int
    total: int
    message: str
    download: str | None


def scheme_out(s: Scheme, current: SchemeRevision | None = None, revisions: list[int] | None = None) -> dict:
    return {"id": s.pk, "taskforce": s.taskforce_id, "name": s.name, "period_start": s.period_start,
            "period_end": s.period_end, "subject_kind": s.subject_kind, "track": s.track, "anonymous": s.anonymous,
            "duplicate_policy": s.duplicate_policy, "status": s.status, "revision": s.revision, "version": s.version,
            "current": current, "revisions": revisions or []}


def evaluator_out(e: Evaluator) -> dict:
    return {"id": e.pk, "person": e.person_id, "person_name": e.person.name, "kind": e.kind,
            "subject": e.subject_key, "form_sent": e.notice_id is not None}


def score_out(s: Score) -> dict:
    return {"id": s.pk, "scheme": s.scheme_id, "subject": s.subject_key, "kind": s.evaluator.kind,
            "revision": s.revision.number, "values": s.values, "comment": s.comment,
            "submitted_at": s.submitted_at, "version": s.version, "replaced": s.history.count()}


def result_out(r: SubjectResult) -> dict:
    return {"subject": r.key, "label": r.subject.label, "kind": r.subject.kind, "home_unit": r.subject.home_unit,
            "rank": r.rank, "total": r.total, "base": round(r.base, 2), "bonus": round(r.bonus, 2),
            "by_source": {k: round(v, 2) for k, v in r.by_source.items()},
            "collaboration_index": None if r.collaboration is None else round(r.collaboration, 1),
            "unscored": r.unscored,
            "breakdown": [{"indicator": x.key, "path": x.path, "kind": x.kind, "source": x.source,
                           "source_label": x.source_label, "raw": None if x.raw is None else round(x.raw, 2),
                           "fraction": None if x.fraction is None else round(x.fraction, 4),
                           "points": round(x.points, 2), "share": round(x.share, 2), "count": x.count}
                          for x in r.rows],
            "marks": [{"id": m.pk, "kind": m.kind, "title": m.title, "points": float(m.points)} for m in r.marks]}


def results_out(res: Results) -> dict:
    return {"scheme": res.scheme.pk, "revision": res.revision.number, "anonymous": res.scheme.anonymous,
            "count": len(res.items), "items": [result_out(r) for r in res.items]}


def export_out(job: ExportJob) -> dict:
    return {"id": job.pk, "status": job.status, "percent": job.percent, "processed": job.processed,
            "total": job.total, "message": job.message,
            "download": f"/api/v1/assessment/exports/{job.pk}/download" if job.status == job.Status.DONE else None}
