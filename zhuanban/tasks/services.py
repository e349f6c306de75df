"""Task use cases: the only code that changes tasks.

Every function checks the actor's permission (``access``), applies the domain rules (tree and dependency
rules here, the status machine in ``states``, the light in ``lights``), writes the audit event and runs in
one transaction.  Writes to the task row go through ``save_versioned``: a stale write is a 409 and the
other writer's change is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Invalid, NotFound
from zhuanban.core.labels import SecurityLabel
from zhuanban.core.text import sanitize_rich_text
from zhuanban.core.workdays import add_workdays, workday_end
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.access import CLOSED as TF_CLOSED
from zhuanban.taskforces.models import Membership, TaskForce, ThemeGroup

from . import access, lights, states
from .models import Dependency, Dispatch, Dispute, Milestone, ProgressUpdate, Task

audit.ACTION_LABELS.update({
    "task.create": "新建任务", "task.update": "修改任务", "task.dispatch": "派发任务", "task.sign": "签收任务",
    "task.return": "退回任务", "task.dispute": "推诿转为争议", "task.rule": "裁定任务归属",
    "task.progress": "报送进展", "task.complete": "申请办结", "task.confirm": "确认办结", "task.verify": "核验办结",
    "task.reopen": "重新打开任务", "task.reassign": "调整责任", "task.import": "导入任务清单",
})

EDITABLE = ("title", "description", "plan", "parent", "group", "lead_unit", "responsible", "decision_owner",
            "start_at", "due_at", "priority", "source", "source_note", "requires_verification", "security_label")
AUDITED = EDITABLE + ("status", "progress", "light")


def _snapshot(task: Task, fields: Iterable[str] = AUDITED) -> dict[str, Any]:
    return audit.snapshot(task, fields)


def dispute_bounces() -> int:
    return int(settings.ZHUANBAN.get("DISPUTE_BOUNCES", 2))


def as_start(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """A planned start: a bare date means the start of that day."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time(0, 0)))


