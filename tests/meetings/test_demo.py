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


def test_past_demo_meetings_were_held(loaded, db):
    """What already took place has attendance and minutes; only ya_online's latest follow-up is left
    unrecorded (the tab says 未记录 for it)."""
    from django.utils import timezone

    today = timezone.localdate()
    past = Meeting.objects.filter(starts_at__date__lt=today, series__isnull=False).exclude(status="cancelled")
    assert past.filter(status="held").count() >= 4
    unrecorded = list(past.filter(status="scheduled").values_list("taskforce__name", flat=True))
    assert set(unrecorded) <= {NAMES["ya_online"]} and len(unrecorded) <= 1
    held = past.filter(status="held", taskforce__name=NAMES["brain"]).first()
    assert held.minutes and held.attendances.filter(status="present").exists()
    assert held.attendances.filter(status="absent").exclude(reason="").exists() or held.attendances.count() <= 2
