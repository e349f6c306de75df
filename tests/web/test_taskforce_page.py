from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tests.web.conftest import text
from zhuanban.taskforces import services

TABS = ["tf_detail", "tf_type", "tf_structure", "tf_members", "tf_history"]


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_is_a_404_for_someone_outside_the_task_force(cast, as_user, tab):
    assert as_user(cast.charlie).get(reverse(tab, args=[cast.tf.pk])).status_code == 404


@pytest.mark.parametrize("tab", TABS)
def test_an_unknown_task_force_is_a_404_too(cast, as_user, tab):
    assert as_user(cast.admin).get(reverse(tab, args=[999999])).status_code == 404


@pytest.mark.parametrize("tab", TABS)
def test_members_and_the_home_unit_leader_see_every_tab(cast, as_user, tab):
    for user in (cast.bob, cast.liam, cast.hank):
        assert as_user(user).get(reverse(tab, args=[cast.tf.pk])).status_code == 200


def test_the_overview_shows_positioning_basis_dates_and_conditions(cast, as_user):
    services.add_demand(cast.admin, cast.tf, title="调研需求一", source="联合调研")
    services.add_target(cast.admin, cast.tf, description="两个月内完成条例草案", due_on=cast.tf.planned_end)
    page = text(as_user(cast.bob).get(reverse("tf_detail", args=[cast.tf.pk])))
    for expected in ("推进一项重点任务", "正式发文", "测政办发〔2026〕1号", "2026-01-05", "2026-12-31",
                     "调研需求一", "两个月内完成条例草案", "测试工作领导小组"):
        assert expected in page


def test_an_oral_task_force_is_flagged_on_its_page(cast, as_user):
    page = text(as_user(cast.charlie).get(reverse("tf_detail", args=[cast.other.pk])))
    assert "口头设立" in page and "text-danger" in page and "alert-danger" in page


def test_the_type_tab_explains_both_types_and_the_template(cast, as_user):
    page = text(as_user(cast.bob).get(reverse("tf_type", args=[cast.tf.pk])))
    assert "项目合作型" in page and "任务攻坚型" in page
    assert "赵外部" in page  # why it is cross-sector
    assert "故属项目合作型" in page
    assert "扁平化" in page and "任务完成即解散" in page


def test_the_type_tab_warns_about_formality(cast, as_user):
    services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, entity_operation=False)
    page = text(as_user(cast.bob).get(reverse("tf_type", args=[cast.tf.pk])))
    assert "弥补空白型" in page and 'data-testid="formality-warning"' in page


def test_the_structure_tab_embeds_the_org_chart_as_json_for_echarts(cast, as_user):
    services.add_group(cast.admin, cast.tf, name="起草组", lead_unit=cast.units.sfj)
    response = as_user(cast.bob).get(reverse("tf_structure", args=[cast.tf.pk]))
    body = response.content.decode()
    data = json.loads(re.search(r'<script id="orgchart-data" type="application/json">(.*?)</script>', body,
                                re.S).group(1))
    assert data["name"] == "物业管理条例立法专班"
    assert any(child["name"].startswith("起草组") for child in data["children"])
    assert "vendor/echarts/echarts.min.js" in body and "web/orgchart.js" in body


def test_the_members_tab_lists_roles_units_load_and_liaisons(cast, as_user):
    page = text(as_user(cast.bob).get(reverse("tf_members", args=[cast.tf.pk])))
    for expected in ("王组长", "组长", "刘主任", "办公室主任", "陈联络", "联络员", "代表 市住建委", "专职 100%",
                     "兼职 50%", "外部成员", "市政府办公厅"):
        assert expected in page
    assert "未指定联络员" in page  # 市政府办公厅 has no liaison yet


def test_people_with_too_much_load_are_flagged_in_the_member_list(cast, as_user):
    from tests.factories import make_taskforce

    extra = make_taskforce(cast.admin, name="第二个专班")
    services.join(cast.admin, extra, person=cast.people.olivia, role="member", workload_pct=30,
                  start_on=cast.tf.established_on)
    response = as_user(cast.alice).get(reverse("tf_members", args=[cast.tf.pk]))
    assert cast.people.olivia.pk in response.context["overloaded"]
    assert text(response).count('data-testid="load-warning"') == 1


def test_past_members_are_folded_away(cast, as_user):
    bob_m = cast.tf.memberships.get(person=cast.people.bob)
    services.leave(cast.admin, bob_m, reason="调回原单位")
    page = text(as_user(cast.alice).get(reverse("tf_members", args=[cast.tf.pk])))
    assert "<details" in page and "已离开的成员（1）" in page and "调回原单位" in page


def test_an_external_member_sees_the_overview_and_only_themselves(cast, as_user):
    client = as_user(cast.erin)
    assert client.get(reverse("tf_detail", args=[cast.tf.pk])).status_code == 200
    for tab in ("tf_type", "tf_structure", "tf_history"):
        assert client.get(reverse(tab, args=[cast.tf.pk])).status_code == 404
    response = client.get(reverse("tf_members", args=[cast.tf.pk]))
    assert [m.person.name for m in response.context["active"]] == ["赵外部"]
    page = text(response)
    assert "王组长" not in page and "成员单位与联络员" not in page
    assert "类型与依据" not in text(client.get(reverse("tf_detail", args=[cast.tf.pk])))


def test_managers_get_the_lifecycle_buttons_the_status_allows(cast, as_user):
    page = text(as_user(cast.alice).get(reverse("tf_detail", args=[cast.tf.pk])))
    assert 'data-action="activate"' in page and 'data-action="merge"' in page
    assert 'data-action="dissolve"' not in page
    services.activate(cast.admin, cast.tf)
    page = text(as_user(cast.alice).get(reverse("tf_detail", args=[cast.tf.pk])))
    for action in ("suspend", "dissolve", "merge"):
        assert f'data-action="{action}"' in page
    assert 'data-action="activate"' not in page and 'data-action="restart"' not in page


def test_viewers_who_do_not_manage_get_no_buttons(cast, as_user):
    page = text(as_user(cast.bob).get(reverse("tf_detail", args=[cast.tf.pk])))
    assert 'data-testid="lifecycle-actions"' not in page and "编辑" not in page


def test_history_shows_each_event_with_its_chinese_label(cast, as_user):
    services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, goals="新目标")
    page = text(as_user(cast.alice).get(reverse("tf_history", args=[cast.tf.pk])))
    for label in ("创建专班", "加入成员单位", "人员加入", "修改专班", "工作目标", "新目标"):
        assert label in page
