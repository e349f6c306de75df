"""The demo's task forces trip some health checks and not others, visibly; the dissolved cases have their
archived summaries; a second load adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.insight import checks, demo
from zhuanban.insight.models import DashboardSnapshot, DissolutionSummary, ReportRead
from zhuanban.meetings.models import Attendance
from zhuanban.taskforces.models import TaskForce

NAMES = {spec.key: spec.name for spec in TASKFORCES}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load()
        transaction.set_rollback(True)


def test_demo_trips_some_checks_and_not_others(loaded, db):
    tfs = {k: TaskForce.objects.get(name=n).pk for k, n in NAMES.items()}
    results = {r.check.code: {f.taskforce_id for f in r.failures} for r in checks.run(checks.Scope())}
    assert tfs["ya_office"] in results["past_end"] and tfs["brain"] not in results["past_end"]
    assert tfs["ya_env"] in results["oral"] and len(results["oral"]) == 1
    assert results["formality_type"] == {tfs["ya_opinion"]}
    assert tfs["ya_office"] in results["unread_reports"] and tfs["brain"] not in results["unread_reports"]
    assert tfs["ya_office"] in results["over_load"] and tfs["ya_office"] in results["many_taskforces"]
    assert results["all_done"] == set() and results["idle"] == set()
    assert tfs["brain"] in results["absent_member"]
    absent_brain = next(f for r in checks.run(checks.Scope(), codes=["absent_member"]) for f in r.failures
                        if f.taskforce_id == tfs["brain"])
    assert 0 < len(absent_brain.people) <= demo.ABSENT_IN_BRAIN  # a few named people, not the whole team
    assert tfs["ya_office"] not in results["absent_member"]


def test_demo_summaries_snapshot_and_a_second_load(loaded, db):
    for key in ("hc", "wuye", "ya_venue"):
        s = DissolutionSummary.objects.get(taskforce__name=NAMES[key])
        assert s.shared_with and s.data["lessons"]
    assert DashboardSnapshot.objects.filter(key="office").exists()
    before = (Attendance.objects.count(), ReportRead.objects.count(), DissolutionSummary.objects.count())
    tfs = {k: TaskForce.objects.get(name=n) for k, n in NAMES.items()}
    demo.load(get_user_model().objects.get(username="admin"), tfs)
    assert (Attendance.objects.count(), ReportRead.objects.count(), DissolutionSummary.objects.count()) == before
