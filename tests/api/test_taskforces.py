"""/api/v1/taskforces: list, create, detail, edit — and who sees what."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import error
from tests.factories import make_taskforce
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import services
from zhuanban.taskforces.models import Membership, TaskForce


def new_taskforce(cast: Any, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "城市副中心建设专班",
        "core_matter": "统筹推进城市副中心规划建设",
        "goals": "年内完成 12 项重点任务",
        "basis": "notice",
        "basis_document_no": "京政办发〔2026〕3号",
        "established_on": "2026-02-01",
        "planned_end": "2027-02-01",
        "task_nature": "composite",
        "purpose": "routine",
        "entity_operation": True,
        "decision_mode": "lead_department",
        "lead_unit": cast.units.zjw.pk,
    }
    data.update(over)
    return data


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["items"]]


# ---- list ----------------------------------------------------------------------------------------


def test_the_list_shows_each_task_force_with_its_types_flags_and_member_count(cast, api):
    body = api(cast.admin).get("/taskforces").json()
    assert body["count"] == 2
    rows = {row["name"]: row for row in body["items"]}
    tf = rows["物业管理条例立法专班"]
    assert tf["li_type"] == {"code": "project_cooperation", "label": "项目合作型"}  # erin is external
    assert tf["liu_type"] == {"code": "task_assault", "label": "任务攻坚型", "formality_warning": ""}
    assert tf["status"] == "planning" and tf["status_label"] == "筹建"
    assert tf["is_oral"] is False and tf["basis"] == "notice"
    assert tf["established_on"] == "2026-01-05" and tf["planned_end"] == "2026-12-31"
    assert tf["is_past_planned_end"] is False
    assert tf["active_members"] == 5
    assert tf["version"] == cast.tf.version
    assert rows["其他专班"]["is_oral"] is True


def test_the_list_filters_by_text_status_basis_type_unit_and_overdue(cast, api):
    admin = api(cast.admin)
    assert names(admin.get("/taskforces", {"q": "物业"})) == ["物业管理条例立法专班"]
    assert names(admin.get("/taskforces", {"basis": "oral"})) == ["其他专班"]
    assert names(admin.get("/taskforces", {"li_type": "project_cooperation"})) == ["物业管理条例立法专班"]
    assert names(admin.get("/taskforces", {"li_type": "staff_secondment"})) == ["其他专班"]
    assert names(admin.get("/taskforces", {"unit": cast.units.zjw.pk})) == ["物业管理条例立法专班"]
    assert names(admin.get("/taskforces", {"status": "active"})) == []
    assert len(names(admin.get("/taskforces", {"liu_type": "task_assault"}))) == 2
    assert names(admin.get("/taskforces", {"overdue": "true"})) == []


def test_an_active_task_force_past_its_planned_end_is_flagged_and_found_by_the_overdue_filter(cast, api):
    services.activate(cast.admin, cast.tf)
    services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, planned_end=cast.tf.established_on)
    body = api(cast.admin).get("/taskforces", {"overdue": "1"}).json()
    assert [row["name"] for row in body["items"]] == ["物业管理条例立法专班"]
    assert body["items"][0]["is_past_planned_end"] is True


def test_the_list_is_paginated_with_limit_and_offset(cast, api):
    body = api(cast.admin).get("/taskforces", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 2 and body["limit"] == 1 and body["offset"] == 1
    assert len(body["items"]) == 1
    error(api(cast.admin).get("/taskforces", {"limit": 0}), 422, "validation_error")


def test_a_non_numeric_id_filter_is_a_422_naming_the_parameter(cast, api):
    body = error(api(cast.admin).get("/taskforces", {"unit": "x"}), 422, "validation_error")
    assert "unit" in body["fields"]


# ---- create --------------------------------------------------------------------------------------


def test_creating_a_task_force_returns_its_detail_and_records_the_event(cast, api):
    r = api(cast.alice).post("/taskforces", new_taskforce(cast))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "planning" and body["version"] == 1
    assert body["structure"]["lead_unit"] == {"id": cast.units.zjw.pk, "name": "市住建委"}
    assert body["typology"]["li"]["code"] == "department_integration"
    assert body["access"]["can_manage"] is True
    tf = TaskForce.objects.get(pk=body["id"])
    assert tf.created_by == cast.alice
    event = AuditEvent.objects.get(action="taskforce.create", taskforce_id=tf.pk)
    assert event.actor == cast.alice and event.channel == "api"


def test_a_planned_end_before_establishment_is_a_422_naming_planned_end(cast, api):
    r = api(cast.alice).post("/taskforces", new_taskforce(cast, planned_end="2026-01-01"))
    body = error(r, 422, "invalid_positioning")
    assert set(body["fields"]) == {"planned_end"}
    assert not TaskForce.objects.filter(name="城市副中心建设专班").exists()


def test_a_malformed_date_is_a_422_naming_the_field(cast, api):
    body = error(api(cast.alice).post("/taskforces", new_taskforce(cast, established_on="2026-13-40")),
                 422, "validation_error")
    assert "established_on" in body["fields"]


def test_an_unknown_lead_unit_is_a_422_naming_lead_unit(cast, api):
    body = error(api(cast.alice).post("/taskforces", new_taskforce(cast, lead_unit=999999)),
                 422, "invalid_reference")
    assert body["fields"] == {"lead_unit": "不存在或无权查看"}


def test_someone_without_a_leading_role_cannot_set_up_a_task_force(cast, api):
    error(api(cast.bob).post("/taskforces", new_taskforce(cast)), 403, "forbidden")
    error(api(cast.erin).post("/taskforces", new_taskforce(cast)), 403, "forbidden")


# ---- detail --------------------------------------------------------------------------------------


def test_the_detail_shows_positioning_typology_with_reasons_structure_and_member_units(cast, api):
    body = api(cast.alice).get(f"/taskforces/{cast.tf.pk}").json()
    assert body["name"] == "物业管理条例立法专班" and body["basis_document_no"] == "测政办发〔2026〕1号"
    typology = body["typology"]
    assert typology["boundary"]["value"] == "cross_sector" and "赵外部" in typology["boundary"]["reason"]
    assert typology["li"]["label"] == "项目合作型" and "故属项目合作型" in typology["li"]["reason"]
    assert typology["li"]["template"]["structure"] == "扁平化"
    assert typology["liu"]["label"] == "任务攻坚型"
    structure = body["structure"]
    assert structure["decision_mode"] == "leading_core" and structure["leading_body"] == "测试工作领导小组"
    units = {mu["unit"]["name"]: mu for mu in body["member_units"]}
    assert units["市住建委"]["liaison"]["person"]["name"] == "陈联络"
    assert units["市政府办公厅"]["liaison"] is None
    assert [a["code"] for a in body["allowed_actions"]] == ["activate", "merge"]
    assert {b["kind"] for b in body["dissolution_blockers"]} == {"summary", "lessons"}
    assert body["access"] == {"can_manage": True, "external_only": False, "roles": ["head"]}


def test_the_detail_shows_a_formality_warning_for_a_task_force_without_entity_operation(cast, api):
    r = api(cast.alice).post("/taskforces", new_taskforce(cast, purpose="emergency", entity_operation=False))
    liu = r.json()["typology"]["liu"]
    assert liu["label"] == "协调表态型" and "形式主义预警" in liu["formality_warning"]


def test_the_detail_names_parent_and_children_only_when_the_caller_may_see_them(cast, api):
    child = make_taskforce(cast.admin, name="立法调研小专班", parent=cast.tf, parent_relation="big_small")
    services.join(cast.admin, child, person=cast.people.charlie, role=Membership.Role.MEMBER)
    parent_view = api(cast.alice).get(f"/taskforces/{cast.tf.pk}").json()["structure"]
    assert [(c["name"], c["relation"]) for c in parent_view["children"]] == [("立法调研小专班", "big_small")]
    # alice manages the parent, so she oversees the child and sees both ends of the link
    assert api(cast.alice).get(f"/taskforces/{child.pk}").json()["structure"]["parent"]["id"] == cast.tf.pk
    # charlie sits only in the child: the parent is not revealed to him
    charlie_view = api(cast.charlie).get(f"/taskforces/{child.pk}").json()["structure"]
    assert charlie_view["parent"] is None and charlie_view["parent_relation"] == "big_small"


def test_an_unknown_id_and_an_invisible_id_give_the_same_404(cast, api):
    charlie = api(cast.charlie)
    for suffix in ("", "/history", "/member-units", "/groups", "/demands", "/targets"):
        invisible = charlie.get(f"/taskforces/{cast.tf.pk}{suffix}")
        unknown = charlie.get(f"/taskforces/999999{suffix}")
        assert invisible.status_code == unknown.status_code == 404
        assert invisible.json() == unknown.json() == {
            "code": "not_found", "message": "对象不存在或无权查看", "fields": {}}
    for path, body in (("suspend", {"reason": "x"}), ("groups", {"name": "x"}), ("activate", {})):
        assert charlie.post(f"/taskforces/{cast.tf.pk}/{path}", body).json() == \
            charlie.post(f"/taskforces/999999/{path}", body).json() == unknown.json()
    error(charlie.patch(f"/taskforces/{cast.tf.pk}", {"version": 1, "name": "x"}), 404, "not_found")


# ---- edit ----------------------------------------------------------------------------------------


def test_an_edit_changes_only_the_fields_sent_and_bumps_the_version(cast, api):
    version = cast.tf.version
    r = api(cast.alice).patch(f"/taskforces/{cast.tf.pk}", {"version": version, "goals": "两周内形成草案"})
    assert r.status_code == 200, r.content
    assert r.json()["goals"] == "两周内形成草案" and r.json()["version"] == version + 1
    cast.tf.refresh_from_db()
    assert cast.tf.goals == "两周内形成草案" and cast.tf.name == "物业管理条例立法专班"
    event = AuditEvent.objects.filter(action="taskforce.update").first()
    assert event.before == {"goals": ""} and event.after == {"goals": "两周内形成草案"}


def test_a_stale_edit_is_a_409_and_overwrites_nothing(cast, api):
    version = cast.tf.version
    assert api(cast.olivia).patch(f"/taskforces/{cast.tf.pk}", {"version": version, "goals": "先到"}).status_code == 200
    r = api(cast.alice).patch(f"/taskforces/{cast.tf.pk}", {"version": version, "goals": "后到", "name": "改名"})
    body = error(r, 409, "stale_version")
    assert body["current_version"] == version + 1 and body["your_version"] == version
    cast.tf.refresh_from_db()
    assert cast.tf.goals == "先到" and cast.tf.name == "物业管理条例立法专班"


def test_an_edit_without_version_is_a_422_naming_version(cast, api):
    body = error(api(cast.alice).patch(f"/taskforces/{cast.tf.pk}", {"goals": "x"}), 422, "validation_error")
    assert "version" in body["fields"]


def test_an_edit_naming_an_unknown_field_is_a_422_and_changes_nothing(cast, api):
    r = api(cast.alice).patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "status": "active"})
    assert set(error(r, 422, "validation_error")["fields"]) == {"status"}
    cast.tf.refresh_from_db()
    assert cast.tf.status == "planning"


def test_an_edit_cannot_blank_a_required_field(cast, api):
    r = api(cast.alice).patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "name": None})
    assert error(r, 422, "invalid_positioning")["fields"] == {"name": "不能为空"}


def test_an_edit_moving_the_planned_end_before_establishment_is_a_422_naming_planned_end(cast, api):
    r = api(cast.alice).patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "planned_end": "2025-12-31"})
    assert set(error(r, 422, "invalid_positioning")["fields"]) == {"planned_end"}
    cast.tf.refresh_from_db()
    assert str(cast.tf.planned_end) == "2026-12-31"


# ---- visibility per role -------------------------------------------------------------------------


def test_charlie_sees_only_the_task_force_he_sits_in(cast, api):
    assert names(api(cast.charlie).get("/taskforces")) == ["其他专班"]
    error(api(cast.charlie).get(f"/taskforces/{cast.tf.pk}"), 404, "not_found")


def test_the_home_unit_leader_sees_his_staffs_task_force_read_only(cast, api):
    hank = api(cast.hank)
    assert names(hank.get("/taskforces")) == ["物业管理条例立法专班"]
    body = hank.get(f"/taskforces/{cast.tf.pk}").json()
    assert body["access"]["can_manage"] is False and body["allowed_actions"] == []
    error(hank.patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "goals": "x"}), 403, "forbidden")
    error(hank.post(f"/taskforces/{cast.tf.pk}/activate"), 403, "forbidden")
    cast.tf.refresh_from_db()
    assert cast.tf.goals == "" and cast.tf.status == "planning"


def test_an_external_member_sees_the_task_force_but_cannot_manage_it(cast, api):
    erin = api(cast.erin)
    assert names(erin.get("/taskforces")) == ["物业管理条例立法专班"]
    body = erin.get(f"/taskforces/{cast.tf.pk}").json()
    assert body["access"] == {"can_manage": False, "external_only": True, "roles": ["external"]}
    assert body["allowed_actions"] == [] and body["dissolution_blockers"] == []
    error(erin.post(f"/taskforces/{cast.tf.pk}/groups", {"name": "宣传组"}), 403, "forbidden")
    error(erin.patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "goals": "x"}), 403, "forbidden")
    error(erin.get(f"/taskforces/{cast.tf.pk}/history"), 403, "forbidden")
