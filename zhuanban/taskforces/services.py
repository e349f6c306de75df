"""Task-force use cases: the only code that changes task-force state.

Every function checks the actor's permission, applies the domain rules, writes the audit event and runs
in one transaction.  The web views, the API, the CLI and the demo loader all call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Forbidden, Invalid
from zhuanban.core.labels import SecurityLabel
from zhuanban.core.text import sanitize_rich_text
from zhuanban.org.models import Person, Unit

from . import lifecycle, openitems
from .access import can_create_taskforce, require_manage
from .models import (
    DemandItem,
    Handover,
    Membership,
    MembershipChange,
    MemberUnit,
    Period,
    Target,
    TaskForce,
    ThemeGroup,
    today,
)

EDITABLE_FIELDS = [
    "name",
    "core_matter",
    "goals",
    "region",
    "basis",
    "basis_document_no",
    "basis_note",
    "established_on",
    "planned_end",
    "dissolution_conditions",
    "task_nature",
    "boundary_override",
    "boundary_override_reason",
    "purpose",
    "entity_operation",
    "decision_mode",
    "leading_body",
    "lead_unit",
    "parent",
    "parent_relation",
    "is_office",
    "security_label",
]
AUDIT_FIELDS = EDITABLE_FIELDS + ["status"]
# Markdown fields: sanitised with nh3 on the way in, rendered with |markdown (zhuanban.core.text).
RICH_TEXT_FIELDS = ("core_matter", "goals", "dissolution_conditions", "summary", "lessons")


def _sanitize_rich(data: dict[str, Any]) -> dict[str, Any]:
    return {k: sanitize_rich_text(v) if k in RICH_TEXT_FIELDS and v is not None else v for k, v in data.items()}


def _validate_positioning(tf: TaskForce) -> None:
    """Rules of one task force's positioning; each failure names its field (422)."""
    fields: dict[str, str] = {}
    if not (tf.name or "").strip():
        fields["name"] = "请填写专班名称"
    if not (tf.core_matter or "").strip():
        fields["core_matter"] = "请填写核心事务"
    if tf.basis not in TaskForce.Basis.values:
        fields["basis"] = "请选择设立依据"
    elif tf.basis == TaskForce.Basis.NOTICE and not tf.basis_document_no.strip():
        fields["basis_document_no"] = "正式发文设立的专班须填写文号"
    if tf.established_on and tf.planned_end and tf.planned_end < tf.established_on:
        fields["planned_end"] = "计划结束日期不能早于设立日期"
    if tf.task_nature not in TaskForce.Nature.values:
        fields["task_nature"] = "请选择任务性质"
    if tf.purpose not in TaskForce.Purpose.values:
        fields["purpose"] = "请选择工作目的"
    if tf.boundary_override and not tf.boundary_override_reason.strip():
        fields["boundary_override_reason"] = "人工认定成员边界须说明理由"
    if tf.boundary_override and tf.boundary_override not in TaskForce.Boundary.values:
        fields["boundary_override"] = "成员边界取值无效"
    if tf.decision_mode == TaskForce.DecisionMode.LEADING_CORE and not tf.leading_body.strip():
        fields["leading_body"] = "领导中枢决策模式须填写领导中枢机构"
    elif tf.decision_mode == TaskForce.DecisionMode.LEAD_DEPARTMENT and tf.lead_unit_id is None:
        fields["lead_unit"] = "牵头部门决策模式须指定牵头部门"
    elif tf.decision_mode not in TaskForce.DecisionMode.values:
        fields["decision_mode"] = "请选择决策模式"
    if tf.security_label not in SecurityLabel.values:
        fields["security_label"] = "安全标签须为公开、内部或敏感"
    if tf.parent_id is not None:
        if tf.pk is not None and _is_descendant_or_self(tf.parent_id, tf.pk):
            fields["parent"] = "上级专班不能是本专班或其下级专班"
        if not tf.parent_relation:
            fields["parent_relation"] = "请说明与上级专班的关系"
    if fields:
        first = next(iter(fields.values()))
        raise Invalid("invalid_positioning", first, fields)


