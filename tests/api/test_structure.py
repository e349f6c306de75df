"""A task force's structure through the API: member units, theme groups, demand list, targets."""

from __future__ import annotations

from tests.api.conftest import error
from zhuanban.core.models import AuditEvent


def test_member_units_are_listed_with_their_liaison(cast, api):
    units = api(cast.bob).get(f"/taskforces/{cast.tf.pk}/member-units").json()
    assert [(u["unit"]["name"], u["role"]) for u in units] == [("市政府办公厅", "lead"), ("市住建委", "participating")]
    zjw = units[1]
    assert zjw["liaison"] == {"membership_id": zjw["liaison"]["membership_id"],
                              "person": {"id": cast.people.liam.pk, "name": "陈联络", "unit": "市住建委"}}
    assert zjw["is_government"] is True and zjw["role_label"] == "参与单位"


def test_a_manager_adds_a_member_unit(cast, api):
    r = api(cast.olivia).post(f"/taskforces/{cast.tf.pk}/member-units",
                              {"unit": cast.units.tencent.pk, "role": "supporting", "joined_on": "2026-01-10"})
    assert r.status_code == 201, r.content
    assert r.json()["unit"]["name"] == "腾讯" and r.json()["is_government"] is False
    assert r.json()["liaison"] is None and r.json()["joined_on"] == "2026-01-10"
    assert AuditEvent.objects.filter(action="membership.unit_add", taskforce_id=cast.tf.pk).count() == 3


def test_adding_a_unit_that_is_already_a_member_is_a_409(cast, api):
    r = api(cast.alice).post(f"/taskforces/{cast.tf.pk}/member-units", {"unit": cast.units.zjw.pk, "role": "lead"})
    assert error(r, 409, "duplicate_member_unit")["fields"] == {"unit": "已是成员单位"}


def test_a_member_unit_with_an_unknown_role_is_a_422_naming_role(cast, api):
    r = api(cast.alice).post(f"/taskforces/{cast.tf.pk}/member-units", {"unit": cast.units.sfj.pk, "role": "boss"})
    assert set(error(r, 422, "invalid_role")["fields"]) == {"role"}


def test_theme_groups_are_added_and_listed(cast, api):
    alice = api(cast.alice)
    r = alice.post(f"/taskforces/{cast.tf.pk}/groups",
                   {"name": "起草组", "lead_unit": cast.units.sfj.pk, "lead_person": cast.people.bob.pk})
    assert r.status_code == 201, r.content
    assert r.json()["lead_unit"]["name"] == "市司法局" and r.json()["lead_person"]["name"] == "李成员"
    groups = alice.get(f"/taskforces/{cast.tf.pk}/groups").json()
    assert [g["name"] for g in groups] == ["起草组"]
    assert alice.get(f"/taskforces/{cast.tf.pk}").json()["structure"]["groups"][0]["name"] == "起草组"


def test_a_second_group_with_the_same_name_is_a_409(cast, api):
    alice = api(cast.alice)
    alice.post(f"/taskforces/{cast.tf.pk}/groups", {"name": "起草组"})
    error(alice.post(f"/taskforces/{cast.tf.pk}/groups", {"name": "起草组"}), 409, "duplicate_group")


def test_demand_items_are_added_and_listed(cast, api):
    alice = api(cast.alice)
    r = alice.post(f"/taskforces/{cast.tf.pk}/demands",
                   {"title": "业主大会成立难", "source": "上海调研", "owner": cast.people.liam.pk})
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "open" and r.json()["owner"]["name"] == "陈联络"
    assert [d["title"] for d in alice.get(f"/taskforces/{cast.tf.pk}/demands").json()] == ["业主大会成立难"]


def test_handing_over_a_demand_item_needs_a_destination(cast, api):
    alice = api(cast.alice)
    item = alice.post(f"/taskforces/{cast.tf.pk}/demands", {"title": "物业费调价"}).json()
    url = f"/taskforces/{cast.tf.pk}/demands/{item['id']}"
    assert error(alice.patch(url, {"status": "handed_over"}), 422, "invalid_handover")["fields"] == {
        "handed_over_to": "请填写移交去向"}
    r = alice.patch(url, {"status": "handed_over", "handed_over_to": "市发改委"})
    assert r.json()["status"] == "handed_over" and r.json()["handed_over_to"] == "市发改委"


def test_a_demand_item_of_another_task_force_is_a_404(cast, api):
    other_item = api(cast.admin).post(f"/taskforces/{cast.other.pk}/demands", {"title": "x"}).json()
    error(api(cast.alice).patch(f"/taskforces/{cast.tf.pk}/demands/{other_item['id']}", {"status": "done"}),
          404, "not_found")


def test_quantified_targets_are_added_and_shown(cast, api):
    alice = api(cast.alice)
    r = alice.post(f"/taskforces/{cast.tf.pk}/targets", {
        "description": "两周内形成条例草案", "metric": "草案条文", "target_value": "120", "unit_of_measure": "条",
        "due_on": "2026-01-19"})
    assert r.status_code == 201, r.content
    assert r.json()["due_on"] == "2026-01-19" and float(r.json()["target_value"]) == 120
    assert [t["description"] for t in alice.get(f"/taskforces/{cast.tf.pk}/targets").json()] == ["两周内形成条例草案"]
    assert alice.get(f"/taskforces/{cast.tf.pk}").json()["targets"][0]["metric"] == "草案条文"


def test_a_target_due_before_establishment_is_a_422_naming_due_on(cast, api):
    r = api(cast.alice).post(f"/taskforces/{cast.tf.pk}/targets", {"description": "x", "due_on": "2025-01-01"})
    assert set(error(r, 422, "invalid_target")["fields"]) == {"due_on"}


def test_view_only_users_cannot_change_the_structure(cast, api):
    for user in (cast.hank, cast.bob, cast.liam, cast.erin):
        client = api(user)
        error(client.post(f"/taskforces/{cast.tf.pk}/member-units", {"unit": cast.units.sfj.pk, "role": "lead"}),
              403, "forbidden")
        error(client.post(f"/taskforces/{cast.tf.pk}/demands", {"title": "x"}), 403, "forbidden")
        error(client.post(f"/taskforces/{cast.tf.pk}/targets", {"description": "x"}), 403, "forbidden")
