"""The org directory: regions, units, people and the accounts that log in as them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from zhuanban.core.fields import EncryptedTextField


class CaseInsensitiveUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A login.  Login names are unique regardless of case (``Zhang`` and ``zhang`` are one account)."""

    objects = CaseInsensitiveUserManager()  # type: ignore[misc]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("username"), name="user_username_ci_unique")]
        verbose_name = "账号"
        verbose_name_plural = "账号"


class Region(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        DISTRICT = "district", "区县"
        STREET = "street", "街道乡镇"

    code = models.CharField("区划代码", max_length=12, unique=True, help_text="GB/T 2260 行政区划代码")
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        PARTY_GOV = "party_gov", "党政机关"
        CONGRESS_CPPCC = "congress_cppcc", "人大政协"
        PUBLIC_INSTITUTION = "public_institution", "事业单位"
        STATE_ENTERPRISE = "state_enterprise", "国有企业"
        ENTERPRISE = "enterprise", "企业"
        UNIVERSITY = "university", "高校"
        RESEARCH = "research", "科研院所"
        SOCIAL = "social", "社会组织"

    # Units inside government.  A member from any other kind makes a task force cross-sector (跨界).
    GOVERNMENT_KINDS = frozenset({Kind.PARTY_GOV, Kind.CONGRESS_CPPCC, Kind.PUBLIC_INSTITUTION})

    name = models.CharField("单位名称", max_length=120, unique=True)
    short_name = models.CharField("简称", max_length=60, blank=True)
    kind = models.CharField("单位类别", max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区划", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_government(self) -> bool:
        return self.kind in self.GOVERNMENT_KINDS


class Person(models.Model):
    class Staffing(models.TextChoices):
        ADMINISTRATIVE = "administrative", "行政编制"
        INSTITUTIONAL = "institutional", "事业编制"
        NON_STAFF = "non_staff", "非编"
        EXTERNAL = "external", "外部人员"

    name = models.CharField("姓名", max_length=50)
    home_unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people")
    post = models.CharField("职务", max_length=80, blank=True)
    staffing = models.CharField("编制类型", max_length=16, choices=Staffing.choices)
    # Personal data, encrypted at rest (core.crypto) and masked wherever shown (core.masking); the full
    # value is an audited view (org.services.reveal_personal_data).
    phone = EncryptedTextField("联系电话", blank=True)
    id_card_no = EncryptedTextField("身份证号", blank=True)
    # A leader of the home unit sees where the unit's staff are seconded (domain brief: 事毕人归).
    is_unit_leader = models.BooleanField("单位负责人", default=False)
    user = models.OneToOneField(
        User, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["home_unit__name", "name"]
        verbose_name = "人员"
        verbose_name_plural = "人员"
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_external(self) -> bool:
        return self.staffing == self.Staffing.EXTERNAL or not self.home_unit.is_government

    def label(self) -> dict[str, Any]:
        return {"id": self.pk, "name": self.name, "unit": str(self.home_unit)}


def _import_upload_to(instance: ImportJob, filename: str) -> str:
    # A random name: the uploader's file name is kept only as data (original_name), never as a path.
    import uuid

    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    """One import of units and people from an .xlsx workbook (web upload or ``zhuanban import``).

    The web import runs in the background; the job row is what its progress page polls.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Stage(models.TextChoices):
        VALIDATE = "validate", "逐行校验"
        WRITE = "write", "写入名录"

    FINISHED = frozenset({Status.DONE, Status.FAILED})

    file = models.FileField("上传文件", upload_to=_import_upload_to, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    channel = models.CharField("来源", max_length=10, default="web")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.VALIDATE)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    # The row-level error report: [{"sheet", "row", "column", "reason"}, ...]
    errors = models.JSONField("错误报告", default=list, blank=True)
    message = models.CharField("结果说明", max_length=300, blank=True)
    units_created = models.PositiveIntegerField("新增单位数", default=0)
    people_created = models.PositiveIntegerField("新增人员数", default=0)
    created_by = models.ForeignKey(
        User, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "名录导入任务"
        verbose_name_plural = "名录导入任务"

    def __str__(self) -> str:
        return f"导入 {self.original_name or self.pk}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.processed * 100 / self.total))
