"""Reporting pages: the task force's 信息报送 tab (templates, define/share), a template's period aggregate
(totals, missing list with 一键催报, trend chart, background export), the phone-first filing form, and
"my reports".  Every change goes through ``services``; a refusal is shown next to its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhuanban.core.errors import DomainError, Forbidden, NotFound
from zhuanban.taskforces import access as tfa
from zhuanban.taskforces.models import TaskForce
from zhuanban.web.views.common import load_taskforce, tf_context

from . import access, fields, periods, queries, services
from .models import ExportJob, ReportField, ReportTemplate, Submission
from .signals import collected_data_read
from .tasks import enqueue_export

FIELD_ROWS = 8
PAGE_ROWS = 100


def _template(request: HttpRequest, pk: int) -> ReportTemplate:
    try:
        return access.get_template(request.user, pk)
    except NotFound:
        raise Http404 from None


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return -1  # refused by the service's own checks (grace_workdays >= 0; no version -1: 409)


def _day(value: str | None, default: dt.date | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else (default or timezone.localdate())
    except ValueError:
        raise Http404 from None


@login_required
def tf_reports(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    templates = list(ReportTemplate.objects.filter(Q(taskforce=tf) | Q(shared_with=tf)).distinct()
                     .select_related("taskforce").order_by("-is_active", "id"))
    today = timezone.localdate()
    for t in templates:
        t.current = periods.period_start(t, today)
        t.shared = t.taskforce_id != tf.pk
    return render(request, "reports/tab.html", {**tf_context(tf, acc, "reports"), "templates": templates,
                                                "can_read": acc.manage})


def _same_office_choices(tf: TaskForce, user: Any) -> list[TaskForce]:
    key = access.office_key(tf)
    qs = TaskForce.objects.filter(Q(pk=key) | Q(parent_id=key)).exclude(pk=tf.pk)
    return [t for t in qs.order_by("id") if access.same_office(t, tf)]


def _posted_fields(post: Any) -> list[dict[str, Any]]:
    out = []
    for i in range(FIELD_ROWS):
        label = (post.get(f"f{i}_label") or "").strip()
        if not label:
            continue
        lo, hi = (post.get(f"f{i}_min") or "").strip(), (post.get(f"f{i}_max") or "").strip()
        out.append({"key": (post.get(f"f{i}_key") or f"f{i + 1}").strip(), "label": label,
                    "kind": post.get(f"f{i}_kind") or "number", "required": bool(post.get(f"f{i}_required")),
                    "min_value": lo or None, "max_value": hi or None,
                    "options": [o.strip() for o in (post.get(f"f{i}_options") or "").replace("，", ",").split(",")
                                if o.strip()],
                    "prefill": post.get(f"f{i}_prefill") or ""})
    return out


@login_required
def template_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    errors: dict[str, str] = {}
    post = request.POST if request.method == "POST" else None
    if post is not None:
        data = {"name": post.get("name", ""), "description": post.get("description", ""),
                "cadence": post.get("cadence", "daily"), "due_time": post.get("due_time") or "17:00",
                "every_day": bool(post.get("every_day")), "grace_workdays": _int(post.get("grace_workdays"), 1),
                "duplicate_policy": post.get("duplicate_policy", "update"),
                "shared_with": [int(x) for x in post.getlist("shared_with") if x.isdigit()],
                "fields": _posted_fields(post)}
        try:
            t = services.create_template(request.user, tf, data)
        except (DomainError, ValueError, ArithmeticError) as exc:
            errors = getattr(exc, "fields", {}) or {"name": getattr(exc, "message", "填写有误")}
            messages.error(request, getattr(exc, "message", "填写有误"))
        else:
            messages.success(request, f"已新建报表“{t.name}”")
            return redirect("report_aggregate", template_id=t.pk)
    rows = [{"i": i, **{k: (post.get(f"f{i}_{k}", "") if post else "") for k in
                        ("key", "label", "kind", "required", "min", "max", "options", "prefill")}}
            for i in range(FIELD_ROWS)]
    ctx = {**tf_context(tf, acc, "reports"), "rows": rows, "errors": errors, "post": post or {},
           "cadences": ReportTemplate.Cadence.choices, "kinds": ReportField.Kind.choices,
           "prefills": ReportField.Prefill.choices, "policies": ReportTemplate.Duplicate.choices,
           "share_choices": _same_office_choices(tf, request.user)}
    return render(request, "reports/template_new.html", ctx, status=422 if errors else 200)


@login_required
def report_aggregate(request: HttpRequest, template_id: int) -> HttpResponse:
    try:
        t = access.get_read_all_template(request.user, template_id)
    except NotFound:
        raise Http404 from None
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    day = _day(request.GET.get("period"))
    start = periods.period_start(t, day) or day
    agg = queries.aggregate(t, start)
    collected_data_read.send(sender=type(t), template_id=t.pk)
    numeric = agg["numeric"]
    trend_field = request.GET.get("field") or (numeric[0].key if numeric else "")
    trend = None
    if trend_field and any(f.key == trend_field for f in numeric):
        tr = queries.trend(t, trend_field, start - dt.timedelta(days=364), start)
        trend = {"label": next(f.label for f in numeric if f.key == trend_field),
                 "periods": [p["period"].isoformat() for p in tr["points"]],
                 "sums": [float(p["sum"]) if p["sum"] is not None else None for p in tr["points"]],
                 "filed": [p["filed"] for p in tr["points"]]}
    # The table: who has not filed first, then the rest; PAGE_ROWS a page (the counts, sums and averages
    # above it are of the whole period, read from the stored totals).
    rows = [r for r in agg["rows"] if r["status"] not in ("on_time", "late")]
    rows += [r for r in agg["rows"] if r["status"] in ("on_time", "late")]
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page_no = min(max(_int(request.GET.get("page"), 1) or 1, 1), pages)
    rows = rows[(page_no - 1) * PAGE_ROWS: page_no * PAGE_ROWS]
    return_url = reverse("report_submission_return", args=[0])[:-len("0/return")]
    keys = [f.key for f in agg["fields"]]
    for row in rows:
        row["cells"] = [row["values"].get(k) for k in keys]
        if row["submission_id"]:
            row["return_url"] = f"{return_url}{row['submission_id']}/return"
    can_manage = access.can_manage(request.user, t)
    month_start = start.replace(day=1)
    return render(request, "reports/aggregate.html", {
        "t": t, "agg": agg, "rows": rows, "page_no": page_no, "pages": pages,
        "page_range": range(1, pages + 1), "start": start, "trend": trend, "trend_field": trend_field, "can_manage": can_manage,
        "prev": start - dt.timedelta(days=1), "next": start + dt.timedelta(days=1 if t.cadence == "daily" else 7),
        "period_label": periods.label(t, start), "export_from": month_start, "export_to": start,
        "sums": [agg["sums"].get(f.key) if f.is_numeric else None for f in agg["fields"]],
        "averages": [agg["averages"].get(f.key) if f.is_numeric else None for f in agg["fields"]],
        "share_choices": _same_office_choices(t.taskforce, request.user) if can_manage else [],
        "shared_ids": set(t.shared_with.values_list("id", flat=True)), "section": "my_reports",
    })


@login_required
@require_POST
def report_remind(request: HttpRequest, template_id: int) -> HttpResponse:
    t = _template(request, template_id)
    day = _day(request.POST.get("period"))
    try:
        n = len(services.remind_missing(request.user, t, day))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已向 {n} 个未报主体发出催报")
    return redirect(f"{reverse('report_aggregate', args=[t.pk])}?period={day.isoformat()}")


@login_required
@require_POST
def report_share(request: HttpRequest, template_id: int) -> HttpResponse:
    t = _template(request, template_id)
    try:
        services.share_template(request.user, t, [int(x) for x in request.POST.getlist("shared_with") if x.isdigit()])
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message + "：" + "；".join(exc.fields.values()))
    else:
        messages.success(request, "已更新共享范围")
    return redirect("report_aggregate", template_id=t.pk)


@login_required
@require_POST
def report_export(request: HttpRequest, template_id: int) -> HttpResponse:
    t = _template(request, template_id)
    try:
        job = services.start_export(request.user, t, _day(request.POST.get("from")), _day(request.POST.get("to")))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("report_aggregate", template_id=t.pk)
    transaction.on_commit(lambda: enqueue_export(job.pk))
    return redirect("report_export_job", job_id=job.pk)


def _job(request: HttpRequest, pk: int) -> ExportJob:
    job = ExportJob.objects.select_related("template").filter(pk=pk).first()
    if job is None or (job.created_by_id != request.user.pk and not tfa.is_admin(request.user)):
        raise Http404
    return job


@login_required
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "reports/export_job.html", {"job": _job(request, job_id), "section": "my_reports"})


@login_required
@require_GET
def export_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "reports/_export_progress.html", {"job": _job(request, job_id)})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True,
                        filename=f"{job.template.name}-{job.date_from:%Y%m%d}-{job.date_to:%Y%m%d}.xlsx")


def _attachment_names(t: ReportTemplate, ids: list[Any]) -> dict[str, str]:
    from zhuanban.files.models import Attachment

    pks = [int(i) for i in ids if str(i).isdigit()]
    if not pks:
        return {}
    return {str(pk): name for pk, name in Attachment.objects.filter(pk__in=pks, taskforce_id=t.taskforce_id)
            .values_list("pk", "original_name")}


@login_required
def report_fill(request: HttpRequest, template_id: int) -> HttpResponse:
    """The filing form: fields rendered from the template, pre-filled values marked, draft or submit."""
    t = _template(request, template_id)
    mine = access.filer_keys_of(request.user, t)
    unit = request.POST.get("unit") or request.GET.get("unit")
    filer = next((f for f in mine if unit is None or str(f.unit_id) == unit), None)
    if filer is None:
        raise Http404
    day = _day(request.POST.get("period") or request.GET.get("period"))
    start = periods.period_start(t, day) or day
    info = periods.info(t, start)
    fields_ = list(t.fields.all())
    sub = Submission.objects.filter(template=t, period=start, filer_key=filer.key).first()
    errors: dict[str, str] = {}
    values: dict[str, Any] = dict(sub.values) if sub else {}
    prefilled: dict[str, Any] = {}
    if info is not None:
        prefilled = fields.prefill_values(t, fields_, filer.unit_id, filer.person_id, info.start, info.end)
    status = 200
    if request.method == "POST":
        old_values = values
        values = {f.key: request.POST.get(f.key, "") for f in fields_ if f.kind != ReportField.Kind.ATTACHMENT}
        submit = request.POST.get("action") == "submit"
        unit_id = filer.unit_id if filer.key.startswith("u") else None
        try:
            for f in fields_:  # a chosen file is stored first; otherwise the field keeps its attachment
                if f.kind != ReportField.Kind.ATTACHMENT:
                    continue
                upload = request.FILES.get(f.key)
                if upload is not None:
                    values[f.key] = services.upload_field_attachment(request.user, t, f.key, upload,
                                                                     unit_id=unit_id).pk
                elif old_values.get(f.key) not in (None, ""):
                    values[f.key] = old_values[f.key]
            sub = services.file_report(request.user, t, start, values, submit=submit,
                                       unit_id=unit_id, version=_int(request.POST.get("version"), None))
        except DomainError as exc:
            errors, status = exc.fields, exc.status
            messages.error(request, exc.message)
            sub = Submission.objects.filter(template=t, period=start, filer_key=filer.key).first()
        else:
            messages.success(request, "已报送" if submit else "草稿已保存")
            return redirect(f"{reverse('report_fill', args=[t.pk])}?period={start.isoformat()}&unit={filer.unit_id}")
    names = _attachment_names(t, [values.get(f.key) for f in fields_ if f.kind == ReportField.Kind.ATTACHMENT])
    form_fields = []
    for f in fields_:
        value = values.get(f.key)
        is_prefilled = f.key in prefilled and (value is None or value == "")
        form_fields.append({"f": f, "value": prefilled[f.key] if is_prefilled else ("" if value is None else value),
                            "prefilled": f.key in prefilled, "error": errors.get(f.key),
                            "file_name": names.get(str(value)) if f.kind == ReportField.Kind.ATTACHMENT else None})
    return render(request, "reports/fill.html", {
        "t": t, "filer": filer, "start": start, "info": info, "sub": sub, "form_fields": form_fields,
        "is_open": bool(info and info.is_open()), "period_label": periods.label(t, start),
        "status_label": queries.STATUS_LABELS[queries.row_status(sub)], "section": "my_reports",
        "errors": errors,
    }, status=status)


@login_required
@require_POST
def submission_return(request: HttpRequest, submission_id: int) -> HttpResponse:
    try:
        sub = access.get_readable_submission(request.user, submission_id)
    except NotFound:
        raise Http404 from None
    try:
        services.return_submission(request.user, sub, request.POST.get("comment", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已退回修改")
    return redirect(f"{reverse('report_aggregate', args=[sub.template_id])}?period={sub.period.isoformat()}")


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    items = queries.my_reports(request.user)
    return render(request, "reports/my.html", {"section": "my_reports", "items": items,
                                               "reminded": [i for i in items if i["reminders"]
                                                            and i["status"] not in ("on_time", "late")]})
