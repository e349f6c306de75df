"""``zhuanban demo``: the five public cases, loaded through the services, idempotently."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhuanban.core.models import AuditEvent
from zhuanban.demo import loader
from zhuanban.demo.cases import CASES, TASKFORCES
from zhuanban.demo.data import DEMO_PASSWORD, LOGINS
from zhuanban.org.models import Person, Region, Unit, User
from zhuanban.taskforces import queries
from zhuanban.taskforces.models import DemandItem, Handover, Membership, MemberUnit, Period, TaskForce

MODELS = (Region, Unit, Person, User, TaskForce, MemberUnit, Membership, DemandItem, Period, Handover, AuditEvent)
NAMES = {spec.key: spec.name for spec in TASKFORCES}


def counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (a few seconds), rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = loader.load()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded, {key: TaskForce.objects.get(name=name) for key, name in NAMES.items()}


def test_loading_twice_changes_nothing(demo):
    before = counts()

    again = loader.load()

    assert not again.changed
    assert counts() == before
    assert before["TaskForce"] == len(TASKFORCES) and before["Person"] > 300


def test_the_five_cases_get_their_li_and_liu_types(demo):
    _, tfs = demo
    for key, (li, liu) in CASES.items():
        t = queries.classify(tfs[key])
        assert (t.li.label, t.liu.label) == (li, liu), f"{tfs[key].name}: {t.li.reason}"


def test_a_dissolved_cross_sector_task_force_keeps_its_type(demo):
    _, tfs = demo
    t = queries.classify(tfs["hc"])
    assert (t.li.label, t.liu.label) == CASES["hc"]


def test_the_health_code_project_was_dissolved_after_launch_and_expanded_into_a_support_task_force(demo):
    _, tfs = demo
    hc, ops = tfs["hc"], tfs["hc_ops"]
    assert hc.status == TaskForce.Status.DISSOLVED and hc.dissolved_on.isoformat() == "2020-03-04"
    assert hc.summary and hc.lessons
    assert not hc.memberships.filter(end_on__isnull=True).exists()  # 事毕人归
    assert ops.parent == hc and ops.parent_relation == TaskForce.ParentRelation.SUB
    newcomers = ops.memberships.exclude(person__in=hc.memberships.values("person"))
    assert newcomers.exclude(role=Membership.Role.LIAISON).count() >= 50
    units = {mu.unit.short_name for mu in hc.member_units.all()}
    assert {"中科大脑", "太极股份", "腾讯", "市经信局", "市发改委", "市卫健委", "市大数据局"} <= units


def test_every_active_member_unit_has_exactly_one_active_liaison(demo):
    for mu in MemberUnit.objects.filter(left_on__isnull=True, taskforce__status=TaskForce.Status.ACTIVE):
        assert mu.liaisons.filter(role=Membership.Role.LIAISON, end_on__isnull=True).count() == 1, mu


def test_the_structures_of_the_cases(demo):
    _, tfs = demo
    wuye = tfs["wuye"]
    assert wuye.memberships.exclude(role=Membership.Role.HEAD).count() == 16
    assert wuye.demands.count() == 15
    fzx = tfs["fzx"]
    assert fzx.groups.count() == 12
    assert fzx.member_units.filter(unit__short_name__startswith="市").count() == 23
    small = TaskForce.objects.filter(parent=fzx, parent_relation=TaskForce.ParentRelation.BIG_SMALL)
    assert small.count() >= 2
    assert tfs["fzx_zjw"].memberships.filter(dispatching_unit__short_name="市住建委").count() == 17
    assert Handover.objects.filter(taskforce=fzx).count() == 1  # the liaison replacement
    office = tfs["ya_office"]
    assert office.is_office
    children = set(office.children.filter(parent_relation=TaskForce.ParentRelation.OFFICE)
                   .values_list("name", flat=True))
    assert {NAMES["ya_news"], NAMES["ya_online"]} <= children
    brain = tfs["brain"]
    streets = brain.member_units.filter(unit__region__level=Region.Level.STREET)
    assert streets.count() == 3 and all(mu.joined_on > brain.established_on for mu in streets)


def test_the_warning_signs_are_there_to_see(demo):
    _, tfs = demo
    assert tfs["ya_env"].is_oral
    assert queries.classify(tfs["ya_opinion"]).liu.formality_warning
    liaison = Person.objects.get(user__username="liaison")
    load = queries.person_load(liaison)
    assert load.active_count >= 4 and load.total_pct > 100 and len(load.warnings) == 2


def test_the_demo_logins_exist_with_the_demo_password(demo):
    for username, _, _ in LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
    assert User.objects.get(username="admin").is_superuser
    assert Person.objects.get(user__username="leader").is_unit_leader
    assert Person.objects.get(user__username="external").is_external
    roles = {u: set(Membership.objects.filter(person__user__username=u).values_list("role", flat=True))
             for u in ("director", "head", "liaison", "member", "external")}
    assert Membership.Role.OFFICE_DIRECTOR in roles["director"]
    assert Membership.Role.HEAD in roles["head"]
    assert Membership.Role.LIAISON in roles["liaison"]
    assert roles["member"] == {Membership.Role.MEMBER}
    assert roles["external"] == {Membership.Role.EXTERNAL}


def test_everything_went_through_the_services(demo):
    assert AuditEvent.objects.filter(action="taskforce.create").count() == len(TASKFORCES)
    assert AuditEvent.objects.filter(action="membership.join").count() == Membership.objects.count() - 1
    assert AuditEvent.objects.filter(action="org.person_create").count() == Person.objects.count()