def _is_descendant_or_self(candidate_id: int, tf_id: int) -> bool:
    current: int | None = candidate_id
    for _ in range(20):
        if current is None:
            return False
        if current == tf_id:
            return True
        current = TaskForce.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return True


def validate_draft(**data: Any) -> None:
    """Check a not-yet-saved task force's positioning without writing anything.

    The formation wizard validates step by step before the task force exists; it raises ``Invalid``
    exactly as ``create_taskforce`` would, and the caller shows the fields of its own step.
    """
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    tf = TaskForce()
    for name, value in data.items():
        setattr(tf, name, "" if value is None and name not in ("region", "lead_unit", "parent", "established_on",
                                                              "planned_end") else value)
    _validate_positioning(tf)


@transaction.atomic
def create_taskforce(actor: Any, **data: Any) -> TaskForce:
    if not can_create_taskforce(actor):
        raise Forbidden("只有单位负责人、专班办公室或系统管理员可以组建专班")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    data = _sanitize_rich(data)
    tf = TaskForce(created_by=actor if getattr(actor, "pk", None) else None)
    for name, value in data.items():
        setattr(tf, name, value)
    for name in ("goals", "basis_document_no", "basis_note", "dissolution_conditions", "leading_body",
                 "boundary_override", "boundary_override_reason", "parent_relation"):
        if getattr(tf, name) is None:
            setattr(tf, name, "")
    if tf.parent_id is not None:
        require_manage(actor, tf.parent)
    _validate_positioning(tf)
    tf.save()
    audit.record(actor, "taskforce.create", tf, after=audit.snapshot(tf, AUDIT_FIELDS), taskforce_id=tf.pk)
    return tf


@transaction.atomic
def update_taskforce(actor: Any, tf: TaskForce, *, version: int, **changes: Any) -> TaskForce:
    require_manage(actor, tf)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid("unknown_fields", f"未知字段：{', '.join(sorted(unknown))}")
    if tf.status in (TaskForce.Status.DISSOLVED, TaskForce.Status.MERGED):
        raise Conflict("taskforce_closed", "专班已解散或并入，不能再修改；如需继续工作请先重启")
    changes = _sanitize_rich(changes)
    before = audit.snapshot(tf, changes.keys())
    for name, value in changes.items():
        setattr(tf, name, "" if value is None and name not in ("region", "lead_unit", "parent", "planned_end")
                else value)
    if "parent" in changes and tf.parent is not None:
        require_manage(actor, tf.parent)
    _validate_positioning(tf)
    fields = [TaskForce._meta.get_field(n).attname for n in changes]
    save_versioned(tf, version, fields)
    audit.record(actor, "taskforce.update", tf, before=before, after=audit.snapshot(tf, changes.keys()),
                 taskforce_id=tf.pk)
    return tf


# ---- positioning details -------------------------------------------------------------------------


@transaction.atomic
def add_target(actor: Any, tf: TaskForce, *, description: str, metric: str = "",
               target_value: Decimal | None = None, unit_of_measure: str = "",
               due_on: dt.date | None = None) -> Target:
    require_manage(actor, tf)
    _require_open(tf)
    if not description.strip():
        raise Invalid("invalid_target", "请填写目标内容", {"description": "请填写目标内容"})
    if due_on and due_on < tf.established_on:
        raise Invalid("invalid_target", "目标完成时限不能早于专班设立日期", {"due_on": "不能早于设立日期"})
    target = Target.objects.create(taskforce=tf, description=description, metric=metric,
                                   target_value=target_value, unit_of_measure=unit_of_measure, due_on=due_on)
    audit.record(actor, "taskforce.target_add", target, after={"description": description}, taskforce_id=tf.pk)
    return target


@transaction.atomic
def add_demand(actor: Any, tf: TaskForce, *, title: str, source: str = "",
               owner: Person | None = None) -> DemandItem:
    require_manage(actor, tf)
    _require_open(tf)
    if not title.strip():
        raise Invalid("invalid_demand", "请填写需求事项", {"title": "请填写需求事项"})
    item = DemandItem.objects.create(taskforce=tf, title=title, source=source, owner=owner)
    audit.record(actor, "taskforce.demand_add", item, after={"title": title}, taskforce_id=tf.pk)
    return item


