"""Sessions: idle and absolute limits, a new id at login, logout server-side, a password change ending the
other sessions, the session list and revocation, re-authentication for sensitive operations, the admin
address ranges."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from tests.accounts.conftest import age_session, login, session_of
from tests.web.conftest import text
from zhuanban.accounts.decorators import require_recent_auth
from zhuanban.accounts.models import UserSession
from zhuanban.core.models import AuditEvent


def logged_in(cast, who: str = "bob", **extra) -> Client:
    client = Client(**extra)
    assert login(client, who, cast.password).status_code == 302
    return client


def test_an_idle_session_ends_after_thirty_minutes(cast):
    client = logged_in(cast)
    age_session(client, last_seen=settings.SESSION_COOKIE_AGE - 60)
    assert client.get("/tf/").status_code == 200
    age_session(client, last_seen=settings.SESSION_COOKIE_AGE + 1)
    r = client.get("/tf/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert client.get("/tf/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.session_expired", note__contains="空闲").exists()


def test_a_session_ends_after_twelve_hours_however_active(cast):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    client = logged_in(cast)
    age_session(client, login_at=12 * 3600 - 60)
    assert client.get("/tf/").status_code == 200
    age_session(client, login_at=12 * 3600 + 1)
    assert client.get("/tf/").status_code == 302
    assert client.get("/api/v1/taskforces").status_code == 401


def test_the_idle_limit_is_the_session_cookie_age():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_login_issues_a_new_session_id(cast):
    client = Client()
    client.get("/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    s = session_of(client)
    s["anything"] = 1
    s.save()
    before = s.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    login(client, "bob", cast.password)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_deletes_the_session_server_side(cast):
    client = logged_in(cast)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/tf/").status_code == 302


def test_a_password_change_ends_the_other_sessions_but_keeps_this_one(cast):
    other, here = logged_in(cast), logged_in(cast)
    other_key = other.cookies[settings.SESSION_COOKIE_NAME].value
    r = here.post("/account/password/", {"old_password": cast.password, "new_password1": "Nw9!qzrt",
                                         "new_password2": "Nw9!qzrt"})
    assert r.status_code == 302, text(r)
    assert here.get("/tf/").status_code == 200
    assert other.get("/tf/").status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()
    assert AuditEvent.objects.filter(action="auth.password_change", actor=cast.bob).exists()


def test_a_weak_new_password_is_refused_on_the_account_page(cast):
    client = logged_in(cast)
    r = client.post("/account/password/", {"old_password": cast.password, "new_password1": "password",
                                           "new_password2": "password"})
    assert r.status_code == 422 and "密码须包含" in text(r)


def test_users_see_and_revoke_their_own_sessions(cast):
    phone = logged_in(cast, HTTP_USER_AGENT="Phone/1.0", REMOTE_ADDR="10.1.1.1")
    desk = logged_in(cast, HTTP_USER_AGENT="Desk/2.0")
    logged_in(cast, "alice")
    page = text(desk.get("/account/"))
    assert "Phone/1.0" in page and "10.1.1.1" in page and "当前会话" in page
    mine = UserSession.objects.filter(user=cast.bob)
    assert mine.count() == 2
    phone_row = mine.get(user_agent="Phone/1.0")
    alice_row = UserSession.objects.get(user=cast.alice)
    desk.post(f"/account/sessions/{alice_row.pk}/revoke/")  # not mine: nothing happens
    assert UserSession.objects.filter(pk=alice_row.pk).exists()
    desk.post(f"/account/sessions/{phone_row.pk}/revoke/")
    assert phone.get("/tf/").status_code == 302
    assert desk.get("/tf/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_revoke").count() == 1


def test_sensitive_operations_ask_for_the_password_again_after_five_minutes(cast):
    client = logged_in(cast)
    assert client.get("/account/2fa/setup/").status_code == 200
    age_session(client, auth_at=301)
    r = client.get("/account/2fa/setup/")
    assert r.status_code == 302 and r["Location"].startswith("/account/reauth/?next=")
    r = client.post("/account/tokens/", {"scope": "read", "days": 5}, HTTP_REFERER="http://testserver/account/")
    assert r["Location"] == "/account/reauth/?next=%2Faccount%2F"
    r = client.post("/account/reauth/?next=/account/2fa/setup/", {"password": "wrong",
                                                                   "next": "/account/2fa/setup/"})
    assert "密码不正确" in text(r)
    r = client.post("/account/reauth/", {"password": cast.password, "next": "/account/2fa/setup/"})
    assert r["Location"] == "/account/2fa/setup/"
    assert client.get("/account/2fa/setup/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.reauth").count() == 1


def test_require_recent_auth_is_reusable_and_speaks_htmx(rf, cast):
    from django.contrib.sessions.backends.db import SessionStore

    @require_recent_auth
    def export(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = rf.post("/export/", HTTP_HX_REQUEST="true")
    request.user, request.session = cast.bob, SessionStore()
    r = export(request)
    assert r.status_code == 401 and r["HX-Redirect"].startswith("/account/reauth/")


@pytest.mark.parametrize("address,status", [("10.8.0.5", 200), ("192.168.1.9", 404), ("2001:db8::1", 404)])
def test_admin_urls_can_be_limited_to_address_ranges(cast, settings, address, status):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.8.0.0/16", "fd00::/8"]
    client = Client(REMOTE_ADDR=address)
    client.force_login(cast.admin)
    assert client.get("/admin/").status_code == status
    assert client.get("/admin/login/").status_code in (status, 302)
    assert client.get("/tf/").status_code == 200  # the rest of the site is not restricted


def test_without_ranges_the_admin_is_open_to_staff(cast):
    client = Client(REMOTE_ADDR="192.168.1.9")
    client.force_login(cast.admin)
    assert client.get("/admin/").status_code == 200
