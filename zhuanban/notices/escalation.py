"""Escalation (督办升级): what is still pending X working hours after its deadline climbs the ladder.

The ladder (one place: :func:`ladder`):
1. the person's leader in the task force: the lead of their theme group if they have one (and it is not
   themselves), else the task force's 组长, then 责任副组长, then 副组长;
2. the leader of their home unit (``Person.is_unit_leader`` in the same unit) — the studies' 约谈 starts here.

X is the ``escalate_after_hours`` of the task force's rule (``task_overdue`` for tasks, ``ack_pending`` for
acknowledgements; default 8 working hours; 0 switches escalation off).  Level 1 fires X working hours after
the deadline, level 2 another X working hours later (``hours.subtract_working_hours``: holidays do not count).
Each step is an :class:`EscalationStep` (unique per subject, person and level: a re-run never repeats it),
an audit event ``notice.escalate`` and an urgent inbox item for the leader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.org.models import Person
from zhuanban.taskforces.models import Membership
from zhuanban.tasks.models import Task

from . import hours
from .models import EscalationStep, InboxItem, Priority, ReminderRule

DEFAULT_HOURS = 8
BATCH = 2000
LEADER_ORDER = [Membership.Role.HEAD, Membership.Role.RESPONSIBLE_DEPUTY, Membership.Role.DEPUTY]


def ladder(person: Person, taskforce_id: int | None) -> list[Person | None]:
    """[task-force leader, home-unit leader] of ``person`` (None where nobody holds the rung)."""
    first: Person | None = None
    if taskforce_id is not None:
        m = (Membership.objects.filter(taskforce_id=taskforce_id, person=person, end_on__isnull=True)
             .select_related("group__lead_person").first())
        if m and m.group and m.group.lead_person_id and m.group.lead_person_id != person.pk:
            first = m.group.lead_person
        if first is None:
            leaders = {lm.role: lm.person for lm in Membership.objects.filter(
                taskforce_id=taskforce_id, end_on__isnull=True, role__in=LEADER_ORDER).exclude(person=person)
                .select_related("person").order_by("start_on", "id")}
            first = next((leaders[r] for r in LEADER_ORDER if r in leaders), None)
    second = (Person.objects.filter(home_unit_id=person.home_unit_id, is_unit_leader=True)
              .exclude(pk=person.pk).order_by("id").first())
    return [first, second]


def _hours(kind: str) -> dict[int | None, int]:
    return {r.taskforce_id: r.escalate_after_hours for r in ReminderRule.objects.filter(kind=kind, source="")}


def _lowest(rules: dict[int | None, int]) -> int:
    return min([v for v in rules.values() if v] + [DEFAULT_HOURS])


def _threshold(rules: dict[int | None, int], tf_id: int | None, now: dt.datetime, level: int) -> dt.datetime | None:
    x = rules.get(tf_id, rules.get(None, DEFAULT_HOURS))
    if not x:
        return None
    return hours.subtract_working_hours(now, x * level)


def escalate(subject_kind: str, subject_id: int, title: str, person: Person, taskforce_id: int | None,
             level: int, now: dt.datetime, link: str = "") -> EscalationStep | None:
    """Record one step (idempotent: None if it was already taken)."""
    rung = ladder(person, taskforce_id)[level - 1]
    try:
        with transaction.atomic():
            step = EscalationStep.objects.create(subject_kind=subject_kind, subject_id=subject_id, person=person,
                                                 level=level, to_person=rung, taskforce_id=taskforce_id, at=now,
                                                 note="" if rung else "无人担任该级负责人")
            if rung is not None:
                who = "专班负责人" if level == 1 else "所在单位负责人（约谈）"
                step.item = InboxItem.objects.create(
                    person=rung, kind=InboxItem.Kind.ESCALATION, priority=Priority.URGENT,
                    title=f"【督办升级·{who}】{person.name}：{title}"[:200], taskforce_id=taskforce_id,
                    subject_kind=subject_kind, subject_id=subject_id, link=link, created_at=now, delivered_at=now,
                    key=f"esc:{subject_kind}:{subject_id}:{person.pk}:{level}")
                step.save(update_fields=["item"])
            audit.record(None, "notice.escalate", step, after={
                "subject": f"{subject_kind}:{subject_id}", "person": person.pk, "level": level,
                "to": rung.pk if rung else None}, taskforce_id=taskforce_id)
    except IntegrityError:
        return None
    return step


def run_sweep(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    made = {"task": 0, "receipt": 0}
    task_rules, ack_rules = _hours(ReminderRule.Kind.TASK_OVERDUE), _hours(ReminderRule.Kind.ACK_PENDING)
    done = {(k, s, p, lv) for k, s, p, lv in EscalationStep.objects.filter(at__gte=now - dt.timedelta(days=120))
            .values_list("subject_kind", "subject_id", "person_id", "level")}
    for level in (1, 2):
        # The smallest X over all rules bounds the query; each row is then checked against its own rule.
        bound = hours.subtract_working_hours(now, _lowest(task_rules) * level)
        tasks = (Task.objects.filter(responsible__isnull=False, due_at__lt=bound)
                 .exclude(status__in=[*Task.CLOSED, Task.Status.DRAFT]).select_related("responsible")
                 .order_by("due_at")[:BATCH])
        for t in tasks:
            th = _threshold(task_rules, t.taskforce_id, now, level)
            if th is None or t.due_at >= th or ("task", t.pk, t.responsible_id, level) in done:
                continue
            if escalate("task", t.pk, t.title, t.responsible, t.taskforce_id, level, now, f"/tasks/{t.pk}/"):
                made["task"] += 1
        bound = hours.subtract_working_hours(now, _lowest(ack_rules) * level)
        items = (InboxItem.objects.filter(kind=InboxItem.Kind.NOTICE, requires_ack=True, acked_at__isnull=True,
                                          due_at__lt=bound).select_related("person").order_by("due_at")[:BATCH])
        for it in items:
            th = _threshold(ack_rules, it.taskforce_id, now, level)
            if th is None or it.due_at >= th or ("receipt", it.pk, it.person_id, level) in done:
                continue
            if escalate("receipt", it.pk, f"未确认接收：{it.title}", it.person, it.taskforce_id, level, now,
                        f"/inbox/?item={it.pk}"):
                made["receipt"] += 1
    return made


def steps_of(subject_kind: str, subject_id: int) -> list[Any]:
    return list(EscalationStep.objects.filter(subject_kind=subject_kind, subject_id=subject_id)
                .select_related("to_person", "person"))
