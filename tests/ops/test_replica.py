"""The read-replica option (ZHUANBAN_REPLICA_URL, zhuanban.core.replica): reads inside reading_replica()
go to the "replica" database, writes always go to default, and without a replica nothing changes.

Here "replica" is a second alias for the test database (``TEST: {"MIRROR": "default"}``, as the settings
make it when the variable is set), so the data is the same and the queries show which connection ran
them.  The tests are transactional: inside a transaction on default reads deliberately stay there.
"""

from __future__ import annotations

import copy

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from zhuanban.core import audit, backup, replica
from zhuanban.core.auditchain import verify_db
from zhuanban.core.replica import ReplicaRouter, reading_from, reading_replica
from zhuanban.org.models import Unit
from zhuanban.security import services as security
from zhuanban.taskforces.models import TaskForce

with_replica = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module")
def replica_db(django_db_setup, django_db_blocker):
    """A "replica" alias on the test database, for this module (before any test case lists it)."""
    conf = copy.deepcopy(connections["default"].settings_dict)
    conf["TEST"] = {**conf.get("TEST", {}), "MIRROR": "default"}
    connections.settings["replica"] = conf
    yield "replica"
    with django_db_blocker.unblock():
        connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


def tables(queries: list[dict[str, str]]) -> str:
    return "\n".join(q["sql"] for q in queries)


@pytest.mark.django_db
def test_without_a_replica_the_block_reads_default(cast, monkeypatch):
    monkeypatch.setattr(replica, "REPLICA_ALIAS", "replica_not_configured")
    with reading_replica() as target:
        assert target == "default"
        assert TaskForce.objects.filter(pk=cast.tf.pk).exists()
        assert ReplicaRouter().db_for_read(TaskForce) is None
    with reading_from("nowhere") as target:
        assert target == "default"


@with_replica
def test_reads_inside_go_to_the_replica_and_writes_to_default(replica_db, cast):
    primary, mirror = connections["default"], connections[replica_db]
    with CaptureQueriesContext(primary) as on_primary, CaptureQueriesContext(mirror) as on_replica:
        with reading_replica() as target:
            assert target == "replica"
            assert list(TaskForce.objects.order_by("pk").values_list("pk", flat=True)) == [cast.tf.pk, cast.other.pk]
            unit = Unit.objects.get(pk=cast.units.sfj.pk)
            assert unit._state.db == "replica"
            unit.short_name = "司法局"
            unit.save()  # an object read from the replica is saved to the primary
            audit.record(cast.admin, "org.unit_create", unit)  # reads its chain's last hash on the primary
        TaskForce.objects.count()  # outside the block: default again
    on_replica_sql, on_primary_sql = tables(on_replica.captured_queries), tables(on_primary.captured_queries)
    assert '"taskforces_taskforce"' in on_replica_sql and '"org_unit"' in on_replica_sql
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in on_replica.captured_queries)
    assert "core_auditevent" not in on_replica_sql
    assert 'UPDATE "org_unit"' in on_primary_sql and 'INSERT INTO "core_auditevent"' in on_primary_sql
    assert 'SELECT COUNT(*) AS "__count" FROM "taskforces_taskforce"' in on_primary_sql
    assert Unit.objects.using("default").get(pk=cast.units.sfj.pk).short_name == "司法局"
    assert verify_db().ok  # the chain continued from the primary's last hash


@with_replica
def test_the_task_export_reads_the_tasks_from_the_replica(replica_db, cast):
    client = Client()
    client.force_login(cast.alice)
    with CaptureQueriesContext(connections["default"]) as on_primary, \
            CaptureQueriesContext(connections[replica_db]) as on_replica:
        response = client.get(reverse("task_export", args=[cast.tf.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    assert '"tasks_task"' in tables(on_replica.captured_queries)
    primary = tables(on_primary.captured_queries)
    assert '"tasks_task"' not in primary  # the heavy read went to the replica
    assert '"taskforces_taskforce"' in primary  # access was checked on the primary
    assert 'INSERT INTO "core_auditevent"' in primary  # the export's audit event
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in on_replica.captured_queries)


@with_replica
def test_the_audit_export_reads_the_trail_from_the_replica(replica_db, cast):
    sam, audrey = UserFactory(username="sam"), UserFactory(username="audrey")
    security.grant_role(None, sam, "security")
    security.grant_role(sam, audrey, "audit")
    client = Client()
    client.force_login(audrey)
    with CaptureQueriesContext(connections["default"]) as on_primary, \
            CaptureQueriesContext(connections[replica_db]) as on_replica:
        response = client.get("/security/audit/export.csv")
    assert response.status_code == 200
    replica_sql, primary_sql = tables(on_replica.captured_queries), tables(on_primary.captured_queries)
    assert 'FROM "core_auditevent"' in replica_sql
    assert '"security_adminrole"' in primary_sql  # the role check stays on the primary
    assert 'INSERT INTO "core_auditevent"' in primary_sql


@pytest.mark.django_db
def test_an_unreachable_replica_is_skipped_and_reads_go_to_default(cast, monkeypatch, tmp_path, caplog):
    down = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "no" / "such" / "dir.sqlite3")}
    with backup.temporary_database(down) as alias:
        monkeypatch.setattr(replica, "REPLICA_ALIAS", alias)
        with reading_replica() as target:
            assert target == "default"
            assert TaskForce.objects.filter(pk=cast.tf.pk).exists()
    assert "unreachable; reading from default" in caplog.text


def test_the_replica_never_receives_migrations():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "core") is False
    assert router.allow_migrate("default", "core") is None
    assert router.db_for_write(TaskForce) == "default"
