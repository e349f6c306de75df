"""The demo's assessment: loaded through the services once (a second load adds nothing); the 城市大脑
scheme has two versions, scores from several evaluator types, an award and a negative-list entry, and a
result with a breakdown; the 亚运 L区 unit scheme is scored by the office and grassroots evaluators; the
``office`` and ``external`` logins find their forms still to fill."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from zhuanban.assessment import demo, engine
from zhuanban.assessment.models import Evaluator, Mark, Scheme, SchemeRevision, Score
from zhuanban.demo import loader
from zhuanban.demo.cases import TASKFORCES
from zhuanban.taskforces.models import TaskForce

NAMES = {spec.key: spec.name for spec in TASKFORCES}
MODELS = (Scheme, SchemeRevision, Evaluator, Score, Mark)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load()
        transaction.set_rollback(True)


def test_demo_assessment(loaded, db):
    brain = Scheme.objects.get(taskforce__name=NAMES["brain"], subject_kind="person")
    assert brain.revision == 2
    kinds = set(Score.objects.filter(scheme=brain).values_list("evaluator__kind", flat=True))
    assert {"internal", "self"} <= kinds
    res = engine.compute(brain)
    top = res.items[0]
    assert top.total > 0 and {r.source for r in top.rows} >= {"data", "internal"}
    v1 = engine.compute(brain, brain.revisions.get(number=1))
    assert {r.key: r.total for r in v1.items} != {r.key: r.total for r in res.items}  # the mid-year revision
    assert Mark.objects.filter(scheme=brain, kind="award").exists()
    assert Mark.objects.filter(scheme=brain, kind="negative").exists()
    office_login = Evaluator.objects.filter(scheme=brain, person__user__username="external").get()
    assert not office_login.scores.exists() and office_login.notice_id
    units = Scheme.objects.get(taskforce__name=NAMES["ya_office"], subject_kind="unit")
    assert set(Score.objects.filter(scheme=units).values_list("evaluator__kind", flat=True)) == {
        "internal", "grassroots"}

    tfs = {k: TaskForce.objects.get(name=n) for k, n in NAMES.items()}
    before = {m.__name__: m._default_manager.count() for m in MODELS}
    demo.load(get_user_model().objects.get(username="admin"), tfs)
    assert {m.__name__: m._default_manager.count() for m in MODELS} == before
