from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.factories import RegionFactory, make_taskforce
from tests.web.conftest import text
from zhuanban.taskforces import services

URL = reverse("taskforce_list")


def names(response) -> list[str]:
    return [tf.name for tf, _ in response.context["rows"]]


def test_the_list_shows_only_visible_task_forces(cast, as_user):
    assert names(as_user(cast.alice).get(URL)) == ["物业管理条例立法专班"]
    assert names(as_user(cast.charlie).get(URL)) == ["其他专班"]
    assert sorted(names(as_user(cast.admin).get(URL))) == ["其他专班", "物业管理条例立法专班"]


def test_each_row_shows_both_types_and_the_status(cast, as_user):
    page = text(as_user(cast.alice).get(URL))
    assert "项目合作型" in page  # the external member from 腾讯 makes it cross-sector
    assert "任务攻坚型" in page
    assert "筹建" in page


def test_oral_establishment_is_flagged_in_red(cast, as_user):
    page = text(as_user(cast.admin).get(URL))
    assert 'text-bg-danger' in page and "口头设立" in page


def test_a_task_force_past_its_planned_end_is_flagged(cast, as_user):
    late = make_taskforce(cast.admin, name="超期专班", established_on=dt.date(2020, 1, 1),
                          planned_end=dt.date(2020, 6, 30))
    services.join(cast.admin, late, person=cast.people.bob, role="member", start_on=dt.date(2020, 1, 1))
    services.activate(cast.admin, late)
    page = text(as_user(cast.admin).get(URL))
    assert "超期未撤销" in page
    assert names(as_user(cast.admin).get(URL, {"overdue": "1"})) == ["超期专班"]


def test_formality_types_carry_a_warning(cast, as_user):
    make_taskforce(cast.admin, name="表态专班", purpose="emergency", entity_operation=False)
    response = as_user(cast.admin).get(URL, {"liu_type": "coordination_posture"})
    assert names(response) == ["表态专班"]
    assert "形式主义预警" in text(response)


def test_filters_by_type_status_basis_region_unit_and_search(cast, as_user):
    region = RegionFactory(code="110105", name="朝阳区")
    make_taskforce(cast.admin, name="朝阳专班", region=region, task_nature="composite")
    client = as_user(cast.admin)
    assert names(client.get(URL, {"li_type": "project_cooperation"})) == ["物业管理条例立法专班"]
    assert names(client.get(URL, {"li_type": "department_integration"})) == ["朝阳专班"]
    assert sorted(names(client.get(URL, {"li_type": "staff_secondment"}))) == ["其他专班"]
    assert names(client.get(URL, {"basis": "oral"})) == ["其他专班"]
    assert names(client.get(URL, {"region": region.pk})) == ["朝阳专班"]
    assert names(client.get(URL, {"unit": cast.units.zjw.pk})) == ["物业管理条例立法专班"]
    assert names(client.get(URL, {"q": "物业"})) == ["物业管理条例立法专班"]
    assert names(client.get(URL, {"status": "active"})) == []
    assert len(names(client.get(URL, {"status": "planning"}))) == 3


def test_nonsense_filter_values_match_nothing_instead_of_failing(cast, as_user):
    client = as_user(cast.admin)
    for params in ({"region": "abc"}, {"unit": "1;drop"}, {"status": "bogus"}, {"li_type": "x"}, {"page": "x"}):
        response = client.get(URL, params)
        assert response.status_code == 200


def test_the_list_is_paginated(cast, as_user):
    for i in range(25):
        make_taskforce(cast.admin, name=f"批量专班{i:02d}")
    client = as_user(cast.admin)
    first = client.get(URL)
    assert len(first.context["rows"]) == 20
    assert "下一页" in text(first)
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 7


def test_only_people_who_may_form_task_forces_see_the_create_button(cast, as_user):
    assert "组建专班" in text(as_user(cast.alice).get(URL))
    assert "组建专班" not in text(as_user(cast.bob).get(URL))
