"""POST /api/v1/taskforces/{id}/{action}: the lifecycle through HTTP, and the history it leaves."""

from __future__ import annotations

from tests.api.conftest import error
from zhuanban.taskforces import services
from zhuanban.taskforces.models import DemandItem, Membership, TaskForce

DONE = {"summary": "草案已提交常委会审议", "lessons": "闭门起草、集中办公效率高"}


def status_of(tf: TaskForce) -> str:
    tf.refresh_from_db()
    return tf.status


def test_a_task_force_is_activated_suspended_resumed_and_dissolved(cast, api):
    alice, url = api(cast.alice), f"/taskforces/{cast.tf.pk}"
    r = alice.post(f"{url}/activate", {"on": "2026-01-06"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "active"
    assert [a["code"] for a in r.json()["allowed_actions"]] == ["suspend", "dissolve", "merge"]
    assert r.json()["periods"][0]["started_on"] == "2026-01-06"
    assert alice.post(f"{url}/suspend", {"reason": "等待上级批示"}).json()["status"] == "suspended"
    assert alice.post(f"{url}/resume").json()["status"] == "active"
    body = alice.post(f"{url}/dissolve", {**DONE, "on": "2026-03-01"}).json()
    assert body["status"] == "dissolved" and body["dissolved_on"] == "2026-03-01"
    assert body["summary"] == DONE["summary"]
    # 事毕人归: every membership ends with the task force
    assert not Membership.objects.filter(taskforce=cast.tf, end_on__isnull=True).exists()


def test_activating_without_a_body_uses_today(cast, api):
    r = api(cast.alice).post(f"/taskforces/{cast.tf.pk}/activate")
    assert r.status_code == 200 and r.json()["status"] == "active"


def test_dissolving_with_open_items_is_a_409_listing_the_blockers(cast, api):
    services.activate(cast.admin, cast.tf)
    item = services.add_demand(cast.admin, cast.tf, title="征求物业企业意见", owner=cast.people.liam)
    r = api(cast.alice).post(f"/taskforces/{cast.tf.pk}/dissolve", DONE)
    body = error(r, 409, "dissolution_blocked")
    assert body["blockers"] == [{
        "kind": "open_item", "message": "未办结事项：征求物业企业意见",
        "item": {"kind": "demand", "id": item.pk, "title": "征求物业企业意见", "owner_id": cast.people.liam.pk},
    }]
    assert status_of(cast.tf) == "active"
    assert Membership.objects.filter(taskforce=cast.tf, end_on__isnull=True).count() == 5


def test_dissolving_without_summary_and_lessons_lists_both_as_blockers(cast, api):
    services.activate(cast.admin, cast.tf)
    body = error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/dissolve", {}), 409, "dissolution_blocked")
    assert [b["kind"] for b in body["blockers"]] == ["summary", "lessons"]


def test_closing_the_open_items_lets_the_task_force_dissolve(cast, api):
    services.activate(cast.admin, cast.tf)
    item = services.add_demand(cast.admin, cast.tf, title="征求物业企业意见")
    alice = api(cast.alice)
    r = alice.patch(f"/taskforces/{cast.tf.pk}/demands/{item.pk}", {"status": "done"})
    assert r.status_code == 200 and r.json()["status"] == "done"
    blockers = alice.get(f"/taskforces/{cast.tf.pk}").json()["dissolution_blockers"]
    assert [b["kind"] for b in blockers] == ["summary", "lessons"]  # written with the dissolution below
    assert alice.post(f"/taskforces/{cast.tf.pk}/dissolve", DONE).json()["status"] == "dissolved"


def test_an_illegal_transition_is_a_409_with_the_reason(cast, api):
    body = error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/suspend", {"reason": "x"}), 409,
                 "illegal_transition")
    assert body["status"] == "planning" and body["action"] == "suspend"
    assert "筹建" in body["message"]
    error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/restart", {"reason": "x"}), 409, "illegal_transition")


def test_suspending_without_a_reason_is_a_422_naming_reason(cast, api):
    services.activate(cast.admin, cast.tf)
    assert "reason" in error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/suspend", {}), 422,
                             "validation_error")["fields"]
    body = error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/suspend", {"reason": " "}), 422,
                 "reason_required")
    assert body["fields"] == {"reason": "请填写暂停理由"}


