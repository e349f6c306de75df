"""The demo's ledgers: loaded through the services once (a second load adds nothing); the 副中心 case has
an approved line with its document, expenses (one with a receipt), a pending line and a borrowed meeting
room and laptops not yet returned — the open items its dissolution would list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.funds import demo, queries
from zhuanban.funds.models import BudgetLine, Expense, Procurement, Resource
from zhuanban.taskforces import services as tfs
from zhuanban.taskforces.models import TaskForce

NAMES = {spec.key: spec.name for spec in TASKFORCES}
MODELS = (BudgetLine, Expense, Procurement, Resource)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    old = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load()
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = old


def test_demo_ledgers_load_once(loaded, db):
    tfs_by_key = {k: TaskForce.objects.get(name=n) for k, n in NAMES.items()}
    before = {m.__name__: m._default_manager.count() for m in MODELS}
    demo.load(get_user_model().objects.get(username="admin"), tfs_by_key)
    assert {m.__name__: m._default_manager.count() for m in MODELS} == before


def test_the_city_sub_centre_ledger_is_believable(loaded, db):
    tf = TaskForce.objects.get(name=NAMES["fzx"])
    s = queries.ledger_summary(tf)
    meeting = next(ln for ln in s["lines"] if ln["name"] == "调度会会务费")
    assert meeting["approved"] and meeting["document_no"] == "B市财预〔2026〕47号"
    assert meeting["spent"] == Decimal("58950.50")  # 12,680.00 + 36,450.50 + 9,820.00
    assert meeting["remaining"] == Decimal("121049.50")
    assert any(not ln["approved"] for ln in s["lines"])
    assert Expense.objects.filter(taskforce=tf, attachment__isnull=False).count() == 1
    assert {r["name"] for r in s["resources"] if not r["returned"]} == {"T区政府第三会议室", "笔记本电脑"}
    kinds = [b["item"]["kind"] for b in tfs.dissolution_blockers(tf) if b["kind"] == "open_item"]
    assert kinds.count("resource") == 2
    office = TaskForce.objects.get(name=NAMES["ya_office"])
    assert queries.unreturned_resources(office) == [] and queries.ledger_summary(office)["resources"][0]["returned"]
