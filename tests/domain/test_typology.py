"""Both typology tables of the domain brief, with the reasons users see."""

from __future__ import annotations

import pytest

from tests.factories import make_taskforce
from zhuanban.core.errors import Invalid
from zhuanban.org.models import Unit
from zhuanban.taskforces import queries, services, typology
from zhuanban.taskforces.models import MemberUnit, TaskForce

CROSS_SECTOR = typology.BoundaryResult("cross_sector", "跨界", "有企业成员", True)
CROSS_DEPT = typology.BoundaryResult("cross_department", "跨部门", "均为政府成员", True)


@pytest.mark.parametrize(
    ("nature", "boundary", "label", "structure", "duration"),
    [
        ("single", CROSS_SECTOR, "项目合作型", "扁平化", "任务完成即解散"),
        ("composite", CROSS_SECTOR, "平台共享型", "层级化", "长期运行"),
        ("single", CROSS_DEPT, "人员抽调型", "扁平化", "任务完成即解散"),
        ("composite", CROSS_DEPT, "部门统合型", "层级化", "长期运行"),
    ],
)
def test_li_type_follows_task_nature_and_member_boundary(nature, boundary, label, structure, duration):
    result = typology.li_type(nature, boundary)
    assert result.label == label
    assert result.template.structure.startswith(structure)
    assert result.template.duration.startswith(duration)
    assert label in result.reason and boundary.reason in result.reason


def test_only_hierarchical_li_types_have_a_decision_layer():
    layers = {typology.li_type(n, b).label: typology.li_type(n, b).template.layers
              for n in ("single", "composite") for b in (CROSS_SECTOR, CROSS_DEPT)}
    assert layers == {"项目合作型": "执行层", "人员抽调型": "执行层",
                      "平台共享型": "决策层 + 执行层", "部门统合型": "决策层 + 执行层"}


@pytest.mark.parametrize(
    ("purpose", "entity", "label", "warned"),
    [
        ("emergency", True, "强力处置型", False),
        ("routine", True, "任务攻坚型", False),
        ("emergency", False, "协调表态型", True),
        ("routine", False, "弥补空白型", True),
    ],
)
def test_liu_type_follows_purpose_and_entity_operation_and_warns_of_formality(purpose, entity, label, warned):
    result = typology.liu_type(purpose, entity)
    assert result.label == label
    assert bool(result.formality_warning) is warned
    assert label in result.reason
    if warned:
        assert "形式主义" in result.formality_warning


def test_government_only_members_make_a_task_force_cross_department(cast):
    tf = make_taskforce(cast.admin, name="纯政府专班")
    services.add_member_unit(cast.admin, tf, unit=cast.units.zjw, role=MemberUnit.Role.LEAD)
    result = queries.classify(tf)
    assert result.boundary.value == "cross_department"
    assert result.li.label == "人员抽调型"


def test_an_enterprise_member_unit_makes_a_task_force_cross_sector_and_is_named_in_the_reason(cast):
    tf = make_taskforce(cast.admin, name="跨界专班", task_nature="composite")
    services.add_member_unit(cast.admin, tf, unit=cast.units.tencent, role=MemberUnit.Role.SUPPORTING)
    result = queries.classify(tf)
    assert result.boundary.value == "cross_sector"
    assert "腾讯" in result.boundary.reason
    assert result.li.label == "平台共享型"


def test_an_external_person_alone_makes_the_cast_task_force_cross_sector(cast):
    result = queries.classify(cast.tf)
    assert result.boundary.value == "cross_sector"
    assert "赵外部" in result.boundary.reason


def test_state_enterprises_count_as_outside_government():
    assert Unit.Kind.STATE_ENTERPRISE not in Unit.GOVERNMENT_KINDS
    assert Unit.Kind.PUBLIC_INSTITUTION in Unit.GOVERNMENT_KINDS


def test_a_boundary_override_wins_and_shows_its_reason(cast):
    tf = services.update_taskforce(
        cast.admin, cast.tf, version=cast.tf.version, boundary_override="cross_department",
        boundary_override_reason="外部专家仅提供咨询，不参与执行",
    )
    result = queries.classify(tf)
    assert result.boundary.value == "cross_department"
    assert not result.boundary.derived
    assert "外部专家仅提供咨询" in result.boundary.reason


def test_a_boundary_override_without_a_reason_is_refused(cast):
    with pytest.raises(Invalid) as err:
        services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, boundary_override="cross_department")
    assert "boundary_override_reason" in err.value.fields
    cast.tf.refresh_from_db()
    assert cast.tf.boundary_override == ""


@pytest.mark.parametrize(
    ("li_code", "expected"),
    [("project_cooperation", {"物业管理条例立法专班"}), ("staff_secondment", {"其他专班"}),
     ("platform_sharing", set()), ("department_integration", set())],
)
def test_the_list_filter_by_li_type_agrees_with_the_classification(cast, li_code, expected):
    names = set(queries.taskforce_list(cast.admin, {"li_type": li_code}).values_list("name", flat=True))
    assert names == expected
    for tf in TaskForce.objects.filter(name__in=names):
        assert queries.classify(tf).li.code == li_code


def test_a_dissolved_task_force_keeps_the_type_its_last_members_gave_it(cast):
    services.activate(cast.admin, cast.tf)
    services.dissolve(cast.admin, cast.tf, summary="完成", lessons="经验")
    assert queries.classify(cast.tf).li.label == "项目合作型"
    names = set(queries.taskforce_list(cast.admin, {"li_type": "project_cooperation"}).values_list("name", flat=True))
    assert "物业管理条例立法专班" in names
    row = queries.taskforce_list(cast.admin, {}).get(pk=cast.tf.pk)
    assert queries.classify_listed(row).li.label == "项目合作型"
