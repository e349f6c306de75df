"""Pages of insight (监测): the dashboards (ECharts from the app's vendor static), the health checks, the
office's rule settings, the task force's 总结 tab and one archived summary (page and .docx).  Thin: scope
and refusals from ``queries``, writes through ``services``; NotFound/Forbidden become 404/403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhuanban.core.errors import DomainError, Forbidden, NotFound
from zhuanban.org.models import Unit
from zhuanban.taskforces import access as tf_access
from zhuanban.web.views.common import load_taskforce, tf_context

from . import api, checks, queries, services, summary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def _boards(user: Any) -> list[tuple[str, str]]:
    """The dashboards this user may open, in the navbar's order."""
    out = []
    if queries.is_office(user):
        out.append(("office", "全省"))
    if queries.led_taskforce_ids(user):
        out.append(("leader", "我牵头的专班"))
    person = tf_access.person_of(user)
    if person is not None and person.is_unit_leader:
        out.append(("unit", "本单位抽调"))
    elif out and out[0][0] == "office":
        out.append(("unit", "派出单位"))  # the office picks any unit
    return out


@login_required
@_domain
def home(request: HttpRequest) -> HttpResponse:
    boards = _boards(request.user)
    if not boards:
        raise PermissionDenied("监测看板供专班统筹办公室、专班领导和派出单位负责人查看")
    return redirect("insight_board", boards[0][0])


@login_required
@_domain
def board(request: HttpRequest, dashboard: str) -> HttpResponse:
    try:
        data = api.dashboard_data(request.user, dashboard, request.GET.get("unit") or None)
    except DomainError as exc:
        if exc.code == "unit_required":
            data = None
        else:
            raise
    if data:
        stamp = data.get("snapshot_at") or (data.get("figures") or {}).get("as_of")
        data["as_of_label"] = _local_label(stamp)
    units = list(Unit.objects.order_by("name").values("id", "name")[:3000]) if dashboard == "unit" and \
        queries.is_office(request.user) else []
    return render(request, "insight/dashboard.html", {
        "section": "insight", "dashboard": dashboard, "data": data, "boards": _boards(request.user),
        "units": units, "unit_id": str(request.GET.get("unit") or (data or {}).get("unit_id") or ""),
        "can_tune": queries.can_tune_rules(request.user)})


def _local_label(stamp: str | None) -> str:
    if not stamp:
        return ""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    value = parse_datetime(stamp)
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


@login_required
@_domain
def health(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("check") or ""
    results = queries.health(request.user, [code] if code else None)
    data = api.health_data(results)
    return render(request, "insight/health.html", {
        "section": "insight", "data": data, "check": code, "all_checks": list(checks.CHECKS.values()),
        "can_tune": queries.can_tune_rules(request.user), "boards": _boards(request.user)})


@login_required
@_domain
def rules(request: HttpRequest) -> HttpResponse:
    if not queries.can_tune_rules(request.user):
        raise PermissionDenied("只有专班统筹办公室可以调整体检规则")
    errors: dict[str, dict[str, str]] = {}
    posted: dict[str, dict[str, Any]] = {}
    if request.method == "POST":
        code = request.POST.get("code", "")
        posted[code] = {"threshold": request.POST.get("threshold", ""), "enabled": bool(request.POST.get("enabled"))}
        try:
            services.save_rule(request.user, code, enabled=bool(request.POST.get("enabled")),
                               threshold=request.POST.get("threshold"),
                               version=int(request.POST.get("version") or 0))
        except DomainError as exc:
            if isinstance(exc, NotFound | Forbidden):
                raise
            errors[code] = exc.fields or {"threshold": exc.message}
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存体检规则")
            return redirect(reverse("insight_rules"))
    rows = api.rule_rows()
    for r in rows:
        r["errors"] = errors.get(r["code"], {})
        if r["code"] in posted:
            r.update(posted[r["code"]])
    return render(request, "insight/rules.html", {"section": "insight", "rules": rows,
                                                  "boards": _boards(request.user)},
                  status=422 if errors else 200)


@login_required
def tf_summaries(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    items = queries.summaries_of(request.user, tf)
    return render(request, "insight/tf_summaries.html", {**tf_context(tf, acc, "summaries"), "summaries": items})


@login_required
@_domain
def summary_page(request: HttpRequest, summary_id: int) -> HttpResponse:
    s = queries.get_summary(request.user, summary_id)
    return render(request, "insight/summary.html", {"s": s, "d": s.data, "figure_labels": summary.FIGURE_LABELS})


@login_required
@_domain
def summary_docx(request: HttpRequest, summary_id: int) -> HttpResponse:
    s = queries.get_summary(request.user, summary_id)
    response = HttpResponse(summary.to_docx(s.data), content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename=summary-{s.taskforce_id}-{s.period_number}.docx"
    return response
