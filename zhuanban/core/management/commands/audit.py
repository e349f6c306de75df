"""``zhuanban audit verify [--archive FILE]``, ``zhuanban audit archive --before DATE --out FILE`` and
``zhuanban audit checksum`` (a digest of the events in chain order, compared after a restore)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhuanban.core import audit, auditchain


class Command(BaseCommand):
    help = "校验审计链（verify）或将早于保留期的审计记录归档到文件（archive）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="walk the chain; exit 1 at the first broken event")
        verify.add_argument("--archive", help="verify an archive file instead of the database")
        archive = sub.add_parser("archive", help="move events older than DATE to a JSON-lines file")
        archive.add_argument("--before", required=True, help="YYYY-MM-DD (local time, exclusive)")
        archive.add_argument("--out", required=True, help="the archive file to write (must not exist)")
        sub.add_parser("checksum", help="print the SHA-256 digest of the events in chain order and their count")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = (auditchain.verify_file(options["archive"]) if options.get("archive")
                      else auditchain.verify_db())
            if not result.ok:
                self.stderr.write(result.message())
                raise SystemExit(1)
            self.stdout.write(result.message())
            return
        if options["action"] == "checksum":
            count, digest = audit.checksum()
            self.stdout.write(f"{digest} {count}")
            return
        try:
            day = dt.date.fromisoformat(options["before"])
        except ValueError:
            raise CommandError("--before 须为 YYYY-MM-DD") from None
        before = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
        try:
            arch = auditchain.archive(before, options["out"])
        except auditchain.ArchiveRefused as exc:
            raise CommandError(str(exc)) from None
        if arch is None:
            self.stdout.write("没有需要归档的事件")
            return
        self.stdout.write(f"已归档 {arch.count} 条事件（#{arch.first_event_id}–#{arch.last_event_id}）到 "
                          f"{arch.file_name}，SHA-256 {arch.file_sha256}")
