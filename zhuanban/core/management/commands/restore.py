"""``zhuanban restore BACKUP [--database-url URL] [--media-root DIR] [--force] [--check]``.

Restores into an empty database and an empty files folder, then checks the row counts, the audit
checksum, the audit chain and every attachment against the backup's manifest (exit 1 if anything
differs).  ``--check`` only checks the backup itself (signature, SHA-256 of each part).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhuanban.core import backup


class Command(BaseCommand):
    help = "从备份还原数据库与上传文件到空库/空目录，并按清单核对行数、审计校验和与审计链"
    # A backup or a restore in a disaster must not wait on, or be blocked by, the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="a backup folder written by `zhuanban backup`")
        parser.add_argument("--database-url", help="the target database (default: ZHUANBAN_DATABASE_URL); "
                                                   "PostgreSQL: created empty beforehand (createdb)")
        parser.add_argument("--media-root", help="the target files folder (default: MEDIA_ROOT)")
        parser.add_argument("--force", action="store_true",
                            help="restore over a non-empty target (PostgreSQL: drops the public schema first)")
        parser.add_argument("--check", action="store_true",
                            help="only check the backup's signature and checksums; restore nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                m = backup.check_backup(options["backup"])
                self.stdout.write(f"备份 {m['name']}（{m['created_at']}）完好：签名与 SHA-256 校验通过；"
                                  f"{len(m['tables'])} 张表，{sum(m['tables'].values())} 行，"
                                  f"审计事件 {m['audit']['events']} 条，上传文件 {m['media']['files']} 个")
                return
            report = backup.restore(options["backup"], database_url=options["database_url"],
                                    media_root=options["media_root"], force=options["force"],
                                    say=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"核对：{report.tables} 张表、{report.rows} 行；审计校验和 {report.checksum}"
                          f"（{report.events} 条）；{report.chain}；附件 {report.attachments} 个")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"不符：{problem}")
            self.stderr.write(f"还原后核对失败：{len(report.problems)} 处不符")
            raise SystemExit(1)
        self.stdout.write(f"还原完成并核对一致（{sum(report.seconds.values()):.1f} 秒）")
