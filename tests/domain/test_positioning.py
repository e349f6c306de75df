"""Positioning rules, optimistic concurrency and the audit trail of edits."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_taskforce
from zhuanban.core.errors import Conflict, Forbidden, Invalid
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import services
from zhuanban.taskforces.models import TaskForce


def test_planned_end_before_establishment_is_refused_naming_the_field(cast):
    with pytest.raises(Invalid) as err:
        make_taskforce(cast.admin, name="日期错误", established_on=dt.date(2026, 5, 1), planned_end=dt.date(2026, 4, 1))
    assert err.value.status == 422
    assert list(err.value.fields) == ["planned_end"]
    assert not TaskForce.objects.filter(name="日期错误").exists()


def test_a_formal_notice_needs_its_document_number(cast):
    with pytest.raises(Invalid) as err:
        make_taskforce(cast.admin, name="无文号", basis="notice", basis_document_no="")
    assert "basis_document_no" in err.value.fields


def test_an_oral_establishment_is_accepted_but_flagged(cast):
    tf = make_taskforce(cast.admin, name="口头专班", basis="oral", basis_document_no="")
    assert tf.is_oral


def test_each_decision_mode_needs_its_decision_body(cast):
    with pytest.raises(Invalid) as err:
        make_taskforce(cast.admin, name="缺牵头", decision_mode="lead_department", leading_body="")
    assert "lead_unit" in err.value.fields
    with pytest.raises(Invalid) as err:
        make_taskforce(cast.admin, name="缺中枢", decision_mode="leading_core", leading_body="")
    assert "leading_body" in err.value.fields


def test_a_task_force_cannot_be_its_own_ancestor(cast):
    child = make_taskforce(cast.admin, name="小专班", parent=cast.tf, parent_relation="big_small")
    cast.tf.refresh_from_db()
    with pytest.raises(Invalid) as err:
        services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, parent=child, parent_relation="sub")
    assert "parent" in err.value.fields


def test_a_stale_edit_is_refused_and_overwrites_nothing(cast):
    first = TaskForce.objects.get(pk=cast.tf.pk)
    second = TaskForce.objects.get(pk=cast.tf.pk)
    services.update_taskforce(cast.admin, first, version=first.version, goals="两周内完成草案")
    with pytest.raises(Conflict) as err:
        services.update_taskforce(cast.admin, second, version=second.version, goals="别人的旧版本")
    assert err.value.status == 409 and err.value.code == "stale_version"
    stored = TaskForce.objects.get(pk=cast.tf.pk)
    assert stored.goals == "两周内完成草案"
    assert stored.version == first.version


def test_an_edit_is_audited_with_before_and_after(cast):
    tf = cast.tf
    services.update_taskforce(cast.alice, tf, version=tf.version, name="物业条例立法专班（修订）")
    event = AuditEvent.objects.filter(action="taskforce.update", taskforce_id=tf.pk).first()
    assert event.actor == cast.alice
    assert event.before == {"name": "物业管理条例立法专班"}
    assert event.after == {"name": "物业条例立法专班（修订）"}


def test_audit_events_cannot_be_changed_or_deleted(cast):
    event = AuditEvent.objects.first()
    event.note = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.update(note="x")


def test_a_failed_action_leaves_no_audit_event(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(Invalid):
        make_taskforce(cast.admin, name="")
    assert AuditEvent.objects.count() == before


def test_an_ordinary_member_cannot_create_a_task_force(cast):
    with pytest.raises(Forbidden):
        make_taskforce(cast.bob, name="越权专班")
