"""Supervision use cases (督办、约谈、通报): the only code that changes supervision records.

Who may supervise: whoever manages the task force of the tasks (its leaders and office, the office and
leaders above it, its creator, system administrators: ``taskforces.access.get_access(...).manage``).
Tasks the actor cannot see are unknown (404).  A supervision notice and a talk invitation reach the
person (and, for a talk, the liaison of their dispatching unit) through ``notices.services.send_notice``
with acknowledgement required; a 通报 is circulated to every active member of the task force.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanban.org.models import Person
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership, MemberUnit
from zhuanban.tasks.access import visible_tasks
from zhuanban.tasks.models import Task

from .models import Supervision

audit.ACTION_LABELS.update({
    "supervision.create": "督办", "supervision.respond": "督办整改反馈", "supervision.close": "督办办结",
})

K = Supervision.Kind
NOTICE_TITLES = {K.NOTICE: "督办通知", K.TALK: "约谈通知", K.CIRCULAR: "通报"}


def dispatching_unit(person: Person, taskforce_id: int) -> Any:
    """The unit that seconded ``person`` into the task force (their active or last membership), else
    their home unit."""
    m = (Membership.objects.filter(person=person, taskforce_id=taskforce_id).select_related("dispatching_unit")
         .order_by("end_on", "-start_on").first())
    return m.dispatching_unit if m else person.home_unit


def _tasks(actor: Any, task_ids: Any) -> list[Task]:
    if not isinstance(task_ids, list | tuple) or not task_ids:
        raise Invalid("tasks_required", "请选择引起督办的任务", {"tasks": "至少选择一项任务"})
    try:
        ids = sorted({int(i) for i in task_ids})
    except (TypeError, ValueError):
        raise Invalid("invalid_tasks", "任务编号须为整数", {"tasks": "任务编号须为整数"}) from None
    tasks = list(visible_tasks(actor).filter(pk__in=ids).select_related("taskforce", "responsible"))
    if len(tasks) != len(ids):
        raise NotFound()
    if len({t.taskforce_id for t in tasks}) != 1:
        raise Invalid("tasks_mixed", "一次督办的任务须属于同一专班", {"tasks": "任务须属于同一专班"})
    return tasks


@transaction.atomic
def create(actor: Any, *, kind: str, task_ids: list[int], title: str, reason: str, follow_up_due: dt.date | None,
           person: Person | None = None, talk_at: dt.datetime | None = None, location: str = "") -> Supervision:
    from zhuanban.notices import services as notices

    tasks = _tasks(actor, task_ids)
    tf = tasks[0].taskforce
    acc = tf_access.get_access(actor, tf)
    if not acc.manage:
        raise Forbidden("只有专班领导、专班办公室或上级办公室可以督办")
    errors: dict[str, str] = {}
    if kind not in K.values:
        errors["kind"] = "督办方式须为 notice（督办通知）、talk（约谈）或 circular（通报）"
    title, reason = (title or "").strip(), (reason or "").strip()
    if not title:
        errors["title"] = "请填写标题"
    elif len(title) > 200:
        errors["title"] = "标题不超过 200 字"
    if not reason:
        errors["reason"] = "请写明督办事由"
    today = timezone.localdate()
    if not isinstance(follow_up_due, dt.date):
        errors["follow_up_due"] = "请填写整改反馈时限"
    elif follow_up_due < today:
        errors["follow_up_due"] = "整改反馈时限不能早于今天"
    if kind == K.TALK and talk_at is None:
        errors["talk_at"] = "约谈须填写约谈时间"
    if person is None:
        owners = {t.responsible_id for t in tasks if t.responsible_id}
        if len(owners) != 1:
            errors["person"] = "请指定被督办的责任人" if not owners else "所选任务的责任人不同，请指定被督办人"
        else:
            person = next(t.responsible for t in tasks if t.responsible_id)
    if errors:
        raise Invalid("invalid_supervision", next(iter(errors.values())), errors)
    assert person is not None
    if not (any(t.responsible_id == person.pk or t.decision_owner_id == person.pk for t in tasks)
            or Membership.objects.filter(person=person, taskforce=tf).exists()):
        raise Invalid("invalid_person", "被督办人须是任务责任人或本专班成员", {"person": "不是任务责任人或专班成员"})
    unit = dispatching_unit(person, tf.pk)
    rec = Supervision.objects.create(
        taskforce=tf, kind=kind, person=person, unit=unit, title=title, reason=reason, talk_at=talk_at,
        location=(location or "")[:120], follow_up_due=follow_up_due,
        created_by=actor if getattr(actor, "pk", None) else None)
    rec.tasks.set(tasks)
    audience: dict[str, Any] = {"people": [person.pk]}
    if kind == K.TALK and unit is not None and MemberUnit.objects.filter(taskforce=tf, unit=unit,
                                                                       left_on__isnull=True).exists():
        audience["units"] = [unit.pk]  # the liaison of the dispatching unit is invited too
    if kind == K.CIRCULAR:
        audience = {"all": True}
    when = f"\n约谈时间：{timezone.localtime(talk_at):%Y-%m-%d %H:%M}" if talk_at else ""
    where = f"  地点：{location}" if location else ""
    body = (f"{reason}\n相关任务：{'；'.join(t.title for t in tasks)}\n被督办人：{person.name}（{unit}）"
            f"{when}{where}\n请于 {follow_up_due:%Y-%m-%d} 前反馈整改情况。")
    rec.notice = notices.send_notice(actor, tf, title=f"【{NOTICE_TITLES[K(kind)]}】{title}"[:200], body=body,
                                     priority="urgent", requires_ack=kind != K.CIRCULAR, audience=audience,
                                     kind="supervision")
    rec.save(update_fields=["notice"])
    audit.record(actor, "supervision.create", rec, after={
        "kind": kind, "person": person.pk, "unit": unit.pk if unit else None, "tasks": [t.pk for t in tasks],
        "follow_up_due": follow_up_due.isoformat(), "notice": rec.notice_id}, taskforce_id=tf.pk)
    return rec


def can_manage(actor: Any, rec: Supervision) -> bool:
    return tf_access.get_access(actor, rec.taskforce).manage


@transaction.atomic
def respond(actor: Any, rec: Supervision, *, response: str, version: int | None = None) -> Supervision:
    """The person (or a manager on their behalf) reports what was done."""
    me = tf_access.person_of(actor)
    if not (me is not None and me.pk == rec.person_id) and not can_manage(actor, rec):
        raise Forbidden("只有被督办人或专班领导、办公室可以反馈")
    if rec.status == Supervision.Status.CLOSED:
        raise Conflict("supervision_closed", "督办已办结，不能再反馈")
    response = (response or "").strip()
    if not response:
        raise Invalid("response_required", "请填写整改反馈", {"response": "请填写整改反馈"})
    before = audit.snapshot(rec, ("status", "response"))
    rec.response, rec.status, rec.responded_at = response, Supervision.Status.RESPONDED, timezone.now()
    rec.responded_by = actor if getattr(actor, "pk", None) else None
    save_versioned(rec, version, ["response", "status", "responded_at", "responded_by_id"])
    audit.record(actor, "supervision.respond", rec, before=before, after=audit.snapshot(rec, ("status", "response")),
                 taskforce_id=rec.taskforce_id)
    return rec


@transaction.atomic
def close(actor: Any, rec: Supervision, *, note: str = "", version: int | None = None) -> Supervision:
    """A manager closes the follow-up (办结), naming who closed it and why."""
    if not can_manage(actor, rec):
        raise Forbidden("只有专班领导、专班办公室或上级办公室可以办结督办")
    if rec.status == Supervision.Status.CLOSED:
        raise Conflict("supervision_closed", "督办已办结")
    note = (note or "").strip()
    if rec.status == Supervision.Status.OPEN and not note:
        raise Invalid("note_required", "尚无整改反馈，办结须写明理由", {"note": "请填写办结意见"})
    before = audit.snapshot(rec, ("status",))
    rec.status, rec.closing_note, rec.closed_at = Supervision.Status.CLOSED, note, timezone.now()
    rec.closed_by = actor if getattr(actor, "pk", None) else None
    save_versioned(rec, version, ["status", "closing_note", "closed_at", "closed_by_id"])
    audit.record(actor, "supervision.close", rec, before=before, after={"status": rec.status, "note": note},
                 taskforce_id=rec.taskforce_id)
    return rec
