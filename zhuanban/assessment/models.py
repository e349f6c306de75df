"""考核评价: indicator schemes and their revisions, evaluators, scores with their history, incentives and the
negative list, and export jobs.

Where the rules live:
- the shape of an indicator tree (weights per level, kinds, scoring rules) and of evaluator weights:
  ``rules.py`` (validation, pure functions);
- turning figures and scores into points (scoring rules, evaluator weighting, ranking): ``engine.py``;
- who may define, score, read: ``services.py`` / ``queries.py``; objective figures come from
  ``zhuanban.accountability.metrics`` and are never counted here.

Versioning: a scheme's indicator tree and evaluator weights live in immutable ``SchemeRevision`` rows.
A revision creates a new row; every score points at the revision it was given under, and a replaced score
keeps its old values in ``ScoreHistory`` (with their revision), so a result "as of revision N" is computed
from exactly what existed then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhuanban.core.models import ExportJobBase, VersionedModel
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.models import TaskForce


class EvaluatorType(models.TextChoices):
    SELF = "self", "自评"
    INTERNAL = "internal", "领导评价"
    EXPERT = "expert", "专家评价"
    EXTERNAL = "external", "服务对象评价（好差评）"
    GRASSROOTS = "grassroots", "基层评价（考评听基层）"


class Scheme(VersionedModel):
    class SubjectKind(models.TextChoices):
        TASKFORCE = "taskforce", "专班"
        UNIT = "unit", "成员单位"
        PERSON = "person", "人员"

    class Track(models.TextChoices):
        ALL = "all", "全体人员"
        FULL_TIME = "full_time", "专职人员"
        PART_TIME = "part_time", "兼职人员"

    class Duplicate(models.TextChoices):
        REPLACE = "replace", "再次评分覆盖前次（保留历史）"
        REJECT = "reject", "拒绝重复评分"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "评分中"
        CLOSED = "closed", "已结束"

    taskforce = models.ForeignKey(TaskForce, verbose_name="所属专班", on_delete=models.CASCADE,
                                  related_name="assessment_schemes")
    name = models.CharField("方案名称", max_length=120)
    period_start = models.DateField("考核期起")
    period_end = models.DateField("考核期止")
    subject_kind = models.CharField("考核对象", max_length=10, choices=SubjectKind.choices,
                                    default=SubjectKind.PERSON)
    # Full-time (专职) and part-time (兼职) secondees are assessed on different schemes (Membership.full_time).
    track = models.CharField("人员范围", max_length=10, choices=Track.choices, default=Track.ALL)
    anonymous = models.BooleanField("匿名评分", default=True)
    duplicate_policy = models.CharField("重复评分", max_length=8, choices=Duplicate.choices,
                                        default=Duplicate.REPLACE)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    revision = models.PositiveIntegerField("当前版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-period_start", "id"]
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"

    def __str__(self) -> str:
        return self.name


class SchemeRevision(models.Model):
    """One immutable version of a scheme's indicator tree and evaluator weights."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    indicators = models.JSONField(default=list)
    evaluator_weights = models.JSONField(default=dict)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="assessment_revision_unique")]

    def __str__(self) -> str:
        return f"{self.scheme_id} v{self.number}"


class Evaluator(models.Model):
    """A person who scores a scheme's subjects as one evaluator type; ``subject_key`` limits them to one
    subject (a self-assessment always does)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="evaluators")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessment_roles")
    kind = models.CharField("评价主体类型", max_length=12, choices=EvaluatorType.choices)
    subject_key = models.CharField(max_length=24, blank=True)
    notice_id = models.IntegerField(null=True, blank=True)  # the evaluation form's notice, once sent
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "person", "kind", "subject_key"],
                                               name="assessment_evaluator_unique")]
        indexes = [models.Index(fields=["person", "scheme"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"


class Score(VersionedModel):
    """One evaluator's scores of one subject: ``values`` maps subjective indicator keys to points."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="scores")
    revision = models.ForeignKey(SchemeRevision, on_delete=models.PROTECT, related_name="scores")
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    subject_key = models.CharField(max_length=24)
    values = models.JSONField(default=dict)
    comment = models.CharField("评语", max_length=500, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["scheme", "subject_key", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluator", "subject_key"], name="assessment_score_unique")]
        indexes = [models.Index(fields=["scheme", "subject_key"])]

    def __str__(self) -> str:
        return f"{self.evaluator_id} → {self.subject_key}"


class ScoreHistory(models.Model):
    """The values a score had before it was replaced, with the revision they were given under."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="history")
    revision = models.ForeignKey(SchemeRevision, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(default=dict)
    comment = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["score", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.score_id} @ {self.submitted_at:%Y-%m-%d %H:%M}"


class Mark(models.Model):
    """An incentive (揭榜挂帅 award, commendation) or an entry in the negative list (负面清单)."""

    class Kind(models.TextChoices):
        AWARD = "award", "揭榜挂帅奖励"
        NEGATIVE = "negative", "负面清单"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="marks")
    subject_key = models.CharField(max_length=24)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    title = models.CharField("事项", max_length=200)
    points = models.DecimalField("加减分", max_digits=6, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


def _export_upload_to(job: ExportJob, filename: str) -> str:
    return f"assessment-exports/{job.scheme_id}/{filename}"


class ExportJob(ExportJobBase):
    """A background export of a scheme's results for one home unit (派出单位), .xlsx or .docx."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        DOCX = "docx", "Word (.docx)"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="exports")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fmt = models.CharField(max_length=4, choices=Format.choices, default=Format.XLSX)
    file = models.FileField(upload_to=_export_upload_to, blank=True)

    class Meta(ExportJobBase.Meta):
        pass

    def __str__(self) -> str:
        return f"导出 {self.scheme_id} {self.fmt}"
