"""Tasks (任务): the task tree of a task force, its responsibility, dispatch chain, disputes, progress and
warning light.  Rules that span rows live in ``services.py`` (state changes), ``states.py`` (the status
machine) and ``lights.py`` (warning lights); this file holds data and single-row facts only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhuanban.core.labels import label_field
from zhuanban.core.models import VersionedModel
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.models import TaskForce, ThemeGroup


class Task(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "待派发"
        DISPATCHED = "dispatched", "已派发待签收"
        SIGNED = "signed", "已签收"
        IN_PROGRESS = "in_progress", "推进中"
        PENDING_CONFIRMATION = "pending_confirmation", "待牵头单位确认"
        PENDING_VERIFICATION = "pending_verification", "待办公室核验"
        DONE = "done", "已完成"
        RETURNED = "returned", "已退回"
        DISPUTED = "disputed", "推诿争议待裁定"

    CLOSED = frozenset({Status.DONE})
    # 安全标签: a 敏感 task is seen only by its task force's managers and the people it is assigned to.
    security_label = label_field()

    class Light(models.TextChoices):
        GREEN = "green", "绿灯（正常推进）"
        YELLOW = "yellow", "黄灯（存在风险）"
        RED = "red", "红灯（已逾期）"
        NONE = "none", "已完成"

    class Priority(models.IntegerChoices):
        HIGH = 1, "高"
        NORMAL = 2, "中"
        LOW = 3, "低"

    class Source(models.TextChoices):
        DEMAND = "demand", "需求清单"
        MEETING = "meeting", "会议决定"
        INSTRUCTION = "instruction", "领导批示"
        UPPER = "upper", "上级交办"
        AD_HOC = "ad_hoc", "临时任务"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey("self", verbose_name="上级任务", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    group = models.ForeignKey(ThemeGroup, verbose_name="专题组", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="tasks")
    title = models.CharField("任务", max_length=200)
    description = models.TextField("任务说明", blank=True)
    plan = models.TextField("一事一方案", blank=True)
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头决策主责单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="led_tasks")
    cooperating_units = models.ManyToManyField(Unit, verbose_name="配合执行责任单位", blank=True,
                                               related_name="cooperating_tasks")
    responsible = models.ForeignKey(Person, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="responsible_tasks")
    decision_owner = models.ForeignKey(Person, verbose_name="决策责任人", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="decided_tasks")
    start_at = models.DateTimeField("计划开始", null=True, blank=True)
    due_at = models.DateTimeField("完成时限", null=True, blank=True)
    # When the linear plan reaches the current progress: start + progress% × (due − start).  Stored so the
    # yellow light is a plain comparison in SQL (lights.recompute_lights) on SQLite and PostgreSQL alike.
    pace_at = models.DateTimeField(null=True, blank=True, editable=False)
    priority = models.PositiveSmallIntegerField("优先级", choices=Priority.choices, default=Priority.NORMAL)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.DRAFT)
    light = models.CharField("亮灯", max_length=8, choices=Light.choices, default=Light.GREEN)
    source = models.CharField("任务来源", max_length=12, choices=Source.choices, default=Source.AD_HOC)
    source_note = models.CharField("来源说明", max_length=200, blank=True)
    requires_verification = models.BooleanField("办结须办公室核验", default=False)
    bounces = models.PositiveSmallIntegerField("退回次数", default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = "任务"
        verbose_name_plural = "任务"
        indexes = [
            models.Index(fields=["taskforce", "parent"]),
            models.Index(fields=["responsible", "status"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["light"]),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_max_100")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


class Milestone(models.Model):
    """A time node (时间节点) of a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=120)
    due_on = models.DateField("节点日期")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.due_on}"


class Dependency(models.Model):
    """``task`` cannot finish before ``depends_on`` (finish-to-start); the graph has no cycles."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dependents")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "depends_on"], name="task_dependency_unique")]

    def __str__(self) -> str:
        return f"{self.task_id} ← {self.depends_on_id}"


class Dispatch(models.Model):
    """One hop of the dispatch chain (派发): from a unit/person to a unit, person or task force."""

    class Status(models.TextChoices):
        PENDING = "pending", "待签收"
        SIGNED = "signed", "已签收"
        RETURNED = "returned", "已退回"
        SUPERSEDED = "superseded", "已改派"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="dispatches")
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="received_dispatches")
    to_taskforce = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="received_dispatches")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("退回理由", max_length=300, blank=True)
    note = models.CharField("派发说明", max_length=300, blank=True)
    # Set when the office's ruling placed the task here: a ruled hop cannot be returned.
    by_ruling = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "status"]), models.Index(fields=["to_person", "status"])]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.sender_label} → {self.receiver_label}"

    @property
    def sender_label(self) -> str:
        return " / ".join(str(x) for x in (self.from_unit, self.from_person) if x is not None) or "—"

    @property
    def receiver_label(self) -> str:
        return " / ".join(str(x) for x in (self.to_taskforce, self.to_unit, self.to_person) if x is not None)


class Dispute(models.Model):
    """A task bounced between task forces or units (推诿) until the office rules who owns it.  Final."""

    class Status(models.TextChoices):
        OPEN = "open", "待裁定"
        RULED = "ruled", "已裁定"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="disputes")
    # The task force whose office rules: the task's own task force.
    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="task_disputes")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    bounces = models.JSONField("推诿经过", default=list)
    owner_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_taskforce = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    ruling = models.TextField("裁定意见", blank=True)
    ruled_at = models.DateTimeField(null=True, blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["task"], condition=models.Q(status="open"),
                                               name="one_open_dispute_per_task")]

    def __str__(self) -> str:
        return f"争议：{self.task}"


class ProgressUpdate(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_name = models.CharField(max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    attachment = models.ForeignKey("files.Attachment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.progress}%"


class LocalDay(models.Model):
    """A locally configured day that overrides the statutory calendar (a local holiday, a duty day)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "本地工作日设置"
        verbose_name_plural = "本地工作日设置"

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'}"
