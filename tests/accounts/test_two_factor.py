"""Two-factor authentication: the OTP step, set-up required for administrators and office staff, a code
accepted once per time step, single-use recovery codes, the pluggable factor registry."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from tests.accounts.conftest import code_for, enable_2fa, login
from tests.web.conftest import text
from zhuanban.accounts import factors, services
from zhuanban.core.models import AuditEvent

REQUIRED = override_settings(TWO_FACTOR_REQUIRED_FOR=["admin", "office"])


def test_a_user_with_a_device_must_pass_the_otp_step(cast):
    device, _ = enable_2fa(cast.bob)
    client = Client()
    r = login(client, "bob", cast.password)
    assert r["Location"] == "/login/verify/"
    assert client.get("/tf/").status_code == 302  # not logged in yet
    r = client.post("/login/verify/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "验证码不正确" in text(r)
    r = client.post("/login/verify/", {"code": code_for(device)})
    assert r.status_code == 302
    assert client.get("/tf/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed", note__startswith="otp").count() == 1


def test_a_code_is_accepted_once_per_time_step(cast):
    device, _ = enable_2fa(cast.bob)
    code = code_for(device)
    first = Client()
    login(first, "bob", cast.password)
    assert first.post("/login/verify/", {"code": code}).status_code == 302
    second = Client()
    login(second, "bob", cast.password)
    r = second.post("/login/verify/", {"code": code})
    assert r.status_code == 200 and "验证码不正确或已使用过" in text(r)
    device.refresh_from_db()
    assert device.last_t >= 0


def test_recovery_codes_work_once_each(cast):
    _, codes = enable_2fa(cast.bob)
    assert len(codes) == 10 and len(set(codes)) == 10
    client = Client()
    login(client, "bob", cast.password)
    assert client.post("/login/verify/", {"code": codes[0]}).status_code == 302
    again = Client()
    login(again, "bob", cast.password)
    assert again.post("/login/verify/", {"code": codes[0]}).status_code == 200
    assert again.post("/login/verify/", {"code": codes[1].upper()}).status_code == 302


def test_wrong_codes_count_towards_the_lock(cast):
    device, _ = enable_2fa(cast.bob)
    client = Client()
    login(client, "bob", cast.password)
    for _ in range(5):
        r = client.post("/login/verify/", {"code": "12345"})
    assert r.status_code == 429
    assert client.post("/login/verify/", {"code": code_for(device)}).status_code == 429


def test_the_otp_step_expires(cast):
    enable_2fa(cast.bob)
    client = Client()
    login(client, "bob", cast.password)
    store = client.session
    store[services.PENDING]["at"] -= 600
    store.save()
    assert client.get("/login/verify/")["Location"] == "/login/"


@pytest.mark.parametrize("who", ["admin", "olivia"])
def test_admins_and_office_staff_must_set_up_2fa_right_after_login(cast, who, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["admin", "office"]
    client = Client()
    assert login(client, who, cast.password).status_code == 302
    assert client.get("/tf/")["Location"] == "/account/2fa/setup/"
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode() and "<img" not in page.content.decode()
    user = getattr(cast, who)
    device = factors.pending_totp(user)
    r = client.post("/account/2fa/setup/", {"code": code_for(device)})
    codes = re.findall(r"<li class=\"col-6\">([0-9a-f-]+)</li>", r.content.decode())
    assert len(codes) == 10
    assert client.get("/tf/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_enable", actor=user).exists()


@pytest.mark.parametrize("who", ["alice", "bob", "erin"])
def test_others_are_not_forced(cast, who, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = ["admin", "office"]
    client = Client()
    login(client, who, cast.password)
    assert client.get("/tf/").status_code == 200


def test_2fa_can_be_required_of_nobody_all_or_a_list():
    with override_settings(TWO_FACTOR_REQUIRED_FOR=[]):
        assert not services.requires_two_factor(type("U", (), {"pk": 1, "is_superuser": True})())


@REQUIRED
def test_required_users_cannot_disable_2fa_but_others_can(cast, as_user):
    enable_2fa(cast.olivia)
    client = as_user(cast.olivia)
    client.post("/account/2fa/disable/")
    assert factors.has_totp(cast.olivia)
    enable_2fa(cast.bob)
    client = as_user(cast.bob)
    client.post("/account/2fa/disable/")
    assert not factors.has_totp(cast.bob)
    assert AuditEvent.objects.filter(action="auth.2fa_disable", actor=cast.bob).exists()


def test_a_wrong_setup_code_does_not_enable(cast, as_user):
    client = as_user(cast.bob)
    client.get("/account/2fa/setup/")
    r = client.post("/account/2fa/setup/", {"code": "000000"})
    assert "验证码不正确" in text(r)
    assert not factors.has_totp(cast.bob)


class AlwaysFactor:
    """A stand-in for a deployment's certificate/UKey factor."""

    key, label, template = "ukey", "UKey 证书", "accounts/factors/code.html"

    def is_enrolled(self, user):
        return True

    def challenge(self, request, user):
        return {"nonce": "abc"}

    def verify(self, request, user, data):
        return data.get("code") == "signed-abc"


def test_a_deployment_can_plug_in_its_own_factor(cast, settings):
    settings.SECOND_FACTORS = [f"{__name__}.AlwaysFactor"]
    client = Client()
    assert login(client, "bob", cast.password)["Location"] == "/login/verify/"
    assert "UKey 证书" in text(client.get("/login/verify/"))
    assert client.post("/login/verify/", {"code": "nope"}).status_code == 200
    assert client.post("/login/verify/", {"code": "signed-abc"}).status_code == 302


def test_production_requires_2fa_of_admins_and_office_staff_by_default():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHUANBAN_")}
    env.update({"ZHUANBAN_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "zhuanban.settings"})
    code = "from django.conf import settings as s; print(','.join(s.TWO_FACTOR_REQUIRED_FOR))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "admin,office"
