"""Read side of notices: the inbox (one per person, across task forces), the digest, notice lists with
their receipt progress, the receipt table.  Every list is a constant number of queries.

Inbox order (the one place it is decided): urgent first, then by deadline (none last), newest first.
"For information" items (priority ``info``) are not in the main list: they fold into the digest section
(and the daily digest e-mail, ``services.send_digests``) instead of interrupting.

Reading at scale (an inbox of 5,000 items; docs/notices.md "Measured figures"): a page is the ordered ids
first (``inbox_rows``: the index (person, priority, due_at, created_at) alone), then those 50 rows as narrow
tuples (:class:`Row`, no model instances, links formatted once); the counts are one aggregate over the
covering index (person, priority, read_at, requires_ack, acked_at); the receipt table is narrow tuples too
(the person's encrypted fields are never read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
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


@dataclass(slots=True)
class Row:
    """One inbox line as the pages and the API show it (built from one narrow query, see ``inbox_rows``)."""

    id: int
    kind: str
    priority: int
    title: str
    body: str
    taskforce_id: int | None
    taskforce_name: str
    notice_id: int | None
    requires_ack: bool
    due_at: dt.datetime | None
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    acked_at: dt.datetime | None
    open_url: str = ""
    ack_url: str = ""
    overdue: bool = False
    # The notice's attachments as (attachment id, file name): one query for the whole page.
    attachments: list[tuple[int, str]] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


KIND_LABELS = dict(InboxItem.Kind.choices)
ROW_FIELDS = ("id", "kind", "priority", "title", "body", "taskforce_id", "r_tf", "notice_id", "requires_ack",
              "due_at", "link", "created_at", "read_at", "acked_at")


_SENTINEL = 987654321


def _urls() -> tuple[tuple[str, str], tuple[str, str]]:
    """The item links reversed once per page, as (before, after) the id."""
    def split(name: str) -> tuple[str, str]:
        a, b = reverse(name, args=[_SENTINEL]).split(str(_SENTINEL))
        return a, b

    return split("inbox_item_open"), split("inbox_item_ack")


def _finish(row: Row, now: dt.datetime, urls: tuple[tuple[str, str], tuple[str, str]]) -> Row:
    row.open_url = f"{urls[0][0]}{row.id}{urls[0][1]}"
    row.ack_url = f"{urls[1][0]}{row.id}{urls[1][1]}"
    row.overdue = bool(row.requires_ack and row.acked_at is None and row.due_at and row.due_at < now)
    return row


def rows_by_id(ids: list[int], *, body_chars: int | None = None) -> list[Row]:
    """The inbox rows ``ids`` in that order: one narrow query (the notice's body for a notice's item)."""
    if not ids:
        return []
    body = F("notice__body") if body_chars is None else Substr("notice__body", 1, body_chars)
    data = {r[0]: r for r in InboxItem.objects.filter(id__in=ids).annotate(r_tf=F("taskforce__name"), r_nb=body)
            .values_list(*ROW_FIELDS, "r_nb")}
    now, urls = timezone.now(), _urls()
    notice_ids = {r[7] for r in data.values() if r[7] is not None}
    files: dict[int, list[tuple[int, str]]] = {}
    if notice_ids:
        link = Notice.attachments.through
        for nid, aid, name in (link.objects.filter(notice_id__in=notice_ids)
                               .order_by("attachment_id").values_list("notice_id", "attachment_id",
                                                                      "attachment__original_name")):
            files.setdefault(nid, []).append((aid, name))
    out = []
    for pk in ids:
        r = data.get(pk)
        if r is None:
            continue
        values = list(r[:-1])
        if values[7] is not None:  # a notice's receipt shows the notice's text
            values[4] = r[-1] or ""
        values[6] = values[6] or ""
        row = _finish(Row(*values), now, urls)
        row.attachments = files.get(row.notice_id, []) if row.notice_id else []
        out.append(row)
    return out


def row_of(item: InboxItem) -> Row:
    """The same row for one item already in hand (after acknowledging it)."""
    return rows_by_id([item.pk])[0]


def inbox_rows(qs: QuerySet[InboxItem], offset: int, limit: int, *, body_chars: int | None = None) -> list[Row]:
    """One page of ``qs`` (from :func:`inbox`): the ordered ids (an index read), then those rows."""
    ids = list(qs.values_list("id", flat=True)[offset:offset + limit])
    return rows_by_id(ids, body_chars=body_chars)


def digest(user: Any, *, days: int = 7) -> QuerySet[InboxItem]:
    since = timezone.now() - dt.timedelta(days=days)
    return inbox(user, priority=Priority.INFO).filter(created_at__gte=since)


def counts(user: Any) -> dict[str, int]:
    """Unread, to acknowledge, urgent unread, and the total of the main list (not "for information"):
    one aggregate read from the covering index."""
    person = tf_access.person_of(user)
    if person is None:
        return {"total": 0, "unread": 0, "to_ack": 0, "urgent": 0}
    agg = InboxItem.objects.filter(person=person).exclude(priority=Priority.INFO).aggregate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)),
        to_ack=Count("id", filter=Q(requires_ack=True, acked_at__isnull=True)),
        urgent=Count("id", filter=Q(priority=Priority.URGENT, read_at__isnull=True)))
    return {k: v or 0 for k, v in agg.items()}


def with_progress(qs: QuerySet[Notice]) -> QuerySet[Notice]:
    return qs.select_related("taskforce").annotate(
        n_total=Count("items"), n_read=Count("items", filter=Q(items__read_at__isnull=False)),
        n_acked=Count("items", filter=Q(items__acked_at__isnull=False)))


@dataclass(slots=True)
class ReceiptRow:
    id: int
    person_id: int
    name: str
    unit: str
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None
    acked_at: dt.datetime | None
    reminders: int
    requires_ack: bool
    due_at: dt.datetime | None

    @property
    def overdue(self) -> bool:
        return bool(self.requires_ack and self.acked_at is None and self.due_at and self.due_at < timezone.now())


def receipt_rows(qs: QuerySet[InboxItem], offset: int, limit: int) -> list[ReceiptRow]:
    """One page of the receipt table as narrow tuples (name and unit, never the person's encrypted fields)."""
    rows = qs.values_list("id", "person_id", "person__name", "person__home_unit__short_name",
                          "person__home_unit__name", "delivered_at", "read_at", "acked_at", "reminders",
                          "requires_ack", "due_at")[offset:offset + limit]
    return [ReceiptRow(r[0], r[1], r[2], r[3] or r[4] or "", *r[5:]) for r in rows]


def receipts(notice: Notice, *, status: str = "") -> QuerySet[InboxItem]:
    qs = InboxItem.objects.filter(notice=notice)
    if status == "acked":
        qs = qs.filter(acked_at__isnull=False)
    elif status == "pending":
        qs = qs.filter(acked_at__isnull=True) if notice.requires_ack else qs.filter(read_at__isnull=True)
    elif status == "unread":
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(F("acked_at").asc(nulls_first=True), F("read_at").asc(nulls_first=True), "person__name", "id")
