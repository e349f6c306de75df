"""``zhuanban generate``: the demo scale has the shapes the benchmark relies on, keeps every invariant the
services keep, is deterministic, refuses real data and a second run, and its accounts can use the pages."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Count, F, Q

from tests.factories import UserFactory, make_taskforce
from zhuanban.core.auditchain import verify_db
from zhuanban.core.models import AuditEvent
from zhuanban.org.models import Person, Region, Unit, User
from zhuanban.scale import generator
from zhuanban.scale.models import Dataset
from zhuanban.taskforces import queries as tf_queries
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Membership, MemberUnit, Period, TaskForce
from zhuanban.tasks import lights
from zhuanban.tasks.access import receivers_of
from zhuanban.tasks.models import Dependency, Dispatch, Dispute, Task

TODAY = dt.date(2026, 3, 2)


def generate(*args: str) -> None:
    call_command("generate", "--scale", "demo", "--no-progress", *args)


@pytest.fixture
def demo(db):
    generate()
    return generator.bench_subjects()


def depth_of(task_id: int, parents: dict[int, int | None]) -> int:
    depth, current = 0, task_id
    while current is not None:
        depth += 1
        current = parents[current]
    return depth


# ---- shapes -------------------------------------------------------------------------------------------


def test_the_demo_scale_has_every_type_a_deep_tree_overdue_tasks_and_a_busy_person(demo):
    tfs = list(TaskForce.objects.all())
    types = [tf_queries.classify(tf) for tf in tfs]
    assert {t.li.code for t in types} == {"project_cooperation", "platform_sharing", "staff_secondment",
                                          "department_integration"}
    assert {t.liu.code for t in types} == {"forceful_handling", "task_assault", "coordination_posture",
                                           "gap_filling"}
    assert TaskForce.objects.filter(parent__isnull=False).exists()

    parents = dict(Task.objects.values_list("id", "parent_id"))
    depths = [depth_of(t, parents) for t in parents]
    assert 3 <= max(depths) <= 5
    assert Task.objects.filter(light=Task.Light.RED).exists()
    assert Task.objects.filter(status=Task.Status.DONE).exists()
    assert Task.objects.filter(status=Task.Status.DISPATCHED).exists()

    busy = Person.objects.get(user__username=demo["busy_username"])
    running = busy.memberships.filter(end_on__isnull=True, taskforce__status=TaskForce.Status.ACTIVE)
    assert running.values("taskforce").distinct().count() >= 4
    assert Task.objects.filter(responsible=busy).exclude(status=Task.Status.DONE).count() == demo["busy_open_tasks"] > 0
    assert Task.objects.filter(taskforce_id=demo["taskforce_id"]).count() == demo["taskforce_tasks"] == 120


def test_every_active_member_unit_has_exactly_one_liaison(demo):
    counts = MemberUnit.objects.filter(left_on__isnull=True).annotate(
        n=Count("liaisons", filter=Q(liaisons__role=Membership.Role.LIAISON, liaisons__end_on__isnull=True)))
    assert counts.exists() and {mu.n for mu in counts} == {1}
    orphan = Membership.objects.filter(role=Membership.Role.LIAISON, end_on__isnull=True, member_unit__left_on__isnull=False)
    assert not orphan.exists()


def test_the_stored_lights_are_what_recompute_would_set(demo):
    assert sum(lights.recompute_lights().values()) == 0
    for task in Task.objects.all():
        assert task.pace_at == lights.pace_at(task)


def test_the_data_keeps_the_invariants_of_the_services(demo):
    for tf in TaskForce.objects.all():
        tf_services._validate_positioning(tf)  # raises on any positioning rule
        members = tf.memberships.all()
        assert not members.filter(start_on__lt=tf.established_on).exists()
        assert not members.filter(end_on__lt=F("start_on")).exists()
        if tf.status in (TaskForce.Status.DISSOLVED, TaskForce.Status.MERGED):
            assert tf.dissolved_on and tf.dissolved_on <= dt.date.today()
            assert not members.filter(end_on__isnull=True).exists()
            assert not tf.member_units.filter(left_on__isnull=True).exists()
            assert not tf.tasks.exclude(status=Task.Status.DONE).exists()
            assert not tf.periods.filter(ended_on__isnull=True).exists()
        if tf.status in (TaskForce.Status.ACTIVE, TaskForce.Status.SUSPENDED):
            assert tf.periods.filter(ended_on__isnull=True).count() == 1
        if tf.status == TaskForce.Status.PLANNING:
            assert not Period.objects.filter(taskforce=tf).exists()
        if tf_queries.classify(tf).boundary.value == TaskForce.Boundary.CROSS_DEPARTMENT:
            assert tf_queries.boundary_outsiders(tf) == []
    closed = list(Task.CLOSED)
    for task in Task.objects.filter(status__in=[Task.Status.DONE, Task.Status.PENDING_CONFIRMATION,
                                                Task.Status.PENDING_VERIFICATION]):
        assert task.progress == 100 and task.completed_at is not None
        assert not task.children.exclude(status__in=closed).exists()
        assert not task.dependencies.exclude(depends_on__status__in=closed).exists()
    assert not Task.objects.filter(due_at__lt=F("start_at")).exists()
    assert not Dependency.objects.exclude(task__taskforce=F("depends_on__taskforce")).exists()
    assert not Dependency.objects.filter(depends_on_id__gte=F("task_id")).exists()  # acyclic
    assert not Task.objects.exclude(parent__isnull=True).exclude(parent__taskforce=F("taskforce")).exists()
    # Lead units are member units of the task force (their liaison signs).
    for task in Task.objects.select_related("taskforce"):
        assert task.taskforce.member_units.filter(unit_id=task.lead_unit_id).exists()
    # The dispatch chain matches the status: a dispatched task waits on exactly one pending hop.
    pending = dict(Dispatch.objects.filter(status=Dispatch.Status.PENDING).values_list("task").annotate(n=Count("id")))
    for task_id, status in Task.objects.values_list("id", "status"):
        assert pending.get(task_id, 0) == (1 if status == Task.Status.DISPATCHED else 0)
    for task in Task.objects.filter(status=Task.Status.DISPATCHED):
        hop = task.dispatches.get(status=Dispatch.Status.PENDING)
        assert receivers_of(hop), "somebody can sign every pending hop"
    assert set(Dispute.objects.filter(status=Dispute.Status.OPEN).values_list("task_id", flat=True)) == set(
        Task.objects.filter(status=Task.Status.DISPUTED).values_list("id", flat=True))


def test_the_run_is_recorded_and_audited(demo):
    dataset = Dataset.objects.get()
    assert dataset.scale == "demo" and dataset.seed == generator.DEFAULT_SEED
    assert dataset.counts["tasks"] == Task.objects.count() and dataset.counts["people"] == Person.objects.count()
    assert set(dataset.timings) == {phase.name for phase in generator.PHASES}
    assert {"org", "taskforces", "tasks", "meetings", "reports", "notices"} <= set(dataset.timings)
    event = AuditEvent.objects.get(action="scale.generate")
    assert event.object_id == str(dataset.pk) and event.after["tasks"] == dataset.counts["tasks"]
    assert verify_db().ok
    # One precomputed hash for all: the accounts share it (and are marked as demo accounts).
    assert User.objects.values("password").distinct().count() == 1
    assert not User.objects.filter(security__is_demo=False).exists()
    assert not User.objects.filter(security__isnull=True).exists()


# ---- determinism --------------------------------------------------------------------------------------


def fingerprint() -> str:
    rows = [
        list(Region.objects.order_by("code").values_list("code", "name", "level")),
        list(Unit.objects.order_by("id").values_list("id", "name", "kind", "parent_id", "region_id")),
        list(Person.objects.order_by("id").values_list("id", "name", "home_unit_id", "post", "staffing",
                                                       "phone", "id_card_no", "user__username")),
        list(TaskForce.objects.order_by("id").values_list("id", "name", "status", "established_on", "parent_id",
                                                          "task_nature", "purpose", "entity_operation")),
        list(Membership.objects.order_by("id").values_list("id", "person_id", "role", "start_on", "end_on")),
        list(Task.objects.order_by("id").values_list("id", "title", "status", "parent_id", "responsible_id",
                                                     "start_at", "due_at", "progress", "completed_at")),
        list(Dispatch.objects.order_by("id").values_list("id", "task_id", "status", "to_unit_id", "signed_by_id")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def wipe_generated() -> None:
    """Empty every table the generator fills (the audit trail stays: it is append-only)."""
    from django.apps import apps

    keep = {"core_auditevent", "core_auditarchive", "django_migrations", "django_content_type", "auth_permission"}
    tables = set()
    for label in ("org", "taskforces", "tasks", "scale", "accounts"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    tables -= keep
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE waits for no deferred foreign-key checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), sorted(tables), allow_cascade=True):
            cursor.execute(sql)


def test_the_same_seed_gives_the_same_data(db):
    generate("--seed", "7", "--today", TODAY.isoformat())
    first, titles = fingerprint(), list(Task.objects.order_by("id").values_list("title", flat=True))
    counts = Dataset.objects.get().counts
    wipe_generated()
    assert not Task.objects.exists() and not Dataset.objects.exists()

    generate("--seed", "7", "--today", TODAY.isoformat())
    assert list(Task.objects.order_by("id").values_list("title", flat=True)) == titles
    assert fingerprint() == first
    assert Dataset.objects.get().counts == counts


def test_another_seed_gives_other_data(db):
    generate("--seed", "7", "--today", TODAY.isoformat())
    first = fingerprint()
    wipe_generated()
    generate("--seed", "8", "--today", TODAY.isoformat())
    assert fingerprint() != first


# ---- refusal and --force ------------------------------------------------------------------------------


def test_it_refuses_a_database_with_real_data(db):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    make_taskforce(admin, name="真实的专班")

    with pytest.raises(CommandError, match="(?s)不是由生成器产生.*新库.*--force"):
        generate()
    assert not Dataset.objects.exists() and TaskForce.objects.count() == 1 and not Unit.objects.exists()


def test_it_refuses_to_generate_twice(demo):
    tasks = Task.objects.count()
    with pytest.raises(CommandError, match="(?s)已生成过合成数据.*ZHUANBAN_DATABASE_URL.*--force"):
        generate()
    assert Task.objects.count() == tasks and Dataset.objects.count() == 1


def test_force_writes_beside_real_data_and_beside_a_first_run(db):
    admin = UserFactory(username="zb000001", is_superuser=True, is_staff=True)  # a clashing login name
    real = make_taskforce(admin, name="真实的专班")
    generate("--force")
    generate("--force")

    assert Dataset.objects.count() == 2 and Dataset.objects.filter(forced=True).count() == 2
    assert TaskForce.objects.filter(pk=real.pk, name="真实的专班").exists()
    # Eight generated task forces per run at demo scale, plus the reporting office of the reports phase.
    assert TaskForce.objects.count() == 1 + 2 * (8 + 1)
    assert Region.objects.filter(level=Region.Level.NATIONAL).count() == 1
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 2
    assert User.objects.get(username="zb000001").is_superuser  # untouched; the generated one got another name
    second = generator.bench_subjects()
    assert Person.objects.filter(user__username=second["busy_username"]).exists()
    assert sum(lights.recompute_lights().values()) == 0


def test_bench_subjects_need_a_generated_data_set(db):
    with pytest.raises(LookupError):
        generator.bench_subjects()


# ---- the pages work on generated data -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["busy_username", "head_username", "office_username", "liaison_username",
                                 "office_director_username", "unit_leader_username"])
def test_generated_accounts_log_in_with_the_bench_password_and_see_their_pages(demo, client, who):
    assert client.login(username=demo[who], password=demo["password"])
    tf = demo["taskforce_id"]
    for url in ("/", "/me/"):
        assert client.get(url, follow=True).status_code == 200, url
    for url in ("/my-tasks/", "/tf/", "/directory/"):
        assert client.get(url).status_code == 200, url
    if who in ("head_username", "office_username", "liaison_username"):
        for url in (f"/tf/{tf}/", f"/tf/{tf}/tasks/", f"/tf/{tf}/members/", f"/tf/{tf}/structure/",
                    f"/tf/{tf}/type/", f"/tf/{tf}/history/"):
            assert client.get(url).status_code == 200, url


def test_the_busy_person_sees_their_tasks_and_a_task_page(demo, client):
    client.login(username=demo["busy_username"], password=demo["password"])
    busy = Person.objects.get(user__username=demo["busy_username"])
    page = client.get("/my-tasks/")
    assert page.status_code == 200
    task = Task.objects.filter(responsible=busy).exclude(status=Task.Status.DONE).first()
    assert task.title in page.content.decode()
    assert client.get(f"/tasks/{task.pk}/").status_code == 200
    assert client.get(f"/tf/{task.taskforce_id}/").status_code == 200
    assert client.get(f"/people/{busy.pk}/").status_code == 200


def test_an_administrator_can_open_every_task_force_page(demo, client):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for tf in TaskForce.objects.all():
        for url in (f"/tf/{tf.pk}/", f"/tf/{tf.pk}/tasks/", f"/tf/{tf.pk}/members/", f"/tf/{tf.pk}/structure/"):
            assert client.get(url).status_code == 200, url
    for url in ("/directory/", "/directory/people/", f"/directory/units/{Unit.objects.first().pk}/"):
        assert client.get(url).status_code == 200, url


def test_skip_if_loaded_does_nothing_when_the_scale_is_there(demo):
    from io import StringIO

    before = Task.objects.count()
    out = StringIO()
    call_command("generate", "--scale", "demo", "--no-progress", "--skip-if-loaded", stdout=out)
    assert "跳过生成" in out.getvalue() and Task.objects.count() == before
    with pytest.raises(CommandError):  # another scale is not "loaded": the usual refusal
        call_command("generate", "--scale", "city", "--no-progress", "--skip-if-loaded", stdout=StringIO())
