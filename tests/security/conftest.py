"""Helpers for the security tests: the three administrators, and tampering with the audit table.

- ``admins.system``    系统管理员 (superuser, AdminRole.SYSTEM)
- ``admins.security``  安全管理员 (appointed from the console)
- ``admins.audit``     审计管理员 (granted by the security administrator)
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from tests.factories import UserFactory
from zhuanban.security import services


@pytest.fixture
def admins(cast) -> SimpleNamespace:
    security = UserFactory(username="sam")
    services.grant_role(None, security, "security")
    audit_admin = UserFactory(username="audrey")
    services.grant_role(security, audit_admin, "audit")
    services.grant_role(security, cast.admin, "system")
    for u in (security, audit_admin, cast.admin):
        u.refresh_from_db()
    return SimpleNamespace(system=cast.admin, security=security, audit=audit_admin)


@contextmanager
def trigger_disabled():
    """Raw tampering as a database owner would: on PostgreSQL with the append-only trigger switched off
    for the length of the block (inside the test's transaction, so it is rolled back with it)."""
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        try:
            yield cursor
        finally:
            if pg:
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
