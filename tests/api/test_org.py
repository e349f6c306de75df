"""/api/v1/units and /api/v1/people: the org directory, scoped, with a person's secondments and load."""

from __future__ import annotations

from django.test import override_settings

from tests.api.conftest import error
from tests.factories import RegionFactory, UnitFactory, make_taskforce
from zhuanban.core.models import AuditEvent
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces import services
from zhuanban.taskforces.models import Membership


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["items"]]


# ---- units ---------------------------------------------------------------------------------------


def test_internal_users_browse_the_whole_unit_directory_with_filters(cast, api):
    city = RegionFactory(code="110000", name="B市")
    district = RegionFactory(code="110105", name="H区", level="district", parent=city)
    UnitFactory(name="H区城市管理委员会", kind=Unit.Kind.PARTY_GOV, region=district)
    bob = api(cast.bob)
    assert sorted(names(bob.get("/units"))) == sorted(["市政府办公厅", "市住房和城乡建设委员会", "市司法局", "腾讯科技有限公司",
                                               "H区城市管理委员会"])
    assert names(bob.get("/units", {"q": "住建委"})) == ["市住房和城乡建设委员会"]
    assert names(bob.get("/units", {"kind": "enterprise"})) == ["腾讯科技有限公司"]
    assert names(bob.get("/units", {"region": city.pk})) == ["H区城市管理委员会"]
    row = bob.get("/units", {"q": "腾讯"}).json()["items"][0]
    assert row["short_name"] == "腾讯" and row["kind_label"] == "企业" and row["is_government"] is False


def test_a_unit_detail_shows_its_parent_region_and_children(cast, api):
    child = UnitFactory(name="市住建委物业管理处", kind=Unit.Kind.PARTY_GOV, parent=cast.units.zjw)
    body = api(cast.bob).get(f"/units/{cast.units.zjw.pk}").json()
    assert body["name"] == "市住房和城乡建设委员会" and body["children"] == [{"id": child.pk, "name": "市住建委物业管理处"}]
    assert api(cast.bob).get(f"/units/{child.pk}").json()["parent"]["name"] == "市住建委"


def test_an_external_member_sees_only_her_own_unit_and_the_member_units_of_her_task_forces(cast, api):
    erin = api(cast.erin)
    assert sorted(names(erin.get("/units"))) == sorted(["市政府办公厅", "市住房和城乡建设委员会", "腾讯科技有限公司"])
    error(erin.get(f"/units/{cast.units.sfj.pk}"), 404, "not_found")
    error(erin.get("/units/999999"), 404, "not_found")


def test_a_system_administrator_adds_a_unit(cast, api):
    region = RegionFactory(code="110000", name="B市")
    r = api(cast.admin).post("/units", {"name": "市大数据管理局", "kind": "party_gov", "short_name": "大数据局",
                                        "parent": cast.units.gov.pk, "region": region.pk})
    assert r.status_code == 201, r.content
    assert r.json()["parent"]["name"] == "市政府办公厅" and r.json()["region"]["code"] == "110000"
    assert AuditEvent.objects.filter(action="org.unit_create", object_repr="大数据局").exists()


def test_adding_a_unit_is_refused_to_everyone_but_administrators(cast, api):
    for user in (cast.alice, cast.hank):
        error(api(user).post("/units", {"name": "新单位", "kind": "party_gov"}), 403, "forbidden")
    assert not Unit.objects.filter(name="新单位").exists()


def test_a_duplicate_unit_is_a_409_and_an_unknown_kind_a_422(cast, api):
    admin = api(cast.admin)
    error(admin.post("/units", {"name": "市司法局", "kind": "party_gov"}), 409, "duplicate_unit")
    assert error(admin.post("/units", {"name": "某单位", "kind": "club"}), 422, "invalid_unit")["fields"] == {
        "kind": "单位类别无效"}


# ---- people --------------------------------------------------------------------------------------


