"""Insight data: the tunable health-check rules, the read log of report templates, the archived
dissolution summaries.

Rules live in ``checks.py`` (what each health check tests), ``dashboards.py`` (what each dashboard counts,
from ``accountability.metrics`` and the apps' own fields) and ``summary.py`` (what a dissolution summary
holds); this file keeps data and single-row facts only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhuanban.core.models import VersionedModel
from zhuanban.taskforces.models import TaskForce


class HealthRule(VersionedModel):
    """The office's setting of one health check: on/off and its threshold.  A check without a row runs on
    its default (``checks.CHECKS[code].default``); the settings page creates the row on the first save."""

    code = models.CharField("检查项", max_length=32, unique=True)
    enabled = models.BooleanField("启用", default=True)
    threshold = models.PositiveIntegerField("阈值")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = "体检规则"
        verbose_name_plural = "体检规则"
        # Who "the office" is (the province-wide 专班办公室 that sees every task force in the dashboards
        # and the health checks, and tunes the rules): system administrators and holders of this permission.
        permissions = [("view_province", "全省监测（专班统筹办公室）")]

    def __str__(self) -> str:
        return self.code


class ReportRead(models.Model):
    """How often a report template's collected data was looked at, per day (the aggregate page and its
    API).  The reports app records no reads; ``readlog`` counts them here so the check "reports collected
    that nobody reads" has a base.  One row per template and day, incremented in place: no per-view row."""

    template = models.ForeignKey("reports.ReportTemplate", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["template", "day"], name="insight_read_template_day")]
        indexes = [models.Index(fields=["day", "template"])]

    def __str__(self) -> str:
        return f"{self.template_id} {self.day} {self.views}"


class DissolutionSummary(models.Model):
    """The generated summary of one period of a task force, archived at dissolution (goals vs results,
    key figures, the ledger, lessons).  ``data`` is the frozen content: later changes to tasks or figures
    do not rewrite history; the .docx is rendered from it on demand."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="dissolution_summaries")
    period_number = models.PositiveIntegerField("期次")
    dissolved_on = models.DateField("解散日期")
    data = models.JSONField(default=dict)
    shared_with = models.JSONField("共享给（人员编号）", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dissolved_on", "-id"]
        verbose_name = "解散总结"
        verbose_name_plural = "解散总结"
        constraints = [models.UniqueConstraint(fields=["taskforce", "period_number"],
                                               name="insight_one_summary_per_period")]

    def __str__(self) -> str:
        return f"{self.taskforce_id} 第{self.period_number}期总结"


class DashboardSnapshot(models.Model):
    """The province-wide dashboard's figures, computed by the daily sweep ``insight.snapshot``.

    Live aggregation over 1,000 task forces and 200,000 tasks (the per-task-force figures of
    ``accountability.metrics``, the weekly trend) takes seconds; the office's page reads this one row
    instead (< 300 ms).  Leaders' and units' dashboards cover a few task forces and stay live."""

    key = models.CharField(max_length=32, unique=True)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    elapsed_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} {self.computed_at:%Y-%m-%d %H:%M}"
