"""The task force (工作专班): positioning, typology inputs, structure, membership and lifecycle state.

Rules that span rows live in ``services.py`` (state changes), ``typology.py`` (the two typologies) and
``lifecycle.py`` (the allowed transitions); this file holds data and single-row facts only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhuanban.core.labels import label_field
from zhuanban.core.models import VersionedModel
from zhuanban.org.models import Person, Region, Unit


class TaskForce(VersionedModel):
    class Status(models.TextChoices):
        PLANNING = "planning", "筹建"
        ACTIVE = "active", "运行"
        SUSPENDED = "suspended", "暂停"
        DISSOLVED = "dissolved", "解散"
        MERGED = "merged", "已并入"

    class Basis(models.TextChoices):
        NOTICE = "notice", "正式发文"
        MINUTES = "minutes", "会议纪要"
        ORAL = "oral", "口头设立"

    class Nature(models.TextChoices):
        SINGLE = "single", "单一任务"
        COMPOSITE = "composite", "复合任务"

    class Boundary(models.TextChoices):
        CROSS_SECTOR = "cross_sector", "跨界（含非政府成员）"
        CROSS_DEPARTMENT = "cross_department", "跨部门（仅政府成员）"

    class Purpose(models.TextChoices):
        EMERGENCY = "emergency", "应急性工作"
        ROUTINE = "routine", "常规性工作"

    class DecisionMode(models.TextChoices):
        LEADING_CORE = "leading_core", "领导中枢决策"
        LEAD_DEPARTMENT = "lead_department", "牵头部门决策"

    class ParentRelation(models.TextChoices):
        SUB = "sub", "下设专班"
        OFFICE = "office", "一办N专班（由上级办公室统筹）"
        BIG_SMALL = "big_small", "大专班下的小专班"

    # 定位 positioning
    name = models.CharField("专班名称", max_length=120)
    core_matter = models.TextField("核心事务")
    goals = models.TextField("工作目标", blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField("设立依据", max_length=10, choices=Basis.choices)
    basis_document_no = models.CharField("文号", max_length=80, blank=True)
    basis_note = models.CharField("依据说明", max_length=200, blank=True)
    established_on = models.DateField("设立日期")
    planned_end = models.DateField("计划结束日期", null=True, blank=True)
    dissolution_conditions = models.TextField("撤销条件", blank=True)

    # Typology inputs (the derived types are computed in typology.py)
    task_nature = models.CharField("任务性质", max_length=10, choices=Nature.choices)
    boundary_override = models.CharField(
        "成员边界（人工认定）", max_length=20, choices=Boundary.choices, blank=True
    )
    boundary_override_reason = models.CharField("人工认定理由", max_length=200, blank=True)
    purpose = models.CharField("工作目的", max_length=10, choices=Purpose.choices)
    entity_operation = models.BooleanField("实体化运作", default=True)

    # 组建 structure
    decision_mode = models.CharField("决策模式", max_length=20, choices=DecisionMode.choices)
    leading_body = models.CharField("领导中枢机构", max_length=120, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头部门", null=True, blank=True, on_delete=models.PROTECT, related_name="led_taskforces"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级专班", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    parent_relation = models.CharField("与上级关系", max_length=10, choices=ParentRelation.choices, blank=True)
    is_office = models.BooleanField("是否为统筹办公室（一办）", default=False)
    # 公开 / 内部 / 敏感: 敏感 narrows who may see it (access.py); exports carry it.
    security_label = label_field()

    # Lifecycle
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PLANNING)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    dissolved_on = models.DateField("解散日期", null=True, blank=True)
    summary = models.TextField("工作总结", blank=True)
    lessons = models.TextField("经验做法", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-established_on", "name"]
        verbose_name = "工作专班"
        verbose_name_plural = "工作专班"
        indexes = [models.Index(fields=["status", "planned_end"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_oral(self) -> bool:
        return self.basis == self.Basis.ORAL

    @property
    def is_past_planned_end(self) -> bool:
        """Still running after its planned end: the "never dissolved" abuse the studies report."""
        return (
            self.status in (self.Status.ACTIVE, self.Status.SUSPENDED)
            and self.planned_end is not None
            and self.planned_end < timezone.localdate()
        )


class Period(models.Model):
    """An active period.  Restarting a dissolved task force opens a new one; history is kept."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveIntegerField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["taskforce", "number"]
        constraints = [models.UniqueConstraint(fields=["taskforce", "number"], name="period_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}期 {self.started_on}–{self.ended_on or ''}"


class Target(models.Model):
    """A quantified goal ("两个月内线上服务覆盖率提升到 X")."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField("目标", max_length=200)
    metric = models.CharField("指标", max_length=80, blank=True)
    target_value = models.DecimalField("目标值", max_digits=14, decimal_places=2, null=True, blank=True)
    unit_of_measure = models.CharField("单位", max_length=20, blank=True)
    due_on = models.DateField("完成时限", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class DemandItem(models.Model):
    """An item of the demand list (需求清单) from joint research; an open item until closed or handed over."""

    class Status(models.TextChoices):
        OPEN = "open", "待办"
        DONE = "done", "已办结"
        HANDED_OVER = "handed_over", "已移交"

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="demands")
    title = models.CharField("需求事项", max_length=200)
    source = models.CharField("来源", max_length=120, blank=True)
    owner = models.ForeignKey(
        Person, verbose_name="负责人", null=True, blank=True, on_delete=models.SET_NULL, related_name="demand_items"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    handed_over_to = models.CharField("移交去向", max_length=120, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ThemeGroup(models.Model):
    """专题推进组 / 工作组: one per sub-theme of the execution layer."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("专题组名称", max_length=100)
    lead_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["taskforce", "name"], name="group_name_unique")]

    def __str__(self) -> str:
        return self.name


