"""The task force's 经费保障 tab: the ledger (lines with budget / spent / remaining and a bar chart, expenses,
procurement, office space and equipment) and, for its managers, the forms that write it.  Each form posts
to its own URL, which calls one service; a refusal re-renders the tab (422/409) with the message beside
the field that caused it and the input kept.  External members have no such tab (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhuanban.core.errors import DomainError, Forbidden, NotFound
from zhuanban.taskforces.models import Membership, TaskForce, today
from zhuanban.web.views.common import load_taskforce, tf_context

from . import exporter, queries, services
from .models import BudgetLine, Procurement, Resource


def _tab(request: HttpRequest, tf: TaskForce, acc: Any, *, form: str = "", errors: dict[str, str] | None = None,
         status: int = 200) -> HttpResponse:
    try:
        led = queries.ledger(request.user, tf.pk)
    except Forbidden:
        raise Http404 from None
    chart = {"names": [ln["name"] for ln in led.lines], "budget": [float(ln["budget"]) for ln in led.lines],
             "spent": [float(ln["spent"]) for ln in led.lines]}  # floats only for drawing the bars
    members = []
    managers = []
    units = []
    if acc.manage:
        ms = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person")
                  .order_by("person__name"))
        seen: set[int] = set()
        for m in ms:
            if m.person_id not in seen:
                members.append(m.person)
                seen.add(m.person_id)
        mgr_roles = Membership.LEADER_ROLES | Membership.OFFICE_ROLES
        managers = sorted({m.person for m in ms if m.role in mgr_roles}, key=lambda p: p.name)
        units = [mu.unit for mu in tf.member_units.filter(left_on__isnull=True).select_related("unit")]
    ctx = {
        **tf_context(tf, acc, "funds"), "led": led, "chart": chart, "form": form, "errors": errors or {},
        "post": request.POST if form else {}, "members": members, "managers": managers, "units": units,
        "approved_lines": [ln for ln in led.lines if ln["approved"]], "today": today(),
        "sources": BudgetLine.Source.choices, "kinds": Resource.Kind.choices, "origins": Resource.Origin.choices,
        "methods": Procurement.Method.choices, "me": getattr(request.user, "person", None),
    }
    return render(request, "funds/tab.html", ctx, status=status)


@login_required
def tf_funds(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    return _tab(request, tf, acc)


def _write(form: str, call):
    """A POST view: load the task force (managers only), run ``call(request, tf)``; on a refusal render the
    tab again with the form's errors beside its fields."""
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int, **kwargs: int) -> HttpResponse:
        obj_id = next(iter(kwargs.values()), None)  # line_id / expense_id / resource_id
        tf, acc = load_taskforce(request, pk, manage=True, full_view=True)
        try:
            message = call(request, tf, obj_id)
        except NotFound:
            raise Http404 from None
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            messages.error(request, exc.message)
            return _tab(request, tf, acc, form=form, errors={f"{form}_{k}": v for k, v in exc.fields.items()}
                        | {f"{form}__key": f"{obj_id or ''}"}, status=exc.status)
        messages.success(request, message)
        return redirect(reverse("tf_funds", args=[tf.pk]) + f"#{form}")
    view.__name__ = f"funds_{form}"
    return view


def _own(getter, request: HttpRequest, tf: TaskForce, obj_id: int | None) -> Any:
    obj = getter(request.user, obj_id)
    if obj.taskforce_id != tf.pk:
        raise NotFound()
    return obj


def _line(request: HttpRequest, tf: TaskForce, _: int | None) -> str:
    p = request.POST
    line = services.create_line(request.user, tf, {k: p.get(k, "") for k in ("name", "source", "document_no",
                                                                               "amount", "note")})
    return f"已新增预算线“{line.name}”（待批准）"


def _approve(request: HttpRequest, tf: TaskForce, line_id: int | None) -> str:
    line = _own(queries.get_line, request, tf, line_id)
    line = services.approve_line(request.user, line, document_no=request.POST.get("document_no", ""),
                                 version=_int(request.POST.get("version")))
    return f"预算线“{line.name}”已批准（{line.document_no}）"


def _edit(request: HttpRequest, tf: TaskForce, line_id: int | None) -> str:
    """Edit a line from the version the form was drawn with: if someone saved in between, 409."""
    line = _own(queries.get_line, request, tf, line_id)
    line = services.update_line(request.user, line, {k: request.POST.get(k, "") for k in (
        "name", "amount", "document_no")}, version=_int(request.POST.get("version")) or 0)
    return f"预算线“{line.name}”已修改"


def _expense(request: HttpRequest, tf: TaskForce, _: int | None) -> str:
    p = request.POST
    data = {k: p.get(k, "") for k in ("line", "spent_on", "payee", "purpose", "amount", "approved_by")}
    e = services.record_expense(request.user, tf, data, upload=request.FILES.get("attachment"))
    return f"已登记支出 {services.yuan(e.amount)} 元（{e.line.name}）"


def _void(request: HttpRequest, tf: TaskForce, expense_id: int | None) -> str:
    e = _own(queries.get_expense, request, tf, expense_id)
    services.void_expense(request.user, e, reason=request.POST.get("reason", ""),
                          version=_int(request.POST.get("version")))
    return "已冲销该笔支出"


def _procurement(request: HttpRequest, tf: TaskForce, _: int | None) -> str:
    p = request.POST
    proc = services.record_procurement(request.user, tf, {k: p.get(k, "") for k in (
        "item", "method", "supplier", "amount", "contract_no", "purchased_on")})
    return f"已登记采购“{proc.item}”"


def _resource(request: HttpRequest, tf: TaskForce, _: int | None) -> str:
    p = request.POST
    r = services.create_resource(request.user, tf, {k: p.get(k, "") for k in (
        "kind", "name", "quantity", "origin", "lent_by", "custodian", "borrowed_on", "note")})
    return f"已登记“{r}”"


def _return(request: HttpRequest, tf: TaskForce, resource_id: int | None) -> str:
    r = _own(queries.get_resource, request, tf, resource_id)
    services.return_resource(request.user, r, returned_to=request.POST.get("returned_to", ""),
                             returned_on=request.POST.get("returned_on") or None,
                             version=_int(request.POST.get("version")))
    return f"“{r}”已登记归还"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


funds_line = _write("line", _line)
funds_line_approve = _write("approve", _approve)
funds_line_edit = _write("edit", _edit)
funds_expense = _write("expense", _expense)
funds_expense_void = _write("void", _void)
funds_procurement = _write("procurement", _procurement)
funds_resource = _write("resource", _resource)
funds_resource_return = _write("return", _return)


@login_required
def funds_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The ledger as .xlsx, for the task force's managers (it names payees)."""
    tf, _ = load_taskforce(request, pk, manage=True, full_view=True)
    body = exporter.export_ledger(tf)
    services.record_export(request.user, tf)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"ledger-{tf.pk}.xlsx\""
    return response
