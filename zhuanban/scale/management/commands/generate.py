"""``zhuanban generate --scale {demo,city,province}``: fill an empty database with synthetic data for
benchmarks (see ``zhuanban.scale.generator``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from zhuanban.scale import generator
from zhuanban.scale.gen_common import SCALES


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today 须为 YYYY-MM-DD 格式的日期：{text!r}") from exc


class Command(BaseCommand):
    help = "生成合成数据（规模 demo / city / province），用于演示和性能测试；只写入空库"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), required=True,
                            help="demo：几个专班、几百项任务；city：约省级的十分之一；province：5 万人、1,000 个专班、20 万项任务")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED,
                            help=f"随机种子，相同种子（和相同 --today）生成相同数据；默认 {generator.DEFAULT_SEED}")
        parser.add_argument("--today", type=_date, default=None,
                            help="基准日期 YYYY-MM-DD（所有日期由它推算）；默认今天")
        parser.add_argument("--force", action="store_true",
                            help="库中已有数据（真实数据或已生成过）时仍然写入")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--skip-if-loaded", action="store_true",
                            help="本库已生成过同一规模时什么也不做（make bench 用）")
        parser.add_argument("--db", choices=["sqlite", "postgres"],
                            help="基准测试库（由 zhuanban 命令在启动前选定，见 docs/operations.md）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["skip_if_loaded"]:
            loaded = generator.latest_dataset()
            if loaded is not None and loaded.scale == options["scale"]:
                self.stdout.write(f"本库已有 {loaded.get_scale_display()}合成数据（种子 {loaded.seed}），跳过生成")
                return
        db = connection.settings_dict
        target = db["NAME"] if connection.vendor == "sqlite" else f"{db.get('HOST') or 'localhost'}/{db['NAME']}"
        self.stderr.write(f"生成 {options['scale']} 规模合成数据（种子 {options['seed']}）→ {connection.vendor} {target}")
        try:
            dataset = generator.generate(options["scale"], seed=options["seed"], today=options["today"],
                                         force=options["force"], progress=not options["no_progress"])
        except generator.Refused as exc:
            raise CommandError(str(exc)) from exc
        c = dataset.counts
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {dataset.get_scale_display()}合成数据，用时 {dataset.duration.total_seconds():.1f} 秒："
            f"区划 {c['regions']} 个、单位 {c['units']} 个、人员 {c['people']} 名、专班 {c['taskforces']} 个、"
            f"任职 {c['memberships']} 条、任务 {c['tasks']} 项（逾期 {c['overdue_share']:.1%}）"))
        self.stdout.write("各阶段耗时（秒）：" + json.dumps(dataset.timings, ensure_ascii=False))
        self.stdout.write("基准测试对象（zhuanban.scale.generator.bench_subjects()）：")
        self.stdout.write(json.dumps(generator.bench_subjects(), ensure_ascii=False, indent=2))
        if not settings.ZHUANBAN.get("DEMO"):
            self.stdout.write(self.style.WARNING(
                f"生成的账号统一使用公开密码“{generator.BENCH_PASSWORD}”并标记为演示账号：请以 ZHUANBAN_DEMO=1 "
                "运行本库（生产模式会拒绝启动），切勿用于生产。"))
