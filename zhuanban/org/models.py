"""The org directory: regions, units, people and the accounts that log in as them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


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
    phone = models.CharField("联系电话", max_length=30, blank=True)
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
