"""Managers' actions on a task force's people and content: member units, members (join, exit, replace
with handover), theme groups, targets and the demand list.  Every change goes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from zhuanban.core.errors import DomainError
from zhuanban.taskforces import openitems, services
from zhuanban.taskforces.access import Access
from zhuanban.taskforces.models import DemandItem, Membership, MemberUnit, TaskForce

from ..forms import (
    DemandForm,
    DemandStatusForm,
    GroupForm,
    JoinForm,
    LeaveForm,
    MemberUnitWithLiaisonForm,
    ReplaceForm,
    TargetForm,
    UnitExitForm,
)
from .common import form_page, load_taskforce, redirect_next, tf_context, tf_url

FORM_TEMPLATE = "web/tf/form.html"


def remap(exc: DomainError, mapping: dict[str, str]) -> DomainError:
    """The same refusal with its field names translated to another form's fields."""
    fields = {mapping.get(k, k): v for k, v in exc.fields.items()}
    out = DomainError(exc.code, exc.message, fields, status=exc.status, extra=exc.extra)
    return out


def _form_action(
    request: HttpRequest,
    tf: TaskForce,
    acc: Access,
    *,
    form_class: type[forms.Form],
    form_kwargs: dict[str, Any] | None = None,
    run: Callable[[dict[str, Any]], str],
    title: str,
    submit: str,
    tab: str,
    initial: dict[str, Any] | None = None,
    **extra: Any,
) -> HttpResponse:
    """GET shows the form; POST validates it, calls ``run`` (a service call returning the success
    message) and goes back to the tab, or shows the refusal next to the fields."""
    kwargs = form_kwargs or {}
    ctx = {**tf_context(tf, acc, tab), "title": title, "submit": submit, "back": tf_url(tf, tab), **extra}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                message = run(form.cleaned_data)
            except DomainError as exc:
                return form_page(request, FORM_TEMPLATE, form, exc=exc, **ctx)
            messages.success(request, message)
            return redirect_next(request, tf_url(tf, tab))
    else:
        form = form_class(initial=initial, **kwargs)
    return render(request, FORM_TEMPLATE, {"form": form, **ctx})


def _membership(tf: TaskForce, mid: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("person__home_unit", "member_unit__unit"),
                             pk=mid, taskforce=tf)


# ---- member units --------------------------------------------------------------------------------


def add_unit_with_liaison(user: Any, tf: TaskForce, data: dict[str, Any]) -> str:
    """A member unit and (optionally) its liaison, all or nothing."""
    with transaction.atomic():
        mu = services.add_member_unit(user, tf, unit=data["unit"], role=data["role"], joined_on=data.get("joined_on"))
        liaison = data.get("liaison")
        if liaison is None:
            return _("已加入成员单位：%(unit)s") % {"unit": mu.unit}
        try:
            services.join(user, tf, person=liaison, role=Membership.Role.LIAISON, member_unit=mu,
                          workload_pct=data.get("liaison_workload_pct") or 0, start_on=data.get("joined_on"))
        except DomainError as exc:
            raise remap(exc, {"person": "liaison", "workload_pct": "liaison_workload_pct",
                              "start_on": "joined_on", "member_unit": "unit"}) from None
    return _("已加入成员单位：%(unit)s，联络员：%(name)s") % {"unit": mu.unit, "name": liaison.name}


@login_required
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    return _form_action(
        request, tf, acc, form_class=MemberUnitWithLiaisonForm, form_kwargs={"user": request.user},
        run=lambda d: add_unit_with_liaison(request.user, tf, d),
        title=_("加入成员单位"), submit=_("加入"), tab="members",
    )


