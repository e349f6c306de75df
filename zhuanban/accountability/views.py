"""Pages of accountability: the task force's 责任与督办 tab (responsibility list, supervision records,
the .xlsx export), the supervision form, a supervision record with its follow-up, and a person's
responsibility portrait.  Reads through ``queries``, writes through ``services``; a refusal of the
form is shown next to its field and the input is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from zhuanban.core.errors import DomainError, Forbidden, NotFound
from zhuanban.core.exports import xlsx_bytes
from zhuanban.core.labels import export_banner
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership
from zhuanban.web.views.common import load_taskforce, tf_context

from . import lines, queries, services
from .models import Supervision


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


@login_required
@_domain
def tf_accountability(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    try:
        offset = max(int(request.GET.get("offset", 0)), 0)
    except ValueError:
        offset = 0
    count, rows = queries.responsibility_rows(request.user, tf, manage=acc.manage, offset=offset)
    records = list(queries.visible_supervisions(request.user).filter(taskforce=tf).order_by("-created_at", "-id")[:50])
    return render(request, "accountability/tab.html", {
        **tf_context(tf, acc, "accountability"), "rows": rows, "count": count, "offset": offset,
        "rows_html": lines.rows_html(rows, tf_id=tf.pk, manage=acc.manage, closed=tf.status in CLOSED),
        "page": queries.PAGE, "prev": max(offset - queries.PAGE, 0) if offset else None,
        "next": offset + queries.PAGE if offset + queries.PAGE < count else None, "records": records,
        "today": timezone.localdate()})


@login_required
@_domain
def tf_accountability_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One task force's list (a few hundred rows at most): written at once, every cell through safe_cell."""
    tf, acc = load_taskforce(request, pk, full_view=True)
    _, rows = queries.responsibility_rows(request.user, tf, manage=acc.manage, limit=None)
    out: list[list[Any]] = [[export_banner(tf.security_label, title=f"{tf.name} 责任清单")],
                            ["任务", "上级任务", "状态", "完成时限", "决策责任人", "决策责任单位", "执行责任人",
                             "执行责任单位", "牵头单位", "配合单位", "派发人", "督办次数"]]
    for r in rows:
        out.append([r["title"], r["parent"], r["status_label"],
                    timezone.localtime(r["due_at"]).date() if r["due_at"] else "", r["decision_owner"],
                    r["decision_unit"], r["execution_owner"], r["execution_unit"], r["lead_unit"],
                    "、".join(r["cooperating_units"]), r["dispatcher"], r["supervisions"]])
    response = HttpResponse(xlsx_bytes(out, title="责任清单"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''accountability-{tf.pk}.xlsx"
    return response


@login_required
@_domain
def tf_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True, full_view=True)
    _, rows = queries.responsibility_rows(request.user, tf, manage=True, limit=None)
    data: dict[str, Any] = {"kind": "notice", "tasks": [int(t) for t in request.GET.getlist("task") if t.isdigit()],
                            "follow_up_due": (timezone.localdate() + dt.timedelta(days=5)).isoformat()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        p = request.POST
        data = {"kind": p.get("kind", ""), "tasks": [int(t) for t in p.getlist("tasks") if t.isdigit()],
                "title": p.get("title", ""), "reason": p.get("reason", ""), "person": p.get("person", ""),
                "follow_up_due": p.get("follow_up_due", ""), "talk_at": p.get("talk_at", ""),
                "location": p.get("location", "")}
        talk_at = parse_datetime(data["talk_at"] or "")
        if talk_at is not None and timezone.is_naive(talk_at):
            talk_at = timezone.make_aware(talk_at)
        person = None
        if data["person"].isdigit():
            person = Membership.objects.filter(taskforce=tf, person_id=int(data["person"])).select_related(
                "person").first()
            person = person.person if person else None
        try:
            rec = services.create(request.user, kind=data["kind"], task_ids=data["tasks"], title=data["title"],
                                  reason=data["reason"], follow_up_due=parse_date(data["follow_up_due"] or ""),
                                  person=person, talk_at=talk_at, location=data["location"])
            messages.success(request, f"{rec.get_kind_display()}已记录，并已发送到{rec.person.name}的收件箱（须确认接收）")
            return redirect("supervision_detail", supervision_id=rec.pk)
        except DomainError as exc:
            if isinstance(exc, NotFound | Forbidden):
                raise
            errors = exc.fields or {"__all__": exc.message}
            messages.error(request, exc.message)
    members = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person")
                   .order_by("person__name"))
    return render(request, "accountability/supervise.html", {
        **tf_context(tf, acc, "accountability"), "rows": rows, "data": data, "errors": errors, "members": members,
        "kinds": Supervision.Kind.choices}, status=422 if errors else 200)


@login_required
@_domain
def supervision_detail(request: HttpRequest, supervision_id: int) -> HttpResponse:
    rec = queries.get_supervision(request.user, supervision_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            version = int(request.POST.get("version", "")) if request.POST.get("version", "").isdigit() else None
            if action == "respond":
                services.respond(request.user, rec, response=request.POST.get("text", ""), version=version)
                messages.success(request, "整改反馈已提交")
            elif action == "close":
                services.close(request.user, rec, note=request.POST.get("text", ""), version=version)
                messages.success(request, "督办已办结")
            return redirect("supervision_detail", supervision_id=rec.pk)
        except DomainError as exc:
            if isinstance(exc, NotFound | Forbidden):
                raise
            errors = exc.fields or {"text": exc.message}
            messages.error(request, exc.message)
    me = tf_access.person_of(request.user)
    return render(request, "accountability/supervision.html", {
        "rec": rec, "tasks": list(rec.tasks.all().order_by("id")), "errors": errors,
        "can_manage": services.can_manage(request.user, rec),
        "is_subject": me is not None and me.pk == rec.person_id, "text": request.POST.get("text", "")},
        status=422 if errors else 200)


@login_required
@_domain
def person_portrait(request: HttpRequest, person_id: int) -> HttpResponse:
    person, scope = queries.get_person(request.user, person_id)
    data = queries.portrait(request.user, person, scope)
    f = data["figures"]
    chart = {"names": [r["name"] for r in data["taskforces"]],
             "on_time": [r["on_time"] for r in data["taskforces"]],
             "late": [r["done"] - r["on_time"] for r in data["taskforces"]],
             "overdue_open": [max(r["overdue"] - (r["done"] - r["on_time"]), 0) for r in data["taskforces"]],
             "open": [r["owned"] - r["done"] - max(r["overdue"] - (r["done"] - r["on_time"]), 0)
                      for r in data["taskforces"]]}
    return render(request, "accountability/portrait.html", {**data, "f": f, "chart": chart})
