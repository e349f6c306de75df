"""Every lifecycle transition, legal and illegal, and the dissolution checklist (事毕人归)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_taskforce
from zhuanban.core.errors import Conflict, Invalid
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import lifecycle, services
from zhuanban.taskforces.models import DemandItem, Membership, TaskForce

S = TaskForce.Status
ALL = [S.PLANNING, S.ACTIVE, S.SUSPENDED, S.DISSOLVED, S.MERGED]
LEGAL = {
    ("activate", S.PLANNING), ("suspend", S.ACTIVE), ("resume", S.SUSPENDED), ("dissolve", S.ACTIVE),
    ("dissolve", S.SUSPENDED), ("restart", S.DISSOLVED), ("merge", S.PLANNING), ("merge", S.ACTIVE),
    ("merge", S.SUSPENDED),
}


@pytest.mark.parametrize("action", list(lifecycle.TRANSITIONS))
@pytest.mark.parametrize("status", ALL)
def test_the_transition_table_allows_exactly_the_documented_moves(action, status):
    tf = TaskForce(name="x", status=status)
    if (action, status) in LEGAL:
        assert lifecycle.check_transition(tf, action)
        assert action in lifecycle.allowed_actions(status)
    else:
        with pytest.raises(Conflict) as err:
            lifecycle.check_transition(tf, action)
        assert err.value.code == "illegal_transition"
        assert tf.get_status_display() in err.value.message


def _close_out(cast):
    return {"summary": "条例草案按期提交", "lessons": "闭门起草与外地调研结合"}


def test_activation_needs_at_least_one_member(cast):
    empty = make_taskforce(cast.admin, name="空专班")
    with pytest.raises(Conflict) as err:
        services.activate(cast.admin, empty)
    assert err.value.code == "no_members"
    empty.refresh_from_db()
    assert empty.status == S.PLANNING


def test_a_task_force_runs_suspends_resumes_and_dissolves_ending_every_membership(cast):
    tf = cast.tf
    services.activate(cast.admin, tf)
    services.suspend(cast.admin, tf, reason="等待上级决策")
    services.resume(cast.admin, tf)
    services.dissolve(cast.admin, tf, on=dt.date(2026, 6, 30), **_close_out(cast))
    tf.refresh_from_db()
    assert tf.status == S.DISSOLVED and tf.dissolved_on == dt.date(2026, 6, 30)
    assert not tf.memberships.filter(end_on__isnull=True).exists()
    assert set(tf.memberships.values_list("end_reason", flat=True)) == {"专班解散，人员回归原单位"}
    assert not tf.member_units.filter(left_on__isnull=True).exists()
    assert tf.periods.get().ended_on == dt.date(2026, 6, 30)
    actions = list(AuditEvent.objects.filter(taskforce_id=tf.pk).values_list("action", flat=True))
    for a in ("taskforce.activate", "taskforce.suspend", "taskforce.resume", "taskforce.dissolve"):
        assert a in actions


def test_dissolving_with_open_items_is_refused_listing_every_blocker(cast):
    tf = cast.tf
    services.activate(cast.admin, tf)
    item = services.add_demand(cast.admin, tf, title="物业费调整机制", owner=cast.people.liam)
    with pytest.raises(Conflict) as err:
        services.dissolve(cast.admin, tf)
    assert err.value.code == "dissolution_blocked"
    kinds = [b["kind"] for b in err.value.extra["blockers"]]
    assert kinds == ["open_item", "summary", "lessons"]
    assert err.value.extra["blockers"][0]["item"]["id"] == item.pk
    tf.refresh_from_db()
    assert tf.status == S.ACTIVE
    assert tf.memberships.filter(end_on__isnull=True).count() == 5


def test_an_item_handed_over_no_longer_blocks_dissolution(cast):
    tf = cast.tf
    services.activate(cast.admin, tf)
    item = services.add_demand(cast.admin, tf, title="物业费调整机制")
    with pytest.raises(Invalid):
        services.set_demand_status(cast.admin, item, status=DemandItem.Status.HANDED_OVER)
    services.set_demand_status(cast.admin, item, status=DemandItem.Status.HANDED_OVER, handed_over_to="市住建委")
    services.dissolve(cast.admin, tf, **_close_out(cast))
    assert TaskForce.objects.get(pk=tf.pk).status == S.DISSOLVED


def test_restart_reopens_a_dissolved_task_force_in_a_new_period_keeping_its_history(cast):
    tf = cast.tf
    services.activate(cast.admin, tf, on=dt.date(2026, 1, 6))
    services.dissolve(cast.admin, tf, on=dt.date(2026, 3, 1), **_close_out(cast))
    with pytest.raises(Invalid):
        services.restart(cast.admin, tf, reason=" ")
    services.restart(cast.admin, tf, reason="年度修订再次启动", on=dt.date(2026, 9, 1))
    tf.refresh_from_db()
    assert tf.status == S.ACTIVE and tf.dissolved_on is None
    assert list(tf.periods.values_list("number", "started_on", "ended_on")) == [
        (1, dt.date(2026, 1, 6), dt.date(2026, 3, 1)), (2, dt.date(2026, 9, 1), None)]
    assert tf.memberships.count() == 5  # the old secondments stay in the record, ended


def test_merge_moves_active_members_units_and_open_items(cast):
    source = cast.tf
    target = cast.other
    item = services.add_demand(cast.admin, source, title="未办结事项")
    services.merge(cast.admin, source, into=target, reason="职责整合")
    source.refresh_from_db()
    assert source.status == S.MERGED and source.merged_into == target
    assert not source.memberships.filter(end_on__isnull=True).exists()
    moved = set(target.memberships.filter(end_on__isnull=True).values_list("person__name", flat=True))
    assert {"王组长", "刘主任", "陈联络", "李成员", "赵外部", "周其他"} == moved
    assert DemandItem.objects.get(pk=item.pk).taskforce == target
    liaison = target.memberships.get(person=cast.people.liam, end_on__isnull=True)
    assert liaison.role == Membership.Role.LIAISON and liaison.member_unit.unit == cast.units.zjw


def test_a_merged_or_dissolved_task_force_cannot_be_edited_or_joined(cast):
    services.merge(cast.admin, cast.tf, into=cast.other)
    cast.tf.refresh_from_db()
    with pytest.raises(Conflict) as err:
        services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, name="改名")
    assert err.value.code == "taskforce_closed"
    with pytest.raises(Conflict):
        services.join(cast.admin, cast.tf, person=cast.people.charlie, role="member")


def test_a_task_force_cannot_merge_into_itself(cast):
    with pytest.raises(Invalid):
        services.merge(cast.admin, cast.tf, into=cast.tf)


def test_an_active_task_force_past_its_planned_end_is_flagged(cast):
    services.activate(cast.admin, cast.tf)
    cast.tf.refresh_from_db()
    services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, planned_end=dt.date(2020, 1, 1),
                              established_on=dt.date(2019, 1, 1))
    assert cast.tf.is_past_planned_end
    services.dissolve(cast.admin, cast.tf, **_close_out(cast))
    cast.tf.refresh_from_db()
    assert not cast.tf.is_past_planned_end


def test_a_dissolution_dated_before_a_secondment_began_is_refused(cast):
    services.activate(cast.admin, cast.tf)
    with pytest.raises(Invalid) as err:
        services.dissolve(cast.admin, cast.tf, on=dt.date(2026, 1, 1), **_close_out(cast))
    assert "on" in err.value.fields
    with pytest.raises(Invalid):
        services.dissolve(cast.admin, cast.tf, on=dt.date(2099, 1, 1), **_close_out(cast))
    cast.tf.refresh_from_db()
    assert cast.tf.status == S.ACTIVE and cast.tf.memberships.filter(end_on__isnull=True).count() == 5


def test_a_restart_cannot_be_dated_before_the_dissolution(cast):
    services.activate(cast.admin, cast.tf)
    services.dissolve(cast.admin, cast.tf, on=dt.date(2026, 6, 30), **_close_out(cast))
    with pytest.raises(Invalid):
        services.restart(cast.admin, cast.tf, reason="再启动", on=dt.date(2026, 6, 1))
