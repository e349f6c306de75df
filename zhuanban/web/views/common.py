"""Helpers shared by the web views: loading a task force through the access rules, safe redirects,
rendering a form again with a service's refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from zhuanban.core.errors import DomainError, NotFound
from zhuanban.taskforces import access, lifecycle, typology
from zhuanban.taskforces.access import Access
from zhuanban.taskforces.models import TaskForce

from ..forms import apply_error

MANAGE_DENIED = gettext_lazy("只有专班领导、专班办公室或系统管理员可以执行此操作")


def load_taskforce(request: HttpRequest, pk: Any, *, manage: bool = False,
                   full_view: bool = False) -> tuple[TaskForce, Access]:
    """The task force if the user may see it (else 404, as if it did not exist).

    ``manage``: the user must be able to manage it (403 otherwise: they can see it, so no secret is kept).
    ``full_view``: external-only members see just the overview and themselves; other pages are a 404.
    """
    try:
        tf, acc = access.get_visible_taskforce(request.user, pk)
    except NotFound:
        raise Http404 from None
    if full_view and acc.external_only:
        raise Http404
    if manage and not acc.manage:
        raise PermissionDenied(MANAGE_DENIED)
    # The header and overview name the parent and the task force it merged into only if the user may see
    # them (a child's member must not learn the name of a 敏感 parent).
    linked = {pk for pk in (tf.parent_id, tf.merged_into_id) if pk}
    seen = set(access.visible_taskforces(request.user).filter(pk__in=linked).values_list("pk", flat=True)) \
        if linked else set()
    tf.visible_parent = tf.parent if tf.parent_id in seen else None
    tf.visible_merged_into = tf.merged_into if tf.merged_into_id in seen else None
    return tf, acc


def next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def redirect_next(request: HttpRequest, default: str) -> HttpResponse:
    return redirect(next_url(request, default))


def tf_url(tf: TaskForce, tab: str = "") -> str:
    name = {"": "tf_detail", "type": "tf_type", "structure": "tf_structure", "members": "tf_members",
            "history": "tf_history"}[tab]
    return reverse(name, args=[tf.pk])


def form_page(request: HttpRequest, template: str, form: forms.Form, *, exc: DomainError | None = None,
              status: int = 200, **context: Any) -> HttpResponse:
    """Render a form page; a service refusal goes next to its fields and sets the status (422, 409…)."""
    if exc is not None:
        apply_error(form, exc)
        status = exc.status
        context.setdefault("blockers", exc.extra.get("blockers"))
    return render(request, template, {"form": form, **context}, status=status)


def tf_context(tf: TaskForce, acc: Access, tab: str) -> dict[str, Any]:
    """What the task-force header (name, badges, lifecycle buttons, tabs) needs on every tab."""
    actions = lifecycle.allowed_actions(tf.status) if acc.manage else []
    return {
        "tf": tf,
        "access": acc,
        "tab": tab,
        "actions": [(a, lifecycle.ACTION_LABELS[a]) for a in actions],
        "closed": tf.status in access.CLOSED,
        # Liu & Liu's type needs no query; the header shows its formality warning on every tab.
        "liu": typology.liu_type(tf.purpose, tf.entity_operation),
    }
