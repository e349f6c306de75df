"""The task pages cost the same number of queries whatever the number of tasks (the wall chart's four
views, "my tasks", a task's page with its sub-tasks) — the query discipline #4 asks of every list page."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.querycount import assert_constant_queries
from zhuanban.org.models import Person
from zhuanban.tasks import services
from zhuanban.tasks.models import Dependency, Milestone


@pytest.fixture
def grow(cast):
    """Adds tasks the way real ones look: different responsible people, lead and cooperating units,
    a parent, milestones, a dependency, a dispatch."""

    def add(parent=None, responsible=None) -> None:
        people = list(Person.objects.filter(home_unit__isnull=False)[:3])
        previous = None
        for i, person in enumerate(people):
            t = services.create_task(
                cast.olivia, cast.tf, title=f"任务{person.pk}-{i}", parent=parent,
                responsible=responsible or person, lead_unit=cast.units.zjw, cooperating_units=[cast.units.gov],
                start_at=dt.date(2027, 1, 4), due_at=dt.date(2027, 2, 1 + i))
            Milestone.objects.create(task=t, title="节点", due_on=dt.date(2027, 1, 15))
            if previous is not None:
                Dependency.objects.create(task=t, depends_on=previous)
            services.dispatch(cast.olivia, t, to_unit=cast.units.zjw)
            previous = t

    return add


@pytest.mark.parametrize(("view", "rows"), [
    ("tree", lambda r: len(r.context["tree"])),
    ("gantt", lambda r: len(r.context["gantt"]["tasks"])),
    ("kanban", lambda r: sum(total for _, _, total, _ in r.context["kanban"])),
])
def test_the_wall_chart_views_are_constant(cast, as_user, grow, view, rows):
    grow()
    assert_constant_queries(as_user(cast.alice), f"/tf/{cast.tf.pk}/tasks/?view={view}", grow, rows=rows)


def test_my_tasks_page_is_constant(cast, as_user, grow):
    grow(responsible=cast.people.bob)
    assert_constant_queries(as_user(cast.bob), "/my-tasks/", lambda: grow(responsible=cast.people.bob),
                            rows=lambda r: len(r.context["tasks"]))


def test_a_task_page_with_its_sub_tasks_is_constant(cast, as_user, grow):
    parent = services.create_task(cast.olivia, cast.tf, title="上级任务")
    grow(parent=parent)
    assert_constant_queries(as_user(cast.olivia), f"/tasks/{parent.pk}/", lambda: grow(parent=parent),
                            rows=lambda r: len(r.context["children"]))
