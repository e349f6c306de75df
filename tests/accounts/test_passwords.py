"""Password policy: the gov and asvs profiles, history of 5, expiry forcing a change at the next login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.accounts.conftest import login
from tests.web.conftest import text
from zhuanban.accounts.models import PasswordHistory, UserSecurity


def refused(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


@pytest.mark.django_db
class TestGovProfile:
    def test_eight_characters_from_three_classes_pass(self):
        assert refused("Kx7-pemb") == []
        assert refused("kx7-pemb") == []  # lower, digit, symbol

    def test_short_or_simple_passwords_are_refused(self):
        assert "password_too_short" in refused("Kx7-pe")
        assert "password_too_simple" in refused("kxqpembz")
        assert "password_too_simple" in refused("kxqpem12")

    def test_the_login_name_is_refused(self, cast):
        assert "password_is_username" in refused("Alice-2026!", cast.alice)
        assert "password_is_username" in refused("ALICE", cast.alice)

    def test_common_passwords_are_refused(self):
        assert "password_too_common" in refused("P@ssw0rd")  # 3 classes, but common (bundled list)
        assert "password_too_common" in refused("Password1")  # Django's list

    def test_messages_are_in_chinese(self):
        with pytest.raises(ValidationError) as exc:
            validate_password("abc")
        assert "密码至少需要 8 个字符" in " ".join(exc.value.messages)


@pytest.mark.django_db
class TestAsvsProfile:
    @pytest.fixture(autouse=True)
    def _asvs(self, settings):
        settings.PASSWORD_PROFILE, settings.PASSWORD_HISTORY = "asvs", 0

    def test_long_passphrases_without_composition_pass(self):
        assert refused("correct horse battery staple") == []
        assert "password_too_short" in refused("专班平台的长口令也可以")  # 11 characters
        assert refused("专班平台的长口令也可以用的") == []

    def test_length_limits(self):
        assert "password_too_short" in refused("Kx7-pemb-a1")
        assert "password_too_long" in refused("x" * 129 + "Y1!")

    def test_breached_passwords_are_refused_offline(self, tmp_path, settings):
        assert "password_breached" in refused("q1w2e3r4t5y6")  # Django's list
        assert "password_breached" in refused("qwertyuiop")  # bundled list (and short)
        import hashlib

        listed = "my leaked passphrase 1"
        f = tmp_path / "pwned.txt"
        f.write_text(hashlib.sha1(listed.encode()).hexdigest().upper() + ":42\n")
        settings.BREACHED_PASSWORDS_FILE = str(f)
        assert "password_breached" in refused(listed)
        assert refused("my unleaked passphrase 2") == []


def test_asvs_has_no_forced_rotation_by_default():
    import os
    import subprocess
    import sys

    env = {**os.environ, "ZHUANBAN_PASSWORD_PROFILE": "asvs", "ZHUANBAN_SECRET_KEY": "x" * 50,
           "DJANGO_SETTINGS_MODULE": "zhuanban.settings"}
    env.pop("ZHUANBAN_PASSWORD_MAX_AGE_DAYS", None)
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings as s; "
                          "print(s.PASSWORD_MAX_AGE_DAYS, s.PASSWORD_HISTORY)"], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["0", "0"]


def test_the_last_five_passwords_are_refused(cast):
    user = cast.bob
    passwords = [f"Kx7-pemb-{i}" for i in range(6)]
    for p in passwords:
        assert refused(p, user) == []
        user.set_password(p)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert all(not h.password.startswith(passwords[-1]) for h in PasswordHistory.objects.filter(user=user))
    for p in passwords[1:]:
        assert refused(p, user) == ["password_reused"], p
    assert refused(passwords[0], user) == []  # the sixth back is allowed again


def test_an_expired_password_forces_a_change_before_anything_else(cast, client):
    UserSecurity.objects.filter(user=cast.bob).update(password_changed_at=timezone.now() - timedelta(days=91))
    response = login(client, "bob", cast.password)
    assert response.status_code == 302
    assert client.get("/tf/")["Location"] == "/account/password/required/"
    assert client.get("/api/v1/taskforces").status_code == 403
    page = client.get("/account/password/required/")
    assert "密码已过期" in text(page)
    r = client.post("/account/password/required/", {"old_password": cast.password, "new_password1": cast.password,
                                                    "new_password2": cast.password})
    assert "不能使用最近 5 次用过的密码" in text(r)
    r = client.post("/account/password/required/", {"old_password": cast.password, "new_password1": "Nw9!qzrt",
                                                    "new_password2": "Nw9!qzrt"})
    assert r.status_code == 302
    assert client.get("/tf/").status_code == 200
    cast.bob.refresh_from_db()
    assert cast.bob.check_password("Nw9!qzrt")
    assert UserSecurity.objects.get(user=cast.bob).password_changed_at > timezone.now() - timedelta(minutes=1)


def test_a_password_within_its_age_needs_no_change(cast, client):
    UserSecurity.objects.filter(user=cast.bob).update(password_changed_at=timezone.now() - timedelta(days=89))
    login(client, "bob", cast.password)
    assert client.get("/tf/").status_code == 200


def test_an_administrator_can_force_a_change_at_next_login(cast, client):
    UserSecurity.objects.filter(user=cast.bob).update(must_change_password=True)
    login(client, "bob", cast.password)
    assert client.get("/tf/")["Location"] == "/account/password/required/"
