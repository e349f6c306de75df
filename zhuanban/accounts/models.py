"""Account security state kept beside the login (``org.User`` stays as it is)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UserSecurity(models.Model):
    """Password age, forced change, expiry of external members' accounts, and the demo mark."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security")
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    # External members (enterprise staff) get accounts that end with their secondment.
    expires_at = models.DateTimeField("账号到期时间", null=True, blank=True)
    # Demo accounts have a published password; a production start refuses to run while one is active.
    is_demo = models.BooleanField("演示账号", default=False)
    disabled_at = models.DateTimeField("停用时间", null=True, blank=True)
    disabled_reason = models.CharField("停用原因", max_length=40, blank=True)

    class Meta:
        verbose_name = "账号安全状态"
        verbose_name_plural = "账号安全状态"

    def __str__(self) -> str:
        return f"{self.user} 的安全状态"


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords (never the passwords): the last N may not be reused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"

    def __str__(self) -> str:
        return f"{self.user} @ {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """One signed-in browser, so a user can see and end their sessions (the session store has no index by
    user).  Maintained by the login signal and the session middleware."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    def __str__(self) -> str:
        return f"{self.user} · {self.ip or '?'}"
