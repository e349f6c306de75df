"""``zhuanban demo``: the five public cases, loaded through the services, idempotently."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhuanban.core.models import AuditEvent
from zhuanban.demo import loader
from zhuanban.demo.cases import CASES, TASKFORCES
from zhuanban.demo.data import DEMO_PASSWORD, LOGINS
from zhuanban.meetings.models import Decision
from zhuanban.org.models import Person, Region, Unit, User
from zhuanban.taskforces import queries
from zhuanban.taskforces.models import DemandItem, Handover, Membership, MemberUnit, Period, TaskForce
from zhuanban.tasks import access as task_access
from zhuanban.tasks import services as task_services
from zhuanban.tasks.models import Dependency, Dispatch, Dispute, Milestone, ProgressUpdate, Task

MODELS = (Region, Unit, Person, User, TaskForce, MemberUnit, Membership, DemandItem, Period, Handover, AuditEvent,
          Task, Dispatch, Dispute, ProgressUpdate, Milestone, Dependency)
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
    assert before["Task"] >= 60


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


# ---- tasks (挂图作战) --------------------------------------------------------------------------------------


def test_every_task_force_has_a_task_tree(demo):
    _, tfs = demo
    without = {key for key, tf in tfs.items() if not tf.tasks.exists()}
    assert without == set()
    fzx = tfs["fzx"]
    keys = fzx.tasks.filter(parent__isnull=True)
    assert keys.count() == 12  # 12 key tasks on the wall chart, one per theme group
    assert set(keys.values_list("group__name", flat=True)) == set(fzx.groups.values_list("name", flat=True))
    assert fzx.tasks.filter(parent__isnull=False).count() >= 5  # key tasks → sub-tasks
    for task in Task.objects.exclude(status=Task.Status.DISPATCHED).exclude(status=Task.Status.DISPUTED) \
            .exclude(status=Task.Status.RETURNED):
        assert task.lead_unit_id and (task.responsible_id or task.status == Task.Status.DRAFT), task
    assert Task.objects.filter(cooperating_units__isnull=False).distinct().count() >= 40
    assert Milestone.objects.exists() and Dependency.objects.exists()


def test_running_task_forces_show_every_light_and_dissolved_ones_are_done(demo):
    _, tfs = demo
    running = Task.objects.filter(taskforce__status=TaskForce.Status.ACTIVE)
    lights = {light: running.filter(light=light).count() for light in ("red", "yellow", "green")}
    assert lights["red"] >= 5 and lights["yellow"] >= 3 and lights["green"] >= 10, lights
    for key in ("hc", "hc_ops", "wuye", "ya_venue"):
        assert tfs[key].status == TaskForce.Status.DISSOLVED
        assert set(tfs[key].tasks.values_list("status", flat=True)) == {Task.Status.DONE}, key
    overdue = running.filter(light="red").exclude(responsible=None).first()
    row = task_access.visible_tasks(User.objects.get(username="admin")).filter(pk=overdue.pk)
    from zhuanban.tasks.queries import with_list_data

    assert with_list_data(row).get().dispatching_unit_name  # the overdue task traced to person and unit


def test_dispatches_pending_and_signed_and_a_dispute_open_for_the_office(demo):
    _, tfs = demo
    assert Dispatch.objects.filter(status=Dispatch.Status.PENDING).count() >= 4
    signed = Dispatch.objects.get(status=Dispatch.Status.SIGNED)
    assert signed.signed_by.user.username == "leader" and signed.to_unit.short_name == "市住建委"
    dispute = Dispute.objects.get(status=Dispute.Status.OPEN)
    assert dispute.taskforce == tfs["ya_office"] and dispute.task.bounces == 2
    assert [b["reason"][:4] for b in dispute.bounces] == ["以网络传", "场馆利用"]
    returned = Dispatch.objects.filter(status=Dispatch.Status.RETURNED)
    assert {h.task.title for h in returned} == {"亚运场馆赛后利用成效宣传", "新闻宣传专班档案清单报送"}
    # The office director rules it; the member and the liaison each have something to sign.
    director = User.objects.get(username="director")
    task_services.rule_dispute(director, dispute, ruling="新闻宣传专班牵头、网络宣传专班配合",
                               owner_taskforce=tfs["ya_news"])
    assert task_access.awaiting_signature(User.objects.get(username="liaison")).exists()
    assert task_access.awaiting_signature(User.objects.get(username="member")).exists()
    assert task_access.awaiting_signature(User.objects.get(username="leader")).exists()


def test_progress_is_reported_by_the_people_who_did_it(demo):
    authors = set(ProgressUpdate.objects.values_list("author__username", flat=True))
    assert {"external", "office", "head", "member", "liaison", "online", "director"} <= authors
    assert ProgressUpdate.objects.count() >= 40


def test_tasks_went_through_the_services(demo):
    assert AuditEvent.objects.filter(action="task.create").count() == Task.objects.count()
    assert AuditEvent.objects.filter(action="task.dispatch").count() == Dispatch.objects.count()
    assert AuditEvent.objects.filter(action="task.dispute").count() == Dispute.objects.count() == 1


def test_a_demo_database_loaded_before_tasks_existed_gets_them(demo):
    _, tfs = demo
    brain = tfs["brain"]
    # The tasks of the case itself; the demo meeting's decision becomes a task of its own (meetings.demo).
    from_meetings = Decision.objects.filter(task__isnull=False).values("task_id")
    titles = set(brain.tasks.exclude(pk__in=from_meetings).values_list("title", flat=True))
    brain.tasks.update(parent=None)
    Dependency.objects.filter(task__taskforce=brain).delete()
    brain.tasks.all().delete()

    again = loader.load()

    assert again.created["tasks"] == len(titles) and again.created["taskforces"] == 0
    assert set(brain.tasks.exclude(pk__in=from_meetings).values_list("title", flat=True)) == titles
