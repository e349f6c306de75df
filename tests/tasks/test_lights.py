"""Warning lights at their boundaries, stored per task, recomputed in bulk, counted per unit and person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.tasks import lights, queries
from zhuanban.tasks.access import visible_tasks
from zhuanban.tasks.models import Task

# Monday 2026-03-02 12:00; three working days later is Thursday 03-05 17:30.
pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 12, 0))


def at(day: int, hour: int = 17, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, minute))


def task(**kw) -> Task:
    return Task(status=Task.Status.IN_PROGRESS, **kw)


class TestLightFor:
    def test_overdue_is_red(self):
        assert lights.light_for(task(due_at=NOW - dt.timedelta(seconds=1)), NOW) == "red"

    def test_due_now_is_not_yet_red(self):
        t = task(start_at=at(1, 0, 0), due_at=NOW, progress=100)
        assert lights.light_for(t, NOW) == "green"

    def test_due_within_margin_and_behind_plan_is_yellow(self):
        t = task(start_at=at(1, 0, 0) - dt.timedelta(days=9), due_at=at(5), progress=10)
        assert lights.light_for(t, NOW) == "yellow"

    def test_the_margin_ends_at_the_end_of_the_third_workday(self):
        behind = {"start_at": at(1, 0, 0) - dt.timedelta(days=20), "progress": 0}
        assert lights.light_for(task(due_at=at(5), **behind), NOW) == "yellow"
        assert lights.light_for(task(due_at=at(5) + dt.timedelta(minutes=1), **behind), NOW) == "green"

    def test_on_plan_within_margin_is_green(self):
        t = task(start_at=at(1, 0, 0) - dt.timedelta(days=9), due_at=at(5), progress=95)
        assert lights.light_for(t, NOW) == "green"

    def test_done_has_no_light_and_no_deadline_is_green(self):
        assert lights.light_for(Task(status=Task.Status.DONE, due_at=NOW - dt.timedelta(days=3)), NOW) == "none"
        assert lights.light_for(task(), NOW) == "green"


class TestRecompute:
    def test_bulk_recompute_matches_light_for(self, cast):
        start = NOW - dt.timedelta(days=10)
        rows = [
            Task(taskforce=cast.tf, title="red", status="in_progress", start_at=start, due_at=NOW - dt.timedelta(hours=1)),
            Task(taskforce=cast.tf, title="yellow", status="signed", start_at=start, due_at=at(4), progress=5),
            Task(taskforce=cast.tf, title="green-pace", status="signed", start_at=start, due_at=at(4), progress=99),
            Task(taskforce=cast.tf, title="green-far", status="draft", start_at=start, due_at=at(20), progress=0),
            Task(taskforce=cast.tf, title="green-nostart", status="draft", due_at=at(4)),
            Task(taskforce=cast.tf, title="none", status="done", due_at=NOW - dt.timedelta(days=1)),
            Task(taskforce=cast.tf, title="nodue", status="draft"),
        ]
        for t in rows:
            t.pace_at = lights.pace_at(t)
            t.light = "green" if t.title != "green-far" else "red"  # stale values
        Task.objects.bulk_create(rows)
        lights.recompute_lights(now=NOW)
        got = dict(Task.objects.values_list("title", "light"))
        assert got == {"red": "red", "yellow": "yellow", "green-pace": "green", "green-far": "green",
                       "green-nostart": "green", "none": "none", "nodue": "green"}
        for t in Task.objects.all():
            assert t.light == lights.light_for(t, NOW), t.title

    def test_recompute_is_a_few_statements(self, cast, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):  # the local-days lookup + one UPDATE per colour
            lights.recompute_lights(now=NOW)


class TestCounts:
    def test_counts_per_unit_and_person(self, cast, mk):
        past = timezone.now() - dt.timedelta(days=2)
        mk("逾期", lead_unit=cast.units.zjw, responsible=cast.people.bob, start_at=past - dt.timedelta(days=5),
           due_at=past)
        mk("正常", lead_unit=cast.units.zjw, responsible=cast.people.bob)
        units = queries.light_counts(visible_tasks(cast.olivia), "lead_unit")
        assert units == [{"lead_unit_id": cast.units.zjw.pk, "lead_unit__name": cast.units.zjw.name, "total": 2,
                          "red": 1, "yellow": 0, "green": 1}]
        people = queries.light_counts(visible_tasks(cast.olivia), "responsible")
        assert people[0]["responsible_id"] == cast.people.bob.pk and people[0]["red"] == 1

    def test_an_overdue_task_names_the_person_and_their_dispatching_unit(self, cast, mk):
        past = timezone.now() - dt.timedelta(days=2)
        mk("逾期", responsible=cast.people.bob, start_at=past - dt.timedelta(days=5), due_at=past)
        row = queries.task_list(cast.olivia, {"light": "red"}).get()
        assert row.responsible == cast.people.bob
        assert row.dispatching_unit_name == cast.units.zjw.name

    @pytest.mark.parametrize("progress", [0, 100])
    def test_progress_changes_the_light_immediately(self, cast, mk, progress):
        from zhuanban.tasks import services

        start = timezone.now() - dt.timedelta(days=30)
        t = mk("进度", responsible=cast.people.bob, start_at=start, due_at=timezone.now() + dt.timedelta(hours=2))
        services.report_progress(cast.bob, t, progress=progress)
        t.refresh_from_db()
        assert t.light == ("yellow" if progress == 0 else "green")