def as_due(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """A deadline: a bare date means the end of the workday on that date."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, workday_end()))


def _person_in(actor: Any) -> Person | None:
    return access.person_of(actor)


def _actor_unit(actor: Any, tf: TaskForce) -> Unit | None:
    person = _person_in(actor)
    if person is None:
        return None
    m = Membership.objects.filter(person=person, taskforce=tf, end_on__isnull=True).select_related(
        "dispatching_unit").first()
    return m.dispatching_unit if m else person.home_unit


def _require_open_tf(tf: TaskForce) -> None:
    if tf.status in TF_CLOSED:
        raise Conflict("taskforce_closed", "专班已解散或并入，不能再变更任务")


# ---- validation ----------------------------------------------------------------------------------


def _check_parent(task: Task, parent: Task | None) -> None:
    if parent is None:
        return
    if parent.taskforce_id != task.taskforce_id:
        raise Invalid("invalid_parent", "上级任务须属于同一专班", {"parent": "上级任务须属于同一专班"})
    current: int | None = parent.pk
    seen: set[int] = set()
    while current is not None:
        if task.pk is not None and current == task.pk:
            raise Invalid("parent_cycle", "上级任务不能是本任务或其下级任务（任务树不能成环）",
                          {"parent": "会形成循环"})
        if current in seen:  # a cycle already in the data: refuse rather than loop
            raise Invalid("parent_cycle", "任务树数据存在循环", {"parent": "会形成循环"})
        seen.add(current)
        current = Task.objects.filter(pk=current).values_list("parent_id", flat=True).first()


def _check_dates(task: Task) -> None:
    if task.start_at and task.due_at and task.due_at < task.start_at:
        raise Invalid("due_before_start", "完成时限不能早于计划开始时间", {"due_at": "不能早于计划开始时间"})


def _check_progress(progress: Any) -> None:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise Invalid("invalid_progress", "进度须在 0–100 之间", {"progress": "须在 0–100 之间"})


def _check_fields(task: Task) -> None:
    fields: dict[str, str] = {}
    if not (task.title or "").strip():
        fields["title"] = "请填写任务名称"
    if task.priority not in Task.Priority.values:
        fields["priority"] = "优先级取值无效"
    if task.source not in Task.Source.values:
        fields["source"] = "任务来源取值无效"
    if task.security_label not in SecurityLabel.values:
        fields["security_label"] = "安全标签取值无效"
    if task.group_id and not ThemeGroup.objects.filter(pk=task.group_id, taskforce_id=task.taskforce_id).exists():
        fields["group"] = "专题组须属于本专班"
    if fields:
        raise Invalid("invalid_task", next(iter(fields.values())), fields)


def _check_dependencies(task: Task, depends_on: Iterable[Task]) -> list[Task]:
    targets = list(depends_on)
    for other in targets:
        if other.taskforce_id != task.taskforce_id:
            raise Invalid("invalid_dependency", "前置任务须属于同一专班", {"depends_on": "前置任务须属于同一专班"})
        if other.pk == task.pk:
            raise Invalid("dependency_cycle", "任务不能依赖自身", {"depends_on": "不能依赖自身"})
    # All edges of the task force in one query, the walk in memory.
    edges: dict[int, set[int]] = {}
    for a, b in Dependency.objects.filter(task__taskforce_id=task.taskforce_id).exclude(
            task_id=task.pk).values_list("task_id", "depends_on_id"):
        edges.setdefault(a, set()).add(b)
    edges[task.pk] = {t.pk for t in targets}
    stack, seen = list(edges[task.pk]), set()
    while stack:
        node = stack.pop()
        if node == task.pk:
            raise Invalid("dependency_cycle", "前置任务之间不能形成循环依赖", {"depends_on": "会形成循环依赖"})
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return targets


def _set_dependencies(task: Task, depends_on: Iterable[Task]) -> None:
    targets = _check_dependencies(task, depends_on)
    Dependency.objects.filter(task=task).exclude(depends_on__in=targets).delete()
    existing = set(Dependency.objects.filter(task=task).values_list("depends_on_id", flat=True))
    Dependency.objects.bulk_create([Dependency(task=task, depends_on=t) for t in targets if t.pk not in existing])


def _set_milestones(task: Task, milestones: Iterable[dict[str, Any]]) -> None:
    rows = []
    for i, m in enumerate(milestones):
        title, due_on = (m.get("title") or "").strip(), m.get("due_on")
        if not title or not isinstance(due_on, dt.date):
            raise Invalid("invalid_milestone", "时间节点须有名称和日期", {f"milestones.{i}": "须有名称和日期"})
        rows.append(Milestone(task=task, title=title, due_on=due_on, done_on=m.get("done_on")))
    task.milestones.all().delete()
    Milestone.objects.bulk_create(rows)


# ---- create and edit -----------------------------------------------------------------------------


@transaction.atomic
def create_task(actor: Any, tf: TaskForce, *, title: str, due_in_workdays: int | None = None,
                cooperating_units: Iterable[Unit] = (), depends_on: Iterable[Task] = (),
                milestones: Iterable[dict[str, Any]] = (), progress: int = 0, **data: Any) -> Task:
    """A new task (待派发).  ``progress`` is the progress already made when the task is taken over from
    elsewhere (an imported list's 进展 column); it is part of the create event like every other field."""
    if not access.can_create_in(actor, tf):
        from zhuanban.taskforces.access import require_manage

        require_manage(actor, tf)
    _require_open_tf(tf)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    task = Task(taskforce=tf, title=title, created_by=actor if getattr(actor, "pk", None) else None)
    for name, value in data.items():
        setattr(task, name, value)
    for name in ("description", "plan", "source_note"):
        setattr(task, name, getattr(task, name) or "")
    task.plan = sanitize_rich_text(task.plan)
    task.description = sanitize_rich_text(task.description)
    task.start_at, task.due_at = as_start(task.start_at), as_due(task.due_at)
    _check_progress(progress)
    task.progress = progress
    if due_in_workdays is not None:
        if due_in_workdays < 0:
            raise Invalid("invalid_due", "工作日天数不能为负数", {"due_in_workdays": "须为非负整数"})
        task.due_at = add_workdays(task.start_at or timezone.now(), due_in_workdays)
    _check_fields(task)
    _check_dates(task)
    _check_parent(task, task.parent)
    lights.refresh(task)
    task.save()
    task.cooperating_units.set(list(cooperating_units))
    _set_dependencies(task, depends_on)
    _set_milestones(task, milestones)
    audit.record(actor, "task.create", task, after=_snapshot(task), taskforce_id=tf.pk)
    return task


@transaction.atomic
def update_task(actor: Any, task: Task, *, version: int, cooperating_units: Iterable[Unit] | None = None,
                depends_on: Iterable[Task] | None = None, milestones: Iterable[dict[str, Any]] | None = None,
                **changes: Any) -> Task:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "manage")
    _require_open_tf(task.taskforce)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    before = _snapshot(task, changes.keys())
    for name, value in changes.items():
        if name in ("description", "plan", "source_note", "title"):
            value = value or ""
        if name in ("description", "plan"):
            value = sanitize_rich_text(value)
        if name == "start_at":
            value = as_start(value)
        if name == "due_at":
            value = as_due(value)
        setattr(task, name, value)
    _check_fields(task)
    _check_dates(task)
    if "parent" in changes:
        _check_parent(task, task.parent)
    lights.refresh(task)
    fields = [Task._meta.get_field(n).attname for n in changes] + ["pace_at", "light"]
    save_versioned(task, version, fields)
    if cooperating_units is not None:
        task.cooperating_units.set(list(cooperating_units))
    if depends_on is not None:
        _set_dependencies(task, depends_on)
    if milestones is not None:
        _set_milestones(task, milestones)
    audit.record(actor, "task.update", task, before=before, after=_snapshot(task, changes.keys()),
                 taskforce_id=task.taskforce_id)
    return task


def _save_state(actor: Any, task: Task, action: str, version: int | None, fields: list[str],
                before: dict[str, Any], note: str = "", extra: dict[str, Any] | None = None) -> Task:
    lights.refresh(task)
    save_versioned(task, version, [*fields, "pace_at", "light"])
    after = _snapshot(task, ("status", "progress", "light", *[f.removesuffix("_id") for f in fields
                                                               if f not in ("status", "progress")]))
    if extra:
        after.update(extra)
    audit.record(actor, f"task.{action}", task, before=before, after=after, note=note,
                 taskforce_id=task.taskforce_id)
    return task


# ---- dispatch chain ------------------------------------------------------------------------------


@transaction.atomic
def dispatch(actor: Any, task: Task, *, to_unit: Unit | None = None, to_person: Person | None = None,
             to_taskforce: TaskForce | None = None, note: str = "", version: int | None = None) -> Dispatch:
    """Send the task one hop down the chain (office → task force → lead unit's liaison → member units)."""
    acc = access.get_task_access(actor, task)
    if not (acc.manage or (acc.worker and task.status in (Task.Status.SIGNED, Task.Status.IN_PROGRESS))):
        access.require(acc, "manage")
    _require_open_tf(task.taskforce)
    states.check(task, "dispatch")
    if not (to_unit or to_person or to_taskforce):
        raise Invalid("invalid_dispatch", "请指定接收单位、接收人或接收专班", {"to": "请指定接收方"})
    before = _snapshot(task, ("status",))
    hop = Dispatch.objects.create(task=task, from_unit=_actor_unit(actor, task.taskforce),
                                  from_person=_person_in(actor), to_unit=to_unit, to_person=to_person,
                                  to_taskforce=to_taskforce, note=note)
    task.status = Task.Status.DISPATCHED
    _save_state(actor, task, "dispatch", version, ["status"], before,
                extra={"hop": hop.pk, "to": hop.receiver_label})
    return hop


def _pending(task: Task) -> Dispatch:
    hop = access.pending_hop(task)
    if hop is None:  # the status said dispatched; the data disagrees
        raise Conflict("no_pending_dispatch", "该任务没有待签收的派发")
    return hop


@transaction.atomic
def sign(actor: Any, task: Task, *, version: int | None = None) -> Dispatch:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    states.check(task, "sign")
    access.require(acc, "receiver")
    hop = _pending(task)
    me = _person_in(actor)
    before = _snapshot(task, ("status", "responsible", "lead_unit"))
    hop.status, hop.signed_at, hop.signed_by = Dispatch.Status.SIGNED, timezone.now(), me
    hop.save(update_fields=["status", "signed_at", "signed_by"])
    task.status = Task.Status.SIGNED
    fields = ["status"]
    if task.responsible_id is None and (hop.to_person or me):
        task.responsible = hop.to_person or me
        fields.append("responsible_id")
    if task.lead_unit_id is None and hop.to_unit_id:
        task.lead_unit_id = hop.to_unit_id
        fields.append("lead_unit_id")
    _save_state(actor, task, "sign", version, fields, before, extra={"hop": hop.pk})
    return hop


@transaction.atomic
def return_task(actor: Any, task: Task, *, reason: str, version: int | None = None) -> Dispatch:
    """退回 with a reason.  Each return is a bounce; at the N-th the task becomes a dispute for the office."""
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    states.check(task, "return")
    access.require(acc, "receiver")
    if not (reason or "").strip():
        raise Invalid("reason_required", "退回须说明理由", {"reason": "请填写退回理由"})
    hop = _pending(task)
    if hop.by_ruling:
        raise Conflict("ruling_final", "该任务的归属已由办公室裁定，不能退回")
    before = _snapshot(task, ("status", "bounces"))
    hop.status, hop.returned_at, hop.reason = Dispatch.Status.RETURNED, timezone.now(), reason.strip()[:300]
    hop.save(update_fields=["status", "returned_at", "reason"])
    task.bounces += 1
    if task.bounces >= dispute_bounces():
        task.status = Task.Status.DISPUTED
        history = [
            {"hop": h.pk, "to": h.receiver_label, "from": h.sender_label, "reason": h.reason,
             "returned_at": h.returned_at.isoformat() if h.returned_at else None}
            for h in task.dispatches.filter(status=Dispatch.Status.RETURNED).select_related(
                "to_unit", "to_person", "to_taskforce", "from_unit", "from_person")
        ]
        dispute = Dispute.objects.create(task=task, taskforce=task.taskforce, bounces=history)
        _save_state(actor, task, "return", version, ["status", "bounces"], before, note=reason,
                    extra={"hop": hop.pk, "dispute": dispute.pk})
        audit.record(actor, "task.dispute", dispute, after={"task": task.pk, "bounces": task.bounces},
                     taskforce_id=task.taskforce_id)
    else:
        task.status = Task.Status.RETURNED
        _save_state(actor, task, "return", version, ["status", "bounces"], before, note=reason,
                    extra={"hop": hop.pk})
    return hop


@transaction.atomic
def rule_dispute(actor: Any, dispute: Dispute, *, ruling: str, owner_unit: Unit | None = None,
                 owner_person: Person | None = None, owner_taskforce: TaskForce | None = None) -> Dispute:
    """The office rules who owns a disputed task.  Final: the resulting hop is signed and cannot be returned."""
    task = Task.objects.select_related("taskforce").get(pk=dispute.task_id)
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "manage")
    if dispute.status != Dispute.Status.OPEN:
        raise Conflict("dispute_ruled", "该争议已裁定，裁定为最终结果，不能再次裁定")
    states.check(task, "rule")
    if not (ruling or "").strip():
        raise Invalid("ruling_required", "请填写裁定意见", {"ruling": "请填写裁定意见"})
    if not (owner_unit or owner_person or owner_taskforce):
        raise Invalid("owner_required", "请裁定责任单位、责任人或责任专班", {"owner": "请指定归属"})
    now = timezone.now()
    dispute.status, dispute.ruling, dispute.ruled_at = Dispute.Status.RULED, ruling.strip(), now
    dispute.owner_unit, dispute.owner_person, dispute.owner_taskforce = owner_unit, owner_person, owner_taskforce
    dispute.ruled_by = actor if getattr(actor, "pk", None) else None
    dispute.save()
    Dispatch.objects.create(task=task, from_unit=_actor_unit(actor, task.taskforce), from_person=_person_in(actor),
                            to_unit=owner_unit, to_person=owner_person, to_taskforce=owner_taskforce,
                            status=Dispatch.Status.SIGNED, signed_at=now, signed_by=owner_person,
                            note="办公室裁定", by_ruling=True)
    before = _snapshot(task, ("status", "responsible", "lead_unit"))
    task.status = Task.Status.SIGNED
    fields = ["status"]
    if owner_person is not None:
        task.responsible = owner_person
        fields.append("responsible_id")
    if owner_unit is not None:
        task.lead_unit = owner_unit
        fields.append("lead_unit_id")
    _save_state(actor, task, "rule", None, fields, before, note=dispute.ruling, extra={"dispute": dispute.pk})
    return dispute


