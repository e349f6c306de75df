"""The demo's meetings, duty rosters, stations and verifications: loaded through the services, once."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhuanban.core.models import AuditEvent
from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.meetings.models import Decision, DutyShift, Meeting, MeetingSeries, Station, Verification
from zhuanban.taskforces.models import TaskForce

NAMES = {spec.key: spec.name for spec in TASKFORCES}
MODELS = (Meeting, MeetingSeries, Decision, DutyShift, Station, Verification, AuditEvent)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load()
        transaction.set_rollback(True)


def test_demo_meetings(loaded, db):
    tfs = {k: TaskForce.objects.get(name=n) for k, n in NAMES.items()}
    before = {m.__name__: m._default_manager.count() for m in MODELS}
    loader.load()
    assert {m.__name__: m._default_manager.count() for m in MODELS} == before
    brain = Meeting.objects.filter(taskforce=tfs["brain"])
    assert brain.filter(status="held").exists() and Decision.objects.filter(meeting__taskforce=tfs["brain"],
                                                                            task__isnull=False).exists()
    assert Meeting.objects.filter(taskforce=tfs["fzx"], kind="monthly_dispatch").exists()
    assert Station.objects.filter(taskforce=tfs["fzx"]).get().units.count() >= 1
    v = Verification.objects.get(taskforce=tfs["fzx"])
    assert v.tasks.exists() and v.photos.exists()
    if tfs["ya_news"].status == "active":
        follow = Meeting.objects.filter(taskforce=tfs["ya_news"], upper__isnull=False)
        assert follow.exists()
    assert DutyShift.objects.filter(taskforce=tfs["brain"]).count() == 14
