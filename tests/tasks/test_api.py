"""The task API through HTTP: the bad inputs of issue 6, the dispatch chain, disputes, query counts."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, error
from tests.querycount import assert_constant_queries
from zhuanban.tasks import services
from zhuanban.tasks.models import Task


@pytest.fixture
def office(cast):
    return Api(cast.olivia)


def create(api: Api, cast, **kw):
    body = {"taskforce": cast.tf.pk, "title": "任务", **kw}
    r = api.post("/tasks", body)
    assert r.status_code == 201, r.content
    return r.json()


class TestBadInput:
    def test_parent_cycle_is_422(self, cast, office):
        a = create(office, cast, title="A")
        b = create(office, cast, title="B", parent=a["id"])
        r = office.patch(f"/tasks/{a['id']}", {"version": a["version"], "parent": b["id"]})
        assert error(r, 422, "parent_cycle")["fields"] == {"parent": "会形成循环"}

    def test_dependency_cycle_is_422(self, cast, office):
        a = create(office, cast, title="A")
        b = create(office, cast, title="B", depends_on=[a["id"]])
        r = office.patch(f"/tasks/{a['id']}", {"version": a["version"], "depends_on": [b["id"]]})
        error(r, 422, "dependency_cycle")

    def test_due_before_start_is_422(self, cast, office):
        r = office.post("/tasks", {"taskforce": cast.tf.pk, "title": "x", "start_at": "2026-03-10",
                                   "due_at": "2026-03-01"})
        error(r, 422, "due_before_start")

    def test_signing_a_task_not_dispatched_to_you(self, cast, office):
        t = create(office, cast)
        office.post(f"/tasks/{t['id']}/dispatch", {"to_person": cast.people.bob.pk})
        error(Api(cast.liam).post(f"/tasks/{t['id']}/sign"), 403, "forbidden")
        error(Api(cast.charlie).post(f"/tasks/{t['id']}/sign"), 404, "not_found")

    def test_returning_without_a_reason_is_422(self, cast, office):
        t = create(office, cast)
        office.post(f"/tasks/{t['id']}/dispatch", {"to_person": cast.people.bob.pk})
        error(Api(cast.bob).post(f"/tasks/{t['id']}/return", {"reason": ""}), 422, "reason_required")

    def test_completing_with_open_children_is_409_listing_them(self, cast, office):
        parent = create(office, cast, title="父", responsible=cast.people.bob.pk)
        child = create(office, cast, title="子", parent=parent["id"])
        body = error(Api(cast.bob).post(f"/tasks/{parent['id']}/complete"), 409, "open_children")
        assert body["children"] == [{"id": child["id"], "title": "子", "status": "draft"}]

    def test_concurrent_updates_one_wins_the_other_409_loses_nothing(self, cast, office):
        t = create(office, cast, title="原标题")
        r1 = office.patch(f"/tasks/{t['id']}", {"version": t["version"], "title": "甲"})
        assert r1.status_code == 200
        r2 = Api(cast.alice).patch(f"/tasks/{t['id']}", {"version": t["version"], "title": "乙"})
        body = error(r2, 409, "stale_version")
        assert body["current_version"] == t["version"] + 1
        assert office.get(f"/tasks/{t['id']}").json()["title"] == "甲"

    def test_unknown_reference_is_422(self, cast, office):
        error(office.post("/tasks", {"taskforce": cast.tf.pk, "title": "x", "lead_unit": 999999}),
              422, "invalid_reference")

    def test_progress_out_of_range_is_422(self, cast, office):
        t = create(office, cast)
        error(office.post(f"/tasks/{t['id']}/progress", {"progress": 101}), 422, "validation_error")


class TestFlow:
    def test_dispatch_sign_progress_complete_confirm(self, cast, office):
        t = create(office, cast, title="立法调研", lead_unit=cast.units.zjw.pk, due_in_workdays=5)
        r = office.post(f"/tasks/{t['id']}/dispatch", {"to_unit": cast.units.zjw.pk})
        assert r.json()["status"] == "dispatched" and len(r.json()["unsigned"]) == 1
        r = Api(cast.liam).post(f"/tasks/{t['id']}/sign")
        assert r.json()["status"] == "signed" and r.json()["unsigned"] == []
        Api(cast.liam).post(f"/tasks/{t['id']}/progress", {"progress": 50, "note": "过半"})
        r = Api(cast.liam).post(f"/tasks/{t['id']}/complete")
        assert r.json()["status"] == "pending_confirmation"
        r = Api(cast.liam).post(f"/tasks/{t['id']}/confirm")
        assert r.json()["status"] == "done"
        assert [h["action"] for h in r.json()["history"]][:2] == ["task.confirm", "task.complete"]

    def test_disputes_are_listed_and_ruled(self, cast, office):
        t = create(office, cast, title="推诿")
        for who in (cast.people.bob, cast.people.liam):
            office.post(f"/tasks/{t['id']}/dispatch", {"to_person": who.pk})
            Api(who.user).post(f"/tasks/{t['id']}/return", {"reason": "不归我们"})
        disputes = office.get("/disputes", {"status": "open"}).json()
        assert len(disputes) == 1 and disputes[0]["task"]["id"] == t["id"]
        error(Api(cast.bob).post(f"/disputes/{disputes[0]['id']}/rule", {"ruling": "x",
              "owner_person": cast.people.bob.pk}), 403, "forbidden")
        error(office.post(f"/disputes/{disputes[0]['id']}/rule", {"ruling": "", "owner_person": cast.people.bob.pk}),
              422, "ruling_required")
        r = office.post(f"/disputes/{disputes[0]['id']}/rule", {"ruling": "李成员负责",
                                                                "owner_person": cast.people.bob.pk})
        assert r.json()["status"] == "ruled"
        detail = office.get(f"/tasks/{t['id']}").json()
        assert detail["disputes"][0]["ruling"] == "李成员负责" and detail["responsible"]["id"] == cast.people.bob.pk
        error(Api(cast.charlie).post(f"/disputes/{disputes[0]['id']}/rule", {"ruling": "x"}), 404, "not_found")

    def test_my_tasks_across_task_forces_by_urgency(self, cast, office):
        from tests.factories import make_taskforce
        from zhuanban.taskforces import services as tf_services
        from zhuanban.taskforces.models import Membership

        second = make_taskforce(cast.admin, name="第二专班")
        tf_services.join(cast.admin, second, person=cast.people.bob, role=Membership.Role.MEMBER,
                         start_on=cast.tf.established_on)
        services.create_task(cast.admin, cast.tf, title="不急", responsible=cast.people.bob)
        services.create_task(cast.admin, second, title="逾期", responsible=cast.people.bob,
                             start_at=__import__("datetime").date(2026, 1, 5),
                             due_at=__import__("datetime").date(2026, 1, 6))
        items = Api(cast.bob).get("/my-tasks").json()["items"]
        assert [i["title"] for i in items] == ["逾期", "不急"]
        assert items[0]["light"] == "red"


class TestVisibility:
    def test_external_members_see_only_their_own_tasks(self, cast, office):
        mine = create(office, cast, title="外部成员的", responsible=cast.people.erin.pk)
        create(office, cast, title="别人的")
        erin = Api(cast.erin)
        assert [i["id"] for i in erin.get("/tasks", {"taskforce": cast.tf.pk}).json()["items"]] == [mine["id"]]
        others = Task.objects.exclude(pk=mine["id"]).get()
        error(erin.get(f"/tasks/{others.pk}"), 404, "not_found")

    def test_outsiders_see_nothing(self, cast, office):
        t = create(office, cast)
        assert Api(cast.charlie).get("/tasks").json()["count"] == 0
        error(Api(cast.charlie).get(f"/tasks/{t['id']}"), 404, "not_found")


class TestQueryCounts:
    def test_task_list_is_constant(self, cast, office):
        services.create_task(cast.admin, cast.tf, title="seed")

        def grow():
            for i in range(3):
                t = services.create_task(cast.admin, cast.tf, title=f"t{i}", responsible=cast.people.bob,
                                         lead_unit=cast.units.zjw, cooperating_units=[cast.units.gov])
                services.create_task(cast.admin, cast.tf, title=f"c{i}", parent=t)

        assert_constant_queries(office.client, f"/api/v1/tasks?taskforce={cast.tf.pk}&q=", grow)

    def test_my_tasks_is_constant(self, cast):
        services.create_task(cast.admin, cast.tf, title="seed", responsible=cast.people.bob)

        def grow():
            for i in range(3):
                services.create_task(cast.admin, cast.tf, title=f"t{i}", responsible=cast.people.bob,
                                     lead_unit=cast.units.zjw)

        assert_constant_queries(Api(cast.bob).client, "/api/v1/my-tasks", grow)
