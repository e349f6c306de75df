"""``zhuanban adminrole grant USERNAME system|security|audit``, ``revoke USERNAME``, ``list``.

Run at the server console by the operator: this is how the first security administrator is appointed
(after that, grants go through the security administrator's roles page).  Audited as ``system``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhuanban.core.errors import DomainError
from zhuanban.security import services
from zhuanban.security.models import AdminRole


class Command(BaseCommand):
    help = "三员管理：授予、撤销或列出管理角色"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("username", nargs="?")
        parser.add_argument("role", nargs="?", choices=AdminRole.Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for g in AdminRole.objects.select_related("user").order_by("role", "user__username"):
                self.stdout.write(f"{g.user.username}\t{g.role}")
            for u in get_user_model().objects.filter(is_superuser=True, admin_role__isnull=True):
                self.stdout.write(f"{u.username}\tsystem (superuser)")
            return
        if not options["username"]:
            raise CommandError("请给出登录名")
        user = get_user_model().objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"账号 {options['username']} 不存在")
        try:
            if options["action"] == "grant":
                if not options["role"]:
                    raise CommandError("请给出角色：system / security / audit")
                services.grant_role(None, user, options["role"])
            else:
                services.revoke_role(None, user)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write("完成")
