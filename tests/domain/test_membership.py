"""Membership and secondment: liaisons, replacement with handover, exits, load warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from tests.factories import PersonFactory, make_taskforce
from zhuanban.core.errors import Conflict, Invalid
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import queries, services
from zhuanban.taskforces.models import Handover, Membership, MembershipChange, MemberUnit


def test_a_member_unit_can_have_only_one_active_liaison(cast):
    newcomer = PersonFactory(name="新联络", home_unit=cast.units.zjw)
    with pytest.raises(Conflict) as err:
        services.join(cast.admin, cast.tf, person=newcomer, role="liaison", member_unit=cast.mu.zjw)
    assert err.value.code == "liaison_exists"
    assert "陈联络" in err.value.message
    assert cast.mu.zjw.liaisons.filter(end_on__isnull=True).count() == 1


def test_the_database_also_refuses_a_second_active_liaison(cast):
    from django.db import IntegrityError, transaction

    newcomer = PersonFactory(name="新联络", home_unit=cast.units.zjw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(taskforce=cast.tf, person=newcomer, role="liaison", member_unit=cast.mu.zjw,
                                  dispatching_unit=cast.units.zjw, start_on=dt.date(2026, 2, 1))


def test_a_liaison_must_speak_for_a_member_unit_of_this_task_force(cast):
    other_mu = services.add_member_unit(cast.admin, cast.other, unit=cast.units.sfj, role="lead")
    person = PersonFactory(home_unit=cast.units.sfj)
    with pytest.raises(Invalid) as err:
        services.join(cast.admin, cast.tf, person=person, role="liaison")
    assert "member_unit" in err.value.fields
    with pytest.raises(Invalid):
        services.join(cast.admin, cast.tf, person=person, role="liaison", member_unit=other_mu)


def test_replacing_a_liaison_hands_open_items_to_the_successor_and_records_the_procedure(cast):
    item = services.add_demand(cast.admin, cast.tf, title="征求业主意见", owner=cast.people.liam)
    old = cast.tf.memberships.get(person=cast.people.liam, end_on__isnull=True)
    successor = PersonFactory(name="接任联络", home_unit=cast.units.zjw)
    new = services.replace(cast.admin, old, successor=successor, decided_by="市住建委党组", reason="岗位调整",
                           on=dt.date(2026, 3, 1))
    old.refresh_from_db()
    assert old.end_on == dt.date(2026, 3, 1)
    assert new.role == "liaison" and new.member_unit == cast.mu.zjw and new.start_on == dt.date(2026, 3, 1)
    handover = Handover.objects.get(predecessor=old)
    assert handover.successor == new
    assert [i["id"] for i in handover.items] == [item.pk]
    item.refresh_from_db()
    assert item.owner == successor
    change = MembershipChange.objects.get(membership=old, kind="replace")
    assert (change.decided_by, change.reason, change.successor) == ("市住建委党组", "岗位调整", new)
    assert AuditEvent.objects.filter(action="membership.handover", taskforce_id=cast.tf.pk).exists()


def test_a_liaison_with_open_items_cannot_simply_exit(cast):
    services.add_demand(cast.admin, cast.tf, title="征求业主意见", owner=cast.people.liam)
    m = cast.tf.memberships.get(person=cast.people.liam, end_on__isnull=True)
    with pytest.raises(Conflict) as err:
        services.leave(cast.admin, m, reason="调离")
    assert err.value.code == "liaison_has_open_items"
    m.refresh_from_db()
    assert m.end_on is None


def test_exit_is_recorded_with_who_decided_and_why(cast):
    m = cast.tf.memberships.get(person=cast.people.bob)
    services.leave(cast.admin, m, on=dt.date(2026, 4, 1), decided_by="专班办公室", reason="回原单位")
    change = MembershipChange.objects.get(membership=m, kind="exit")
    assert (change.decided_by, change.decided_on, change.reason) == ("专班办公室", dt.date(2026, 4, 1), "回原单位")
    with pytest.raises(Conflict):
        services.leave(cast.admin, m)


def test_a_person_cannot_hold_two_active_posts_in_one_task_force(cast):
    with pytest.raises(Conflict) as err:
        services.join(cast.admin, cast.tf, person=cast.people.bob, role="chief_expert")
    assert err.value.code == "already_member"


def test_workload_outside_0_to_100_is_refused(cast):
    p = PersonFactory(home_unit=cast.units.zjw)
    with pytest.raises(Invalid) as err:
        services.join(cast.admin, cast.tf, person=p, role="member", workload_pct=120)
    assert "workload_pct" in err.value.fields


def test_load_warns_when_total_workload_exceeds_100_percent(cast):
    bob = cast.people.bob  # 50% in tf
    services.join(cast.admin, cast.other, person=bob, role="member", workload_pct=60)
    load = queries.person_load(bob)
    assert load.total_pct == 110
    assert any("110%" in w for w in load.warnings)
    assert queries.overloaded_people([bob.pk, cast.people.alice.pk]) == {bob.pk}


@override_settings(ZHUANBAN={"MAX_ACTIVE_TASKFORCES": 2, "DEMO": False})
def test_load_warns_when_a_person_sits_in_more_active_task_forces_than_allowed(cast):
    alice = cast.people.alice
    services.join(cast.admin, cast.other, person=alice, role="deputy", workload_pct=0)
    assert queries.person_load(alice).warnings == []
    third = make_taskforce(cast.admin, name="第三个专班")
    services.join(cast.admin, third, person=alice, role="member", workload_pct=0)
    load = queries.person_load(alice)
    assert load.active_count == 3
    assert load.warnings == ["同时在 3 个运行中的专班任职，超过上限 2 个"]


def test_a_member_unit_with_an_active_liaison_cannot_leave(cast):
    with pytest.raises(Conflict) as err:
        services.exit_member_unit(cast.admin, cast.mu.zjw)
    assert err.value.code == "liaison_active"
    mu = services.exit_member_unit(cast.admin, cast.mu.gov)
    assert mu.left_on is not None
    again = services.add_member_unit(cast.admin, cast.tf, unit=cast.units.gov, role=MemberUnit.Role.LEAD)
    assert again.pk != mu.pk


def test_the_database_refuses_a_second_active_post_for_one_person(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(taskforce=cast.tf, person=cast.people.bob, role="chief_expert",
                                  dispatching_unit=cast.units.zjw, start_on=dt.date(2026, 2, 1))