# ---- progress and completion ---------------------------------------------------------------------


@transaction.atomic
def report_progress(actor: Any, task: Task, *, progress: int, note: str = "", attachment: Any = None,
                    version: int | None = None) -> ProgressUpdate:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "worker")
    _require_open_tf(task.taskforce)
    states.check(task, "progress")
    _check_progress(progress)
    if attachment is not None and attachment.taskforce_id != task.taskforce_id:
        raise Invalid("invalid_attachment", "附件须属于本专班", {"attachment": "附件须属于本专班"})
    before = _snapshot(task, ("status", "progress"))
    task.progress, task.status = progress, Task.Status.IN_PROGRESS
    _save_state(actor, task, "progress", version, ["status", "progress"], before, note=note)
    person = _person_in(actor)
    return ProgressUpdate.objects.create(task=task, author=actor if getattr(actor, "pk", None) else None,
                                         author_name=person.name if person else str(actor), progress=progress,
                                         note=note, attachment=attachment)


def open_children(task: Task) -> list[dict[str, Any]]:
    return [{"id": c.pk, "title": c.title, "status": c.status}
            for c in task.children.exclude(status__in=Task.CLOSED).order_by("id")]


@transaction.atomic
def complete(actor: Any, task: Task, *, note: str = "", version: int | None = None) -> Task:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "worker")
    states.check(task, "complete")
    children = open_children(task)
    if children:
        raise Conflict("open_children", f"尚有 {len(children)} 项下级任务未完成，不能办结",
                       extra={"children": children})
    blocking = [{"id": d.depends_on_id, "title": d.depends_on.title, "status": d.depends_on.status}
                for d in task.dependencies.select_related("depends_on").exclude(depends_on__status__in=Task.CLOSED)]
    if blocking:
        raise Conflict("open_dependencies", "前置任务尚未完成，不能办结", extra={"dependencies": blocking})
    before = _snapshot(task, ("status", "progress"))
    task.status, task.progress, task.completed_at = Task.Status.PENDING_CONFIRMATION, 100, timezone.now()
    return _save_state(actor, task, "complete", version, ["status", "progress", "completed_at"], before, note=note)