@login_required
def unit_exit(request: HttpRequest, pk: int, mu_id: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    mu = get_object_or_404(MemberUnit.objects.select_related("unit"), pk=mu_id, taskforce=tf)

    def run(d: dict[str, Any]) -> str:
        services.exit_member_unit(request.user, mu, on=d.get("on"), reason=d.get("reason", ""))
        return _("%(unit)s已退出本专班") % {"unit": mu.unit}

    return _form_action(request, tf, acc, form_class=UnitExitForm, run=run, title=_("成员单位退出：%(unit)s") % {"unit": mu.unit},
                        submit=_("确认退出"), tab="members", danger=True)


# ---- members -------------------------------------------------------------------------------------


def do_join(user: Any, tf: TaskForce, d: dict[str, Any]) -> str:
    m = services.join(
        user, tf, person=d["person"], role=d["role"], dispatching_unit=d.get("dispatching_unit"),
        member_unit=d.get("member_unit"), group=d.get("group"), full_time=d.get("full_time", False),
        workload_pct=d.get("workload_pct") or 0, start_on=d.get("start_on"),
        decided_by=d.get("decided_by", ""), reason=d.get("reason", ""),
    )
    return _("%(name)s已加入本专班，任%(role)s") % {"name": m.person.name, "role": m.get_role_display()}


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    return _form_action(
        request, tf, acc, form_class=JoinForm, form_kwargs={"user": request.user, "tf": tf},
        run=lambda d: do_join(request.user, tf, d), title=_("添加成员（抽调 / 加入）"), submit=_("加入"),
        tab="members",
    )


@login_required
def member_exit(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    m = _membership(tf, mid)
    if m.end_on is not None:
        raise Http404

    def run(d: dict[str, Any]) -> str:
        services.leave(request.user, m, on=d.get("on"), decided_by=d.get("decided_by", ""),
                       reason=d.get("reason", ""))
        return _("%(name)s已退出本专班") % {"name": m.person.name}

    return _form_action(request, tf, acc, form_class=LeaveForm, run=run,
                        title=_("成员退出：%(name)s（%(role)s）") % {"name": m.person.name, "role": m.get_role_display()},
                        submit=_("确认退出"),
                        tab="members", danger=True, membership=m)


@login_required
def member_replace(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    m = _membership(tf, mid)
    if m.end_on is not None:
        raise Http404
    owned = [i for i in openitems.open_items(tf) if i.owner_id == m.person_id]

    def run(d: dict[str, Any]) -> str:
        new = services.replace(request.user, m, successor=d["successor"], on=d.get("on"),
                               decided_by=d.get("decided_by", ""), reason=d.get("reason", ""),
                               note=d.get("note", ""))
        moved = (_("，%(n)s项未办结事项已移交给%(name)s") % {"n": len(owned), "name": new.person.name}
                 if owned else "")
        return _("已由%(name)s接任%(role)s") % {"name": new.person.name, "role": m.get_role_display()} + moved

    return _form_action(
        request, tf, acc, form_class=ReplaceForm, form_kwargs={"user": request.user}, run=run,
        title=_("人员替换：%(name)s（%(role)s）") % {"name": m.person.name, "role": m.get_role_display()},
        submit=_("确认替换"), tab="members",
        membership=m, handover_items=owned, is_liaison=m.role == Membership.Role.LIAISON,
    )


# ---- groups, targets, demand list ----------------------------------------------------------------


@login_required
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)

    def run(d: dict[str, Any]) -> str:
        g = services.add_group(request.user, tf, name=d.get("name", ""), lead_unit=d.get("lead_unit"),
                               lead_person=d.get("lead_person"))
        return _("已新增专题组：%(name)s") % {"name": g.name}

    return _form_action(request, tf, acc, form_class=GroupForm, form_kwargs={"user": request.user, "tf": tf},
                        run=run, title=_("新增专题推进组"), submit=_("新增"), tab="structure")


@login_required
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)

    def run(d: dict[str, Any]) -> str:
        t = services.add_target(request.user, tf, description=d.get("description", ""), metric=d.get("metric", ""),
                                target_value=d.get("target_value"), unit_of_measure=d.get("unit_of_measure", ""),
                                due_on=d.get("due_on"))
        return _("已新增量化目标：%(name)s") % {"name": t.description}

    return _form_action(request, tf, acc, form_class=TargetForm, run=run, title=_("新增量化目标"), submit=_("新增"),
                        tab="")


@login_required
def demand_add(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)

    def run(d: dict[str, Any]) -> str:
        item = services.add_demand(request.user, tf, title=d.get("title", ""), source=d.get("source", ""),
                                   owner=d.get("owner"))
        return _("已新增需求清单项：%(name)s") % {"name": item.title}

    return _form_action(request, tf, acc, form_class=DemandForm, form_kwargs={"tf": tf}, run=run,
                        title=_("新增需求清单项"), submit=_("新增"), tab="")


@login_required
def demand_status(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    item = get_object_or_404(DemandItem, pk=item_id, taskforce=tf)

    def run(d: dict[str, Any]) -> str:
        services.set_demand_status(request.user, item, status=d["status"],
                                   handed_over_to=d.get("handed_over_to", ""))
        return _("需求事项“%(name)s”已更新为%(status)s") % {"name": item.title, "status": item.get_status_display()}

    initial = {"status": request.GET.get("status") or item.status, "handed_over_to": item.handed_over_to}
    return _form_action(request, tf, acc, form_class=DemandStatusForm, run=run, initial=initial,
                        title=_("需求事项：%(name)s") % {"name": item.title}, submit=_("保存"), tab="")

