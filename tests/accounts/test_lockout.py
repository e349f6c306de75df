"""Login failures: 5 per account or per address within 15 minutes lock for 15 minutes, on the web login,
the admin login and the API token endpoint; one message whether or not the account exists; audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import login
from tests.web.conftest import text
from zhuanban.core.models import AuditEvent

LOCKED = "登录失败次数过多"


def page(response) -> str:
    """The page without its per-response CSRF tokens."""
    body = text(response)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", body)


def ip(n: int) -> dict[str, str]:
    return {"REMOTE_ADDR": f"10.0.0.{n}"}


def test_five_failures_for_one_account_lock_it_even_from_other_addresses(cast):
    for n in range(4):
        r = login(Client(), "alice", "wrong", **ip(n))
        assert r.status_code == 200 and LOCKED not in text(r)
    r = login(Client(), "ALICE", "wrong", **ip(9))  # the fifth, in other case: same account
    assert r.status_code == 429 and LOCKED in text(r)
    r = login(Client(), "alice", cast.password, **ip(20))  # right password, fresh address: still locked
    assert r.status_code == 429 and LOCKED in text(r)
    assert login(Client(), "bob", cast.password, **ip(20)).status_code == 302  # others are not


def test_five_failures_from_one_address_lock_the_address(cast):
    for name in ("alice", "bob", "liam", "nobody", "erin"):
        login(Client(), name, "wrong", **ip(7))
    assert login(Client(), "olivia", cast.password, **ip(7)).status_code == 429
    assert login(Client(), "olivia", cast.password, **ip(8)).status_code == 302


def test_the_lock_lasts_fifteen_minutes(cast):
    for _ in range(5):
        login(Client(), "alice", "wrong")
    assert login(Client(), "alice", cast.password).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(Client(), "alice", cast.password).status_code == 302
    assert AuditEvent.objects.filter(action="auth.unlocked").count() == 1


def test_unknown_and_known_accounts_get_identical_answers(cast):
    wrong_known = page(login(Client(), "alice", "wrong", **ip(1)))
    wrong_unknown = page(login(Client(), "nosuchuser", "wrong", **ip(2)))
    assert "请输入一个正确的" in wrong_known
    assert wrong_known.replace("alice", "X") == wrong_unknown.replace("nosuchuser", "X")
    for _ in range(5):
        known = login(Client(), "alice", "wrong", **ip(3))
        unknown = login(Client(), "nosuchuser", "wrong", **ip(4))
    assert known.status_code == unknown.status_code == 429
    assert page(known) == page(unknown)


def test_lock_login_failure_and_login_are_audited(cast):
    login(Client(), "bob", cast.password)
    assert AuditEvent.objects.filter(action="auth.login", actor=cast.bob).count() == 1
    for _ in range(6):
        login(Client(), "alice", "wrong", **ip(5))
    assert AuditEvent.objects.filter(action="auth.login_failed", object_id=str(cast.alice.pk)).count() == 6
    locked = AuditEvent.objects.get(action="auth.locked")
    assert locked.object_id == str(cast.alice.pk) and locked.after["ip"] == "10.0.0.5"
    assert locked.after["minutes"] == 15
    AccessAttempt.objects.all().delete()  # what `axes_reset` does
    assert AuditEvent.objects.filter(action="auth.unlocked").count() == 1


def test_logout_is_audited(cast):
    client = Client()
    login(client, "bob", cast.password)
    client.post("/logout/")
    assert AuditEvent.objects.filter(action="auth.logout", actor=cast.bob).exists()


def test_the_admin_login_locks_too(cast):
    client = Client()
    assert client.get("/admin/login/?next=/admin/").status_code == 200
    for _ in range(5):
        r = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "wrong"})
    assert r.status_code == 429 and LOCKED in text(r)
    r = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": cast.password})
    assert r.status_code == 429


def test_the_admin_login_works_through_the_platform_login(cast):
    client = Client()
    r = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": cast.password,
                                                   "next": "/admin/"})
    assert r.status_code == 302 and r["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def token_request(username: str, password: str, **extra):
    return Client().post("/api/v1/auth/token", {"username": username, "password": password},
                         content_type="application/json", **extra)


def test_the_api_token_endpoint_locks_too(cast):
    for _ in range(4):
        r = token_request("alice", "wrong")
        assert r.status_code == 401 and r.json()["code"] == "bad_credentials"
    r = token_request("alice", "wrong")
    assert r.status_code == 429 and r.json()["code"] == "locked" and LOCKED in r.json()["message"]
    assert token_request("alice", cast.password, **ip(30)).status_code == 429


def test_the_api_token_endpoint_answers_unknown_accounts_identically(cast):
    a, b = token_request("alice", "wrong", **ip(1)), token_request("nobody", "wrong", **ip(2))
    assert (a.status_code, a.json()) == (b.status_code, b.json())


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_web_and_admin_failures_share_one_count(cast, path):
    for _ in range(3):
        login(Client(), "alice", "wrong")
    for _ in range(2):
        Client().post(path, {"username": "alice", "password": "wrong"})
    assert token_request("alice", cast.password).status_code == 429


def test_failure_records_keep_no_passwords_or_codes(cast):
    login(Client(), "alice", "secret-guess-1")
    attempt = AccessAttempt.objects.get()
    assert "secret-guess-1" not in attempt.post_data
