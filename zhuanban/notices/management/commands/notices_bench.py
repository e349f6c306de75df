"""``zhuanban notices_bench``: the two figures of issue #8 that are not page loads.

1. A notice to 10,000 recipients: the time until the request's work is accepted (``send_notice`` and its
   commit, which enqueues the expansion task in the database backend), then until all 10,000 receipts
   exist (the database backend's worker, ``db_worker --batch``, run in-process).
2. A reminder sweep over 200,000 open tasks (``reminders.run_sweep``), and its idempotent re-run.

Missing data is made in bulk first (people for the audience, a bench task force with open tasks), so the
command runs on any database; the sweep's data and results are rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from zhuanban.notices import reminders, services
from zhuanban.notices.models import InboxItem
from zhuanban.org.models import Person, Unit, User
from zhuanban.scale.gen_common import fast_insert
from zhuanban.taskforces.models import TaskForce
from zhuanban.tasks.models import Task


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "通知：10,000 人通知的受理与回执生成耗时，200,000 项未结任务的提醒扫描耗时"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recipients", type=int, default=10_000)
        parser.add_argument("--tasks", type=int, default=200_000)
        parser.add_argument("--skip-send", action="store_true")
        parser.add_argument("--skip-sweep", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["skip_send"]:
            self.send(opts["recipients"])
        if not opts["skip_sweep"]:
            self.sweep(opts["tasks"])

    def _people(self, n: int) -> list[int]:
        ids = list(Person.objects.order_by("id").values_list("id", flat=True)[:n])
        if len(ids) < n:
            unit = Unit.objects.order_by("id").first() or Unit.objects.create(name="压测单位", kind="party_gov")
            now = timezone.now()
            fast_insert(Person, [{"name": f"压测人员{i}", "home_unit_id": unit.pk,
                                  "staffing": Person.Staffing.values[0], "user_id": None, "created_at": now}
                                 for i in range(n - len(ids))])
            ids = list(Person.objects.order_by("id").values_list("id", flat=True)[:n])
        return ids

    def send(self, n: int) -> None:
        people = self._people(n)
        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "notices-bench", password=None)
        t0 = time.perf_counter()
        with transaction.atomic():
            notice = services.send_notice(admin, None, title="压测：万人通知", priority="normal", requires_ack=True,
                                          audience={"people": people})
        accepted = time.perf_counter() - t0
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        done = time.perf_counter() - t0
        count = InboxItem.objects.filter(notice=notice).count()
        self.stdout.write(f"notice to {n} recipients: accepted in {accepted * 1000:.0f} ms (goal < 1000 ms); "
                          f"{count} receipts exist after {done:.2f} s (goal < 10 s)")

    def sweep(self, n: int) -> None:
        now = timezone.make_aware(dt.datetime(2026, 3, 3, 9, 0))  # a Tuesday, a workday
        try:
            with transaction.atomic():
                existing = Task.objects.exclude(status__in=[*Task.CLOSED, Task.Status.DRAFT]).filter(
                    responsible__isnull=False, due_at__isnull=False).count()
                if existing < n:
                    self._tasks(n - existing, now)
                total = Task.objects.exclude(status__in=[*Task.CLOSED, Task.Status.DRAFT]).filter(
                    responsible__isnull=False, due_at__isnull=False).count()
                t0 = time.perf_counter()
                first = reminders.run_sweep(now)
                t1 = time.perf_counter()
                again = reminders.run_sweep(now + dt.timedelta(minutes=15))
                t2 = time.perf_counter()
                self.stdout.write(f"reminder sweep over {total} open tasks: {t1 - t0:.2f} s (goal < 5 s), made "
                                  f"{first}; re-run {t2 - t1:.2f} s, made {again}")
                raise Rollback
        except Rollback:
            pass

    def _tasks(self, n: int, now: dt.datetime) -> None:
        tf = TaskForce.objects.order_by("id").first()
        if tf is None:
            raise SystemExit("no task force: run `zhuanban generate demo` or `make demo` first")
        people = self._people(2000)
        rows = []
        for i in range(n):
            due = now + dt.timedelta(hours=(i % 240) - 48)  # two days overdue .. eight days ahead
            rows.append({"taskforce_id": tf.pk, "title": f"压测任务{i}", "responsible_id": people[i % len(people)],
                         "due_at": due, "status": Task.Status.SIGNED, "created_at": now, "updated_at": now})
        for i in range(0, n, 50_000):
            fast_insert(Task, rows[i:i + 50_000])
