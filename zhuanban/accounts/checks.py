"""No demo accounts in production.

Demo accounts carry a published password.  Outside a demo (ZHUANBAN_DEMO off) the system check below is
an Error whenever a database is checked (``zhuanban check --database default``, ``zhuanban migrate``), and
``zhuanban.wsgi`` — the entry point of ``zhuanban serve``, gunicorn and uwsgi alike — refuses to start
(:func:`refuse_demo_accounts`).  ``zhuanban accounts_sweep --demo`` disables them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

HINT = "运行 `zhuanban accounts_sweep --demo` 停用演示账号，或在演示环境设置 ZHUANBAN_DEMO=1。"


def demo_accounts_in_production() -> list[str]:
    if settings.ZHUANBAN.get("DEMO"):
        return []
    from .services import active_demo_accounts

    try:
        return active_demo_accounts()
    except DatabaseError:  # not migrated yet: nothing to refuse
        return []


@register("security", "database")
def check_demo_accounts(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    if not databases or "default" not in databases:
        return []
    names = demo_accounts_in_production()
    if not names:
        return []
    return [Error(f"生产环境存在 {len(names)} 个启用的演示账号（{', '.join(names[:5])}…）", hint=HINT,
                  id="zhuanban.accounts.E001")]


def refuse_demo_accounts() -> None:
    names = demo_accounts_in_production()
    if names:
        raise ImproperlyConfigured(
            f"拒绝启动：生产环境（ZHUANBAN_DEMO 未开启）存在 {len(names)} 个启用的演示账号"
            f"（{', '.join(names[:5])}）。{HINT}"
        )
