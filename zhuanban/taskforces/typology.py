"""The two typologies of the domain brief — the one place where a task force's type is decided.

Li Ping: task nature (single / composite) × member boundary (cross-sector / cross-department).
Liu & Liu: purpose (emergency / routine) × entity operation (yes / no).
Each result carries the reason in words, so users can see *why* a task force got its type, and the
recommended operating template.  协调表态型 and 弥补空白型 carry a formality warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import TaskForce

Nature = TaskForce.Nature
Boundary = TaskForce.Boundary
Purpose = TaskForce.Purpose


@dataclass(frozen=True)
class Template:
    structure: str
    layers: str
    duration: str
    management: str


@dataclass(frozen=True)
class LiType:
    code: str
    label: str
    reason: str
    template: Template


@dataclass(frozen=True)
class LiuType:
    code: str
    label: str
    reason: str
    formality_warning: str = ""


@dataclass(frozen=True)
class BoundaryResult:
    value: str
    label: str
    reason: str
    derived: bool
    outsiders: list[str] = field(default_factory=list)


LI_TABLE: dict[tuple[str, str], tuple[str, str, Template]] = {
    (Nature.SINGLE, Boundary.CROSS_SECTOR): (
        "project_cooperation",
        "项目合作型",
        Template("扁平化", "执行层", "任务完成即解散；结构随项目调整", "以任务紧迫性为导向：集中办公、责任到人"),
    ),
    (Nature.COMPOSITE, Boundary.CROSS_SECTOR): (
        "platform_sharing",
        "平台共享型",
        Template("层级化", "决策层 + 执行层", "长期运行", "领导挂帅、挂图作战；平台共建共享"),
    ),
    (Nature.SINGLE, Boundary.CROSS_DEPARTMENT): (
        "staff_secondment",
        "人员抽调型",
        Template("扁平化", "执行层", "任务完成即解散；结构稳定", "集中办公、闭门攻坚、责任到人"),
    ),
    (Nature.COMPOSITE, Boundary.CROSS_DEPARTMENT): (
        "department_integration",
        "部门统合型",
        Template(
            "层级化（大专班 + 小专班两级管理）",
            "决策层 + 执行层",
            "长期运行；结构稳定",
            "领导挂帅、挂图作战；持续性任务轮流值守、动态值班",
        ),
    ),
}

LIU_TABLE: dict[tuple[str, bool], tuple[str, str, str]] = {
    (Purpose.EMERGENCY, True): ("forceful_handling", "强力处置型", ""),
    (Purpose.ROUTINE, True): ("task_assault", "任务攻坚型", ""),
    (Purpose.EMERGENCY, False): (
        "coordination_posture",
        "协调表态型",
        "形式主义预警：应急事项却无实体化运作，联络员易沦为“传声筒”，请明确工作组或集中办公安排。",
    ),
    (Purpose.ROUTINE, False): (
        "gap_filling",
        "弥补空白型",
        "形式主义预警：常规事项且无实体化运作，专班可能只具象征意义，请评估是否确有必要设立或应当撤销。",
    ),
}


def member_boundary(tf: TaskForce, outsiders: list[str]) -> BoundaryResult:
    """Derived from the members: any member from outside government makes the task force cross-sector.

    ``outsiders`` names the non-government member units and people (see queries.boundary_outsiders).
    A manual override wins, but only with a recorded reason (enforced in services).
    """
    if tf.boundary_override:
        label = Boundary(tf.boundary_override).label
        return BoundaryResult(
            tf.boundary_override, label, f"人工认定为{label}，理由：{tf.boundary_override_reason}", False, outsiders
        )
    if outsiders:
        names = "、".join(outsiders[:5]) + ("等" if len(outsiders) > 5 else "")
        return BoundaryResult(
            Boundary.CROSS_SECTOR,
            Boundary.CROSS_SECTOR.label,
            f"成员中有政府系统以外的单位或人员（{names}），因此为跨界",
            True,
            outsiders,
        )
    return BoundaryResult(
        Boundary.CROSS_DEPARTMENT,
        Boundary.CROSS_DEPARTMENT.label,
        "成员单位和人员均来自党政机关、人大政协或事业单位，因此为跨部门",
        True,
        outsiders,
    )


def li_type(task_nature: str, boundary: BoundaryResult) -> LiType:
    code, label, template = LI_TABLE[(task_nature, boundary.value)]
    nature_label = Nature(task_nature).label
    reason = f"任务性质为{nature_label}，成员边界为{boundary.label}（{boundary.reason}），故属{label}。"
    return LiType(code, label, reason, template)


def liu_type(purpose: str, entity_operation: bool) -> LiuType:
    code, label, warning = LIU_TABLE[(purpose, entity_operation)]
    entity = "有工作组或集中办公（实体化运作）" if entity_operation else "无实体化运作"
    reason = f"工作目的为{Purpose(purpose).label}，{entity}，故属{label}。"
    return LiuType(code, label, reason, warning)


@dataclass(frozen=True)
class Typology:
    boundary: BoundaryResult
    li: LiType
    liu: LiuType


def classify(tf: TaskForce, outsiders: list[str]) -> Typology:
    boundary = member_boundary(tf, outsiders)
    return Typology(boundary, li_type(tf.task_nature, boundary), liu_type(tf.purpose, tf.entity_operation))
