"""三员分立 (separation of duties): the three built-in administrative roles.

An account holds at most one of them — the one-to-one on ``user`` makes the database refuse a second
row, so "system administrator and auditor in one person" cannot exist whatever the code does.
The system administrator is also Django's ``is_superuser`` (the existing code's meaning of
"administrator"); the security and audit administrators never are (``signals.py`` refuses it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AdminRole(models.Model):
    class Role(models.TextChoices):
        SYSTEM = "system", "系统管理员"
        SECURITY = "security", "安全管理员"
        AUDIT = "audit", "审计管理员"

    # What each role is for (shown on the roles page; the rules live in services.py and access checks).
    DUTIES = {
        Role.SYSTEM: "账号、单位、系统配置",
        Role.SECURITY: "角色与权限、账号锁定、口令策略",
        Role.AUDIT: "查阅、检索与导出审计记录，不能修改其他任何内容",
    }

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admin_role")
    role = models.CharField("管理角色", max_length=10, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "管理角色"
        verbose_name_plural = "管理角色"
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=["system", "security", "audit"]),
                                   name="adminrole_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