def test_a_dissolved_task_force_is_restarted_in_a_new_period(cast, api):
    services.activate(cast.admin, cast.tf)
    services.dissolve(cast.admin, cast.tf, **DONE)
    r = api(cast.admin).post(f"/taskforces/{cast.tf.pk}/restart", {"reason": "条例修订再启动"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "active" and body["dissolved_on"] is None
    assert [p["number"] for p in body["periods"]] == [1, 2] and body["periods"][1]["reason"] == "条例修订再启动"


def test_merging_moves_the_members_into_the_other_task_force(cast, api):
    r = api(cast.admin).post(f"/taskforces/{cast.tf.pk}/merge", {"into": cast.other.pk, "reason": "职能整合"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "merged" and r.json()["merged_into"]["id"] == cast.other.pk
    moved = set(Membership.objects.filter(taskforce=cast.other, end_on__isnull=True)
                .values_list("person__name", flat=True))
    assert {"李成员", "陈联络", "周其他"} <= moved


def test_merging_into_a_task_force_the_caller_cannot_see_is_a_422_naming_into(cast, api):
    body = error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/merge", {"into": cast.other.pk}), 422,
                 "invalid_reference")
    assert body["fields"] == {"into": "不存在或无权查看"}
    assert status_of(cast.tf) == "planning"


def test_an_unknown_action_is_a_404(cast, api):
    error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/explode"), 404, "unknown_action")
    # …and on a task force the caller cannot see, the same 404 as any invisible id
    error(api(cast.charlie).post(f"/taskforces/{cast.tf.pk}/explode"), 404, "not_found")


def test_a_view_only_user_cannot_run_lifecycle_actions(cast, api):
    for user in (cast.hank, cast.bob, cast.erin):
        error(api(user).post(f"/taskforces/{cast.tf.pk}/activate"), 403, "forbidden")
    assert status_of(cast.tf) == "planning"


def test_the_history_lists_the_task_forces_events_newest_first(cast, api):
    alice = api(cast.alice)
    alice.patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "goals": "两周内形成草案"})
    alice.post(f"/taskforces/{cast.tf.pk}/activate")
    events = alice.get(f"/taskforces/{cast.tf.pk}/history").json()
    assert [e["action"] for e in events[:2]] == ["taskforce.activate", "taskforce.update"]
    activate, update = events[:2]
    assert activate["action_label"] == "启动运行" and activate["actor"] == "alice" and activate["channel"] == "api"
    assert activate["before"] == {"status": "planning"} and activate["after"] == {"status": "active"}
    assert update["after"] == {"goals": "两周内形成草案"}
    assert events[-1]["action"] == "taskforce.create"
    assert "membership.join" in {e["action"] for e in events}
    assert len(alice.get(f"/taskforces/{cast.tf.pk}/history", {"limit": 1}).json()) == 1


def test_the_home_unit_leader_may_read_the_history(cast, api):
    assert api(cast.hank).get(f"/taskforces/{cast.tf.pk}/history").status_code == 200


def test_open_demand_items_are_hidden_from_external_members_unless_theirs(cast, api):
    services.add_demand(cast.admin, cast.tf, title="平台接口对接", owner=cast.people.erin)
    services.add_demand(cast.admin, cast.tf, title="内部会签", owner=cast.people.bob)
    assert [d["title"] for d in api(cast.erin).get(f"/taskforces/{cast.tf.pk}/demands").json()] == ["平台接口对接"]
    assert len(api(cast.alice).get(f"/taskforces/{cast.tf.pk}/demands").json()) == 2
    assert DemandItem.objects.filter(taskforce=cast.tf).count() == 2
