"""``zhuanban token USERNAME``: issue an API token for scripts and print it (only its hash is stored)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhuanban.core.tokens import ApiToken, issue_token


class Command(BaseCommand):
    help = "为用户签发 API 令牌并打印（Authorization: Bearer <token>）；令牌只显示这一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="登录名（不区分大小写）")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.WRITE,
                            help="read 只读，write 读写（默认）")
        parser.add_argument("--days", type=int, default=90, help="有效天数，默认 90；0 表示永不过期")
        parser.add_argument("--name", default="", help="令牌名称，便于日后识别和吊销")

    def handle(self, *args: Any, username: str, scope: str, days: int, name: str, **options: Any) -> None:
        if days < 0:
            raise CommandError("--days 不能为负数")
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用")
        raw = issue_token(user, name=name, scope=scope, days=days or None)
        expiry = f"{days} 天后过期" if days else "永不过期"
        self.stderr.write(f"已为 {user.get_username()} 签发{ApiToken.Scope(scope).label}令牌，{expiry}：")
        self.stdout.write(raw)