def test_internal_users_search_people_by_name_and_unit(cast, api):
    bob = api(cast.bob)
    assert bob.get("/people").json()["count"] == 7
    assert sorted(names(bob.get("/people", {"unit": cast.units.zjw.pk}))) == sorted(["陈联络", "李成员", "孙局长"])
    row = bob.get("/people", {"q": "赵"}).json()["items"][0]
    assert row["name"] == "赵外部" and row["is_external"] is True and row["home_unit"]["name"] == "腾讯"
    assert row["staffing"] == "external" and row["staffing_label"] == "外部人员"


def test_an_external_member_sees_only_herself_and_her_contacts(cast, api):
    erin = api(cast.erin)
    assert sorted(names(erin.get("/people"))) == sorted(["王组长", "刘主任", "陈联络", "赵外部"])
    error(erin.get(f"/people/{cast.people.bob.pk}"), 404, "not_found")


def test_a_persons_page_shows_their_secondments_and_load(cast, api):
    body = api(cast.hank).get(f"/people/{cast.people.bob.pk}").json()
    assert body["name"] == "李成员" and body["home_unit"]["name"] == "市住建委"
    assert [(s["taskforce"]["name"], s["role"]) for s in body["secondments"]] == [("物业管理条例立法专班", "member")]
    assert body["load"] == {"total_pct": 50, "active_count": 1, "limit": 3, "warnings": []}


@override_settings(ZHUANBAN={"MAX_ACTIVE_TASKFORCES": 1, "DEMO": False})
def test_a_person_over_100_percent_or_in_too_many_task_forces_carries_warnings(cast, api):
    extra = make_taskforce(cast.admin, name="健康码项目专班")
    services.join(cast.admin, extra, person=cast.people.bob, role=Membership.Role.MEMBER, workload_pct=60)
    load = api(cast.admin).get(f"/people/{cast.people.bob.pk}").json()["load"]
    assert load["total_pct"] == 110 and load["active_count"] == 2 and load["limit"] == 1
    assert len(load["warnings"]) == 2 and "110%" in load["warnings"][0]


def test_a_persons_page_lists_only_the_secondments_the_caller_may_see(cast, api):
    services.join(cast.admin, cast.other, person=cast.people.bob, role=Membership.Role.MEMBER)
    body = api(cast.charlie).get(f"/people/{cast.people.bob.pk}").json()
    assert [s["taskforce"]["name"] for s in body["secondments"]] == ["其他专班"]


def test_a_system_administrator_adds_a_person_with_a_login(cast, api):
    r = api(cast.admin).post("/people", {"name": "钱专家", "home_unit": cast.units.tencent.pk, "staffing": "external",
                                         "post": "首席架构师", "username": "qian"})
    assert r.status_code == 201, r.content
    assert r.json()["is_external"] is True and r.json()["post"] == "首席架构师"
    person = Person.objects.get(name="钱专家")
    assert person.user.username == "qian" and not person.user.has_usable_password()


def test_adding_a_person_is_refused_to_non_administrators_and_checks_the_staffing(cast, api):
    error(api(cast.alice).post("/people", {"name": "x", "home_unit": cast.units.gov.pk, "staffing": "non_staff"}),
          403, "forbidden")
    body = error(api(cast.admin).post("/people", {"name": "x", "home_unit": cast.units.gov.pk, "staffing": "boss"}),
                 422, "invalid_person")
    assert set(body["fields"]) == {"staffing"}
    error(api(cast.admin).post("/people", {"name": "x", "home_unit": 999999, "staffing": "non_staff"}),
          422, "invalid_reference")


def test_an_id_beyond_64_bits_is_bad_input_not_a_server_error(cast, api):
    response = api(cast.bob).get("/people", {"unit": 2**70})
    # SQLite's driver cannot bind it (422); on PostgreSQL Django answers such a lookup with no rows.
    assert (response.status_code == 422 and response.json()["code"] == "number_out_of_range") or \
        (response.status_code == 200 and response.json()["items"] == [])
    assert api(cast.bob).get("/people", {"offset": 2**80}).status_code in (200, 422)
