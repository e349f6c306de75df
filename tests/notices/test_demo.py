"""The demo's notices: loaded through the services once (a second load adds nothing), with the 杭州亚运
L区 case (urgent notice with acknowledgements, an escalation taken, rules, a robot and its dead letter) and
meaningful inboxes for the ``liaison`` and ``director`` logins."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.notices import demo, queries
from zhuanban.notices.models import (
    Channel,
    Delivery,
    EscalationStep,
    InboxItem,
    Notice,
    Priority,
    ReminderRule,
)
from zhuanban.taskforces.models import TaskForce

NAMES = {spec.key: spec.name for spec in TASKFORCES}
MODELS = (Notice, InboxItem, EscalationStep, ReminderRule, Channel, Delivery)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load()
        transaction.set_rollback(True)


def test_demo_notices_load_once(loaded, db):
    tfs = {k: TaskForce.objects.get(name=n) for k, n in NAMES.items()}
    before = {m.__name__: m._default_manager.count() for m in MODELS}
    loader.load()
    demo.load(get_user_model().objects.get(username="admin"), tfs)
    assert {m.__name__: m._default_manager.count() for m in MODELS} == before
    assert not Notice.objects.filter(status=Notice.Status.QUEUED).exists()

    urgent = Notice.objects.get(taskforce=tfs["ya_office"], title=demo.URGENT_TITLE)
    assert urgent.priority == Priority.URGENT and urgent.requires_ack and urgent.recipients >= 5
    acked = urgent.items.filter(acked_at__isnull=False).count()
    assert 0 < acked < urgent.recipients
    overdue = Notice.objects.get(taskforce=tfs["ya_office"], title=demo.OVERDUE_TITLE)
    assert overdue.ack_deadline < urgent.created_at
    steps = EscalationStep.objects.filter(subject_kind="receipt", taskforce=tfs["ya_office"])
    assert steps.filter(level=1).exists() and steps.filter(level=2).exists()
    assert ReminderRule.objects.filter(taskforce=tfs["ya_office"]).count() == 2
    (dead,) = Delivery.objects.filter(taskforce=tfs["ya_office"], status=Delivery.Status.DEAD)
    assert dead.channel.kind == Channel.Kind.DINGTALK and dead.target == "oapi.dingtalk.com" and dead.attempts == 5
    assert Notice.objects.filter(taskforce=tfs["brain"], priority=Priority.INFO).exists()

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["liaison", "director"])}
    liaison = list(queries.inbox(users["liaison"]))
    assert {i.notice_id for i in liaison} >= {urgent.pk, overdue.pk}
    assert all(i.acked_at is None for i in liaison if i.notice_id in (urgent.pk, overdue.pk))
    director = list(queries.inbox(users["director"]))
    assert len(director) >= 2 and any(i.priority == Priority.URGENT and i.requires_ack for i in director)
