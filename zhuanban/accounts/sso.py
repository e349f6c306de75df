"""Optional single sign-on, off by default: OpenID Connect (mozilla-django-oidc) and LDAP
(django-auth-ldap, an optional install: it needs python-ldap, which builds against libldap).

Nothing here is imported unless ZHUANBAN_OIDC_ENABLED / ZHUANBAN_LDAP_ENABLED is set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def ldap_settings(env: Callable[..., str]) -> dict[str, Any]:
    """The AUTH_LDAP_* settings from ZHUANBAN_LDAP_* variables (called from settings.py)."""
    try:
        import ldap
        from django_auth_ldap.config import LDAPSearch
    except ImportError as exc:  # pragma: no cover - depends on the optional install
        raise ImproperlyConfigured(
            "ZHUANBAN_LDAP_ENABLED=1 needs django-auth-ldap: apt-get install libldap2-dev libsasl2-dev "
            "build-essential python3-dev && pip install django-auth-ldap"
        ) from exc
    base = env("ZHUANBAN_LDAP_USER_BASE")
    if not env("ZHUANBAN_LDAP_SERVER_URI") or not base:
        raise ImproperlyConfigured("ZHUANBAN_LDAP_SERVER_URI and ZHUANBAN_LDAP_USER_BASE must be set")
    return {
        "AUTH_LDAP_SERVER_URI": env("ZHUANBAN_LDAP_SERVER_URI"),
        "AUTH_LDAP_BIND_DN": env("ZHUANBAN_LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": env("ZHUANBAN_LDAP_BIND_PASSWORD"),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(base, ldap.SCOPE_SUBTREE,
                                            env("ZHUANBAN_LDAP_USER_FILTER", "(uid=%(user)s)")),
        "AUTH_LDAP_START_TLS": env("ZHUANBAN_LDAP_START_TLS", "1") in ("1", "true", "yes", "on"),
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": "givenName", "last_name": "sn", "email": "mail"},
        # Accounts are provisioned in the org directory first; LDAP only checks the password.
        "AUTH_LDAP_NO_NEW_USERS": env("ZHUANBAN_LDAP_CREATE_USERS", "0") not in ("1", "true", "yes", "on"),
    }
