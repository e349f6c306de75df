"""考核评价 endpoints of /api/v1: schemes (with revisions), evaluators and evaluation forms, evaluations
(scores; ``Idempotency-Key`` honoured by ``core.idempotency``), results with breakdown and ranking,
awards / negative list, and the per-home-unit export job.

A scheme is looked up among those the caller may see (``queries.get_scheme``: unknown and invisible are
the same 404); managing and reading results need the task force's manager role (403 otherwise); a score
from someone who is not an evaluator of that subject is a 404.  Every write goes through ``services``.
"""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse, HttpRequest
from ninja import Router, Status

from zhuanban.core.errors import NotFound
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS
from zhuanban.taskforces import access as tfa

from . import engine, queries, services
from .models import Evaluator, ExportJob, SchemeRevision, Score
from .schemas import (
    AssessmentExportIn,
    AssessmentExportOut,
    AssessmentMarkIn,
    AssessmentMarkOut,
    AssessmentResultsOut,
    EvaluationFormOut,
    EvaluationIn,
    EvaluationOut,
    SchemeEvaluatorOut,
    SchemeEvaluatorsIn,
    SchemeFormsIn,
    SchemeFormsOut,
    SchemeIn,
    SchemeOut,
    SchemePut,
    evaluator_out,
    export_out,
    results_out,
    scheme_out,
    score_out,
)
from .tasks import enqueue_export, run_export

router = Router(tags=["考核评价"])


def _full(scheme) -> dict:
    revs = list(SchemeRevision.objects.filter(scheme=scheme).order_by("number"))
    current = next((r for r in revs if r.number == scheme.revision), None)
    return scheme_out(scheme, current, [r.number for r in revs])


@router.get("/assessment/schemes", response={200: list[SchemeOut], **READ_ERRORS},
            summary="考核方案（本人可见专班的，及本人担任评价人的）")
def list_schemes(request: HttpRequest, taskforce: int | None = None):
    qs = queries.visible_schemes(request.auth)
    if taskforce is not None:
        qs = qs.filter(taskforce_id=taskforce)
    return [scheme_out(s) for s in qs.order_by("-period_start", "id")[:200]]


@router.post("/assessment/schemes", response={201: SchemeOut, **WRITE_ERRORS},
             summary="新建考核方案（指标树各级权重合计 100）")
def create_scheme(request: HttpRequest, payload: SchemeIn):
    tf, _ = tfa.get_visible_taskforce(request.auth, payload.taskforce)
    data = payload.dict()
    data.pop("taskforce")
    return Status(201, _full(services.create_scheme(request.auth, tf, data)))


@router.get("/assessment/schemes/{scheme_id}", response={200: SchemeOut, **READ_ERRORS},
            summary="考核方案（当前版本的指标树与评价主体权重，历次版本号）")
def get_scheme(request: HttpRequest, scheme_id: int):
    return _full(queries.get_scheme(request.auth, scheme_id))


@router.put("/assessment/schemes/{scheme_id}", response={200: SchemeOut, **WRITE_ERRORS},
            summary="修订考核方案（须带 version；改指标或权重即生成新版本，已评分保留原版本）")
def revise_scheme(request: HttpRequest, scheme_id: int, payload: SchemePut):
    scheme = queries.get_scheme(request.auth, scheme_id)
    data = payload.dict(exclude_unset=True)
    version, note, status = data.pop("version"), data.pop("note", ""), data.pop("status", None)
    with transaction.atomic():
        if data:
            scheme = services.revise_scheme(request.auth, scheme, version, data, note)
            version = scheme.version
        if status:
            scheme = services.set_status(request.auth, scheme, status, version)
        if not data and not status:
            tfa.require_manage(request.auth, scheme.taskforce)
    return _full(queries.get_scheme(request.auth, scheme_id))


@router.get("/assessment/schemes/{scheme_id}/evaluators", response={200: list[SchemeEvaluatorOut], **WRITE_ERRORS},
            summary="评价人名单（专班领导、办公室）")
def list_evaluators(request: HttpRequest, scheme_id: int):
    scheme = queries.get_managed_scheme(request.auth, scheme_id)
    return [evaluator_out(e) for e in Evaluator.objects.filter(scheme=scheme).select_related("person")]


@router.post("/assessment/schemes/{scheme_id}/evaluators", response={201: list[SchemeEvaluatorOut], **WRITE_ERRORS},
             summary="设置评价人（自评、领导、专家、服务对象、基层）")
def add_evaluators(request: HttpRequest, scheme_id: int, payload: SchemeEvaluatorsIn):
    scheme = queries.get_scheme(request.auth, scheme_id)
    made = services.add_evaluators(request.auth, scheme, payload.kind, payload.people, payload.subject)
    return Status(201, [evaluator_out(e) for e in made])