@transaction.atomic
def set_demand_status(actor: Any, item: DemandItem, *, status: str, handed_over_to: str = "") -> DemandItem:
    require_manage(actor, item.taskforce)
    _require_open(item.taskforce)
    if status not in DemandItem.Status.values:
        raise Invalid("invalid_status", "需求事项状态无效", {"status": "状态无效"})
    if status == DemandItem.Status.HANDED_OVER and not handed_over_to.strip():
        raise Invalid("invalid_handover", "移交的事项须写明移交去向", {"handed_over_to": "请填写移交去向"})
    before = {"status": item.status}
    item.status, item.handed_over_to = status, handed_over_to
    item.save(update_fields=["status", "handed_over_to"])
    audit.record(actor, "taskforce.demand_update", item, before=before,
                 after={"status": status, "handed_over_to": handed_over_to}, taskforce_id=item.taskforce_id)
    return item


@transaction.atomic
def add_group(actor: Any, tf: TaskForce, *, name: str, lead_unit: Unit | None = None,
              lead_person: Person | None = None) -> ThemeGroup:
    require_manage(actor, tf)
    _require_open(tf)
    if not name.strip():
        raise Invalid("invalid_group", "请填写专题组名称", {"name": "请填写专题组名称"})
    if tf.groups.filter(name=name).exists():
        raise Conflict("duplicate_group", f"专题组“{name}”已存在", {"name": "名称重复"})
    group = ThemeGroup.objects.create(taskforce=tf, name=name, lead_unit=lead_unit, lead_person=lead_person)
    audit.record(actor, "taskforce.group_add", group, after={"name": name}, taskforce_id=tf.pk)
    return group


# ---- membership ----------------------------------------------------------------------------------


def _require_open(tf: TaskForce) -> None:
    if tf.status in (TaskForce.Status.DISSOLVED, TaskForce.Status.MERGED):
        raise Conflict("taskforce_closed", "专班已解散或并入，不能再调整成员")


@transaction.atomic
def add_member_unit(actor: Any, tf: TaskForce, *, unit: Unit, role: str,
                    joined_on: dt.date | None = None) -> MemberUnit:
    require_manage(actor, tf)
    _require_open(tf)
    if role not in MemberUnit.Role.values:
        raise Invalid("invalid_role", "单位角色无效", {"role": "请选择牵头、参与或辅助"})
    if tf.member_units.filter(unit=unit, left_on__isnull=True).exists():
        raise Conflict("duplicate_member_unit", f"{unit}已是本专班成员单位", {"unit": "已是成员单位"})
    mu = MemberUnit.objects.create(taskforce=tf, unit=unit, role=role, joined_on=joined_on or today())
    audit.record(actor, "membership.unit_add", mu, after={"unit": unit.pk, "role": role}, taskforce_id=tf.pk)
    return mu


@transaction.atomic
def exit_member_unit(actor: Any, mu: MemberUnit, *, on: dt.date | None = None, reason: str = "") -> MemberUnit:
    tf = mu.taskforce
    require_manage(actor, tf)
    if mu.left_on is not None:
        raise Conflict("already_left", "该单位已退出")
    if mu.liaisons.filter(end_on__isnull=True).exists():
        raise Conflict("liaison_active", "请先办理该单位联络员的退出或交接")
    mu.left_on = on or today()
    mu.save(update_fields=["left_on"])
    audit.record(actor, "membership.unit_exit", mu, after={"left_on": mu.left_on.isoformat()}, note=reason,
                 taskforce_id=tf.pk)
    return mu


def _check_liaison_slot(tf: TaskForce, member_unit: MemberUnit | None) -> None:
    if member_unit is None:
        raise Invalid("liaison_needs_unit", "联络员须对应一个成员单位", {"member_unit": "请选择所代表的成员单位"})
    if member_unit.taskforce_id != tf.pk or member_unit.left_on is not None:
        raise Invalid("invalid_member_unit", "所选成员单位不属于本专班或已退出", {"member_unit": "成员单位无效"})
    existing = member_unit.liaisons.filter(role=Membership.Role.LIAISON, end_on__isnull=True).first()
    if existing is not None:
        raise Conflict(
            "liaison_exists",
            f"{member_unit.unit}已有在岗联络员{existing.person}，每个成员单位只能有一名联络员；如需更换请办理替换交接",
            {"member_unit": "已有在岗联络员"},
        )


