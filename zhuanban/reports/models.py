"""Information reporting (信息报送): report templates, their typed fields, submissions and their history,
reminders (催报) and export jobs.

Where the rules live:
- which periods exist, when each is due and when it closes: ``periods.py``;
- who must file a template, who may file/read it, and what "same office" means for sharing: ``access.py``;
- field validation (types, required, min/max, choices) and pre-filled values: ``fields.py``;
- every state change (define, share, save draft, submit, return, remind, export): ``services.py``;
- the aggregate, the missing list, the trend and the lists: ``queries.py``.
This file holds data and single-row facts only.

Storage for speed: a submission keeps its values as JSON (what the form shows) and, while submitted, one
narrow ``SubmissionValue`` row per numeric field, indexed (field, period, value); ``PeriodTotal`` keeps the
sum and count per field and period (refreshed by the services on each submit and return), so the
aggregate's totals and a year's trend read a few hundred rows.  ``(template, period, filer_key)`` is unique: never two rows for one
filer and period, whatever the client does.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from zhuanban.core.models import ExportJobBase, VersionedModel
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.models import TaskForce


class ReportTemplate(VersionedModel):
    class Cadence(models.TextChoices):
        DAILY = "daily", "日报"
        WEEKLY = "weekly", "周报"
        MONTHLY = "monthly", "月报"
        ADHOC = "adhoc", "不定期"

    class Filers(models.TextChoices):
        LIAISONS = "liaisons", "各成员单位联络员"
        PEOPLE = "people", "指定人员"

    class Duplicate(models.TextChoices):
        UPDATE = "update", "再次报送时更新原报送（保留历史）"
        REJECT = "reject", "拒绝重复报送"

    taskforce = models.ForeignKey(TaskForce, verbose_name="所属专班", on_delete=models.CASCADE,
                                  related_name="report_templates")
    name = models.CharField("报表名称", max_length=120)
    description = models.TextField("填报说明", blank=True)
    cadence = models.CharField("报送周期", max_length=10, choices=Cadence.choices, default=Cadence.DAILY)
    due_time = models.TimeField("截止时间", default=dt.time(17, 0))
    # Daily reports exist on workdays only, unless the task force works every day (e.g. during the Games).
    every_day = models.BooleanField("含节假日每日报送", default=False)
    grace_workdays = models.PositiveSmallIntegerField("截止后补报期（工作日）", default=1)
    filers = models.CharField("报送主体", max_length=10, choices=Filers.choices, default=Filers.LIAISONS)
    filer_people = models.ManyToManyField(Person, verbose_name="指定报送人", blank=True, related_name="+")
    duplicate_policy = models.CharField("重复报送", max_length=8, choices=Duplicate.choices,
                                        default=Duplicate.UPDATE)
    is_active = models.BooleanField("启用", default=True)
    shared_with = models.ManyToManyField(TaskForce, verbose_name="共享给", blank=True,
                                         related_name="shared_report_templates")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["taskforce", "name", "id"]
        verbose_name = "报表模板"
        verbose_name_plural = "报表模板"

    def __str__(self) -> str:
        return self.name


class ReportField(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", "数值"
        INTEGER = "integer", "整数"
        TEXT = "text", "文本"
        CHOICE = "choice", "选项"
        DATE = "date", "日期"
        ATTACHMENT = "attachment", "附件"

    class Prefill(models.TextChoices):
        NONE = "", "无"
        TASKS_DONE = "tasks_done", "本期完成任务数"
        TASKS_OPEN = "tasks_open", "在办任务数"
        TASKS_OVERDUE = "tasks_overdue", "逾期（红灯）任务数"

    NUMERIC = frozenset({Kind.NUMBER, Kind.INTEGER})

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField("字段标识", max_length=40)
    label = models.CharField("字段名称", max_length=80)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    required = models.BooleanField("必填", default=False)
    min_value = models.DecimalField("最小值", max_digits=16, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=16, decimal_places=4, null=True, blank=True)
    options = models.JSONField("选项", default=list, blank=True)
    prefill = models.CharField("系统预填", max_length=16, choices=Prefill.choices, default="", blank=True)
    help_text = models.CharField("说明", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="report_field_key_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_numeric(self) -> bool:
        return self.kind in self.NUMERIC


class AdhocPeriod(models.Model):
    """A period of an ad hoc template, opened (and closed) by the office."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="adhoc_periods")
    start = models.DateField("期次（开始日期）")
    due_at = models.DateTimeField("截止时间")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["template", "-start"]
        constraints = [models.UniqueConstraint(fields=["template", "start"], name="adhoc_period_unique")]

    def __str__(self) -> str:
        return f"{self.template_id} {self.start}"


