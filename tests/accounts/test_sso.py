"""Optional single sign-on is off by default and wired in by environment variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# Independent of the suite's database: `make test` runs it once, in the SQLite pass (tests/conftest.py).
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
PRINT = ("import django; django.setup(); from django.conf import settings as s; from django.urls import reverse; "
         "print(s.AUTHENTICATION_BACKENDS); print(getattr(s, 'OIDC_OP_TOKEN_ENDPOINT', '-')); "
         "print(reverse('oidc_authentication_init'))")


def _run(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZHUANBAN_")}
    base.update({"ZHUANBAN_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "zhuanban.settings", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True)


def test_sso_is_off_by_default():
    assert not settings.OIDC_ENABLED and not settings.LDAP_ENABLED
    assert not any("oidc" in b.lower() or "ldap" in b.lower() for b in settings.AUTHENTICATION_BACKENDS)


def test_openid_connect_is_wired_in_by_its_variables():
    result = _run({"ZHUANBAN_OIDC_ENABLED": "1", "ZHUANBAN_OIDC_CLIENT_ID": "zhuanban",
                   "ZHUANBAN_OIDC_TOKEN_ENDPOINT": "https://sso.example.gov.cn/token"}, PRINT)
    assert result.returncode == 0, result.stderr[-2000:]
    backends, token, url = result.stdout.splitlines()
    assert "zhuanban.accounts.oidc.OidcBackend" in backends and backends.index("axes") < backends.index("oidc")
    assert token == "https://sso.example.gov.cn/token" and url == "/oidc/authenticate/"


def test_ldap_without_its_optional_package_explains_the_install():
    try:
        import django_auth_ldap  # noqa: F401
    except ImportError:
        result = _run({"ZHUANBAN_LDAP_ENABLED": "1"}, "import django; django.setup()")
        assert result.returncode != 0 and "pip install django-auth-ldap" in result.stderr
    else:  # pragma: no cover - where the optional install is present
        result = _run({"ZHUANBAN_LDAP_ENABLED": "1", "ZHUANBAN_LDAP_SERVER_URI": "ldap://dir.example",
                       "ZHUANBAN_LDAP_USER_BASE": "ou=people,dc=example"},
                      "import django; django.setup(); from django.conf import settings as s; "
                      "print(s.AUTH_LDAP_SERVER_URI, s.AUTHENTICATION_BACKENDS)")
        assert "ldap://dir.example" in result.stdout and "LDAPBackend" in result.stdout