@transaction.atomic
def join(actor: Any, tf: TaskForce, *, person: Person, role: str, dispatching_unit: Unit | None = None,
         member_unit: MemberUnit | None = None, group: ThemeGroup | None = None, full_time: bool = False,
         workload_pct: int = 0, start_on: dt.date | None = None, decided_by: str = "",
         reason: str = "") -> Membership:
    """A person joins the task force (抽调 / 外部人员加入), recorded with who decided it and why."""
    require_manage(actor, tf)
    _require_open(tf)
    if role not in Membership.Role.values:
        raise Invalid("invalid_role", "专班职务无效", {"role": "请选择专班职务"})
    if not 0 <= int(workload_pct) <= 100:
        raise Invalid("invalid_workload", "工作量占比须在 0 到 100 之间", {"workload_pct": "须在 0–100 之间"})
    start_on = start_on or today()
    if start_on < tf.established_on:
        raise Invalid("invalid_start", "加入日期不能早于专班设立日期", {"start_on": "不能早于设立日期"})
    if tf.memberships.filter(person=person, end_on__isnull=True).exists():
        raise Conflict("already_member", f"{person}已在本专班任职", {"person": "已在本专班"})
    if group is not None and group.taskforce_id != tf.pk:
        raise Invalid("invalid_group", "专题组不属于本专班", {"group": "专题组无效"})
    if role == Membership.Role.LIAISON:
        _check_liaison_slot(tf, member_unit)
    elif member_unit is not None and member_unit.taskforce_id != tf.pk:
        raise Invalid("invalid_member_unit", "所选成员单位不属于本专班", {"member_unit": "成员单位无效"})
    try:
        with transaction.atomic():
            m = Membership.objects.create(
                taskforce=tf, person=person, role=role, dispatching_unit=dispatching_unit or person.home_unit,
                member_unit=member_unit, group=group, full_time=full_time, workload_pct=int(workload_pct),
                start_on=start_on,
            )
    except IntegrityError:
        # A concurrent join (a double click, or two offices at once): the database constraints decide.
        if tf.memberships.filter(person=person, end_on__isnull=True).exists():
            raise Conflict("already_member", f"{person}已在本专班任职", {"person": "已在本专班"}) from None
        raise Conflict("liaison_exists", "该成员单位已有在岗联络员", {"member_unit": "已有在岗联络员"}) from None
    MembershipChange.objects.create(taskforce=tf, kind=MembershipChange.Kind.JOIN, membership=m,
                                    decided_by=decided_by or _actor_label(actor), decided_on=start_on,
                                    reason=reason)
    audit.record(actor, "membership.join", m, after=_membership_snapshot(m), note=reason, taskforce_id=tf.pk)
    return m


@transaction.atomic
def leave(actor: Any, m: Membership, *, on: dt.date | None = None, decided_by: str = "",
         reason: str = "") -> Membership:
    tf = m.taskforce
    require_manage(actor, tf)
    if m.end_on is not None:
        raise Conflict("already_ended", "该成员已退出")
    on = on or today()
    if on < m.start_on:
        raise Invalid("invalid_end", "退出日期不能早于加入日期", {"on": "不能早于加入日期"})
    if m.role == Membership.Role.LIAISON:
        owned = [i for i in openitems.open_items(tf) if i.owner_id == m.person_id]
        if owned:
            raise Conflict(
                "liaison_has_open_items",
                f"联络员{m.person}名下还有{len(owned)}项未办结事项，请通过“替换”办理交接",
                extra={"blockers": [i.as_dict() for i in owned]},
            )
    m.end_on, m.end_reason = on, reason
    m.save(update_fields=["end_on", "end_reason"])
    MembershipChange.objects.create(taskforce=tf, kind=MembershipChange.Kind.EXIT, membership=m,
                                    decided_by=decided_by or _actor_label(actor), decided_on=on, reason=reason)
    audit.record(actor, "membership.exit", m, after={"end_on": on.isoformat()}, note=reason, taskforce_id=tf.pk)
    return m