class Submission(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="submissions")
    period = models.DateField("期次")
    # "u<unit id>" for a member unit's report, "p<person id>" for a named person's: the unique filer.
    filer_key = models.CharField(max_length=24)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    values = models.JSONField("填报内容", default=dict, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    is_late = models.BooleanField("迟报", default=False)
    return_comment = models.CharField("退回意见", max_length=500, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["template", "-period", "filer_key"]
        verbose_name = "报送"
        verbose_name_plural = "报送"
        constraints = [models.UniqueConstraint(fields=["template", "period", "filer_key"],
                                               name="one_submission_per_filer_period")]
        indexes = [models.Index(fields=["template", "period", "status"]),
                   models.Index(fields=["unit", "period"]), models.Index(fields=["person", "period"])]

    def __str__(self) -> str:
        return f"{self.template} {self.period} {self.filer_key}"


class SubmissionValue(models.Model):
    """The numeric values of a submitted submission, one row per field (the fast path of sums and trends)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="numbers")
    field = models.ForeignKey(ReportField, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "field"], name="submission_value_unique")]
        indexes = [models.Index(fields=["field", "period", "value"], name="reports_value_trend")]

    def __str__(self) -> str:
        return f"{self.field_id}={self.value}"


class PeriodTotal(models.Model):
    """Per template, numeric field and period: the sum and number of submitted values, and how many
    submissions were submitted — kept by ``services`` on every submit and return, so a year's trend is
    365 rows read by index instead of a GROUP BY over 180,000."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(ReportField, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    total = models.DecimalField(max_digits=24, decimal_places=4, null=True)
    values = models.PositiveIntegerField(default=0)
    filed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["field", "period"], name="period_total_unique")]
        indexes = [models.Index(fields=["template", "period"])]

    def __str__(self) -> str:
        return f"{self.field_id} {self.period} {self.total}"


class SubmissionHistory(models.Model):
    """One change of a submission: who, when, what it did, and the values and status before it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16)
    old_status = models.CharField(max_length=10, blank=True)
    old_values = models.JSONField(null=True, blank=True)
    new_values = models.JSONField(null=True, blank=True)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.action}"


class ReportReminder(models.Model):
    """One 催报: who reminded which filer of which template and period.  ``channel`` says how it reached
    them; today it is shown on the filer's "my reports" page, and the notices app can later deliver it."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="reminders")
    period = models.DateField()
    filer_key = models.CharField(max_length=24)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=16, default="page")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["template", "period"]), models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"催报 {self.template_id} {self.period} {self.filer_key}"


def _export_upload_to(job: ExportJob, filename: str) -> str:
    return f"report-exports/{job.pk or 'new'}/{filename}"


class ExportJob(ExportJobBase):
    """A background .xlsx export of a template over a date range, with progress the page polls."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="exports")
    date_from = models.DateField()
    date_to = models.DateField()
    file = models.FileField(upload_to=_export_upload_to, blank=True)

    class Meta(ExportJobBase.Meta):
        pass

    def __str__(self) -> str:
        return f"导出 {self.template_id} {self.date_from}–{self.date_to}"
