"""API tokens: per user, scoped (read / write), expiring, revocable, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from .errors import DomainError

TOKEN_PREFIX = "zb_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "只读"
        WRITE = "write", "读写"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.WRITE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.hint}… ({self.get_scope_display()})"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def issue_token(user: Any, *, name: str = "", scope: str = ApiToken.Scope.WRITE, days: int | None = 90) -> str:
    """Create a token and return the raw value; only its hash is stored."""
    from . import audit

    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_digest(raw), hint=raw[:8], scope=scope,
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit.record(user, "auth.token_create", token, after={"scope": scope, "name": name})
    return raw


def revoke_token(actor: Any, token: ApiToken) -> bool:
    """Revoke ``token`` (its owner or a superuser); False if it was already revoked."""
    from . import audit

    if token.user_id != actor.pk and not actor.is_superuser:
        raise DomainError("forbidden", "只能吊销自己的令牌", status=403)
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        return False
    audit.record(actor, "auth.token_revoke", token, before={"revoked_at": None})
    return True


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            obj = ApiToken.objects.select_related("user").get(key_hash=_digest(token))
        except ApiToken.DoesNotExist:
            return None
        if not obj.is_usable or not obj.user.is_active:
            return None
        if obj.scope == ApiToken.Scope.READ and request.method not in ("GET", "HEAD", "OPTIONS"):
            # A valid token without the scope: 403 (RFC 6750 insufficient_scope), not "who are you?".
            raise DomainError("insufficient_scope", "该令牌为只读令牌，不能执行写操作", status=403)
        now = timezone.now()
        if obj.last_used_at is None or now - obj.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=obj.pk).update(last_used_at=now)
        request.user = obj.user
        return obj.user


class SessionAuthCsrf(SessionAuth):
    """The browser's session; CSRF is enforced for unsafe methods.

    Only a request that carries a logged-in session is CSRF-checked: a script whose bearer token failed
    gets a plain 401 rather than a confusing CSRF refusal.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise DomainError("csrf_failed", "CSRF 校验失败，请刷新页面后重试", status=403)
        return request.COOKIES.get(self.param_name)
