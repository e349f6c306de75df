"""``zhuanban demo``: load the five public cases of the domain brief (idempotent) and print the demo logins."""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from zhuanban.core.errors import DomainError
from zhuanban.demo import loader


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "加载演示数据（五个公开案例，可重复执行）并列出演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.ZHUANBAN.get("DEMO") or settings.DEBUG):
            # Demo accounts have a published password: never load them into a production database.
            raise CommandError("演示数据只能加载到演示库：请设置 ZHUANBAN_DEMO=1（或开发环境 ZHUANBAN_DEBUG=1）")
        with tqdm(total=loader.DemoLoader.total_steps(), desc="加载演示数据", unit="项", file=sys.stderr,
                  disable=True if options["no_progress"] else None) as bar:
            try:
                summary = loader.load(progress=bar.update)
            except DomainError as exc:
                raise CommandError(f"演示数据加载失败：{exc.message}") from exc
        c, t = summary.created, summary.totals
        if summary.changed:
            self.stdout.write(self.style.SUCCESS(
                f"演示数据已加载：新增区划 {c['regions']} 个、单位 {c['units']} 个、人员 {c['people']} 名、"
                f"专班 {c['taskforces']} 个、任务 {c['tasks']} 项"
            ))
        else:
            self.stdout.write("演示数据已存在，未作改动。")
        self.stdout.write(f"库中现有：单位 {t['units']} 个、人员 {t['people']} 名、专班 {t['taskforces']} 个、"
                          f"任职记录 {t['memberships']} 条、任务 {t['tasks']} 项")
        rows = loader.logins()
        headers = {"username": "登录名", "password": "密码", "name": "姓名", "role": "身份", "sees": "演示要点"}
        widths = {k: max(_width(h), *(_width(str(r[k])) for r in rows)) for k, h in headers.items()}
        line = "  ".join("-" * widths[k] for k in headers)
        self.stdout.write("\n演示账号：")
        self.stdout.write("  ".join(_pad(h, widths[k]) for k, h in headers.items()).rstrip())
        self.stdout.write(line)
        for r in rows:
            self.stdout.write("  ".join(_pad(str(r[k]), widths[k]) for k in headers).rstrip())
