"""Reporting endpoints of /api/v1: report templates, the aggregate of a period, the trend, 催报, submissions
(draft / submit / return) and the .xlsx export job.

Templates are looked up among those the caller may see (``access.visible_templates``: unknown and invisible
are the same 404); reading all submissions needs the office or leader role in the owning task force or a
task force it is shared with (403 otherwise); every write goes through ``services``.  ``POST`` endpoints
honour ``Idempotency-Key`` (``core.idempotency``): a retried or double-clicked submission files once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from zhuanban.core.errors import Invalid, NotFound
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams, page
from zhuanban.taskforces import access as tfa

from . import access, queries, services
from .models import ExportJob, ReportTemplate, Submission
from .schemas import (
    AggregateOut,
    ExportIn,
    ExportJobOut,
    ReminderOut,
    RemindIn,
    ReportTemplateOut,
    SubmissionFilters,
    SubmissionIn,
    SubmissionOut,
    SubmissionPage,
    SubmissionPut,
    SubmissionReturnIn,
    SubmissionVersionIn,
    TemplateIn,
    TemplatePut,
    TrendOut,
    TrendParams,
    job_out,
    submission_out,
    template_out,
)
from .signals import collected_data_read
from .tasks import enqueue_export, run_export

router = Router(tags=["reports"])


def _template(request: HttpRequest, pk: int) -> ReportTemplate:
    return access.get_template(request.auth, pk)


def _readable_submission(user: Any, pk: int) -> Submission:
    return access.get_readable_submission(user, pk)


# ---- templates ---------------------------------------------------------------------------------------


@router.get("/report-templates", response={200: list[ReportTemplateOut], **READ_ERRORS},
            summary="报表模板（本人可见专班的及共享给它们的）")
def list_templates(request: HttpRequest, taskforce: int | None = None):
    qs = access.visible_templates(request.auth).prefetch_related("fields", "shared_with")
    if taskforce is not None:
        qs = qs.filter(Q(taskforce_id=taskforce) | Q(shared_with=taskforce)).distinct()
    return [template_out(t) for t in qs.order_by("id")[:500]]


@router.post("/report-templates", response={201: ReportTemplateOut, **WRITE_ERRORS}, summary="新建报表模板（含填报项）")
def create_template(request: HttpRequest, payload: TemplateIn):
    tf, _ = tfa.get_visible_taskforce(request.auth, payload.taskforce)
    data = payload.dict()
    data.pop("taskforce")
    data["fields"] = [dict(f) for f in data["fields"]]
    t = services.create_template(request.auth, tf, data)
    return Status(201, template_out(t))


@router.get("/report-templates/{template_id}", response={200: ReportTemplateOut, **READ_ERRORS}, summary="报表模板")
def get_template(request: HttpRequest, template_id: int):
    return template_out(_template(request, template_id))


@router.put("/report-templates/{template_id}", response={200: ReportTemplateOut, **WRITE_ERRORS},
            summary="修改报表模板（须带 version）")
def update_template(request: HttpRequest, template_id: int, payload: TemplatePut):
    t = _template(request, template_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if data.get("fields") is not None:
        data["fields"] = [dict(f) for f in data["fields"]]
    services.update_template(request.auth, t, version, data)
    return template_out(_template(request, template_id))


# ---- aggregate, trend, remind, export ---------------------------------------------------------------


@router.get("/reports/{template_id}/periods/{period}", response={200: AggregateOut, **READ_ERRORS},
            summary="某期汇总：各报送主体的填报值和状态、数值合计与平均、未报名单")
def aggregate(request: HttpRequest, template_id: int, period: dt.date):
    t = access.get_read_all_template(request.auth, template_id)
    agg = queries.aggregate(t, period)
    collected_data_read.send(sender=type(t), template_id=t.pk)
    return {**{k: agg[k] for k in ("period", "due_at", "is_open", "expected", "filed", "counts", "sums",
                                   "averages", "rows", "missing")}, "template": t.pk}


@router.get("/reports/{template_id}/trend", response={200: TrendOut, **READ_ERRORS},
            summary="某数值项跨期趋势（每期合计与已报数）")
def trend(request: HttpRequest, template_id: int, params: Query[TrendParams]):
    field, date_from, date_to = params.field, params.date_from, params.date_to
    t = access.get_read_all_template(request.auth, template_id)
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - dt.timedelta(days=364)
    f = t.fields.filter(key=field).first()
    if f is None or not f.is_numeric:
        raise Invalid("validation_error", "趋势只能针对数值项", {"field": "不是该报表的数值项"})
    tr = queries.trend(t, field, date_from, date_to)
    collected_data_read.send(sender=type(t), template_id=t.pk)
    return {"template": t.pk, "field": field, "points": tr["points"]}


@router.post("/reports/{template_id}/remind", response={200: ReminderOut, **WRITE_ERRORS},
             summary="一键催报（某期未报的报送主体）")
def remind(request: HttpRequest, template_id: int, payload: RemindIn):
    t = _template(request, template_id)
    reminders = services.remind_missing(request.auth, t, payload.period, payload.filers)
    return {"count": len(reminders), "filers": [r.filer_key for r in reminders]}


@router.post("/reports/{template_id}/exports", response={202: ExportJobOut, 200: ExportJobOut, **WRITE_ERRORS},
             summary="导出 .xlsx（后台任务；?sync=1 立即执行）")
def start_export(request: HttpRequest, template_id: int, payload: ExportIn, sync: bool = False):
    t = _template(request, template_id)
    job = services.start_export(request.auth, t, payload.date_from, payload.date_to)
    if sync:
        run_export(job.pk)
        job.refresh_from_db()
        return Status(200, job_out(job))
    from django.db import transaction

    transaction.on_commit(lambda: enqueue_export(job.pk))
    return Status(202, job_out(job))


def _job(request: HttpRequest, job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("template").filter(pk=job_id).first()
    if job is None or (job.created_by_id != request.auth.pk and not tfa.is_admin(request.auth)):
        raise NotFound()
    return job


@router.get("/report-exports/{job_id}", response={200: ExportJobOut, **READ_ERRORS}, summary="导出任务进度")
def export_status(request: HttpRequest, job_id: int):
    return job_out(_job(request, job_id))


@router.get("/report-exports/{job_id}/download", response={200: None, **READ_ERRORS}, summary="下载导出文件")
def export_download(request: HttpRequest, job_id: int):
    job = _job(request, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise NotFound("导出尚未完成")
    return FileResponse(job.file.open("rb"), as_attachment=True,
                        filename=f"{job.template.name}-{job.date_from:%Y%m%d}-{job.date_to:%Y%m%d}.xlsx")


# ---- submissions -------------------------------------------------------------------------------------


@router.get("/submissions", response={200: SubmissionPage, **READ_ERRORS},
            summary="报送列表（办公室：所读报表的全部；联络员：本人的）")
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilters], paging: Query[PageParams]):
    qs = queries.submissions_for(request.auth, template_id=filters.template, period=filters.period,
                                 unit_id=filters.unit, status=filters.status)
    count, rows = page(qs, paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset,
            "items": [submission_out(s) for s in rows]}


@router.post("/submissions", response={201: SubmissionOut, 200: SubmissionOut, **WRITE_ERRORS},
             summary="填报：新建或更新本期草稿，或报送（submit=true）；支持 Idempotency-Key")
def file_submission(request: HttpRequest, payload: SubmissionIn):
    t = _template(request, payload.template)
    sub = services.file_report(request.auth, t, payload.period, payload.values, submit=payload.submit,
                               unit_id=payload.unit, version=payload.version)
    return Status(201 if sub.version == 1 else 200, submission_out(sub, history=True))


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **READ_ERRORS},
            summary="报送详情（含修改历史）")
def get_submission(request: HttpRequest, submission_id: int):
    return submission_out(_readable_submission(request.auth, submission_id), history=True)


@router.put("/submissions/{submission_id}", response={200: SubmissionOut, **WRITE_ERRORS},
            summary="修改填报内容（须带 version）")
def put_submission(request: HttpRequest, submission_id: int, payload: SubmissionPut):
    sub = _readable_submission(request.auth, submission_id)
    sub = services.file_report(request.auth, sub.template, sub.period, payload.values, submit=payload.submit,
                               unit_id=sub.unit_id if sub.filer_key.startswith("u") else None,
                               version=payload.version)
    return submission_out(sub, history=True)


@router.post("/submissions/{submission_id}/submit", response={200: SubmissionOut, **WRITE_ERRORS},
             summary="报送已保存的草稿（或退回后重新报送）")
def submit_submission(request: HttpRequest, submission_id: int, payload: SubmissionVersionIn):
    sub = _readable_submission(request.auth, submission_id)
    sub = services.submit_existing(request.auth, sub, payload.version)
    return submission_out(sub, history=True)


@router.post("/submissions/{submission_id}/return", response={200: SubmissionOut, **WRITE_ERRORS},
             summary="退回修改（须填写意见）")
def return_submission(request: HttpRequest, submission_id: int, payload: SubmissionReturnIn):
    sub = _readable_submission(request.auth, submission_id)
    sub = services.return_submission(request.auth, sub, payload.comment, payload.version)
    return submission_out(sub, history=True)