@transaction.atomic
def replace(actor: Any, m: Membership, *, successor: Person, on: dt.date | None = None, decided_by: str = "",
            reason: str = "", note: str = "") -> Membership:
    """Replace a member by another person in the same post; a liaison's open items pass to the successor
    and the handover is recorded (domain brief, problem 2: contact persons change unannounced)."""
    tf = m.taskforce
    require_manage(actor, tf)
    _require_open(tf)
    if m.end_on is not None:
        raise Conflict("already_ended", "该成员已退出，不能替换")
    if successor.pk == m.person_id:
        raise Invalid("same_person", "接任人不能是原任人", {"successor": "请选择其他人员"})
    if tf.memberships.filter(person=successor, end_on__isnull=True).exists():
        raise Conflict("already_member", f"{successor}已在本专班任职", {"successor": "已在本专班"})
    on = on or today()
    if on < m.start_on:  # as in leave(): a membership cannot end before it began
        raise Invalid("invalid_end", "替换日期不能早于原任人加入日期", {"on": "不能早于加入日期"})
    m.end_on, m.end_reason = on, reason or "替换"
    m.save(update_fields=["end_on", "end_reason"])
    new = Membership.objects.create(
        taskforce=tf, person=successor, role=m.role, dispatching_unit=successor.home_unit,
        member_unit=m.member_unit, group=m.group, full_time=m.full_time, workload_pct=m.workload_pct, start_on=on,
    )
    MembershipChange.objects.create(taskforce=tf, kind=MembershipChange.Kind.REPLACE, membership=m, successor=new,
                                    decided_by=decided_by or _actor_label(actor), decided_on=on, reason=reason)
    moved = openitems.reassign(tf, m.person_id, successor.pk)
    if m.role == Membership.Role.LIAISON or moved:
        handover = Handover.objects.create(taskforce=tf, predecessor=m, successor=new,
                                           items=[i.as_dict() for i in moved], note=note)
        audit.record(actor, "membership.handover", handover, after={"items": len(moved)}, taskforce_id=tf.pk)
        from zhuanban.notices.handover import on_liaison_handover  # tells the counterparts (issue #8)

        on_liaison_handover(actor, handover)
    audit.record(actor, "membership.replace", new, before=_membership_snapshot(m), after=_membership_snapshot(new),
                 note=reason, taskforce_id=tf.pk)
    return new


def _membership_snapshot(m: Membership) -> dict[str, Any]:
    return audit.snapshot(m, ["person", "role", "dispatching_unit", "member_unit", "group", "full_time",
                              "workload_pct", "start_on", "end_on"])


def _actor_label(actor: Any) -> str:
    person = getattr(actor, "person", None) if getattr(actor, "pk", None) else None
    return str(person) if person else (actor.get_username() if getattr(actor, "pk", None) else "系统")


# ---- lifecycle -----------------------------------------------------------------------------------


def _transition(actor: Any, tf: TaskForce, action: str, *, note: str = "", extra: dict[str, Any] | None = None,
                fields: list[str] | None = None) -> None:
    before = {"status": tf.status}
    tf.status = lifecycle.check_transition(tf, action)
    save_versioned(tf, None, ["status", *(fields or [])])
    audit.record(actor, f"taskforce.{action}", tf, before=before, after={"status": tf.status, **(extra or {})},
                 note=note, taskforce_id=tf.pk)


def _lock(tf: TaskForce) -> TaskForce:
    """Re-read the row under a lock so a lifecycle move sees the latest state (PostgreSQL row lock;
    SQLite serialises writers already)."""
    fresh = TaskForce.objects.select_for_update().get(pk=tf.pk)
    tf.status, tf.version = fresh.status, fresh.version
    return tf


