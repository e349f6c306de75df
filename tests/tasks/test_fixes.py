"""Fixes from the review of the tasks app, each with the test that failed before it:

- the importer's progress goes through ``services.create_task`` (the create event shows it, no save
  behind the service's back);
- a person's load counts only the secondments the viewer may see (it no longer reveals how many 敏感
  task forces someone sits in);
- a merge moves the disputes with their tasks;
- a 敏感 task dispatched to a unit can be seen and signed by that unit's liaison;
- the API's task actions all run through one helper (``api.act``) with one contract.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, error
from tests.factories import make_taskforce
from tests.tasks.test_web import xlsx
from tests.web.conftest import text
from zhuanban.core.errors import Invalid
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import queries as tf_queries
from zhuanban.taskforces import services as tf_services
from zhuanban.tasks import access, services
from zhuanban.tasks import api as tasks_api
from zhuanban.tasks.models import Dispute, Task

# ---- (a) imported progress through the service -------------------------------------------------------


def test_imported_progress_is_in_the_create_event_and_the_version_is_the_first(cast, as_user):
    r = as_user(cast.olivia).post(f"/tf/{cast.tf.pk}/tasks/import/",
                                  {"file": xlsx([[1, "立法调研", "市住建委", "", "李成员", "2026-03-31", "40%"]])})
    assert r.status_code == 302
    task = Task.objects.get(title="立法调研")
    assert task.progress == 40 and task.version == 1
    event = AuditEvent.objects.for_object(task).get(action="task.create")
    assert event.after["progress"] == 40


def test_create_task_refuses_progress_out_of_range(cast, mk):
    with pytest.raises(Invalid) as err:
        mk("进度越界", progress=120)
    assert err.value.fields == {"progress": "须在 0–100 之间"}


# ---- (b) the load warning does not reveal task forces the viewer cannot see ----------------------------


@pytest.fixture
def secret_tf(cast):
    """bob (50 % in tf) also sits in a 敏感 task force with 60 %: 110 % in all."""
    tf = make_taskforce(cast.admin, name="某涉密专项专班", security_label="sensitive")
    tf_services.join(cast.admin, tf, person=cast.people.bob, role="member", workload_pct=60)
    return tf


@pytest.mark.parametrize(("viewer", "total", "warned"), [
    ("bob", 110, True), ("admin", 110, True),  # the person and administrators see all of it
    ("alice", 50, False), ("olivia", 50, False),  # the head and office of tf see their own task force
    ("hank", 50, False),  # bob's home-unit leader: not into a 敏感 task force he is not in
])
def test_person_load_counts_only_what_the_viewer_may_see(cast, secret_tf, viewer, total, warned):
    load = tf_queries.person_load(cast.people.bob, getattr(cast, viewer))
    assert load.total_pct == total and bool(load.warnings) is warned
    assert (cast.people.bob.pk in tf_queries.overloaded_people([cast.people.bob.pk], getattr(cast, viewer))) is warned


def test_person_page_and_api_do_not_show_the_hidden_load(cast, secret_tf, as_user):
    bob = cast.people.bob
    page = text(as_user(cast.alice).get(f"/people/{bob.pk}/"))
    assert "110%" not in page and "50%" in page
    load = Api(cast.alice).get(f"/people/{bob.pk}").json()["load"]
    assert (load["total_pct"], load["active_count"], load["warnings"]) == (50, 1, [])
    assert Api(bob.user).get(f"/people/{bob.pk}").json()["load"]["total_pct"] == 110
    assert 'data-testid="load-warning"' not in text(as_user(cast.alice).get(f"/tf/{cast.tf.pk}/members/"))


# ---- (c) a merge moves the disputes with their tasks -------------------------------------------------


def _disputed(cast, mk) -> Task:
    task = mk("网络话题策划")
    for _ in range(2):
        services.dispatch(cast.olivia, task, to_person=cast.people.bob)
        task.refresh_from_db()
        services.return_task(cast.bob, task, reason="不属于本单位职责")
        task.refresh_from_db()
    assert task.status == Task.Status.DISPUTED
    return task


def test_a_merge_moves_the_open_dispute_to_the_receiving_task_force(cast, mk):
    task = _disputed(cast, mk)
    target = make_taskforce(cast.admin, name="接收专班")
    tf_services.merge(cast.admin, cast.tf, into=target, reason="职责整合")
    dispute = Dispute.objects.get(task=task)
    assert dispute.taskforce == target
    assert Task.objects.get(pk=task.pk).taskforce == target
    body = Api(cast.admin).get("/disputes", {"taskforce": target.pk}).json()
    assert [d["id"] for d in body] == [dispute.pk]


# ---- (d) a 敏感 task dispatched to a unit reaches the unit's liaison -----------------------------------


def test_the_liaison_of_the_receiving_unit_sees_and_signs_a_sensitive_task(cast, mk):
    task = mk("涉密方案征求意见", security_label="sensitive")
    services.dispatch(cast.olivia, task, to_unit=cast.units.zjw)
    assert access.visible_tasks(cast.liam).filter(pk=task.pk).exists()
    assert not access.visible_tasks(cast.bob).filter(pk=task.pk).exists()  # a member of the unit, not its voice
    r = Api(cast.liam).post(f"/tasks/{task.pk}/sign")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "signed"


def test_the_receiving_unit_leader_sees_a_task_dispatched_to_the_unit(cast, mk):
    task = mk("派往住建委", security_label="sensitive")
    services.dispatch(cast.olivia, task, to_unit=cast.units.zjw)
    assert access.visible_tasks(cast.hank).filter(pk=task.pk).exists()
    other = mk("派往司法局", security_label="sensitive")
    services.dispatch(cast.olivia, other, to_unit=cast.units.sfj)
    assert not access.visible_tasks(cast.hank).filter(pk=other.pk).exists()
    assert not access.visible_tasks(cast.liam).filter(pk=other.pk).exists()


# ---- (e) one helper for every action ------------------------------------------------------------------

ACTIONS = [("dispatch", {"to_person": "bob"}), ("sign", None), ("return", {"reason": "x"}),
           ("progress", {"progress": 10}), ("complete", None), ("confirm", None), ("verify", None),
           ("reopen", {"reason": "x"}), ("reassign", {"responsible": "liam"})]


def _body(cast, body):
    return {k: getattr(cast.people, v).pk if k in ("to_person", "responsible") else v
            for k, v in (body or {}).items()}


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_every_action_runs_through_the_one_helper(cast, mk, monkeypatch, action, body):
    calls = []
    real = tasks_api.act

    def spy(request, task_id, service, *args, **kw):
        calls.append(service.__name__)
        return real(request, task_id, service, *args, **kw)

    monkeypatch.setattr(tasks_api, "act", spy)
    task = mk("任务")
    Api(cast.admin).post(f"/tasks/{task.pk}/{action}", _body(cast, body))
    assert len(calls) == 1


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_every_action_hides_an_invisible_task_and_refuses_a_stale_version(cast, mk, action, body):
    task = mk("任务", responsible=cast.people.bob)
    error(Api(cast.charlie).post(f"/tasks/{task.pk}/{action}", _body(cast, body)), 404, "not_found")
    # Bring the task to where the action may start, then act on an older version.
    start = {"sign": "dispatched", "return": "dispatched", "confirm": "pending_confirmation",
             "verify": "pending_verification", "reopen": "done"}.get(action)
    if start == "dispatched":
        services.dispatch(cast.olivia, task, to_person=cast.people.bob)
    elif start:
        Task.objects.filter(pk=task.pk).update(status=start)
    task.refresh_from_db()
    r = Api(cast.admin).post(f"/tasks/{task.pk}/{action}", {**_body(cast, body), "version": task.version - 1})
    assert error(r, 409, "stale_version")["current_version"] == task.version
