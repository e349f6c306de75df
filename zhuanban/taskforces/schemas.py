"""API shapes of the task force, its structure and membership, and the functions that fill them.

Output is built explicitly from objects the queries already loaded (``*_out`` functions), so a reader
can see which attribute each field comes from and that no field triggers a query of its own.
Choice fields are sent as their code with a ``*_label`` next to them; inputs take the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from zhuanban.core.labels import SecurityLabel
from zhuanban.core.models import AuditEvent
from zhuanban.core.schemas import BlockerOut, Filters, Input, Ref, ref

from . import lifecycle, typology
from .access import Access
from .models import DemandItem, Membership, MemberUnit, Target, TaskForce, ThemeGroup


def _enum(choices: Any, description: str) -> Any:
    """A string field documented with its allowed codes; the services check the value and answer in
    Chinese, naming the field, so a wrong code is a 422 like every other rule."""
    return Field(description=description, json_schema_extra={"enum": list(choices.values)})


# ---- shared pieces -------------------------------------------------------------------------------


class Choice(Schema):
    code: str
    label: str


class LiuChoice(Choice):
    formality_warning: str = Field("", description="协调表态型、弥补空白型的形式主义预警；其他类型为空")


class PersonRef(Ref):
    unit: str = Field(description="所在单位（简称）")


class MemberUnitRef(Ref):
    unit_id: int


def person_ref(p: Any) -> dict[str, Any] | None:
    return {"id": p.pk, "name": p.name, "unit": str(p.home_unit)} if p is not None else None


# ---- task forces ---------------------------------------------------------------------------------


class TaskForceFilters(Filters):
    q: str | None = Field(None, description="名称或核心事务包含")
    status: str | None = Field(None, json_schema_extra={"enum": list(TaskForce.Status.values)})
    li_type: str | None = Field(None, description="李平类型代码", json_schema_extra={
        "enum": [code for code, _, _ in typology.LI_TABLE.values()]})
    liu_type: str | None = Field(None, description="刘鹏、刘志鹏类型代码", json_schema_extra={
        "enum": [code for code, _, _ in typology.LIU_TABLE.values()]})
    basis: str | None = Field(None, json_schema_extra={"enum": list(TaskForce.Basis.values)})
    region: int | None = Field(None, description="区划 id（含其下级区划）")
    unit: int | None = Field(None, description="牵头部门或在册成员单位 id")
    overdue: bool = Field(False, description="只看超过计划结束日期仍在运行或暂停的专班")

    def as_filters(self) -> dict[str, str]:
        data = self.dict(exclude_none=True)
        data["overdue"] = "1" if self.overdue else ""
        return {k: str(v) for k, v in data.items()}


LABEL_HELP = "安全标签：public 公开 / internal 内部 / sensitive 敏感（敏感专班仅在岗的内部成员、上级统筹者和系统管理员可见）"


class TaskForceRow(Schema):
    id: int
    name: str
    status: str
    status_label: str
    basis: str
    basis_label: str
    is_oral: bool = Field(description="口头设立（须处处可见）")
    established_on: dt.date
    planned_end: dt.date | None
    is_past_planned_end: bool = Field(description="已过计划结束日期仍在运行或暂停")
    li_type: Choice
    liu_type: LiuChoice
    lead_unit: Ref | None
    region: Ref | None
    active_members: int
    security_label: str = Field(description=LABEL_HELP)
    security_label_text: str
    version: int


class TaskForcePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskForceRow]


def taskforce_row(tf: TaskForce, t: typology.Typology) -> dict[str, Any]:
    return {
        "id": tf.pk, "name": tf.name, "status": tf.status, "status_label": tf.get_status_display(),
        "basis": tf.basis, "basis_label": tf.get_basis_display(), "is_oral": tf.is_oral,
        "established_on": tf.established_on, "planned_end": tf.planned_end,
        "is_past_planned_end": tf.is_past_planned_end,
        "li_type": {"code": t.li.code, "label": t.li.label},
        "liu_type": {"code": t.liu.code, "label": t.liu.label, "formality_warning": t.liu.formality_warning},
        "lead_unit": ref(tf.lead_unit), "region": ref(tf.region),
        "active_members": getattr(tf, "active_members", 0), "version": tf.version,
        "security_label": tf.security_label, "security_label_text": tf.get_security_label_display(),
    }


class TaskForceIn(Input):
    """The editable fields of a task force (定位 positioning, typology inputs, structure)."""

    name: str = Field(description="专班名称")
    core_matter: str = Field(description="核心事务")
    goals: str = ""
    region: int | None = Field(None, description="区划 id")
    basis: str = _enum(TaskForce.Basis, "设立依据：正式发文 / 会议纪要 / 口头设立")
    basis_document_no: str = Field("", description="文号（正式发文时必填）")
    basis_note: str = ""
    established_on: dt.date
    planned_end: dt.date | None = Field(None, description="计划结束日期，不能早于设立日期")
    dissolution_conditions: str = ""
    task_nature: str = _enum(TaskForce.Nature, "任务性质")
    boundary_override: str = Field("", description="成员边界人工认定（留空则按成员推导）",
                                   json_schema_extra={"enum": ["", *TaskForce.Boundary.values]})
    boundary_override_reason: str = ""
    purpose: str = _enum(TaskForce.Purpose, "工作目的")
    entity_operation: bool = Field(True, description="实体化运作（有工作组或集中办公）")
    decision_mode: str = _enum(TaskForce.DecisionMode, "决策模式")
    leading_body: str = Field("", description="领导中枢机构（领导中枢决策时必填）")
    lead_unit: int | None = Field(None, description="牵头部门 id（牵头部门决策时必填）")
    parent: int | None = Field(None, description="上级专班 id")
    parent_relation: str = Field("", json_schema_extra={"enum": ["", *TaskForce.ParentRelation.values]})
    is_office: bool = Field(False, description="是否为统筹办公室（一办N专班）")
    security_label: str = Field(SecurityLabel.INTERNAL, description=LABEL_HELP,
                                json_schema_extra={"enum": list(SecurityLabel.values)})


class TaskForcePatch(Input):
    """Only the fields sent are changed; ``version`` is the version the edit was based on."""

    version: int = Field(description="编辑所依据的版本；他人已保存时返回 409 stale_version")
    name: str | None = None
    core_matter: str | None = None
    goals: str | None = None
    region: int | None = None
    basis: str | None = None
    basis_document_no: str | None = None
    basis_note: str | None = None
    established_on: dt.date | None = None
    planned_end: dt.date | None = None
    dissolution_conditions: str | None = None
    task_nature: str | None = None
    boundary_override: str | None = None
    boundary_override_reason: str | None = None
    purpose: str | None = None
    entity_operation: bool | None = None
    decision_mode: str | None = None
    leading_body: str | None = None
    lead_unit: int | None = None
    parent: int | None = None
    parent_relation: str | None = None
    is_office: bool | None = None
    security_label: str | None = Field(None, description=LABEL_HELP,
                                       json_schema_extra={"enum": list(SecurityLabel.values)})


class TemplateOut(Schema):
    structure: str
    layers: str
    duration: str
    management: str


class BoundaryOut(Schema):
    value: str
    label: str
    reason: str
    derived: bool = Field(description="由成员推导（false 表示人工认定）")
    outsiders: list[str]


class LiTypeOut(Choice):
    reason: str
    template: TemplateOut = Field(description="推荐的运行模板")


class LiuTypeOut(LiuChoice):
    reason: str


class TypologyOut(Schema):
    boundary: BoundaryOut
    li: LiTypeOut
    liu: LiuTypeOut


def typology_out(t: typology.Typology) -> dict[str, Any]:
    b, li, liu = t.boundary, t.li, t.liu
    return {
        "boundary": {"value": b.value, "label": b.label, "reason": b.reason, "derived": b.derived,
                     "outsiders": list(b.outsiders)},
        "li": {"code": li.code, "label": li.label, "reason": li.reason, "template": vars(li.template)},
        "liu": {"code": liu.code, "label": liu.label, "reason": liu.reason,
                "formality_warning": liu.formality_warning},
    }


class GroupIn(Input):
    name: str = Field(description="专题组名称")
    lead_unit: int | None = Field(None, description="牵头单位 id")
    lead_person: int | None = Field(None, description="负责人 id")


class GroupOut(Schema):
    id: int
    name: str
    lead_unit: Ref | None
    lead_person: PersonRef | None


def group_out(g: ThemeGroup) -> dict[str, Any]:
    return {"id": g.pk, "name": g.name, "lead_unit": ref(g.lead_unit),
            "lead_person": person_ref(g.lead_person)}


class ChildOut(Ref):
    relation: str
    relation_label: str
    status: str


class StructureOut(Schema):
    decision_mode: str
    decision_mode_label: str
    leading_body: str
    lead_unit: Ref | None
    is_office: bool
    parent: Ref | None = Field(description="上级专班（仅当调用者可见时给出）")
    parent_relation: str
    parent_relation_label: str
    children: list[ChildOut] = Field(description="调用者可见的下级专班")
    groups: list[GroupOut]


class LiaisonOut(Schema):
    membership_id: int
    person: PersonRef


class MemberUnitIn(Input):
    unit: int = Field(description="单位 id")
    role: str = _enum(MemberUnit.Role, "单位角色：牵头 / 参与 / 辅助")
    joined_on: dt.date | None = None


class MemberUnitOut(Schema):
    id: int
    unit: Ref
    unit_kind: str
    is_government: bool
    role: str
    role_label: str
    joined_on: dt.date
    left_on: dt.date | None
    liaison: LiaisonOut | None = Field(description="在岗联络员（每个成员单位恰好一名）")


def member_unit_out(mu: MemberUnit) -> dict[str, Any]:
    liaisons = getattr(mu, "active_liaisons", None)
    if liaisons is None:
        liaisons = list(mu.liaisons.filter(end_on__isnull=True, role=Membership.Role.LIAISON)
                        .select_related("person__home_unit"))
    lia = liaisons[0] if liaisons else None
    return {
        "id": mu.pk, "unit": ref(mu.unit), "unit_kind": mu.unit.kind, "is_government": mu.unit.is_government,
        "role": mu.role, "role_label": mu.get_role_display(),
        "joined_on": mu.joined_on, "left_on": mu.left_on,
        "liaison": {"membership_id": lia.pk, "person": person_ref(lia.person)} if lia else None,
    }


class TargetIn(Input):
    description: str = Field(description="目标，如“两个月内线上服务覆盖率提升到 90%”")
    metric: str = ""
    target_value: Decimal | None = None
    unit_of_measure: str = ""
    due_on: dt.date | None = None


class TargetOut(Schema):
    id: int
    description: str
    metric: str
    target_value: Decimal | None
    unit_of_measure: str
    due_on: dt.date | None


def target_out(t: Target) -> dict[str, Any]:
    return {"id": t.pk, "description": t.description, "metric": t.metric, "target_value": t.target_value,
            "unit_of_measure": t.unit_of_measure, "due_on": t.due_on}


class DemandIn(Input):
    title: str = Field(description="需求事项")
    source: str = Field("", description="来源，如某次联合调研")
    owner: int | None = Field(None, description="负责人 id")


class DemandStatusIn(Input):
    status: str = _enum(DemandItem.Status, "待办 / 已办结 / 已移交")
    handed_over_to: str = Field("", description="移交去向（已移交时必填）")


class DemandOut(Schema):
    id: int
    title: str
    source: str
    owner: PersonRef | None
    status: str
    status_label: str
    handed_over_to: str


def demand_out(d: DemandItem) -> dict[str, Any]:
    return {"id": d.pk, "title": d.title, "source": d.source, "owner": person_ref(d.owner),
            "status": d.status, "status_label": d.get_status_display(), "handed_over_to": d.handed_over_to}


class PeriodOut(Schema):
    number: int
    started_on: dt.date
    ended_on: dt.date | None
    reason: str


class AccessOut(Schema):
    can_manage: bool
    external_only: bool = Field(description="仅以外部成员身份可见：只看到分配给自己的内容")
    roles: list[str]


class TaskForceDetail(Schema):
    id: int
    name: str
    security_label: str = Field(description=LABEL_HELP)
    security_label_text: str
    core_matter: str
    goals: str
    region: Ref | None
    basis: str
    basis_label: str
    basis_document_no: str
    basis_note: str
    is_oral: bool
    established_on: dt.date
    planned_end: dt.date | None
    is_past_planned_end: bool
    dissolution_conditions: str
    task_nature: str
    task_nature_label: str
    purpose: str
    purpose_label: str
    entity_operation: bool
    boundary_override: str
    boundary_override_reason: str
    status: str
    status_label: str
    dissolved_on: dt.date | None
    merged_into: Ref | None
    summary: str
    lessons: str
    targets: list[TargetOut]
    typology: TypologyOut
    structure: StructureOut
    member_units: list[MemberUnitOut]
    periods: list[PeriodOut]
    access: AccessOut
    allowed_actions: list[Choice] = Field(description="调用者当前可执行的生命周期操作")
    dissolution_blockers: list[BlockerOut] = Field(description="解散清单中尚未满足的条件")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


# ---- lifecycle actions ---------------------------------------------------------------------------


class ActivateIn(Input):
    on: dt.date | None = Field(None, description="启动日期，默认今天")


class ReasonIn(Input):
    reason: str = Field(description="理由（必填）")


class RestartIn(ReasonIn):
    on: dt.date | None = None


class DissolveIn(Input):
    summary: str = Field("", description="工作总结（未曾填写时必填）")
    lessons: str = Field("", description="经验做法，回流派出单位（未曾填写时必填）")
    on: dt.date | None = None


class MergeIn(Input):
    into: int = Field(description="并入的专班 id")
    reason: str = ""
    on: dt.date | None = None


def action_choices(status: str, access: Access) -> list[dict[str, str]]:
    if not access.manage:
        return []
    return [{"code": a, "label": lifecycle.ACTION_LABELS[a]} for a in lifecycle.allowed_actions(status)]


# ---- history -------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    object_repr: str
    channel: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str


def event_out(e: AuditEvent) -> dict[str, Any]:
    from zhuanban.core.audit import ACTION_LABELS

    return {"id": e.pk, "at": e.at, "actor": e.actor_name, "action": e.action,
            "action_label": ACTION_LABELS.get(e.action, e.action), "object_type": e.object_type,
            "object_id": e.object_id, "object_repr": e.object_repr, "channel": e.channel,
            "before": e.before, "after": e.after, "note": e.note}


# ---- memberships ---------------------------------------------------------------------------------


class MembershipFilters(Filters):
    taskforce: int | None = Field(None, description="专班 id：该专班的成员")
    person: int | None = Field(None, description="人员 id：此人可见的全部抽调经历")
    active: bool | None = Field(None, description="true 只看在岗，false 只看已退出；默认按专班查时只看在岗")


class JoinIn(Input):
    taskforce: int
    person: int
    role: str = _enum(Membership.Role, "专班职务")
    dispatching_unit: int | None = Field(None, description="派出单位 id，默认为本人所在单位")
    member_unit: int | None = Field(None, description="所代表的成员单位 id（联络员必填）")
    group: int | None = Field(None, description="专题组 id")
    full_time: bool = False
    workload_pct: int = Field(0, description="工作量占比 0–100")
    start_on: dt.date | None = None
    decided_by: str = Field("", description="决定人或决定机构，默认为操作人")
    reason: str = ""


class ExitIn(Input):
    on: dt.date | None = None
    decided_by: str = ""
    reason: str = ""


class ReplaceIn(Input):
    successor: int = Field(description="接任人员 id")
    on: dt.date | None = None
    decided_by: str = ""
    reason: str = ""
    note: str = Field("", description="交接说明")


class TaskForceStatusRef(Ref):
    status: str


class MembershipOut(Schema):
    id: int
    taskforce: TaskForceStatusRef
    person: PersonRef
    role: str
    role_label: str
    dispatching_unit: Ref
    member_unit: MemberUnitRef | None
    group: Ref | None
    full_time: bool
    workload_pct: int
    start_on: dt.date
    end_on: dt.date | None
    end_reason: str
    is_active: bool


class MembershipPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MembershipOut]


def membership_out(m: Membership) -> dict[str, Any]:
    mu = m.member_unit
    tf = m.taskforce
    return {
        "id": m.pk, "taskforce": {"id": tf.pk, "name": tf.name, "status": tf.status},
        "person": person_ref(m.person), "role": m.role, "role_label": m.get_role_display(),
        "dispatching_unit": ref(m.dispatching_unit),
        "member_unit": {"id": mu.pk, "name": str(mu.unit), "unit_id": mu.unit_id} if mu else None,
        "group": ref(m.group), "full_time": m.full_time, "workload_pct": m.workload_pct,
        "start_on": m.start_on, "end_on": m.end_on, "end_reason": m.end_reason, "is_active": m.is_active,
    }


MEMBERSHIP_RELATED = ("taskforce", "person__home_unit", "dispatching_unit", "member_unit__unit", "group")