@transaction.atomic
def activate(actor: Any, tf: TaskForce, *, on: dt.date | None = None) -> TaskForce:
    require_manage(actor, tf)
    _lock(tf)
    lifecycle.check_transition(tf, "activate")
    if not tf.memberships.filter(end_on__isnull=True).exists():
        raise Conflict("no_members", "专班尚无成员，不能启动运行；请先添加成员单位和人员")
    on = on or today()
    Period.objects.create(taskforce=tf, number=tf.periods.count() + 1, started_on=max(on, tf.established_on))
    _transition(actor, tf, "activate")
    return tf


@transaction.atomic
def suspend(actor: Any, tf: TaskForce, *, reason: str) -> TaskForce:
    require_manage(actor, tf)
    _lock(tf)
    if not reason.strip():
        raise Invalid("reason_required", "暂停须说明理由", {"reason": "请填写暂停理由"})
    _transition(actor, tf, "suspend", note=reason)
    return tf


@transaction.atomic
def resume(actor: Any, tf: TaskForce) -> TaskForce:
    require_manage(actor, tf)
    _lock(tf)
    _transition(actor, tf, "resume")
    return tf


def dissolution_blockers(tf: TaskForce, *, summary: str | None = None, lessons: str | None = None) -> list[dict]:
    """The dissolution checklist: open items closed or handed over; summary and lessons written."""
    blockers: list[dict[str, Any]] = [
        {"kind": "open_item", "item": item.as_dict(), "message": f"未办结事项：{item.title}"}
        for item in openitems.open_items(tf)
    ]
    if not (summary if summary is not None else tf.summary).strip():
        blockers.append({"kind": "summary", "message": "尚未撰写工作总结"})
    if not (lessons if lessons is not None else tf.lessons).strip():
        blockers.append({"kind": "lessons", "message": "尚未总结经验做法（供派出单位共享）"})
    return blockers


def _check_closing_date(tf: TaskForce, on: dt.date) -> None:
    """A dissolution or merge date must not precede the task force or any secondment it ends."""
    from django.db.models import Max

    latest = tf.memberships.filter(end_on__isnull=True).aggregate(m=Max("start_on"))["m"]
    floor = max(d for d in (tf.established_on, latest) if d is not None)
    if on < floor:
        raise Invalid("invalid_date", f"日期不能早于{floor:%Y-%m-%d}（专班设立或在岗成员加入的最晚日期）",
                      {"on": f"不能早于{floor:%Y-%m-%d}"})
    if on > today():
        raise Invalid("invalid_date", "日期不能晚于今天", {"on": "不能晚于今天"})


# Apps that act on a dissolution register a callable (actor, tf) here; called inside the transaction,
# after the state change, so a failure undoes the dissolution.
DISSOLVED_HOOKS: list[Callable[[Any, TaskForce], None]] = []


@transaction.atomic
def dissolve(actor: Any, tf: TaskForce, *, summary: str = "", lessons: str = "",
             on: dt.date | None = None) -> TaskForce:
    """解散: passes the checklist, ends every membership and member unit (事毕人归), closes the period."""
    require_manage(actor, tf)
    _lock(tf)
    lifecycle.check_transition(tf, "dissolve")
    summary = sanitize_rich_text(summary or tf.summary)
    lessons = sanitize_rich_text(lessons or tf.lessons)
    blockers = dissolution_blockers(tf, summary=summary, lessons=lessons)
    if blockers:
        raise Conflict(
            "dissolution_blocked",
            f"解散条件未满足：{'；'.join(b['message'] for b in blockers[:5])}" + ("等" if len(blockers) > 5 else ""),
            extra={"blockers": blockers},
        )
    on = on or today()
    _check_closing_date(tf, on)
    ended = tf.memberships.filter(end_on__isnull=True).update(end_on=on, end_reason="专班解散，人员回归原单位")
    tf.member_units.filter(left_on__isnull=True).update(left_on=on)
    tf.periods.filter(ended_on__isnull=True).update(ended_on=on)
    tf.summary, tf.lessons, tf.dissolved_on = summary, lessons, on
    _transition(actor, tf, "dissolve", extra={"memberships_ended": ended},
                fields=["summary", "lessons", "dissolved_on"])
    for hook in DISSOLVED_HOOKS:  # e.g. insight archives and shares the dissolution summary
        hook(actor, tf)
    return tf