@router.post("/assessment/schemes/{scheme_id}/forms", response={200: SchemeFormsOut, **WRITE_ERRORS},
             summary="发送考核评价表（通知，须确认接收）")
def send_forms(request: HttpRequest, scheme_id: int, payload: SchemeFormsIn):
    scheme = queries.get_scheme(request.auth, scheme_id)
    return {"sent": services.send_forms(request.auth, scheme, deadline=payload.deadline)}


@router.post("/assessment/schemes/{scheme_id}/marks", response={201: AssessmentMarkOut, **WRITE_ERRORS},
             summary="登记揭榜挂帅奖励或负面清单（加减分 0–20）")
def add_mark(request: HttpRequest, scheme_id: int, payload: AssessmentMarkIn):
    scheme = queries.get_scheme(request.auth, scheme_id)
    m = services.add_mark(request.auth, scheme, subject_key=payload.subject, kind=payload.kind,
                          title=payload.title, points=payload.points)
    return Status(201, {"id": m.pk, "kind": m.kind, "title": m.title, "points": float(m.points)})


# ---- evaluations -------------------------------------------------------------------------------------


@router.get("/assessment/evaluations", response={200: list[EvaluationFormOut], **READ_ERRORS},
            summary="我的考核评价表（待评分与已评分数）")
def my_evaluations(request: HttpRequest):
    return [{"scheme": f["scheme"].pk, "scheme_name": f["scheme"].name, "taskforce": f["scheme"].taskforce_id,
             "kind": f["evaluator"].kind, "subject": f["evaluator"].subject_key, "scored": f["scored"],
             "status": f["scheme"].status} for f in queries.my_forms(request.auth)]


@router.post("/assessment/evaluations", response={201: EvaluationOut, 200: EvaluationOut, **WRITE_ERRORS},
             summary="提交评分（非评价人 404；超出分值 422；重复评分按方案覆盖并留痕或 409）；支持 Idempotency-Key")
def submit_evaluation(request: HttpRequest, payload: EvaluationIn):
    scheme = queries.get_scheme(request.auth, payload.scheme)
    score = services.submit_score(request.auth, scheme, payload.subject, payload.values, kind=payload.kind,
                                  comment=payload.comment)
    score = Score.objects.select_related("revision", "evaluator").get(pk=score.pk)
    return Status(201 if score.version == 1 else 200, score_out(score))


# ---- results and export -------------------------------------------------------------------------------


@router.get("/assessment/results", response={200: AssessmentResultsOut, **WRITE_ERRORS},
            summary="考核结果：总分、按指标与评价主体的得分构成、排名、奖励与负面清单、协同指数")
def results(request: HttpRequest, scheme: int, revision: int | None = None):
    s = queries.get_managed_scheme(request.auth, scheme)
    rev = None
    if revision is not None:
        rev = SchemeRevision.objects.filter(scheme=s, number=revision).first()
        if rev is None:
            raise NotFound("该版本不存在")
    return results_out(engine.compute(s, rev))


@router.post("/assessment/schemes/{scheme_id}/exports",
             response={202: AssessmentExportOut, 200: AssessmentExportOut, **WRITE_ERRORS},
             summary="按派出单位导出考核结果 .xlsx / .docx（后台任务；?sync=1 立即执行）")
def start_export(request: HttpRequest, scheme_id: int, payload: AssessmentExportIn, sync: bool = False):
    scheme = queries.get_scheme(request.auth, scheme_id)
    job = services.start_export(request.auth, scheme, unit_id=payload.unit, fmt=payload.fmt)
    if sync:
        run_export(job.pk)
        job.refresh_from_db()
        return Status(200, export_out(job))
    transaction.on_commit(lambda: enqueue_export(job.pk))
    return Status(202, export_out(job))


@router.get("/assessment/exports/{export_id}", response={200: AssessmentExportOut, **READ_ERRORS},
            summary="导出任务进度")
def export_status(request: HttpRequest, export_id: int):
    return export_out(queries.get_export(request.auth, export_id))


@router.get("/assessment/exports/{export_id}/download", response={200: None, **READ_ERRORS}, summary="下载导出文件")
def export_download(request: HttpRequest, export_id: int):
    job = queries.get_export(request.auth, export_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise NotFound("导出尚未完成")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=exporter_name(job))


def exporter_name(job: ExportJob) -> str:
    unit = job.unit.name if job.unit else "全部派出单位"
    return f"{job.scheme.name}-{unit}.{job.fmt}"
