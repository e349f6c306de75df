"""The liaison handover notice (domain brief, problem 2: "contact persons change without anyone knowing").

``taskforces.services.replace`` moves the open items owned by the predecessor (tasks whose responsible
person they were, demand items) and records the :class:`~zhuanban.taskforces.models.Handover`; it then
calls :func:`on_liaison_handover`, which adds what the task-force app does not know about:

- pending dispatch hops addressed to the old liaison personally (``Dispatch.to_person``) now point at the
  successor, so the signature goes to the person who can give it;
- the old liaison's unacknowledged receipts of notices of this task force are copied to the successor
  (the unit still owes the acknowledgement);
- every counterpart with open items with that unit — the responsible persons of open tasks led by or
  co-handled by the unit, the senders of pending hops to the unit, the task force's office and leaders —
  gets a notice naming the new liaison (sent by the actor of the replacement, through ``send_notice``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhuanban.taskforces.models import Handover, Membership
from zhuanban.tasks.models import Dispatch, Task

from .models import InboxItem


def counterparts(handover: Handover) -> list[int]:
    tf, old = handover.taskforce, handover.predecessor
    unit_id = old.member_unit.unit_id if old.member_unit_id else old.dispatching_unit_id
    open_tasks = Task.objects.filter(taskforce=tf).exclude(status__in=Task.CLOSED)
    ids = set(open_tasks.filter(Q(lead_unit_id=unit_id) | Q(cooperating_units=unit_id))
              .exclude(responsible__isnull=True).values_list("responsible_id", flat=True))
    ids |= set(Dispatch.objects.filter(task__in=open_tasks, status=Dispatch.Status.PENDING)
               .filter(Q(to_unit_id=unit_id) | Q(to_person_id=old.person_id)).exclude(from_person__isnull=True)
               .values_list("from_person_id", flat=True))
    ids |= set(Membership.objects.filter(taskforce=tf, end_on__isnull=True,
                                         role__in=Membership.LEADER_ROLES | Membership.OFFICE_ROLES)
               .values_list("person_id", flat=True))
    active = set(Membership.objects.filter(taskforce=tf, end_on__isnull=True).values_list("person_id", flat=True))
    ids &= active
    ids -= {old.person_id, handover.successor.person_id}
    return sorted(ids)


def on_liaison_handover(actor: Any, handover: Handover) -> dict[str, int]:
    """Called by ``taskforces.services.replace`` inside its transaction, after the Handover is recorded."""
    old, new = handover.predecessor, handover.successor
    if old.role != Membership.Role.LIAISON:
        return {}
    tf = handover.taskforce
    moved = Dispatch.objects.filter(task__taskforce=tf, status=Dispatch.Status.PENDING,
                                    to_person_id=old.person_id).update(to_person_id=new.person_id)
    now = timezone.now()
    copies = [InboxItem(person_id=new.person_id, kind=it.kind, priority=it.priority, title=it.title,
                        taskforce_id=tf.pk, notice_id=it.notice_id, requires_ack=True, due_at=it.due_at,
                        subject_kind=it.subject_kind, subject_id=it.subject_id, link=it.link, created_at=now,
                        delivered_at=now)
              for it in InboxItem.objects.filter(taskforce=tf, person_id=old.person_id, kind=InboxItem.Kind.NOTICE,
                                                 requires_ack=True, acked_at__isnull=True)]
    InboxItem.objects.bulk_create(copies, ignore_conflicts=True)
    people = counterparts(handover)
    unit = old.member_unit.unit if old.member_unit_id else old.dispatching_unit
    if people:
        from . import services

        # The notice goes out in the actor's name; the replacement already required them to manage tf.
        services.send_notice(
            actor, tf, kind="handover", priority="normal", audience={"people": people},
            title=f"{unit}联络员变更：{new.person.name}接替{old.person.name}",
            body=(f"{unit}在本专班的联络员自 {new.start_on:%Y-%m-%d} 起由 {new.person.name} 担任"
                  f"（原联络员 {old.person.name}）。原由 {old.person.name} 承办的 {len(handover.items)} 项未办结事项"
                  f"已移交 {new.person.name}，今后相关事项请与 {new.person.name} 联系。"))
    return {"dispatches": moved, "receipts": len(copies), "notified": len(people)}