@transaction.atomic
def confirm(actor: Any, task: Task, *, version: int | None = None) -> Task:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "confirmer")
    states.check(task, "confirm")
    before = _snapshot(task, ("status",))
    task.status = Task.Status.PENDING_VERIFICATION if task.requires_verification else Task.Status.DONE
    task.confirmed_by = actor if getattr(actor, "pk", None) else None
    return _save_state(actor, task, "confirm", version, ["status", "confirmed_by_id"], before)


@transaction.atomic
def verify(actor: Any, task: Task, *, version: int | None = None) -> Task:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "manage")
    states.check(task, "verify")
    before = _snapshot(task, ("status",))
    task.status, task.verified_by = Task.Status.DONE, actor if getattr(actor, "pk", None) else None
    return _save_state(actor, task, "verify", version, ["status", "verified_by_id"], before)


@transaction.atomic
def reopen(actor: Any, task: Task, *, reason: str, version: int | None = None) -> Task:
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "manage")
    _require_open_tf(task.taskforce)
    states.check(task, "reopen")
    if not (reason or "").strip():
        raise Invalid("reason_required", "重新打开须说明理由", {"reason": "请填写理由"})
    before = _snapshot(task, ("status", "progress"))
    task.status, task.completed_at, task.confirmed_by, task.verified_by = Task.Status.IN_PROGRESS, None, None, None
    return _save_state(actor, task, "reopen", version,
                       ["status", "completed_at", "confirmed_by_id", "verified_by_id"], before, note=reason)


