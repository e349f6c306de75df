"""Pages of 考核评价: the overview (my evaluation forms, the schemes I can see), the task force's tab, the
scheme builder (indicator tree with weights and a live sum per level, ``static/assessment/builder.js``),
the scheme page (evaluators, forms, awards/negative list, export with progress), the evaluator's scoring
form (phone-friendly) and the result page (ranking, breakdown, chart).  Every change goes through
``services``; field errors are shown next to the field and the input is kept."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhuanban.core.errors import DomainError, Forbidden, Invalid, NotFound
from zhuanban.taskforces.models import Membership
from zhuanban.web.views.common import load_taskforce, tf_context

from . import engine, queries, rules, services
from .models import Evaluator, EvaluatorType, ExportJob, Mark, Scheme, SchemeRevision
from .subjects import subjects_of
from .tasks import enqueue_export

TYPES = list(EvaluatorType.choices)
STARTER = [
    {"name": "工作实绩", "weight": 60, "children": [
        {"name": "任务按期完成率", "weight": 50, "kind": "objective", "metric": "on_time_rate",
         "rule": {"type": "linear", "worst": 60, "best": 100}},
        {"name": "工作成效", "weight": 50, "kind": "subjective", "max": 100}]},
    {"name": "工作作风", "weight": 40, "kind": "subjective", "max": 100},
]


def _domain(fn):
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return fn(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
    wrapper.__name__ = fn.__name__
    return wrapper


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    schemes = list(queries.visible_schemes(request.user).order_by("-period_start", "id")[:100])
    return render(request, "assessment/home.html", {
        "section": "assessment", "forms": queries.my_forms(request.user), "schemes": schemes,
        "managed": {s.pk for s in schemes if queries.can_manage(request.user, s)}})


@login_required
def tf_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    return render(request, "assessment/tab.html", {
        **tf_context(tf, acc, "assessment"),
        "schemes": list(Scheme.objects.filter(taskforce=tf).order_by("-period_start", "id")),
        "forms": [f for f in queries.my_forms(request.user) if f["scheme"].taskforce_id == tf.pk]})


# ---- the builder ----------------------------------------------------------------------------------------


def _form_data(post: Any) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        tree = json.loads(post.get("indicators") or "[]")
    except ValueError:
        tree, errors["indicators"] = [], "指标格式有误"
    weights: dict[str, float] = {}
    for kind, _ in TYPES:
        raw = (post.get(f"ew_{kind}") or "").strip()
        if raw:
            try:
                weights[kind] = float(raw)
            except ValueError:
                errors[f"evaluator_weights.{kind}"] = "权重须为数字"
    data = {name: post.get(name, "") for name in ("name", "period_start", "period_end", "subject_kind", "track",
                                                  "duplicate_policy")}
    data["anonymous"] = post.get("anonymous") == "on"
    data["indicators"], data["evaluator_weights"] = tree, weights
    return data, errors


def _builder(request: HttpRequest, tf: Any, acc: Any, scheme: Scheme | None, data: dict[str, Any],
             errors: dict[str, str], status: int = 200) -> HttpResponse:
    data = {**data, **{k: v.isoformat() if hasattr(v, "isoformat") else (v or "")
                       for k, v in data.items() if k in ("period_start", "period_end")}}
    return render(request, "assessment/builder.html", {
        **tf_context(tf, acc, "assessment"), "scheme": scheme, "data": data, "errors": errors,
        "tree_text": json.dumps(data.get("indicators") or [], ensure_ascii=False), "errors_json": errors, "types": TYPES,
        "metrics": [(k, v[0]) for k, v in rules.METRICS.items()], "rule_types": list(rules.RULE_TYPES.items()),
        "subject_kinds": Scheme.SubjectKind.choices, "tracks": Scheme.Track.choices,
        "duplicates": Scheme.Duplicate.choices}, status=status)


@login_required
@_domain
def scheme_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    if request.method == "POST":
        data, errors = _form_data(request.POST)
        if not errors:
            try:
                scheme = services.create_scheme(request.user, tf, data)
                messages.success(request, "考核方案已建立，请设置评价人")
                return redirect("assessment_scheme", scheme_id=scheme.pk)
            except Invalid as exc:
                errors = exc.fields
        return _builder(request, tf, acc, None, data, errors, 422)
    year = timezone.localdate().year
    data = {"name": f"{year}年度专班成员考核", "period_start": f"{year}-01-01", "period_end": f"{year}-12-31",
            "subject_kind": "person", "track": "all", "anonymous": True, "duplicate_policy": "replace",
            "indicators": STARTER, "evaluator_weights": {"self": 10, "internal": 50, "expert": 20, "grassroots": 20}}
    return _builder(request, tf, acc, None, data, {})


@login_required
@_domain
def scheme_edit(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_managed_scheme(request.user, scheme_id)
    tf, acc = load_taskforce(request, scheme.taskforce_id, manage=True)
    if request.method == "POST":
        data, errors = _form_data(request.POST)
        if not errors:
            try:
                version = int(request.POST.get("version") or 0) or None
                services.revise_scheme(request.user, scheme, version, data, request.POST.get("note", ""))
                messages.success(request, f"考核方案已保存（当前第 {scheme.revision} 版）")
                return redirect("assessment_scheme", scheme_id=scheme.pk)
            except Invalid as exc:
                errors = exc.fields
            except DomainError as exc:
                _fail(request, exc)
        return _builder(request, tf, acc, scheme, data, errors, 422 if errors else 409)
    rev = SchemeRevision.objects.get(scheme=scheme, number=scheme.revision)
    data = {**{n: getattr(scheme, n) for n in services.SCHEME_FIELDS}, "indicators": rev.indicators,
            "evaluator_weights": rev.evaluator_weights}
    return _builder(request, tf, acc, scheme, data, {})


# ---- the scheme page and its actions ----------------------------------------------------------------------


@login_required
@_domain
def scheme_detail(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_managed_scheme(request.user, scheme_id)
    tf, acc = load_taskforce(request, scheme.taskforce_id, manage=True)
    revisions = list(SchemeRevision.objects.filter(scheme=scheme).order_by("-number"))
    current = next(r for r in revisions if r.number == scheme.revision)
    members = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person")
                   .order_by("person__name"))
    return render(request, "assessment/scheme.html", {
        **tf_context(tf, acc, "assessment"), "scheme": scheme, "revisions": revisions,
        "leaves": rules.leaves(current.indicators), "weights": current.evaluator_weights,
        "type_labels": dict(TYPES), "types": [(k, v) for k, v in TYPES if k in current.evaluator_weights],
        "evaluators": list(Evaluator.objects.filter(scheme=scheme).select_related("person").order_by("kind", "id")),
        "members": members, "subjects": subjects_of(scheme), "mark_kinds": Mark.Kind.choices,
        "marks": list(Mark.objects.filter(scheme=scheme)),
        "units": sorted({(m.dispatching_unit_id, str(m.dispatching_unit)) for m in Membership.objects.filter(
            taskforce=tf, end_on__isnull=True).select_related("dispatching_unit")}, key=lambda u: u[1]),
        "jobs": list(ExportJob.objects.filter(scheme=scheme, created_by=request.user)[:5])})


def _int_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
@require_POST
@_domain
def scheme_evaluators(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_managed_scheme(request.user, scheme_id)
    try:
        made = services.add_evaluators(request.user, scheme, request.POST.get("kind", ""),
                                       _int_list(request.POST.getlist("people")), request.POST.get("subject", ""))
        messages.success(request, f"已添加 {len(made)} 名评价人")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("assessment_scheme", scheme_id=scheme.pk)


@login_required
@require_POST
@_domain
def scheme_forms(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_managed_scheme(request.user, scheme_id)
    try:
        n = services.send_forms(request.user, scheme)
        messages.success(request, f"评价表已发送给 {n} 人（须确认接收）")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("assessment_scheme", scheme_id=scheme.pk)


@login_required
@require_POST
@_domain
def scheme_mark(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_managed_scheme(request.user, scheme_id)
    try:
        services.add_mark(request.user, scheme, subject_key=request.POST.get("subject", ""),
                          kind=request.POST.get("kind", ""), title=request.POST.get("title", ""),
                          points=request.POST.get("points") or 0)
        messages.success(request, "已登记")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("assessment_scheme", scheme_id=scheme.pk)


@login_required
@require_POST
@_domain
def scheme_export(request: HttpRequest, scheme_id: int) -> HttpResponse:
    from django.db import transaction

    scheme = queries.get_managed_scheme(request.user, scheme_id)
    unit = request.POST.get("unit", "")
    try:
        job = services.start_export(request.user, scheme, unit_id=int(unit) if unit.isdigit() else None,
                                    fmt=request.POST.get("fmt", "xlsx"))
        transaction.on_commit(lambda: enqueue_export(job.pk))
        messages.success(request, "已开始导出，完成后可下载")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("assessment_scheme", scheme_id=scheme.pk)


@login_required
@_domain
def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    job = queries.get_export(request.user, export_id)
    return render(request, "assessment/_export.html", {"job": job})


@login_required
@_domain
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    job = queries.get_export(request.user, export_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    from .api import exporter_name

    return FileResponse(job.file.open("rb"), as_attachment=True, filename=exporter_name(job))


# ---- the evaluator's form ---------------------------------------------------------------------------------


@login_required
@_domain
def score(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_scheme(request.user, scheme_id)
    forms = services.forms_of(request.user, scheme)
    if not forms:
        raise Http404  # not an evaluator: the form does not exist for them
    revision = SchemeRevision.objects.get(scheme=scheme, number=scheme.revision)
    leaves = rules.subjective_leaves(revision.indicators)
    everyone = subjects_of(scheme)
    mine = [s for s in everyone if any(services.may_score(f, s.key) for f in forms)]
    given = queries.scores_of(request.user, scheme)
    key = request.POST.get("subject") or request.GET.get("subject") or next(
        (s.key for s in mine if s.key not in given), mine[0].key if mine else "")
    current = next((s for s in mine if s.key == key), None)
    errors: dict[str, str] = {}
    values: dict[str, Any] = dict(given[key].values) if key in given else {}
    comment = given[key].comment if key in given else ""
    status = 200
    if request.method == "POST":
        values = {leaf["key"]: request.POST.get(f"v_{leaf['key']}", "").strip() for leaf in leaves}
        comment = request.POST.get("comment", "")
        kind = request.POST.get("kind") or None
        try:
            services.submit_score(request.user, scheme, key, values, kind=kind, comment=comment)
            messages.success(request, f"已提交对“{current.label if current else key}”的评分")
            nxt = next((s.key for s in mine if s.key not in given and s.key != key), None)
            return redirect(f"{request.path}?subject={nxt or key}")
        except Invalid as exc:
            errors, status = exc.fields, 422
            messages.error(request, exc.message)
        except DomainError as exc:
            _fail(request, exc)
            status = exc.status
    kinds = sorted({f.kind for f in forms if services.may_score(f, key)})
    return render(request, "assessment/score.html", {
        "section": "assessment", "scheme": scheme, "subjects": mine, "current": current, "leaves": leaves,
        "values": values, "comment": comment, "errors": errors, "given": given, "kinds": kinds,
        "type_labels": dict(TYPES), "done": sum(1 for s in mine if s.key in given)}, status=status)


# ---- results ----------------------------------------------------------------------------------------------


@login_required
@_domain
def results(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = queries.get_managed_scheme(request.user, scheme_id)
    tf, acc = load_taskforce(request, scheme.taskforce_id, manage=True)
    revisions = list(SchemeRevision.objects.filter(scheme=scheme).order_by("-number"))
    number = request.GET.get("revision", "")
    rev = next((r for r in revisions if str(r.number) == number), None) or next(
        r for r in revisions if r.number == scheme.revision)
    res = engine.compute(scheme, rev)
    key = request.GET.get("subject", "")
    chosen = res.get(key) or (res.items[0] if res.items else None)
    sources = [("data", "数据计算")] + [(t, dict(TYPES)[t]) for t in rev.evaluator_weights]
    top = res.items[:30]
    chart = {"labels": [r.subject.label for r in top],
             "series": [{"name": label, "data": [round(r.by_source.get(k, 0.0), 2) for r in top]}
                        for k, label in sources if any(r.by_source.get(k) for r in top)],
             "bonus": [round(r.bonus, 2) for r in top]}
    return render(request, "assessment/results.html", {
        **tf_context(tf, acc, "assessment"), "scheme": scheme, "revision": rev, "revisions": revisions,
        "res": res, "chosen": chosen, "sources": sources, "chart": chart,
        "awards": [(r, m) for r in res.items for m in r.marks if m.kind == Mark.Kind.AWARD],
        "negatives": [(r, m) for r in res.items for m in r.marks if m.kind == Mark.Kind.NEGATIVE]})
