from __future__ import annotations

from django.urls import reverse

from tests.factories import PersonFactory, UnitFactory
from tests.web.conftest import field_errors, text
from zhuanban.org.models import Unit
from zhuanban.taskforces.models import TaskForce

STEP1 = {
    "name": "健康码项目专班", "core_matter": "两周内上线健康码", "goals": "覆盖全市 2000 万人",
    "basis": "notice", "basis_document_no": "京政办发〔2020〕5号", "established_on": "2026-01-10",
    "planned_end": "2026-03-31", "dissolution_conditions": "健康码稳定运行一个月",
}
STEP2 = {"task_nature": "single", "purpose": "emergency", "entity_operation": "1"}
STEP3 = {"decision_mode": "lead_department", "groups": "技术开发组\n数据归集组\n技术开发组"}


def step(n: int) -> str:
    return reverse("tf_new") if n == 1 else reverse("tf_new_step", args=[n])


def test_the_wizard_creates_the_task_force_in_planning_state_after_step_3(cast, as_user):
    client = as_user(cast.alice)
    assert client.post(step(1), STEP1)["Location"] == step(2)
    assert client.post(step(2), STEP2)["Location"] == step(3)
    response = client.post(step(3), {**STEP3, "lead_unit": cast.units.gov.pk})
    tf = TaskForce.objects.get(name="健康码项目专班")
    assert response["Location"] == reverse("tf_setup", args=[tf.pk, 4])
    assert tf.status == "planning" and tf.lead_unit == cast.units.gov and tf.created_by == cast.alice
    assert list(tf.groups.values_list("name", flat=True)) == ["技术开发组", "数据归集组"]
    assert "tf_wizard" not in client.session


def test_step_1_shows_the_services_rules_next_to_the_fields(cast, as_user):
    client = as_user(cast.alice)
    response = client.post(step(1), {**STEP1, "planned_end": "2025-12-31", "basis_document_no": "", "name": ""})
    assert response.status_code == 422
    assert field_errors(response, "planned_end") == ["计划结束日期不能早于设立日期"]
    assert field_errors(response, "basis_document_no") == ["正式发文设立的专班须填写文号"]
    assert field_errors(response, "name") == ["请填写专班名称"]
    # rules of later steps are not shown yet
    assert field_errors(response, "decision_mode") == [] and "请选择决策模式" not in text(response)
    response = client.post(step(1), {**STEP1, "established_on": ""})
    assert field_errors(response, "established_on") == ["请填写设立日期"]


def test_step_2_needs_its_choices_and_a_reason_for_an_override(cast, as_user):
    client = as_user(cast.alice)
    client.post(step(1), STEP1)
    response = client.post(step(2), {})
    assert field_errors(response, "task_nature") == ["请选择任务性质"]
    response = client.post(step(2), {**STEP2, "boundary_override": "cross_sector"})
    assert field_errors(response, "boundary_override_reason") == ["人工认定成员边界须说明理由"]


def test_step_3_needs_the_lead_unit_in_lead_department_mode(cast, as_user):
    client = as_user(cast.alice)
    client.post(step(1), STEP1)
    client.post(step(2), STEP2)
    response = client.post(step(3), {"decision_mode": "lead_department"})
    assert response.status_code == 422
    assert field_errors(response, "lead_unit") == ["牵头部门决策模式须指定牵头部门"]
    assert not TaskForce.objects.filter(name="健康码项目专班").exists()


def test_skipping_ahead_sends_you_back_to_the_first_missing_step(cast, as_user):
    client = as_user(cast.alice)
    assert client.get(step(3))["Location"] == step(1)
    client.post(step(1), STEP1)
    assert client.get(step(3))["Location"] == step(2)
    page = text(client.get(step(1)))
    assert "健康码项目专班" in page  # the draft is kept in the session


def test_the_typology_preview_fragment_explains_the_types(cast, as_user):
    client = as_user(cast.alice)
    page = text(client.get(reverse("typology_preview"), {**STEP2}))
    assert "人员抽调型" in page and "强力处置型" in page and "项目合作型" in page  # what outsiders would make it
    page = text(client.get(reverse("typology_preview"), {"task_nature": "composite", "purpose": "emergency",
                                                          "entity_operation": "0"}))
    assert "部门统合型" in page and "协调表态型" in page and "形式主义预警" in page
    page = text(client.get(reverse("typology_preview"), {"tf": cast.tf.pk, "task_nature": "single",
                                                          "purpose": "routine", "entity_operation": "1"}))
    assert "项目合作型" in page and "赵外部" in page
    page = text(client.get(reverse("typology_preview"), {"task_nature": "single"}))
    assert "请选择工作目的" in page.replace("、", "")


def test_steps_4_and_5_add_units_liaisons_and_members_then_6_activates(cast, as_user):
    client = as_user(cast.alice)
    client.post(step(1), STEP1)
    client.post(step(2), STEP2)
    client.post(step(3), {**STEP3, "lead_unit": cast.units.gov.pk})
    tf = TaskForce.objects.get(name="健康码项目专班")
    tencent_staff = PersonFactory(name="腾讯工程师", home_unit=cast.units.tencent)
    setup = [reverse("tf_setup", args=[tf.pk, n]) for n in (4, 5, 6)]
    assert client.post(setup[0], {"unit": cast.units.gov.pk, "role": "lead", "liaison": cast.people.olivia.pk,
                                  "liaison_workload_pct": 30}).status_code == 302
    assert client.post(setup[0], {"unit": cast.units.tencent.pk, "role": "supporting",
                                  "liaison": tencent_staff.pk}).status_code == 302
    response = client.post(setup[1], {"person": cast.people.alice.pk, "role": "head", "workload_pct": 30})
    assert response.status_code == 302
    page = text(client.get(setup[2]))
    assert "项目合作型" in page and "腾讯" in page and "强力处置型" in page
    response = client.post(reverse("tf_action", args=[tf.pk, "activate"]))
    tf.refresh_from_db()
    assert tf.status == "active"


def test_a_liaison_clash_in_step_4_is_shown_next_to_the_liaison_field(cast, as_user):
    client = as_user(cast.alice)
    unit = UnitFactory(name="市卫健委", kind=Unit.Kind.PARTY_GOV)
    response = client.post(reverse("tf_setup", args=[cast.tf.pk, 4]), {
        "unit": unit.pk, "role": "participating", "liaison": cast.people.bob.pk})
    assert response.status_code == 409
    assert field_errors(response, "liaison") == ["已在本专班"]
    assert not cast.tf.member_units.filter(unit=unit).exists()  # all or nothing


def test_only_people_who_may_form_task_forces_use_the_wizard(cast, as_user):
    assert as_user(cast.bob).get(step(1)).status_code == 403
    assert as_user(cast.bob).get(reverse("tf_setup", args=[cast.tf.pk, 4])).status_code == 403
    assert as_user(cast.charlie).get(reverse("tf_setup", args=[cast.tf.pk, 4])).status_code == 404


def test_cancelling_drops_the_draft(cast, as_user):
    client = as_user(cast.alice)
    client.post(step(1), STEP1)
    client.post(reverse("tf_new_cancel"))
    assert "tf_wizard" not in client.session
