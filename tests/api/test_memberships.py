"""/api/v1/memberships: member lists, a person's secondments, join / exit / replace with handover."""

from __future__ import annotations

from tests.api.conftest import error
from tests.factories import PersonFactory
from zhuanban.taskforces import services
from zhuanban.taskforces.models import DemandItem, Handover, Membership, MembershipChange


def people(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [m["person"]["name"] for m in response.json()["items"]]


def test_the_member_list_of_a_task_force_shows_roles_units_and_load(cast, api):
    body = api(cast.alice).get("/memberships", {"taskforce": cast.tf.pk}).json()
    assert body["count"] == 5
    rows = {m["person"]["name"]: m for m in body["items"]}
    liam = rows["陈联络"]
    assert liam["role"] == "liaison" and liam["role_label"] == "联络员"
    assert liam["member_unit"]["name"] == "市住建委" and liam["dispatching_unit"]["name"] == "市住建委"
    assert liam["taskforce"] == {"id": cast.tf.pk, "name": "物业管理条例立法专班", "status": "planning"}
    assert rows["刘主任"]["full_time"] is True and rows["刘主任"]["workload_pct"] == 100
    assert liam["is_active"] is True and liam["end_on"] is None


def test_ended_memberships_are_listed_on_request(cast, api):
    services.leave(cast.admin, Membership.objects.get(person=cast.people.bob), reason="回原单位")
    alice = api(cast.alice)
    assert "李成员" not in people(alice.get("/memberships", {"taskforce": cast.tf.pk}))
    ended = alice.get("/memberships", {"taskforce": cast.tf.pk, "active": "false"}).json()["items"]
    assert [(m["person"]["name"], m["end_reason"]) for m in ended] == [("李成员", "回原单位")]


def test_an_external_member_sees_only_herself_and_her_contacts_in_the_member_list(cast, api):
    assert sorted(people(api(cast.erin).get("/memberships", {"taskforce": cast.tf.pk}))) == sorted(
        ["王组长", "刘主任", "陈联络", "赵外部"])


def test_a_persons_secondments_are_those_the_caller_may_see(cast, api):
    services.join(cast.admin, cast.other, person=cast.people.bob, role=Membership.Role.MEMBER)
    assert sorted(people(api(cast.hank).get("/memberships", {"person": cast.people.bob.pk}))) == ["李成员"] * 2
    charlie_view = api(cast.charlie).get("/memberships", {"person": cast.people.bob.pk}).json()["items"]
    assert [m["taskforce"]["name"] for m in charlie_view] == ["其他专班"]


def test_listing_memberships_needs_a_task_force_or_a_person(cast, api):
    assert set(error(api(cast.alice).get("/memberships"), 422, "filter_required")["fields"]) == {"taskforce", "person"}


def test_listing_the_members_of_an_invisible_task_force_is_a_404(cast, api):
    error(api(cast.charlie).get("/memberships", {"taskforce": cast.tf.pk}), 404, "not_found")


def test_a_person_joins_with_who_decided_and_why(cast, api):
    newcomer = PersonFactory(name="吴新人", home_unit=cast.units.sfj)
    r = api(cast.olivia).post("/memberships", {
        "taskforce": cast.tf.pk, "person": newcomer.pk, "role": "member", "workload_pct": 40,
        "start_on": "2026-01-12", "decided_by": "专班领导小组会议", "reason": "补充法制力量"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["person"]["name"] == "吴新人" and body["dispatching_unit"]["name"] == "市司法局"
    assert body["start_on"] == "2026-01-12" and body["workload_pct"] == 40
    change = MembershipChange.objects.get(membership_id=body["id"])
    assert (change.kind, change.decided_by, change.reason) == ("join", "专班领导小组会议", "补充法制力量")
    assert api(cast.olivia).get(f"/memberships/{body['id']}").json()["role"] == "member"


def test_a_second_active_liaison_for_a_member_unit_is_a_409(cast, api):
    newcomer = PersonFactory(name="吴新人", home_unit=cast.units.zjw)
    r = api(cast.alice).post("/memberships", {
        "taskforce": cast.tf.pk, "person": newcomer.pk, "role": "liaison", "member_unit": cast.mu.zjw.pk})
    body = error(r, 409, "liaison_exists")
    assert body["fields"] == {"member_unit": "已有在岗联络员"} and "陈联络" in body["message"]
    assert not Membership.objects.filter(person=newcomer).exists()


def test_joining_with_a_member_unit_of_another_task_force_is_a_422_naming_it(cast, api):
    newcomer = PersonFactory(home_unit=cast.units.zjw)
    r = api(cast.admin).post("/memberships", {"taskforce": cast.other.pk, "person": newcomer.pk, "role": "liaison",
                                             "member_unit": cast.mu.zjw.pk})
    assert error(r, 422, "invalid_reference")["fields"] == {"member_unit": "不存在或无权查看"}


def test_a_view_only_member_cannot_add_people(cast, api):
    newcomer = PersonFactory(home_unit=cast.units.zjw)
    error(api(cast.bob).post("/memberships", {"taskforce": cast.tf.pk, "person": newcomer.pk, "role": "member"}),
          403, "forbidden")


def test_a_member_exits_with_the_decision_recorded(cast, api):
    m = Membership.objects.get(person=cast.people.bob)
    r = api(cast.alice).post(f"/memberships/{m.pk}/exit", {"on": "2026-02-01", "decided_by": "组长", "reason": "借调期满"})
    assert r.status_code == 200, r.content
    assert r.json()["end_on"] == "2026-02-01" and r.json()["is_active"] is False
    error(api(cast.alice).post(f"/memberships/{m.pk}/exit", {}), 409, "already_ended")


def test_a_liaison_with_open_items_cannot_simply_exit(cast, api):
    services.add_demand(cast.admin, cast.tf, title="收集住建委意见", owner=cast.people.liam)
    m = Membership.objects.get(person=cast.people.liam)
    body = error(api(cast.alice).post(f"/memberships/{m.pk}/exit", {}), 409, "liaison_has_open_items")
    assert [b["title"] for b in body["blockers"]] == ["收集住建委意见"]


def test_replacing_a_liaison_hands_the_open_items_to_the_successor(cast, api):
    item = services.add_demand(cast.admin, cast.tf, title="收集住建委意见", owner=cast.people.liam)
    successor = PersonFactory(name="郑接任", home_unit=cast.units.zjw)
    m = Membership.objects.get(person=cast.people.liam)
    r = api(cast.alice).post(f"/memberships/{m.pk}/replace", {
        "successor": successor.pk, "decided_by": "市住建委", "reason": "岗位调整", "note": "资料已移交"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["person"]["name"] == "郑接任" and body["role"] == "liaison"
    assert body["member_unit"]["id"] == cast.mu.zjw.pk
    handover = Handover.objects.get(predecessor=m)
    assert handover.items[0]["title"] == "收集住建委意见" and handover.note == "资料已移交"
    assert DemandItem.objects.get(pk=item.pk).owner == successor
    units = api(cast.alice).get(f"/taskforces/{cast.tf.pk}/member-units").json()
    assert units[1]["liaison"]["person"]["name"] == "郑接任"


def test_replacing_with_someone_already_in_the_task_force_is_a_409(cast, api):
    m = Membership.objects.get(person=cast.people.liam)
    r = api(cast.alice).post(f"/memberships/{m.pk}/replace", {"successor": cast.people.bob.pk})
    assert error(r, 409, "already_member")["fields"] == {"successor": "已在本专班"}


def test_a_replacement_dated_before_the_predecessor_joined_is_a_422_naming_on(cast, api):
    successor = PersonFactory(home_unit=cast.units.zjw)
    m = Membership.objects.get(person=cast.people.liam)
    r = api(cast.alice).post(f"/memberships/{m.pk}/replace", {"successor": successor.pk, "on": "2026-01-01"})
    assert error(r, 422, "invalid_end")["fields"] == {"on": "不能早于加入日期"}
    m.refresh_from_db()
    assert m.end_on is None


def test_a_membership_outside_the_callers_view_is_a_404(cast, api):
    m = Membership.objects.get(person=cast.people.bob)
    charlie = api(cast.charlie)
    for response in (charlie.get(f"/memberships/{m.pk}"), charlie.post(f"/memberships/{m.pk}/exit", {}),
                     charlie.get("/memberships/999999")):
        error(response, 404, "not_found")
    # an external member does not see colleagues who are not her contacts
    error(api(cast.erin).get(f"/memberships/{m.pk}"), 404, "not_found")