@transaction.atomic
def restart(actor: Any, tf: TaskForce, *, reason: str, on: dt.date | None = None) -> TaskForce:
    """Reactivate a dissolved task force for a recurring matter: history kept, a new period opens."""
    require_manage(actor, tf)
    _lock(tf)
    if not reason.strip():
        raise Invalid("reason_required", "重启须说明理由", {"reason": "请填写重启理由"})
    lifecycle.check_transition(tf, "restart")
    on = on or today()
    if (tf.dissolved_on and on < tf.dissolved_on) or on > today():
        raise Invalid("invalid_date", "重启日期须在解散日期之后且不晚于今天", {"on": "日期无效"})
    Period.objects.create(taskforce=tf, number=tf.periods.count() + 1, started_on=on, reason=reason)
    tf.dissolved_on = None
    _transition(actor, tf, "restart", note=reason, fields=["dissolved_on"])
    return tf


@transaction.atomic
def merge(actor: Any, tf: TaskForce, *, into: TaskForce, reason: str = "",
          on: dt.date | None = None) -> TaskForce:
    """Merge into another task force: active members, member units and open items move."""
    require_manage(actor, tf)
    require_manage(actor, into)
    _lock(tf)
    lifecycle.check_transition(tf, "merge")
    if into.pk == tf.pk:
        raise Invalid("merge_self", "不能并入自身", {"into": "请选择其他专班"})
    if into.status not in (TaskForce.Status.PLANNING, TaskForce.Status.ACTIVE, TaskForce.Status.SUSPENDED):
        raise Conflict("merge_target_closed", "目标专班已解散或并入，不能接收", {"into": "目标专班不可用"})
    on = on or today()
    _check_closing_date(tf, on)
    unit_map: dict[int, MemberUnit] = {mu.unit_id: mu for mu in into.member_units.filter(left_on__isnull=True)}
    for mu in tf.member_units.filter(left_on__isnull=True):
        if mu.unit_id not in unit_map:
            unit_map[mu.unit_id] = MemberUnit.objects.create(taskforce=into, unit=mu.unit, role=mu.role, joined_on=on)
    moved_people = 0
    present = set(into.memberships.filter(end_on__isnull=True).values_list("person_id", flat=True))
    for m in tf.memberships.filter(end_on__isnull=True).select_related("member_unit"):
        if m.person_id not in present:
            target_mu = unit_map.get(m.member_unit.unit_id) if m.member_unit_id else None
            role = m.role
            if role == Membership.Role.LIAISON and target_mu is not None and target_mu.liaisons.filter(
                role=Membership.Role.LIAISON, end_on__isnull=True
            ).exists():
                role = Membership.Role.MEMBER  # the receiving unit keeps its liaison
            new = Membership.objects.create(
                taskforce=into, person_id=m.person_id, role=role, dispatching_unit_id=m.dispatching_unit_id,
                member_unit=target_mu, full_time=m.full_time, workload_pct=m.workload_pct, start_on=on,
            )
            MembershipChange.objects.create(taskforce=into, kind=MembershipChange.Kind.JOIN, membership=new,
                                            decided_by=_actor_label(actor), decided_on=on,
                                            reason=f"由{tf.name}并入")
            moved_people += 1
    tf.memberships.filter(end_on__isnull=True).update(end_on=on, end_reason=f"并入{into.name}")
    tf.member_units.filter(left_on__isnull=True).update(left_on=on)
    tf.periods.filter(ended_on__isnull=True).update(ended_on=on)
    moved_items = openitems.move_all(tf, into)
    tf.merged_into, tf.dissolved_on = into, on
    _transition(actor, tf, "merge", note=reason,
                extra={"into": into.pk, "people": moved_people, "items": moved_items},
                fields=["merged_into", "dissolved_on"])
    audit.record(actor, "taskforce.merge_in", into, after={"from": tf.pk, "people": moved_people,
                                                           "items": moved_items}, taskforce_id=into.pk)
    return tf


LIFECYCLE_ACTIONS = ("activate", "suspend", "resume", "dissolve", "restart", "merge")
