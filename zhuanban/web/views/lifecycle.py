"""Lifecycle actions: activate, suspend, resume, dissolve (with its checklist), restart, merge.

Which buttons show comes from ``lifecycle.allowed_actions``; whether a move is legal is decided by the
services, whose refusal (with the reason) is shown on the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhuanban.core.errors import DomainError
from zhuanban.taskforces import lifecycle, queries, services
from zhuanban.taskforces.access import Access
from zhuanban.taskforces.models import DemandItem, TaskForce

from ..forms import BootstrapForm, DissolveForm, MergeForm, ReasonForm
from .common import form_page, load_taskforce, tf_context, tf_url

TEMPLATE = "web/tf/lifecycle.html"

INTRO = {
    "activate": gettext_lazy("启动后专班进入运行状态，开始第一个运行期。"),
    "suspend": gettext_lazy("暂停期间专班保留成员和事项，可随时恢复运行。"),
    "resume": gettext_lazy("恢复后专班重新进入运行状态。"),
    "dissolve": gettext_lazy("解散须满足解散条件：未办结事项全部办结或移交，已撰写工作总结和经验做法。"
                             "解散后全部成员和成员单位的任职随之结束，人员回归原单位（事毕人归）。"),
    "restart": gettext_lazy("重启用于周期性、反复出现的事项：保留全部历史，开启新的运行期。原成员不会自动回到专班。"),
    "merge": gettext_lazy("并入后，本专班的在岗成员、成员单位和未办结事项转入目标专班，本专班关闭。"),
}


def _form_for(action: str, request: HttpRequest, tf: TaskForce, data: Any = None) -> forms.Form:
    if action in ("suspend", "restart"):
        return ReasonForm(data)
    if action == "dissolve":
        return DissolveForm(data, initial={"summary": tf.summary, "lessons": tf.lessons})
    if action == "merge":
        return MergeForm(data, user=request.user, tf=tf)
    return BootstrapForm(data)


def _run(action: str, request: HttpRequest, tf: TaskForce, d: dict[str, Any]) -> str:
    user = request.user
    if action == "activate":
        services.activate(user, tf)
        return _("专班已启动运行")
    if action == "suspend":
        services.suspend(user, tf, reason=d.get("reason", ""))
        return _("专班已暂停")
    if action == "resume":
        services.resume(user, tf)
        return _("专班已恢复运行")
    if action == "dissolve":
        active = tf.memberships.filter(end_on__isnull=True).count()
        services.dissolve(user, tf, summary=d.get("summary", ""), lessons=d.get("lessons", ""), on=d.get("on"))
        return _("专班已解散，%(n)s名成员回归原单位") % {"n": active}
    if action == "restart":
        services.restart(user, tf, reason=d.get("reason", ""))
        return _("专班已重启，开启新的运行期")
    if action == "merge":
        into = d["into"]
        services.merge(user, tf, into=into, reason=d.get("reason", ""))
        return _("专班已并入“%(name)s”") % {"name": into.name}
    raise Http404


def _context(tf: TaskForce, acc: Access, action: str, blockers: list[dict] | None) -> dict[str, Any]:
    ctx = tf_context(tf, acc, "")
    allowed = action in lifecycle.allowed_actions(tf.status)
    refusal = ""
    if not allowed:
        try:
            lifecycle.check_transition(tf, action)
        except DomainError as exc:
            refusal = exc.message
    ctx.update({
        "action": action,
        "action_label": lifecycle.ACTION_LABELS[action],
        "intro": INTRO[action],
        "allowed": allowed,
        "refusal": refusal,
        "danger": action in ("dissolve", "merge", "suspend"),
    })
    if action == "dissolve":
        ctx["blockers"] = blockers if blockers is not None else services.dissolution_blockers(tf)
        ctx["open_demands"] = list(tf.demands.filter(status=DemandItem.Status.OPEN).select_related("owner"))
        ctx["active_members"] = tf.memberships.filter(end_on__isnull=True).count()
    if action == "activate":
        ctx["no_members"] = not tf.memberships.filter(end_on__isnull=True).exists()
        ctx["no_liaison_units"] = [mu for mu in queries.member_units_of(tf) if not mu.active_liaisons]
    return ctx


@login_required
def lifecycle_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.LIFECYCLE_ACTIONS:
        raise Http404
    tf, acc = load_taskforce(request, pk, manage=True)
    if request.method == "POST":
        form = _form_for(action, request, tf, request.POST)
        if form.is_valid():
            try:
                message = _run(action, request, tf, form.cleaned_data)
            except DomainError as exc:
                tf.refresh_from_db()
                blockers = exc.extra.get("blockers")
                if blockers:
                    # The checklist items the form can fix are shown next to their fields.
                    fields = {b["kind"]: b["message"] for b in blockers if b["kind"] in ("summary", "lessons")}
                    exc = DomainError(exc.code, exc.message, fields, status=exc.status, extra=exc.extra)
                return form_page(request, TEMPLATE, form, exc=exc, **_context(tf, acc, action, blockers))
            messages.success(request, message)
            return redirect(tf_url(tf))
    else:
        form = _form_for(action, request, tf)
    return render(request, TEMPLATE, {"form": form, **_context(tf, acc, action, None)})
