"""``zhuanban accounts_sweep``: disable accounts idle for ZHUANBAN_IDLE_DISABLE_DAYS (default 90) and
external accounts past their expiry; ``--demo`` also disables every demo account.  Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhuanban.accounts import services


class Command(BaseCommand):
    help = "停用长期未登录的账号和已到期的外部成员账号（--demo 同时停用全部演示账号）"
    # Runs even while the demo-account check fails: it is how that failure is cleared.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="同时停用全部演示账号")

    def handle(self, *args: Any, demo: bool = False, **options: Any) -> None:
        done = services.sweep(demo=demo)
        labels = {"expired": "到期", "idle": "长期未登录", "demo": "演示账号"}
        total = 0
        for key, names in done.items():
            if names:
                total += len(names)
                self.stdout.write(f"已停用（{labels[key]}）：{', '.join(names)}")
        self.stdout.write(f"共停用 {total} 个账号。")
