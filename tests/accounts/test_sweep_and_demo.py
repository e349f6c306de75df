"""The account sweep (idle and expired accounts) and the refusal of demo accounts in production."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory
from zhuanban.accounts import checks, services, tasks
from zhuanban.accounts.models import UserSecurity
from zhuanban.core.models import AuditEvent
from zhuanban.org.models import User


def test_idle_and_expired_accounts_are_disabled_and_audited(cast):
    long_ago = timezone.now() - timedelta(days=91)
    User.objects.filter(pk=cast.bob.pk).update(last_login=long_ago)
    User.objects.filter(pk=cast.liam.pk).update(last_login=None, date_joined=long_ago)
    User.objects.filter(pk=cast.alice.pk).update(last_login=timezone.now() - timedelta(days=89))
    UserSecurity.objects.filter(user=cast.erin).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()
    call_command("accounts_sweep", stdout=out)
    active = dict(User.objects.values_list("username", "is_active"))
    assert not active["bob"] and not active["liam"] and not active["erin"]
    assert active["alice"] and active["admin"] and active["olivia"]
    events = AuditEvent.objects.filter(action="auth.account_disabled")
    assert sorted(e.object_id for e in events) == sorted(str(u.pk) for u in (cast.bob, cast.liam, cast.erin))
    assert "共停用 3 个账号" in out.getvalue()
    call_command("accounts_sweep", stdout=io.StringIO())  # idempotent
    assert events.count() == 3


def test_the_sweep_ends_the_disabled_users_sessions(cast, client):
    client.post("/login/", {"username": "bob", "password": cast.password})
    User.objects.filter(pk=cast.bob.pk).update(last_login=timezone.now() - timedelta(days=100))
    services.sweep()
    assert client.get("/tf/").status_code == 302


def test_the_sweep_never_disables_the_last_superuser(cast):
    User.objects.filter(pk=cast.admin.pk).update(last_login=timezone.now() - timedelta(days=200))
    services.sweep()
    cast.admin.refresh_from_db()
    assert cast.admin.is_active
    other = UserFactory(username="root2", is_superuser=True)
    User.objects.filter(pk=other.pk).update(last_login=timezone.now() - timedelta(days=200))
    services.sweep()
    assert User.objects.filter(is_superuser=True, is_active=True).count() == 1


def test_the_sweep_is_also_a_background_task(cast):
    User.objects.filter(pk=cast.bob.pk).update(last_login=timezone.now() - timedelta(days=91))
    assert "bob" in tasks.accounts_sweep.call()["idle"]


@pytest.fixture
def demo_account(cast):
    services.mark_demo([cast.bob])
    return cast.bob


def test_production_refuses_to_start_with_active_demo_accounts(demo_account, settings):
    settings.ZHUANBAN = {**settings.ZHUANBAN, "DEMO": False}
    with pytest.raises(ImproperlyConfigured, match="演示账号"):
        checks.refuse_demo_accounts()
    errors = checks.check_demo_accounts(databases=["default"])
    assert [e.id for e in errors] == ["zhuanban.accounts.E001"]
    assert checks.check_demo_accounts(databases=None) == []


def test_the_demo_itself_runs_with_demo_accounts(demo_account, settings):
    settings.ZHUANBAN = {**settings.ZHUANBAN, "DEMO": True}
    checks.refuse_demo_accounts()
    assert checks.check_demo_accounts(databases=["default"]) == []


def test_disabling_the_demo_accounts_lets_production_start(demo_account, settings):
    settings.ZHUANBAN = {**settings.ZHUANBAN, "DEMO": False}
    call_command("accounts_sweep", "--demo", stdout=io.StringIO())
    checks.refuse_demo_accounts()
    assert not User.objects.get(pk=demo_account.pk).is_active


def test_the_wsgi_entry_point_runs_the_guard():
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "zhuanban" / "wsgi.py").read_text()
    assert "refuse_demo_accounts()" in source


def test_the_demo_loader_marks_its_accounts(db, settings):
    from zhuanban.demo import loader

    loader.load()
    marked = set(User.objects.filter(security__is_demo=True).values_list("username", flat=True))
    assert {"admin"} <= marked and len(marked) > 3
