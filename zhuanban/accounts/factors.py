"""Second factors, pluggable.

A factor is a class listed (by dotted path) in ZHUANBAN_SECOND_FACTORS.  The login's second step offers
every factor the user has enrolled; the first that accepts the submitted data completes the login.  A
deployment adds, say, a certificate/UKey (SM2 signature) factor by writing a class with this interface and
listing it — see docs/security.md.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils.module_loading import import_string
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class SecondFactor(Protocol):
    key: ClassVar[str]  # short id, used in forms and audit notes
    label: ClassVar[str]  # shown to the user (Chinese)
    # A template fragment rendered inside the second-step form, with ``factor`` and what ``challenge``
    # returned in its context; it submits whatever fields ``verify`` reads.
    template: ClassVar[str]

    def is_enrolled(self, user: Any) -> bool: ...

    def challenge(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        """Context for the fragment (a UKey factor puts a random nonce to sign in the session here)."""
        ...

    def verify(self, request: HttpRequest, user: Any, data: QueryDict) -> bool:
        """True if ``data`` proves the factor; called before the user is logged in."""
        ...


class TotpFactor:
    """Time-based one-time codes (RFC 6238) from an authenticator app; each code is accepted once."""

    key = "totp"
    label = "动态验证码（身份验证器 App）"
    template = "accounts/factors/code.html"

    def devices(self, user: Any) -> list[TOTPDevice]:
        return list(TOTPDevice.objects.filter(user=user, confirmed=True))

    def is_enrolled(self, user: Any) -> bool:
        return TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    def challenge(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        return {}

    def verify(self, request: HttpRequest, user: Any, data: QueryDict) -> bool:
        code = "".join((data.get("code") or "").split())
        if not code.isdigit():
            return False
        for device in self.devices(user):
            # verify_token refuses a code of a time step already used (TOTPDevice.last_t) and throttles.
            if device.verify_token(code):
                request._otp_device = device  # type: ignore[attr-defined]
                return True
        return False


class RecoveryCodeFactor:
    """Ten single-use recovery codes, for a lost phone."""

    key = "recovery"
    label = "恢复码"
    template = "accounts/factors/code.html"

    def is_enrolled(self, user: Any) -> bool:
        return StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()

    def challenge(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        return {}

    def verify(self, request: HttpRequest, user: Any, data: QueryDict) -> bool:
        code = "".join((data.get("code") or "").split()).lower().replace("-", "")
        if not code:
            return False
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):  # deletes the token: single use
                request._otp_device = device  # type: ignore[attr-defined]
                return True
        return False


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(import_string(p)() for p in paths)


def registered() -> tuple[Any, ...]:
    return _load(tuple(settings.SECOND_FACTORS))


def enrolled(user: Any) -> list[Any]:
    return [f for f in registered() if f.is_enrolled(user)]


def verify_any(request: HttpRequest, user: Any, data: QueryDict) -> Any:
    """The factor that accepted ``data``, or None.  A django-otp device that accepted it marks the session
    verified (``request.user.is_verified()``)."""
    for factor in enrolled(user):
        if factor.verify(request, user, data):
            device = getattr(request, "_otp_device", None)
            if device is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
                otp_login(request, device)
            return factor
    return None


# ---- enrolment (TOTP + recovery codes) ---------------------------------------------------------------


def pending_totp(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def new_recovery_codes(user: Any) -> list[str]:
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def disable_two_factor(user: Any) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def has_totp(user: Any) -> bool:
    return TotpFactor().is_enrolled(user)
