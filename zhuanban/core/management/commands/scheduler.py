"""``zhuanban scheduler``: enqueue the periodic sweeps (account sweep, task lights, audit verify/archive)
as background tasks, each slot once even with several schedulers running (``zhuanban.core.scheduler``).

``--once`` runs one tick and exits; ``--list`` prints the sweeps and their current slots.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhuanban.core import scheduler


class Command(BaseCommand):
    help = "定时任务调度：按时将账号清理、任务灯重算、审计校验/归档等排入后台队列（每个时段只排一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one tick and exit")
        parser.add_argument("--interval", type=float, default=scheduler.DEFAULT_INTERVAL,
                            help=f"seconds between ticks (default {scheduler.DEFAULT_INTERVAL:g})")
        parser.add_argument("--list", action="store_true", help="print the registered sweeps and exit")

    def handle(self, *args: Any, once: bool = False, interval: float = scheduler.DEFAULT_INTERVAL,
               list: bool = False, **options: Any) -> None:  # noqa: A002
        scheduler.register_builtin()
        if list:
            for row in scheduler.describe(scheduler.registry):
                slot = f"{row['current_slot']:%Y-%m-%d %H:%M %Z}" if row["current_slot"] else "—"
                self.stdout.write(f"{row['name']:<16} {row['schedule']:<22} {row['task']}  current slot {slot}")
            return
        sched = scheduler.Scheduler()
        if once:
            for run in sched.tick():
                self.stdout.write(f"enqueued {run.name} for {run.slot.isoformat()} ({run.task_id or '—'})")
            return
        if interval <= 0:
            interval = scheduler.DEFAULT_INTERVAL
        stop = threading.Event()
        scheduler.install_signal_handlers(stop)
        sched.run_forever(interval=interval, stop=stop)
