"""The login (password, then the second factor), the forced password change, re-authentication and the
账号安全 page (password, 2FA, sessions, API tokens)."""

from __future__ import annotations

import time
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from zhuanban.core import audit
from zhuanban.core.tokens import ApiToken, issue_token, revoke_token

from . import factors, services
from .decorators import require_recent_auth
from .forms import CodeForm, LoginForm, PasswordForm, ReauthForm, TokenForm
from .lockout import lockout_response

PENDING_SECONDS = 300


def _next(request: HttpRequest, default: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


# ---- login ---------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Step 1: the password.  A user with a second factor goes on to step 2 before being logged in."""
    if request.user.is_authenticated:
        return redirect(_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if factors.enrolled(user):
            request.session.cycle_key()
            request.session[services.PENDING] = {"uid": user.pk, "backend": user.backend, "at": time.time(),
                                                 "next": _next(request)}
            return redirect("login_otp")
        auth_login(request, user)
        return redirect(_next(request))
    return render(request, "web/login.html", {"form": form, "next": _next(request, "")})


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | tuple[None, None]:
    pending = request.session.get(services.PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(services.PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["uid"], is_active=True).first()
    return (user, pending) if user else (None, None)


@sensitive_post_parameters("code")
@never_cache
def login_otp(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the authenticator app, a recovery code, or a deployment's own factor."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, "请重新输入登录名和密码。")
        return redirect("login")
    credentials = {"username": user.get_username(), "zb_step": "otp"}
    if AxesProxyHandler.is_locked(request, credentials):
        return lockout_response(request)
    enrolled = factors.enrolled(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        factor = factors.verify_any(request, user, request.POST)
        if factor is not None:
            device = getattr(request, "_otp_device", None)
            auth_login(request, user, backend=pending["backend"])
            if device is not None:
                otp_login(request, device)
            if factor.key == "recovery":
                left = factors.StaticToken.objects.filter(device__user=user).count()
                messages.warning(request, f"您使用了一个恢复码，还剩 {left} 个。")
            return redirect(pending.get("next") or reverse(settings.LOGIN_REDIRECT_URL))
        # A wrong code counts towards the lock like a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code" if form.is_valid() else None, "验证码不正确或已使用过。")
    context = {"form": form, "factors": [(f, f.challenge(request, user)) for f in enrolled]}
    return render(request, "accounts/login_otp.html", context)


# ---- re-authentication and the forced password change -----------------------------------------------


@login_required
@sensitive_post_parameters("password")
def reauth(request: HttpRequest) -> HttpResponse:
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"])
        if user is not None and user.pk == request.user.pk:
            request.session[services.AUTH_AT] = time.time()
            audit.record(request.user, "auth.reauth", request.user)
            return redirect(_next(request, reverse("account")))
        form.add_error("password", "密码不正确。")
    return render(request, "accounts/reauth.html", {"form": form, "next": _next(request, reverse("account"))})


@login_required
@sensitive_post_parameters()
def password_required(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(request, request.user, form.cleaned_data["new_password1"])
        messages.success(request, "密码已更新。")
        return redirect(reverse(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/password_required.html", {"form": form})


# ---- 账号安全 --------------------------------------------------------------------------------------


def _account_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    sessions = services.live_sessions(user)
    return {
        "password_form": extra.pop("password_form", None) or PasswordForm(user),
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "has_totp": factors.has_totp(user),
        "recovery_left": factors.StaticToken.objects.filter(device__user=user).count(),
        "two_factor_required": services.requires_two_factor(user),
        "sessions": sessions,
        "current_session": request.session.session_key,
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at"),
        "security": services.security_for(user),
        "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        **extra,
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request))


@login_required
@require_POST
@sensitive_post_parameters()
def password_change(request: HttpRequest) -> HttpResponse:
    # The form asks for the current password: that is the re-authentication for this operation.
    form = PasswordForm(request.user, request.POST)
    if form.is_valid():
        services.change_password(request, request.user, form.cleaned_data["new_password1"])
        messages.success(request, "密码已修改，您在其他设备上的登录已结束。")
        return redirect("account")
    return render(request, "accounts/account.html", _account_context(request, password_form=form), status=422)


@login_required
@require_recent_auth
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = factors.pending_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            factors.TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = factors.new_recovery_codes(user)
            request.session.pop(services.NEEDS_2FA, None)
            audit.record(user, "auth.2fa_enable", user, after={"factor": "totp"})
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
        form.add_error("code", "验证码不正确，请核对手机时间后重试。")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    secret = _base32(device)
    return render(request, "accounts/two_factor_setup.html", {"form": form, "qr": qr, "secret": secret,
                                                              "forced": bool(request.session.get(services.NEEDS_2FA))})


def _base32(device: Any) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


@login_required
@require_POST
@require_recent_auth
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if services.requires_two_factor(request.user):
        messages.error(request, "您的账号必须启用双因素认证，不能停用。")
        return redirect("account")
    factors.disable_two_factor(request.user)
    audit.record(request.user, "auth.2fa_disable", request.user)
    messages.success(request, "已停用双因素认证。")
    return redirect("account")


@login_required
@require_POST
@require_recent_auth
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not factors.has_totp(request.user):
        return redirect("account")
    codes = factors.new_recovery_codes(request.user)
    audit.record(request.user, "auth.recovery_codes", request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": False})


@login_required
@require_POST
def session_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if services.revoke_session(request.user, pk):
        messages.success(request, "已结束该会话。")
    return redirect(reverse("account") + "#sessions")


@login_required
@require_POST
@require_recent_auth
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", _account_context(request, token_form=form), status=422)
    raw = issue_token(request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
                      days=form.cleaned_data["days"])
    return render(request, "accounts/account.html", _account_context(request, new_token=raw))


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is not None and revoke_token(request.user, token):
        messages.success(request, "令牌已吊销。")
    return redirect(reverse("account") + "#tokens")