@transaction.atomic
def reassign(actor: Any, task: Task, *, responsible: Person | None = None, lead_unit: Unit | None = None,
             reason: str = "", version: int | None = None) -> Task:
    """改派: the office moves a task to another person or unit (after seeing their open load).

    A task still waiting to be signed is re-sent: the pending hop is marked 已改派 (its receiver no
    longer sees the task through it) and a new hop goes to the new person or unit, who signs as usual.
    A disputed task is not reassigned but ruled (``rule_dispute``): the ruling is what settles it."""
    acc = access.get_task_access(actor, task)
    if not acc.view:
        raise NotFound()
    access.require(acc, "manage")
    _require_open_tf(task.taskforce)
    states.check(task, "reassign")
    if responsible is None and lead_unit is None:
        raise Invalid("invalid_reassign", "请指定新的责任人或牵头单位", {"responsible": "请指定新的责任人或牵头单位"})
    if (responsible is None or responsible.pk == task.responsible_id) and (
            lead_unit is None or lead_unit.pk == task.lead_unit_id):
        raise Invalid("reassign_unchanged", "新的责任人、牵头单位与当前相同，无需改派",
                      {"responsible": "与当前相同"})
    before = _snapshot(task, ("responsible", "lead_unit"))
    fields = []
    if responsible is not None:
        task.responsible, fields = responsible, [*fields, "responsible_id"]
    if lead_unit is not None:
        task.lead_unit, fields = lead_unit, [*fields, "lead_unit_id"]
    extra: dict[str, Any] = {}
    if task.status == Task.Status.DISPATCHED:
        old = _pending(task)
        old.status = Dispatch.Status.SUPERSEDED
        old.save(update_fields=["status"])
        hop = Dispatch.objects.create(task=task, from_unit=_actor_unit(actor, task.taskforce),
                                      from_person=_person_in(actor), to_unit=lead_unit, to_person=responsible,
                                      note=(reason or "办公室改派")[:300])
        extra = {"superseded": old.pk, "hop": hop.pk, "to": hop.receiver_label}
    return _save_state(actor, task, "reassign", version, fields, before, note=reason, extra=extra)


@transaction.atomic
def record_export(actor: Any, tf: TaskForce, count: int) -> None:
    """Every export of a task list leaves an audit event (who took how many tasks out, from where)."""
    audit.record(actor, "task.export", tf, after={"tasks": count, "label": tf.security_label}, taskforce_id=tf.pk)
