"""``zhuanban backup [--out DIR] [--keep N]``: the database and the uploaded files, with a signed manifest.

See zhuanban.core.backup and docs/backup.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhuanban.core import backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL: pg_dump -Fc；SQLite: 在线备份）与上传文件，并写出带签名的清单"
    # A backup or a restore in a disaster must not wait on, or be blocked by, the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="the folder that receives the backup folder (default: var/backups)")
        parser.add_argument("--name", help="the backup folder's name (default: zhuanban-<UTC time>)")
        parser.add_argument("--media-root", help="the uploaded files' folder (default: MEDIA_ROOT)")
        parser.add_argument("--database", default="default", help="the database alias to back up")
        parser.add_argument("--keep", type=int, help="afterwards delete all but the N newest backups in --out")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"] or Path(settings.VAR_DIR) / "backups")
        try:
            result = backup.backup(out, using=options["database"], media_root=options["media_root"],
                                   name=options["name"], say=self.stdout.write)
            pruned = backup.prune(out, options["keep"]) if options["keep"] else []
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        for part, meta in sorted(m["parts"].items()):
            self.stdout.write(f"  {part}: {meta['bytes']} 字节，SHA-256 {meta['sha256']}")
        self.stdout.write(f"  审计校验和：{m['audit']['checksum']}（{m['audit']['events']} 条事件）")
        for path in pruned:
            self.stdout.write(f"已删除旧备份 {path}")
        self.stdout.write(f"备份完成：{result.path}（{sum(result.seconds.values()):.1f} 秒）")
