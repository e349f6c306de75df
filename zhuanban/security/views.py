"""Pages of the 三员: the audit trail for the audit administrator (search, CSV/XLSX export) and the
roles page for the security administrator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhuanban.core import audit
from zhuanban.core.errors import DomainError
from zhuanban.core.exports import csv_bytes, xlsx_bytes
from zhuanban.core.labels import SecurityLabel, export_banner
from zhuanban.core.models import AuditEvent
from zhuanban.core.replica import reading_replica

from . import services
from .models import AdminRole

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 50_000
FILTERS = ("actor", "action", "object", "date_from", "date_to", "taskforce", "outcome")
# The audit trail as a whole is sensitive: an export says so in its first row.
AUDIT_LABEL = SecurityLabel.SENSITIVE


def recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask for the password again before a sensitive operation (role grants, bulk export).

    The hook for the accounts app's ``require_recent_auth`` decorator: resolved at request time, so
    this module does not depend on the accounts app being installed; without it the view runs as is.
    """

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decorator = _find_recent_auth()
        target = decorator(view) if decorator is not None else view
        return target(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _find_recent_auth() -> Callable[..., Any] | None:
    from importlib import import_module

    for module in ("zhuanban.accounts.decorators", "zhuanban.accounts.reauth", "zhuanban.accounts.views"):
        try:
            found = getattr(import_module(module), "require_recent_auth", None)
        except ImportError:
            continue
        if found is not None:
            return found
    return None


def _require_audit_admin(request: HttpRequest) -> None:
    if not services.is_audit_admin(request.user):
        raise PermissionDenied("只有审计管理员可以查阅和导出审计记录")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def clean_filters(get: Any) -> dict[str, str]:
    return {k: (get.get(k) or "").strip()[:100] for k in FILTERS}


def search(f: dict[str, str]) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if f["actor"]:
        qs = qs.filter(actor_name__icontains=f["actor"])
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"]) if f["action"].endswith(".") else qs.filter(
            action=f["action"])
    if f["object"]:
        qs = qs.filter(Q(object_type=f["object"]) | Q(object_id=f["object"])
                       | Q(object_repr__icontains=f["object"]))
    tz = timezone.get_current_timezone()
    if d := _date(f["date_from"]):
        qs = qs.filter(at__gte=dt.datetime.combine(d, dt.time.min, tzinfo=tz))
    elif f["date_from"]:
        qs = qs.none()
    if d := _date(f["date_to"]):
        qs = qs.filter(at__lt=dt.datetime.combine(d + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    elif f["date_to"]:
        qs = qs.none()
    if f["taskforce"]:
        qs = qs.filter(taskforce_id=int(f["taskforce"])) if f["taskforce"].isdigit() else qs.none()
    if f["outcome"]:
        qs = qs.filter(outcome=f["outcome"]) if f["outcome"] in AuditEvent.Outcome.values else qs.none()
    return qs.order_by("-at", "-id")


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    _require_audit_admin(request)
    f = clean_filters(request.GET)
    page = Paginator(search(f), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "security/audit.html", {
        "page": page, "filters": f, "labels": audit.ACTION_LABELS, "outcomes": AuditEvent.Outcome.choices,
        "query": urlencode({k: v for k, v in f.items() if v}), "section": "audit",
    })


COLUMNS = ["编号", "时间", "操作人", "来源地址", "渠道", "操作", "操作说明", "结果", "对象类型", "对象编号",
           "对象", "专班编号", "修改前", "修改后", "备注", "链哈希"]


def _rows(qs: QuerySet[AuditEvent]) -> list[list[Any]]:
    import json

    tz = timezone.get_current_timezone()
    rows = []
    for e in qs[:EXPORT_MAX_ROWS]:
        rows.append([
            e.pk, e.at.astimezone(tz).replace(tzinfo=None), e.actor_name, e.ip or "", e.channel, e.action,
            audit.ACTION_LABELS.get(e.action, ""), e.get_outcome_display(), e.object_type, e.object_id,
            e.object_repr, e.taskforce_id, json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
            json.dumps(e.after, ensure_ascii=False) if e.after is not None else "", e.note, e.hash,
        ])
    return rows


@login_required
@recent_auth
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_audit_admin(request)
    if fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    f = clean_filters(request.GET)
    now = timezone.localtime()
    with reading_replica():  # the heavy read (ZHUANBAN_REPLICA_URL); the role was checked on the primary above
        rows = _rows(search(f))
    with transaction.atomic():
        # The export is itself an audited action, committed with nothing else to roll back.
        audit.record(request.user, "audit.export", None, object_type="core.auditevent",
                     object_repr="审计记录导出", after={"format": fmt, "rows": len(rows),
                                                      "filters": {k: v for k, v in f.items() if v}})
    banner = export_banner(AUDIT_LABEL, title=f"审计记录导出 · {now:%Y-%m-%d %H:%M} · 导出人 "
                                              f"{request.user.get_username()} · 共 {len(rows)} 条")
    table = [[banner], COLUMNS, *rows]
    stamp = f"{now:%Y%m%d-%H%M%S}"
    if fmt == "csv":
        body, ctype = csv_bytes(table), "text/csv; charset=utf-8"
    else:
        body = xlsx_bytes(table, title="审计记录")
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# ---- roles (security administrator) -----------------------------------------------------------------


def _require_security_admin(request: HttpRequest) -> None:
    if not services.is_security_admin(request.user):
        raise PermissionDenied("只有安全管理员可以管理三员角色")


@login_required
def roles(request: HttpRequest) -> HttpResponse:
    _require_security_admin(request)
    User = get_user_model()
    return render(request, "security/roles.html", {
        "grants": AdminRole.objects.select_related("user", "granted_by").order_by("role", "user__username"),
        "bare_superusers": User.objects.filter(is_superuser=True, admin_role__isnull=True).order_by("username"),
        "roles": AdminRole.Role.choices, "duties": AdminRole.DUTIES, "section": "roles",
    })


@login_required
@require_POST
@recent_auth
def role_grant(request: HttpRequest) -> HttpResponse:
    _require_security_admin(request)
    User = get_user_model()
    user = User.objects.filter(username__iexact=(request.POST.get("username") or "").strip()).first()
    if user is None:
        messages.error(request, "账号不存在")
        return redirect("security_roles")
    try:
        services.grant_role(request.user, user, request.POST.get("role") or "")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已授予管理角色")
    return redirect("security_roles")


@login_required
@require_POST
@recent_auth
def role_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_security_admin(request)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        messages.error(request, "账号不存在")
        return redirect("security_roles")
    try:
        services.revoke_role(request.user, user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤销管理角色")
    return redirect("security_roles")
