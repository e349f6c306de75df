"""Pages of notices: the inbox (phone-friendly), the task force's 通知 tab (send form, notice list with
receipt progress), the live receipt table (htmx polling), channel/rule settings with dead letters, and
the person's own reminder settings.  Every change goes through ``services``; a refusal is shown as a
message (and the status code of the error)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from zhuanban.core.errors import DomainError, Forbidden, NotFound
from zhuanban.files.queries import attachments_of
from zhuanban.files.services import upload_attachment
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership
from zhuanban.web.views.common import load_taskforce, tf_context

from . import lines, queries, services
from .models import PRIORITY_KEYS, Channel, Delivery, ReminderRule

PAGE = 50


def _domain(fn):
    """Run a service call; NotFound/Forbidden become 404/403, other refusals a message."""
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
    detail = "；".join(f"{v}" for v in exc.fields.values())
    messages.error(request, f"{exc.message}{'：' + detail if detail else ''}")


# ---- the inbox ----------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    unread = request.GET.get("unread") == "1"
    try:
        offset = max(int(request.GET.get("offset", 0)), 0)
    except ValueError:
        offset = 0
    qs = queries.inbox(request.user, unread=unread, q=q)
    items = queries.inbox_rows(qs, offset, PAGE + 1, body_chars=170)
    more = len(items) > PAGE
    return render(request, "notices/inbox.html", {
        "section": "inbox", "items": lines.lines(items[:PAGE], get_token(request)), "more": more, "next_offset": offset + PAGE, "q": q,
        "offset": offset, "prev_offset": max(offset - PAGE, 0) if offset else None,
        "unread": unread, "counts": queries.counts(request.user),
        "has_person": tf_access.person_of(request.user) is not None})


DIGEST_LIMIT = 30


@login_required
def inbox_digest(request: HttpRequest) -> HttpResponse:
    """The digest section of the inbox ("for information" items of the last 7 days), loaded by htmx after
    the page (``hx-trigger="load"``), or as a page of its own without JavaScript."""
    ids = list(queries.digest(request.user).values_list("id", flat=True)[:DIGEST_LIMIT])
    ctx = {"digest": queries.rows_by_id(ids), "section": "inbox"}
    if request.headers.get("HX-Request"):
        return render(request, "notices/_digest.html", ctx)
    return render(request, "notices/digest.html", ctx)


@login_required
@_domain
def inbox_item_open(request: HttpRequest, inbox_item_id: int) -> HttpResponse:
    item = services.get_item(request.user, inbox_item_id)
    services.mark_read(request.user, item)
    if item.link and not item.link.startswith("/inbox/"):
        return redirect(item.link)
    return redirect(f"{reverse('inbox')}#item-{item.pk}")


@login_required
@require_POST
@_domain
def inbox_item_ack(request: HttpRequest, inbox_item_id: int) -> HttpResponse:
    item = services.get_item(request.user, inbox_item_id)
    try:
        item = services.acknowledge(request.user, item)
    except DomainError as exc:
        _fail(request, exc)
        return redirect("inbox")
    if request.headers.get("HX-Request"):
        return HttpResponse(lines.line(queries.row_of(item), lines.labels(), get_token(request)))
    messages.success(request, "已确认接收")
    return redirect("inbox")


@login_required
def inbox_settings(request: HttpRequest) -> HttpResponse:
    person = tf_access.person_of(request.user)
    if person is None:
        return render(request, "notices/settings_mine.html", {"section": "inbox", "pref": None})
    if request.method == "POST":
        changes: dict[str, Any] = {"task_due": request.POST.get("task_due") == "on",
                                   "task_overdue": request.POST.get("task_overdue") == "on",
                                   "email": request.POST.get("email") == "on"}
        for name in ("quiet_start", "quiet_end"):
            try:
                changes[name] = dt.time.fromisoformat(request.POST.get(name, ""))
            except ValueError:
                pass
        days = request.POST.get("days_before", "").strip()
        changes["days_before"] = int(days) if days.isdigit() else None
        try:
            services.save_preference(request.user, **changes)
            messages.success(request, "提醒设置已保存")
            return redirect("inbox_settings")
        except DomainError as exc:
            _fail(request, exc)
    return render(request, "notices/settings_mine.html", {"section": "inbox", "pref": services.preference_of(person)})


# ---- the task force's tab -------------------------------------------------------------------------------


def _audience_from(post: Any) -> dict[str, Any]:
    def ints(name: str) -> list[int]:
        return [int(v) for v in post.getlist(name) if str(v).isdigit()]

    return {"all": post.get("all") == "on", "units": ints("units"), "groups": ints("groups"), "people": ints("people")}


@login_required
def tf_notices(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk)
    if request.method == "POST":
        if not acc.manage:
            raise PermissionDenied("只有专班领导、专班办公室可以发送通知")
        deadline = parse_datetime(request.POST.get("ack_deadline", "") or "")
        if deadline is not None and timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline)
        try:
            # New files are stored with the task force (its 附件) and sent with the notice, in one transaction:
            # a refused notice leaves no stray attachment behind.
            with transaction.atomic():
                chosen = [int(v) for v in request.POST.getlist("attachments") if v.isdigit()]
                chosen += [upload_attachment(request.user, tf, f).pk for f in request.FILES.getlist("files")]
                notice = services.send_notice(
                    request.user, tf, title=request.POST.get("title", ""), body=request.POST.get("body", ""),
                    priority=request.POST.get("priority", "normal"),
                    requires_ack=request.POST.get("requires_ack") == "on", ack_deadline=deadline,
                    audience=_audience_from(request.POST), attachments=chosen)
            messages.success(request, "通知已受理，正在送达")
            return redirect("notice_receipts", notice_id=notice.pk)
        except DomainError as exc:
            _fail(request, exc)
    notices = []
    if acc.manage:
        notices = list(queries.with_progress(services.visible_notices(request.user).filter(taskforce=tf))
                       .order_by("-created_at", "-id")[:50])
    members = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person")
                   .order_by("person__name")) if acc.manage else []
    return render(request, "notices/tab.html", {
        **tf_context(tf, acc, "notices"), "notices": notices, "members": members,
        "units": list(tf.member_units.filter(left_on__isnull=True).select_related("unit")) if acc.manage else [],
        "groups": list(tf.groups.all()) if acc.manage else [],
        "attachments": list(attachments_of(request.user, tf, acc).order_by("-id")[:30]) if acc.manage else [],
        "mine": lines.lines(queries.inbox_rows(queries.inbox(request.user, include_info=True).filter(taskforce=tf),
                                               0, 20, body_chars=170), get_token(request))})


def _receipts_context(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    notice = services.get_notice(request.user, notice_id, manage=True)
    status = request.GET.get("status", "")
    return {"notice": notice, "progress": services.progress(notice), "status": status,
            "receipts": queries.receipt_rows(queries.receipts(notice, status=status), 0, RECEIPT_ROWS)}


RECEIPT_ROWS = 500


@login_required
@_domain
def notice_receipts(request: HttpRequest, notice_id: int) -> HttpResponse:
    ctx = _receipts_context(request, notice_id)
    return render(request, "notices/receipts.html", {**ctx, "section": "inbox"})


@login_required
@_domain
def notice_receipts_fragment(request: HttpRequest, notice_id: int) -> HttpResponse:
    return render(request, "notices/_receipts.html", _receipts_context(request, notice_id))


@login_required
@require_POST
@_domain
def notice_remind(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = services.get_notice(request.user, notice_id, manage=True)
    try:
        n = services.remind_laggards(request.user, notice)
        messages.success(request, f"已提醒 {n} 人")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("notice_receipts", notice_id=notice.pk)


# ---- settings: channels, rules, dead letters ------------------------------------------------------------


@login_required
def tf_notice_settings(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    if request.method == "POST":
        try:
            services.save_channel(request.user, tf, kind=request.POST.get("kind", ""), name=request.POST.get("name", ""),
                                  url=request.POST.get("url", "").strip(), secret=request.POST.get("secret", "").strip(),
                                  msgtype=request.POST.get("msgtype", "markdown"),
                                  min_priority=request.POST.get("min_priority", "normal"))
            messages.success(request, "推送渠道已保存")
            return redirect("tf_notice_settings", pk=tf.pk)
        except DomainError as exc:
            _fail(request, exc)
    rules = {r.kind: r for r in ReminderRule.objects.filter(taskforce=tf, source="")}
    kinds = [(k, label, rules.get(k)) for k, label in ReminderRule.Kind.choices if k != ReminderRule.Kind.SOURCE]
    return render(request, "notices/settings.html", {
        **tf_context(tf, acc, "notices"), "channels": list(Channel.objects.filter(taskforce=tf)),
        "kinds": kinds, "channel_kinds": Channel.Kind.choices,
        "dead": list(Delivery.objects.filter(taskforce=tf, status=Delivery.Status.DEAD).select_related("channel")[:100]),
        "recent": list(Delivery.objects.filter(taskforce=tf).select_related("channel")[:30])})


@login_required
@require_POST
@_domain
def tf_notice_rule(request: HttpRequest, pk: int) -> HttpResponse:
    tf, _ = load_taskforce(request, pk, manage=True)
    kind = request.POST.get("kind", "")
    values = {"days_before": _int(request.POST.get("days_before"), 1),
              "escalate_after_hours": _int(request.POST.get("escalate_after_hours"), 8),
              "enabled": request.POST.get("enabled") == "on",
              "allow_person_tuning": request.POST.get("allow_person_tuning") == "on"}
    try:
        rule = ReminderRule.objects.filter(taskforce=tf, kind=kind, source="").first()
        if rule:
            services.update_rule(request.user, rule, **values)
        else:
            services.create_rule(request.user, tf, kind=kind, **values)
        messages.success(request, "提醒规则已保存")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("tf_notice_settings", pk=tf.pk)


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_POST
@_domain
def tf_notice_channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    ch = services.managed_object(request.user, Channel, channel_id)
    services.delete_channel(request.user, ch)
    messages.success(request, "推送渠道已删除")
    return redirect("tf_notice_settings", pk=ch.taskforce_id)


@login_required
@require_POST
@_domain
def delivery_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    d = services.managed_object(request.user, Delivery, delivery_id)
    try:
        services.replay(request.user, d)
        messages.success(request, "已重新排队发送")
    except DomainError as exc:
        _fail(request, exc)
    return redirect("tf_notice_settings", pk=d.taskforce_id) if d.taskforce_id else redirect("inbox")


PRIORITIES = [(k, {"urgent": "紧急", "normal": "一般", "info": "知悉"}[k]) for k in PRIORITY_KEYS]
