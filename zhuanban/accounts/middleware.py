"""Session policy and admin address ranges.

``SessionPolicyMiddleware`` enforces, for a logged-in session: the idle limit (SESSION_COOKIE_AGE, also
checked server-side so a kept cookie does not help), the absolute limit (ZHUANBAN_SESSION_ABSOLUTE_SECONDS,
12 h), and the two things that come before anything else after login: a forced password change and a
required 2FA set-up.  It keeps the user's session list fresh (at most one write a minute).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from zhuanban.core import audit

from . import services
from .models import UserSession

ALWAYS_ALLOWED = ("/logout/", "/static/", "/i18n/", "/healthz", "/favicon")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        session, now = request.session, time.time()
        login_at = float(session.setdefault(services.LOGIN_AT, now))
        session.setdefault(services.AUTH_AT, login_at)
        last_seen = float(session.get(services.LAST_SEEN) or now)
        reason = ""
        if now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
            reason = f"超过会话最长时限 {settings.SESSION_ABSOLUTE_SECONDS // 3600} 小时"
        elif now - last_seen > settings.SESSION_COOKIE_AGE:
            reason = f"空闲超过 {settings.SESSION_COOKIE_AGE // 60} 分钟"
        if reason:
            audit.record(user, "auth.session_expired", user, note=reason)
            logout(request)
            if request.path.startswith("/api/"):
                return None  # now anonymous: the API answers 401
            messages.info(request, "会话已过期，请重新登录。")
            return redirect_to_login(request.get_full_path())
        session[services.LAST_SEEN] = now
        if now - float(session.get(services.TOUCHED) or 0) > 60 and session.session_key:
            session[services.TOUCHED] = now
            UserSession.objects.filter(session_key=session.session_key).update(last_seen_at=timezone.now())

        path = request.path
        if path.startswith(ALWAYS_ALLOWED):
            return None
        if session.get(services.MUST_CHANGE):
            target, message = reverse("account_password_required"), "密码已过期或须修改，请先设置新密码。"
        elif session.get(services.NEEDS_2FA):
            target, message = reverse("account_2fa_setup"), "您的账号须启用双因素认证，请先完成设置。"
        else:
            return None
        if path in (target, reverse("account_reauth")):
            return None
        if path.startswith("/api/"):
            return JsonResponse({"code": "account_action_required", "message": message, "fields": {}}, status=403)
        return redirect(target)


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(ipaddress.ip_network(n, strict=False) for n in spec)


class AdminNetworkMiddleware:
    """With ZHUANBAN_ADMIN_ALLOWED_NETWORKS set (CIDR list), /admin/ answers 404 to any other address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = settings.ADMIN_ALLOWED_NETWORKS
        if allowed and request.path.startswith("/admin/") and not address_in(request.META.get("REMOTE_ADDR"),
                                                                            tuple(allowed)):
            raise Http404
        return self.get_response(request)


def address_in(address: str | None, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in _networks(networks))
