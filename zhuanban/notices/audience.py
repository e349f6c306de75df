"""Who a notice reaches, and the expansion of its audience into receipts (run in the background).

An audience is ``{"people": [person ids], "units": [unit ids], "groups": [theme-group ids], "all": bool}``:
- people: those people (in a task force: its active members; a notice without a task force, sent by a
  system administrator, may name anyone);
- units: the active liaison (联络员) of each of those member units in the task force;
- groups: the active members of those theme groups;
- all: every active member of the task force.

Expansion is set-based: the person ids come from a few queries, the receipts (inbox items of kind
``notice``) are bulk-inserted with ``ignore_conflicts`` on the unique (notice, person), so a retried or
duplicated expansion never makes a second receipt.  E-mail deliveries for the recipients with an address
are created in bulk too (when the task force has an enabled e-mail channel); group robots get one message.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhuanban.org.models import Person
from zhuanban.taskforces.models import Membership

from . import hours
from .models import Channel, Delivery, InboxItem, Notice, Priority

BATCH = 5000


def people_of(tf_id: int | None, audience: dict[str, Any]) -> list[int]:
    ids: set[int] = set()
    people = [int(p) for p in audience.get("people") or []]
    if tf_id is None:
        if people:
            ids.update(Person.objects.filter(pk__in=people).values_list("pk", flat=True))
        return sorted(ids)
    active = Membership.objects.filter(taskforce_id=tf_id, end_on__isnull=True)
    cond = Q(pk__in=[])
    if audience.get("all"):
        cond = Q()
    else:
        if people:
            cond |= Q(person_id__in=people)
        if audience.get("units"):
            cond |= Q(role=Membership.Role.LIAISON, member_unit__unit_id__in=audience["units"])
        if audience.get("groups"):
            cond |= Q(group_id__in=audience["groups"])
    ids.update(active.filter(cond).values_list("person_id", flat=True))
    return sorted(ids)


def expand(notice_id: int) -> int:
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or notice.status != Notice.Status.QUEUED:
        return 0
    person_ids = people_of(notice.taskforce_id, notice.audience)
    now = timezone.now()
    link = f"/inbox/?item=notice-{notice.pk}"
    with transaction.atomic():
        for i in range(0, len(person_ids), BATCH):
            InboxItem.objects.bulk_create([
                InboxItem(person_id=pid, kind=InboxItem.Kind.NOTICE, priority=notice.priority, title=notice.title,
                          taskforce_id=notice.taskforce_id, notice=notice, requires_ack=notice.requires_ack,
                          due_at=notice.ack_deadline, subject_kind="notice", subject_id=notice.pk, link=link,
                          created_at=now, delivered_at=now)
                for pid in person_ids[i:i + BATCH]], batch_size=BATCH, ignore_conflicts=True)
        count = InboxItem.objects.filter(notice=notice).count()
        Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.SENT, recipients=count, expanded_at=now)
        queued = _pushes(notice, person_ids, now)
    if queued:
        from .tasks import enqueue_deliveries

        transaction.on_commit(enqueue_deliveries)
    return count


def _pushes(notice: Notice, person_ids: list[int], now: Any) -> int:
    """Deliveries for the notice's channels.  "For information" notices are not pushed (the daily digest
    carries them); a non-urgent push in quiet hours waits until morning."""
    if notice.taskforce_id is None or notice.priority == Priority.INFO:
        return 0
    urgent = notice.priority == Priority.URGENT
    when = hours.push_time(now, urgent=urgent)
    channels = list(Channel.objects.filter(taskforce_id=notice.taskforce_id, enabled=True,
                                           min_priority__gte=notice.priority))
    text = notice.body[:1500] + (f"\n\n请于 {timezone.localtime(notice.ack_deadline):%Y-%m-%d %H:%M} 前在收件箱确认接收"
                                 if notice.requires_ack and notice.ack_deadline else "")
    rows = []
    for ch in channels:
        if ch.kind == Channel.Kind.EMAIL:
            mails = (Person.objects.filter(pk__in=person_ids, user__isnull=False).exclude(user__email="")
                     .exclude(notice_preference__email=False).values_list("pk", "user__email"))
            rows += [Delivery(channel=ch, kind=ch.kind, taskforce_id=notice.taskforce_id, notice=notice, person_id=pk,
                              target=email, subject=notice.title, text=text, urgent=urgent,
                              next_attempt_at=when) for pk, email in mails]
        else:
            host = (ch.url.split("/")[2] if "//" in ch.url else "")[:200]
            rows.append(Delivery(channel=ch, kind=ch.kind, taskforce_id=notice.taskforce_id, notice=notice,
                                 target=host, subject=notice.title, text=text, urgent=urgent, next_attempt_at=when))
    Delivery.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
