"""The scheduler (zhuanban.core.scheduler): each slot of a sweep is enqueued once, whoever ticks."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from zhuanban.core import scheduler
from zhuanban.core.models import SweepRun

SH = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 10, 7, 30, tzinfo=SH)  # a Monday


@task()
def probe_sweep() -> str:
    return "done"


def sweeps() -> list[scheduler.Sweep]:
    reg = scheduler.Registry()
    reg.register("probe.quarter", dt.timedelta(minutes=15), probe_sweep)
    reg.register("probe.daily", "30 2 * * *", probe_sweep)
    return list(reg)


def enqueued() -> int:
    return DBTaskResult.objects.filter(task_path=probe_sweep.module_path).count()


# ---- schedules ---------------------------------------------------------------------------------------


def test_every_is_aligned_to_local_midnight():
    assert scheduler.Every(dt.timedelta(minutes=15)).latest(T0) == T0.replace(minute=0, second=0)
    assert scheduler.Every(dt.timedelta(hours=6)).latest(T0) == T0.replace(hour=6, minute=0, second=0)
    assert scheduler.Every(dt.timedelta(days=1)).latest(T0) == T0.replace(hour=0, minute=0, second=0)


def test_cron_latest_slot():
    daily = scheduler.Cron("30 2 * * *")
    assert daily.latest(T0) == dt.datetime(2026, 3, 2, 2, 30, tzinfo=SH)
    assert daily.latest(dt.datetime(2026, 3, 2, 2, 29, tzinfo=SH)) == dt.datetime(2026, 3, 1, 2, 30, tzinfo=SH)
    workdays = scheduler.Cron("0 9 * * 1-5")
    assert workdays.latest(dt.datetime(2026, 3, 1, 12, 0, tzinfo=SH)) == dt.datetime(2026, 2, 27, 9, 0, tzinfo=SH)
    assert scheduler.Cron("*/20 * * * *").latest(T0) == T0.replace(minute=0, second=0)
    with pytest.raises(ValueError):
        scheduler.Cron("61 * * * *")
    with pytest.raises(ValueError):
        scheduler.Cron("* * *")


def test_register_takes_a_timedelta_or_a_cron_string():
    reg = scheduler.Registry()
    assert isinstance(reg.register("a", dt.timedelta(hours=1), probe_sweep).schedule, scheduler.Every)
    assert isinstance(reg.register("b", "0 3 * * *", probe_sweep).schedule, scheduler.Cron)
    with pytest.raises(TypeError):
        reg.register("c", dt.timedelta(hours=1), lambda: None)


# ---- claiming slots ----------------------------------------------------------------------------------


def test_a_tick_enqueues_each_due_slot_once(db):
    runs = scheduler.Scheduler(sweeps()).tick(T0)
    assert {(r.name, r.slot) for r in runs} == {
        ("probe.quarter", dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH)),
        ("probe.daily", dt.datetime(2026, 3, 2, 2, 30, tzinfo=SH)),
    }
    assert all(r.task_id and r.enqueued_at for r in runs)
    assert enqueued() == 2
    assert set(SweepRun.objects.values_list("task_id", flat=True)) == {
        str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}


def test_a_restarted_scheduler_does_not_enqueue_the_slot_again(db):
    scheduler.Scheduler(sweeps()).tick(T0)
    # A new process: nothing remembered in memory, the same slot still running.
    assert scheduler.Scheduler(sweeps()).tick(T0 + dt.timedelta(minutes=5)) == []
    assert enqueued() == 2


def test_the_next_slot_is_enqueued(db):
    sched = scheduler.Scheduler(sweeps())
    sched.tick(T0)
    assert sched.tick(T0 + dt.timedelta(seconds=30)) == []
    runs = sched.tick(T0 + dt.timedelta(minutes=8))  # 10:15:30: the next quarter, same day
    assert [(r.name, r.slot) for r in runs] == [("probe.quarter", dt.datetime(2026, 3, 2, 10, 15, tzinfo=SH))]
    runs = scheduler.Scheduler(sweeps()).tick(dt.datetime(2026, 3, 3, 2, 31, tzinfo=SH))
    assert {r.name for r in runs} == {"probe.quarter", "probe.daily"}
    assert enqueued() == 5


def test_a_lost_race_enqueues_nothing(db):
    """The second scheduler passed the cheap existence check before the first inserted: the unique row
    decides, and the loser's enqueue is rolled back with its claim."""
    sweep = sweeps()[0]
    slot = sweep.slot(T0)
    assert scheduler.claim(sweep, slot, who="a:1") is not None
    assert scheduler.claim(sweep, slot, who="b:2") is None
    assert enqueued() == 1
    assert SweepRun.objects.get().claimed_by == "a:1"


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_once_enqueue_each_slot_once():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("SQLite's shared in-memory test database has no busy wait across threads "
                    "(the race itself is covered by test_a_lost_race_enqueues_nothing); runs on PostgreSQL")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []
    claimed: list[SweepRun] = []

    def run(i: int) -> None:
        try:
            sched = scheduler.Scheduler(sweeps(), who=f"s{i}")
            barrier.wait()
            claimed.extend(sched.tick(T0))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sorted(r.name for r in claimed) == ["probe.daily", "probe.quarter"]
    assert enqueued() == 2
    assert SweepRun.objects.count() == 2


def test_builtin_sweeps_and_the_command(db, settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = ""
    reg = scheduler.register_builtin(scheduler.Registry())
    # The apps' own sweeps (registered by their AppConfig.ready(): notices, insight) come first, then the built-in ones.
    assert [s.name for s in reg] == ["notices.reminders", "notices.escalation", "notices.deliveries",
                                     "notices.digest", "insight.snapshot", "accounts.sweep", "tasks.lights", "audit.verify"]
    settings.AUDIT_ARCHIVE_DIR = str(tmp_path)
    assert "audit.archive" in [s.name for s in scheduler.register_builtin(scheduler.Registry())]

    call_command("scheduler", "--once")
    first = set(SweepRun.objects.values_list("name", "slot"))
    builtin = {"accounts.sweep", "tasks.lights", "audit.verify", "audit.archive"}
    notices = {"notices.reminders", "notices.escalation", "notices.deliveries", "notices.digest", "insight.snapshot"}
    assert {name for name, _ in first} == builtin | notices
    call_command("scheduler", "--once")  # a second process right after: nothing new
    assert set(SweepRun.objects.values_list("name", "slot")) == first
    assert DBTaskResult.objects.count() == len(builtin | notices)


def test_builtin_sweep_tasks_run(db, settings, tmp_path, cast):
    settings.AUDIT_ARCHIVE_DIR = str(tmp_path)
    assert isinstance(scheduler.recompute_lights_sweep.call(), dict)
    assert scheduler.audit_verify_sweep.call()["ok"] is True
    assert scheduler.audit_archive_sweep.call() == {"archived": 0}  # nothing is older than the retention


def test_with_rq_the_slot_is_claimed_then_enqueued_once(db, settings, redis_url):
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    first = scheduler.Scheduler(sweeps()).tick(T0)
    assert len(first) == 2 and all(r.enqueued_at and r.task_id for r in first)
    assert scheduler.Scheduler(sweeps()).tick(T0) == []
    queue = django_rq.get_queue("default")
    assert queue.count == 2
    assert set(queue.job_ids) == {r.task_id for r in first}
