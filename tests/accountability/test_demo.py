"""The demo's supervision records: a 督办 on an overdue task (with its response), a 约谈 that reached the
person and the liaison of their dispatching unit, a 通报 — loaded once through the services (a second
load adds nothing)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhuanban.accountability import demo
from zhuanban.accountability.models import Supervision
from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.notices.models import InboxItem
from zhuanban.taskforces.models import TaskForce

NAMES = {spec.key: spec.name for spec in TASKFORCES}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load()
        transaction.set_rollback(True)


def test_demo_supervision(loaded, db):
    by_kind = {s.kind: s for s in Supervision.objects.select_related("taskforce", "person")}
    assert set(by_kind) == {"notice", "talk", "circular"}
    notice = by_kind["notice"]
    assert notice.taskforce.name == NAMES["fzx"] and notice.status == "responded" and notice.response
    task = notice.tasks.get()
    assert task.responsible_id == notice.person_id and task.due_at < timezone.now() and task.is_open
    talk = by_kind["talk"]
    assert talk.taskforce.name == NAMES["brain"] and talk.talk_at is not None
    people = set(InboxItem.objects.filter(notice_id=talk.notice_id).values_list("person_id", flat=True))
    assert talk.person_id in people and InboxItem.objects.get(notice_id=talk.notice_id, person=talk.person).requires_ack
    tfs = {k: TaskForce.objects.get(name=n) for k, n in NAMES.items()}
    before = Supervision.objects.count()
    demo.load(get_user_model().objects.get(username="admin"), tfs)
    assert Supervision.objects.count() == before
