"""``zhuanban import FILE.xlsx``: import units and people, all or nothing; ``--template OUT.xlsx`` writes
an empty template workbook."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from zhuanban.org import importer
from zhuanban.org.import_template import write_template


class Command(BaseCommand):
    help = "从 .xlsx 导入单位和人员（全部成功或全部不导入）；--template 生成空白模板"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 文件")
        parser.add_argument("--template", metavar="OUT.xlsx", help="写出一份带表头和示例行的空白模板")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            write_template(options["template"])
            self.stdout.write(self.style.SUCCESS(f"已生成导入模板：{options['template']}"))
            return
        if not options["file"]:
            raise CommandError("请指定要导入的 .xlsx 文件，或用 --template OUT.xlsx 生成模板")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        bar = tqdm(total=0, unit="行", desc="校验", file=sys.stderr,
                   disable=True if options["no_progress"] else None)

        current = {"stage": ""}

        def progress(stage: str, done: int, total: int) -> None:
            if current["stage"] != stage:
                current["stage"] = stage
                bar.reset(total=total)
                bar.set_description("校验" if stage == "validate" else "写入")
            bar.n = done
            bar.refresh()

        try:
            result = importer.run_import(None, path, original_name=path.name, progress=progress)
        finally:
            bar.close()
        if not result.ok:
            self.stderr.write(f"导入失败，未导入任何数据。共 {len(result.errors)} 处错误：")
            for e in result.errors:
                self.stderr.write(f"  {e}")
            raise CommandError(f"导入失败：{len(result.errors)} 处错误", returncode=1)
        self.stdout.write(self.style.SUCCESS(
            f"导入成功：新增单位 {result.units_created} 个、人员 {result.people_created} 名（任务 #{result.job.pk}）"
        ))