class MemberUnit(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        PARTICIPATING = "participating", "参与单位"
        SUPPORTING = "supporting", "辅助单位"

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="member_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("单位角色", max_length=16, choices=Role.choices)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["taskforce", "unit"], condition=Q(left_on__isnull=True), name="member_unit_active_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Membership(models.Model):
    """One secondment of one person into one task force (抽调), from/to, with role and load."""

    class Role(models.TextChoices):
        HEAD = "head", "组长"
        DEPUTY = "deputy", "副组长"
        RESPONSIBLE_DEPUTY = "responsible_deputy", "责任副组长"
        OFFICE_DIRECTOR = "office_director", "办公室主任"
        OFFICE_STAFF = "office_staff", "办公室工作人员"
        LIAISON = "liaison", "联络员"
        MEMBER = "member", "成员"
        CHIEF_EXPERT = "chief_expert", "首席专家"
        EXTERNAL = "external", "外部成员"

    LEADER_ROLES = frozenset({Role.HEAD, Role.DEPUTY, Role.RESPONSIBLE_DEPUTY})
    OFFICE_ROLES = frozenset({Role.OFFICE_DIRECTOR, Role.OFFICE_STAFF})

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("专班职务", max_length=20, choices=Role.choices)
    dispatching_unit = models.ForeignKey(
        Unit, verbose_name="派出单位", on_delete=models.PROTECT, related_name="dispatched_memberships"
    )
    # The member unit a liaison speaks for (exactly one active liaison per member unit).
    member_unit = models.ForeignKey(
        MemberUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="liaisons"
    )
    group = models.ForeignKey(ThemeGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    full_time = models.BooleanField("专职", default=False)
    workload_pct = models.PositiveSmallIntegerField("工作量占比(%)", default=0)
    start_on = models.DateField("起始日期")
    end_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_unit"],
                condition=Q(role="liaison", end_on__isnull=True),
                name="one_active_liaison_per_member_unit",
            ),
            models.CheckConstraint(condition=Q(workload_pct__lte=100), name="workload_pct_max_100"),
            models.UniqueConstraint(
                fields=["taskforce", "person"], condition=Q(end_on__isnull=True),
                name="one_active_membership_per_person",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_on"]), models.Index(fields=["taskforce", "end_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.end_on is None

    @property
    def is_leader(self) -> bool:
        return self.role in self.LEADER_ROLES

    @property
    def is_office(self) -> bool:
        return self.role in self.OFFICE_ROLES


class MembershipChange(models.Model):
    """The recorded procedure of a join, replacement or exit: who decided, when and why."""

    class Kind(models.TextChoices):
        JOIN = "join", "加入"
        REPLACE = "replace", "替换"
        EXIT = "exit", "退出"

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="membership_changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="changes")
    successor = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.CharField("决定人/决定机构", max_length=120)
    decided_on = models.DateField("决定日期")
    reason = models.CharField("理由", max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.membership}"


class Handover(models.Model):
    """A liaison handover: the open items that passed from predecessor to successor."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="handovers")
    predecessor = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="handovers_out")
    successor = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="handovers_in")
    items = models.JSONField(default=list)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.predecessor.person} → {self.successor.person}"


def today() -> dt.date:
    return timezone.localdate()
