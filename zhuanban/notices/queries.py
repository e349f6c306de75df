"""Read side of notices: the inbox (one per person, across task forces), the digest, notice lists with
their receipt progress, the receipt table.  Every list is a constant number of queries.

Inbox order (the one place it is decided): urgent first, then by deadline (none last), newest first.
"For information" items (priority ``info``) are not in the main list: they fold into the digest section
(and the daily digest e-mail, ``services.send_digests``) instead of interrupting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from zhuanban.taskforces import access as tf_access

from .models import InboxItem, Notice, Priority

ORDER = ["priority", F("due_at").asc(nulls_last=True), "-created_at", "-id"]


def inbox(user: Any, *, unread: bool = False, priority: int | None = None, q: str = "",
          include_info: bool = False, kind: str = "") -> QuerySet[InboxItem]:
    person = tf_access.person_of(user)
    qs = InboxItem.objects.filter(person=person) if person else InboxItem.objects.none()
    if priority is not None:
        qs = qs.filter(priority=priority)
    elif not include_info:
        qs = qs.exclude(priority=Priority.INFO)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(notice__body__icontains=q))
    return qs.select_related("taskforce", "notice").order_by(*ORDER)


def digest(user: Any, *, days: int = 7) -> QuerySet[InboxItem]:
    since = timezone.now() - dt.timedelta(days=days)
    return inbox(user, priority=Priority.INFO).filter(created_at__gte=since)


def counts(user: Any) -> dict[str, int]:
    person = tf_access.person_of(user)
    if person is None:
        return {"unread": 0, "to_ack": 0, "urgent": 0}
    agg = InboxItem.objects.filter(person=person).exclude(priority=Priority.INFO).aggregate(
        unread=Count("id", filter=Q(read_at__isnull=True)),
        to_ack=Count("id", filter=Q(requires_ack=True, acked_at__isnull=True)),
        urgent=Count("id", filter=Q(priority=Priority.URGENT, read_at__isnull=True)))
    return {k: v or 0 for k, v in agg.items()}


def with_progress(qs: QuerySet[Notice]) -> QuerySet[Notice]:
    return qs.select_related("taskforce").annotate(
        n_total=Count("items"), n_read=Count("items", filter=Q(items__read_at__isnull=False)),
        n_acked=Count("items", filter=Q(items__acked_at__isnull=False)))


def receipts(notice: Notice, *, status: str = "") -> QuerySet[InboxItem]:
    qs = InboxItem.objects.filter(notice=notice).select_related("person__home_unit")
    if status == "acked":
        qs = qs.filter(acked_at__isnull=False)
    elif status == "pending":
        qs = qs.filter(acked_at__isnull=True) if notice.requires_ack else qs.filter(read_at__isnull=True)
    elif status == "unread":
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(F("acked_at").asc(nulls_first=True), F("read_at").asc(nulls_first=True), "person__name", "id")
