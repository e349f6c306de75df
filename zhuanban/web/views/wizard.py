"""The formation wizard (组建向导).

Steps 1–3 (positioning, typology, structure) are a draft in the session, each step checked by the
service's own rules (``services.validate_draft``); step 3 creates the task force in 筹建 state.  Steps 4–6
(member units with their liaisons, members, review and activation) then work on the created task force.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhuanban.core.errors import DomainError, Invalid
from zhuanban.taskforces import access, queries, services
from zhuanban.taskforces.models import Membership, TaskForce, today

from ..forms import (
    POSITIONING_FIELDS,
    STRUCTURE_FIELDS,
    TYPOLOGY_FIELDS,
    JoinForm,
    MemberUnitWithLiaisonForm,
    PositioningForm,
    TypologyForm,
    WizardStructureForm,
    apply_error,
)
from .common import load_taskforce
from .membership import add_unit_with_liaison, do_join

SESSION_KEY = "tf_wizard"
STEPS = [
    (1, gettext_lazy("定位")),
    (2, gettext_lazy("类型")),
    (3, gettext_lazy("组织架构")),
    (4, gettext_lazy("成员单位")),
    (5, gettext_lazy("成员")),
    (6, gettext_lazy("核对启动")),
]


def _require_creator(request: HttpRequest) -> None:
    if not access.can_create_taskforce(request.user):
        raise PermissionDenied(_("只有单位负责人、专班办公室或系统管理员可以组建专班"))


def _draft(request: HttpRequest) -> dict[str, dict[str, str]]:
    return request.session.get(SESSION_KEY) or {}


def _save_step(request: HttpRequest, step: int, form: forms.Form) -> None:
    """Keep the raw inputs: re-binding them later gives the typed values back through the same form."""
    draft = _draft(request)
    draft[str(step)] = {name: request.POST.get(name, "") for name in form.fields}
    request.session[SESSION_KEY] = draft


def _typed(request: HttpRequest, step: int) -> dict[str, Any] | None:
    raw = _draft(request).get(str(step))
    if raw is None:
        return None
    form = _step_form(request, step, data={k: v for k, v in raw.items() if v != ""})
    return form.cleaned_data if form.is_valid() else None


def _step_form(request: HttpRequest, step: int, data: Any = None, initial: Any = None) -> forms.Form:
    if step == 1:
        return PositioningForm(data, initial=initial)
    if step == 2:
        return TypologyForm(data, initial=initial)
    return WizardStructureForm(data, initial=initial, user=request.user)


def _only(exc: Invalid, names: list[str]) -> DomainError | None:
    """The part of a draft check that concerns this step's fields (later steps are not filled yet)."""
    fields = {k: v for k, v in exc.fields.items() if k in names}
    if not fields:
        return None
    return Invalid(exc.code, next(iter(fields.values())), fields)


def _render_step(request: HttpRequest, step: int, form: forms.Form, status: int = 200,
                 **ctx: Any) -> HttpResponse:
    return render(request, f"web/wizard/step{step}.html",
                  {"form": form, "step": step, "steps": STEPS, **ctx}, status=status)


@login_required
def wizard_draft_step(request: HttpRequest, step: int = 1) -> HttpResponse:
    """Steps 1–3 (the draft)."""
    _require_creator(request)
    if step not in (1, 2, 3):
        return redirect("tf_new")
    earlier = [s for s in range(1, step) if _typed(request, s) is None]
    if earlier:
        return redirect("tf_new_step", step=earlier[0]) if earlier[0] > 1 else redirect("tf_new")
    if request.method != "POST":
        initial = _draft(request).get(str(step))
        if initial is None and step == 1:
            initial = {"established_on": today(), "basis": TaskForce.Basis.NOTICE}
        return _render_step(request, step, _step_form(request, step, initial=initial))
    form = _step_form(request, step, data=request.POST)
    if not form.is_valid():
        return _render_step(request, step, form)
    if step in (1, 2):
        data = dict(form.cleaned_data)
        if step == 2:
            data = {**(_typed(request, 1) or {}), **data}
        try:
            services.validate_draft(**data)
        except Invalid as exc:
            mine = _only(exc, POSITIONING_FIELDS if step == 1 else TYPOLOGY_FIELDS)
            if mine is not None:
                apply_error(form, mine)
                return _render_step(request, step, form, status=mine.status)
        _save_step(request, step, form)
        return redirect("tf_new_step", step=step + 1)
    return _create(request, form)


def _create(request: HttpRequest, form: forms.Form) -> HttpResponse:
    data = {**(_typed(request, 1) or {}), **(_typed(request, 2) or {})}
    data.update({k: form.cleaned_data.get(k) for k in STRUCTURE_FIELDS})
    groups = form.cleaned_data.get("groups") or []
    try:
        with transaction.atomic():
            tf = services.create_taskforce(request.user, **data)
            for name in groups:
                try:
                    services.add_group(request.user, tf, name=name)
                except DomainError as exc:
                    raise DomainError(exc.code, exc.message, {"groups": exc.message}, status=exc.status) from None
    except DomainError as exc:
        apply_error(form, exc)
        return _render_step(request, 3, form, status=exc.status)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("专班“%(name)s”已创建（筹建中），请继续添加成员单位和联络员") % {"name": tf.name})
    return redirect("tf_setup", pk=tf.pk, step=4)


@login_required
@require_POST
def wizard_cancel(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("已放弃组建草稿"))
    return redirect("taskforce_list")


# ---- steps 4–6: on the created task force -------------------------------------------------------


@login_required
def wizard_setup(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    if step not in (4, 5, 6):
        return redirect("tf_setup", pk=tf.pk, step=4)
    ctx: dict[str, Any] = {"tf": tf, "access": acc, "step": step, "steps": STEPS}
    here = reverse("tf_setup", args=[tf.pk, step])
    form: forms.Form | None = None
    if step == 4:
        form = MemberUnitWithLiaisonForm(request.POST or None, user=request.user)
        run = add_unit_with_liaison
    elif step == 5:
        form = JoinForm(request.POST or None, user=request.user, tf=tf,
                        initial={"role": Membership.Role.MEMBER, "workload_pct": 50})
        run = do_join
    status = 200
    if form is not None and request.method == "POST":
        if form.is_valid():
            try:
                messages.success(request, run(request.user, tf, form.cleaned_data))
                return redirect(here)
            except DomainError as exc:
                apply_error(form, exc)
                status = exc.status
    ctx["form"] = form
    ctx["member_units"] = list(queries.member_units_of(tf))
    ctx["members"] = list(queries.members_of(tf))
    if step == 6:
        ctx["typ"] = queries.classify(tf)
        ctx["groups"] = list(tf.groups.select_related("lead_unit"))
        ctx["units_without_liaison"] = [mu for mu in ctx["member_units"] if not mu.active_liaisons]
        ctx["can_activate"] = tf.status == TaskForce.Status.PLANNING
    return render(request, f"web/wizard/step{step}.html", ctx, status=status)
