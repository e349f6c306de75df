"""Helpers for the identity & session tests."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web.conftest import as_user  # noqa: F401  (the fixture)
from zhuanban.accounts import factors


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp slows down repeated wrong codes (1 s, 2 s, 4 s…); tests check the lock and the reuse rule.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/login/", {"username": username, "password": password}, **extra)


def totp_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def enable_2fa(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = totp_device(user)
    return device, factors.new_recovery_codes(user)


def session_of(client: Client) -> SessionStore:
    return SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def age_session(client: Client, **seconds_ago: float) -> None:
    """Move this app's session timestamps into the past: login_at=..., last_seen=..., auth_at=..."""
    store = session_of(client)
    now = time.time()
    for name, ago in seconds_ago.items():
        store[f"zb_{name}"] = now - ago
    store.save()
