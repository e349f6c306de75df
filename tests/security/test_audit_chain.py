"""The audit trail is a keyed hash chain: verify finds the first altered or missing event; a failed
audit write fails the action; on PostgreSQL the table itself refuses UPDATE and DELETE."""

from __future__ import annotations

import io
import json
import socket

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from tests.security.conftest import trigger_disabled
from zhuanban.core import audit, auditchain
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import services

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), err.getvalue()
    return 0, out.getvalue()


def test_every_event_is_chained_to_the_one_before(cast):
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) >= 10
    assert events[0].prev_hash == ""
    for prev, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == prev.hash and event.hash.startswith("dev:")
    assert verify() == (0, f"审计链完整：已校验 {len(events)} 条事件\n")


def test_verify_reports_the_first_altered_event_and_exits_1(cast):
    victim = AuditEvent.objects.filter(action="membership.join").order_by("id")[1]
    with trigger_disabled() as cursor:
        cursor.execute("UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["mallory", victim.pk])
    code, message = verify()
    assert code == 1
    assert f"事件 #{victim.pk}" in message and "altered" in message


def test_verify_detects_a_changed_before_after_value(cast):
    victim = AuditEvent.objects.filter(action="taskforce.create").order_by("id").first()
    with trigger_disabled() as cursor:
        cursor.execute("UPDATE core_auditevent SET after = %s WHERE id = %s",
                       [json.dumps({"name": "假名"}), victim.pk])
    assert verify()[0] == 1


def test_verify_detects_a_deleted_event(cast):
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    with trigger_disabled() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [ids[3]])
    code, message = verify()
    assert code == 1
    assert f"事件 #{ids[4]}" in message and "removed" in message


def test_verify_detects_a_rehashed_event_without_the_key(cast):
    # Recomputing the hash needs the audit key: a plain SM3/SHA-256 of the row does not pass.
    victim = AuditEvent.objects.order_by("id")[2]
    with trigger_disabled() as cursor:
        cursor.execute("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["dev:" + "0" * 64, victim.pk])
    assert verify()[0] == 1


def test_the_orm_refuses_to_change_or_delete_events(cast):
    event = AuditEvent.objects.first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()


@pg_only
@pytest.mark.parametrize("sql", ["UPDATE core_auditevent SET note = 'x' WHERE id = %s",
                                 "DELETE FROM core_auditevent WHERE id = %s"])
def test_postgresql_refuses_update_and_delete_on_the_audit_table(cast, sql):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, note=event.note).exists()


@pg_only
def test_postgresql_refuses_delete_even_with_the_archive_switch_outside_an_archive(cast):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT set_config('zhuanban.audit_archive', 'on', true)")
        c.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def test_a_failed_audit_write_fails_the_action(cast, monkeypatch):
    tf = cast.tf
    name, version = tf.name, tf.version
    before = AuditEvent.objects.count()

    def broken(**kwargs):
        raise DatabaseError("audit storage unavailable")

    monkeypatch.setattr(AuditEvent.objects, "create", broken)
    with pytest.raises(DatabaseError):
        services.update_taskforce(cast.alice, tf, version=version, name="改过的名字")
    monkeypatch.undo()
    tf.refresh_from_db()
    assert (tf.name, tf.version) == (name, version)
    assert AuditEvent.objects.count() == before


def test_a_failed_audit_write_through_the_api_is_a_500_and_changes_nothing(cast, monkeypatch):
    from django.test import Client

    tf = cast.tf
    c = Client(raise_request_exception=False)
    c.force_login(cast.alice)

    def broken(**kwargs):
        raise DatabaseError("audit storage unavailable")

    monkeypatch.setattr(AuditEvent.objects, "create", broken)
    response = c.patch(f"/api/v1/taskforces/{tf.pk}", json.dumps({"version": tf.version, "name": "改名"}),
                       content_type="application/json")
    assert response.status_code == 500
    monkeypatch.undo()
    tf.refresh_from_db()
    assert tf.name != "改名"


def test_record_keeps_its_signature_and_takes_an_outcome_and_objectless_events(cast):
    e = audit.record(None, "auth.login_failed", None, outcome="failure", object_type="org.user",
                     object_repr="ghost", actor_name="ghost", note="密码错误")
    assert (e.outcome, e.actor_name, e.object_type, e.object_id) == ("failure", "ghost", "org.user", "")
    ok = audit.record(cast.alice, "taskforce.update", cast.tf, after={"x": 1}, taskforce_id=cast.tf.pk)
    assert ok.outcome == "success" and ok.prev_hash == e.hash
    with pytest.raises(ValueError):
        audit.record(None, "x", cast.tf, outcome="maybe")
    assert verify()[0] == 0


def test_events_are_shipped_to_syslog_after_commit(cast, django_capture_on_commit_callbacks):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    port = sock.getsockname()[1]
    try:
        with override_settings(AUDIT={"SYSLOG": f"127.0.0.1:{port}", "RETENTION_DAYS": 180}):
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                event = audit.record(cast.alice, "taskforce.update", cast.tf, note="发往 syslog")
            assert len(callbacks) == 1  # nothing is sent before the transaction commits
            callbacks[0]()
        data = sock.recv(65535).decode("utf-8")
    finally:
        sock.close()
    assert "zhuanban-audit:" in data
    payload = json.loads(data.split("zhuanban-audit: ", 1)[1].rstrip("\x00"))
    assert payload["id"] == event.pk and payload["hash"] == event.hash and payload["note"] == "发往 syslog"


def test_no_syslog_callback_when_syslog_is_off(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        audit.record(cast.alice, "taskforce.update", cast.tf)
    assert callbacks == []


def test_verify_db_walks_from_an_empty_trail(db):
    assert auditchain.verify_db().ok
