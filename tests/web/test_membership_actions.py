from __future__ import annotations

from django.urls import reverse

from tests.factories import PersonFactory, UnitFactory
from tests.web.conftest import field_errors, form_error, text
from zhuanban.org.models import Unit
from zhuanban.taskforces import services
from zhuanban.taskforces.models import Handover, Membership, MemberUnit


def test_adding_a_member_unit_with_its_liaison(cast, as_user):
    baidu = UnitFactory(name="百度在线网络技术有限公司", short_name="百度", kind=Unit.Kind.ENTERPRISE)
    zhang = PersonFactory(name="张联络", home_unit=baidu)
    response = as_user(cast.alice).post(reverse("tf_unit_add", args=[cast.tf.pk]), {
        "unit": baidu.pk, "role": "supporting", "liaison": zhang.pk, "liaison_workload_pct": 20,
    })
    assert response.status_code == 302
    mu = cast.tf.member_units.get(unit=baidu)
    assert mu.liaisons.get().person == zhang


def test_a_second_liaison_for_a_unit_is_refused_next_to_the_field(cast, as_user):
    other = PersonFactory(name="另一联络", home_unit=cast.units.zjw)
    response = as_user(cast.alice).post(reverse("tf_member_add", args=[cast.tf.pk]), {
        "person": other.pk, "role": "liaison", "member_unit": cast.mu.zjw.pk, "workload_pct": 10,
    })
    assert response.status_code == 409
    assert field_errors(response, "member_unit") == ["已有在岗联络员"]
    assert "已有在岗联络员陈联络" in form_error(response)
    assert not cast.tf.memberships.filter(person=other).exists()


def test_a_unit_that_is_already_a_member_is_refused_and_the_liaison_is_not_added(cast, as_user):
    newcomer = PersonFactory(name="新人", home_unit=cast.units.zjw)
    response = as_user(cast.alice).post(reverse("tf_unit_add", args=[cast.tf.pk]), {
        "unit": cast.units.zjw.pk, "role": "participating", "liaison": newcomer.pk,
    })
    assert response.status_code == 409
    assert field_errors(response, "unit") == ["已是成员单位"]
    assert not Membership.objects.filter(person=newcomer).exists()


def test_joining_a_member(cast, as_user):
    person = PersonFactory(name="新成员", home_unit=cast.units.sfj)
    response = as_user(cast.olivia).post(reverse("tf_member_add", args=[cast.tf.pk]), {
        "person": person.pk, "role": "member", "workload_pct": 40, "full_time": "on",
        "decided_by": "专班办公室会议", "reason": "起草需要",
    })
    assert response.status_code == 302
    m = cast.tf.memberships.get(person=person)
    assert m.full_time and m.workload_pct == 40 and m.dispatching_unit == cast.units.sfj
    assert m.changes.get().decided_by == "专班办公室会议"


def test_join_errors_show_in_chinese(cast, as_user):
    client = as_user(cast.alice)
    response = client.post(reverse("tf_member_add", args=[cast.tf.pk]), {"role": "member", "workload_pct": 10})
    assert field_errors(response, "person") == ["请选择人员"]
    response = client.post(reverse("tf_member_add", args=[cast.tf.pk]), {
        "person": cast.people.charlie.pk, "role": "member", "workload_pct": 150})
    assert response.status_code == 422
    assert field_errors(response, "workload_pct") == ["须在 0–100 之间"]
    response = client.post(reverse("tf_member_add", args=[cast.tf.pk]), {
        "person": cast.people.bob.pk, "role": "member", "workload_pct": 10})
    assert field_errors(response, "person") == ["已在本专班"]


def test_exiting_a_member_records_why(cast, as_user):
    m = cast.tf.memberships.get(person=cast.people.bob)
    response = as_user(cast.alice).post(reverse("tf_member_exit", args=[cast.tf.pk, m.pk]),
                                        {"reason": "调回原单位", "decided_by": "组长"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.end_on is not None and m.end_reason == "调回原单位"


def test_replacing_a_liaison_shows_and_records_the_handover(cast, as_user):
    item = services.add_demand(cast.admin, cast.tf, title="收集住建委意见", owner=cast.people.liam)
    liaison = cast.tf.memberships.get(person=cast.people.liam)
    successor = PersonFactory(name="接任联络", home_unit=cast.units.zjw)
    client = as_user(cast.alice)
    url = reverse("tf_member_replace", args=[cast.tf.pk, liaison.pk])
    preview = text(client.get(url))
    assert "联络员交接" in preview and "收集住建委意见" in preview
    response = client.post(url, {"successor": successor.pk, "reason": "岗位调整", "note": "意见已收集一半"},
                           follow=True)
    assert "1项未办结事项已移交给接任联络" in text(response)
    handover = Handover.objects.get()
    assert handover.successor.person == successor and handover.items[0]["title"] == "收集住建委意见"
    item.refresh_from_db()
    assert item.owner == successor
    members_page = text(client.get(reverse("tf_members", args=[cast.tf.pk])))
    assert "联络员交接记录" in members_page and "意见已收集一半" in members_page


def test_a_liaison_with_open_items_cannot_simply_exit(cast, as_user):
    services.add_demand(cast.admin, cast.tf, title="未办事项", owner=cast.people.liam)
    liaison = cast.tf.memberships.get(person=cast.people.liam)
    response = as_user(cast.alice).post(reverse("tf_member_exit", args=[cast.tf.pk, liaison.pk]), {})
    assert response.status_code == 409
    assert "请通过“替换”办理交接" in form_error(response)


def test_adding_a_theme_group_with_a_duplicate_name_is_refused(cast, as_user):
    client = as_user(cast.alice)
    url = reverse("tf_group_add", args=[cast.tf.pk])
    assert client.post(url, {"name": "起草组"}).status_code == 302
    response = client.post(url, {"name": "起草组"})
    assert response.status_code == 409 and field_errors(response, "name") == ["名称重复"]
    response = client.post(url, {"name": ""})
    assert field_errors(response, "name") == ["请填写专题组名称"]


def test_demand_items_and_targets(cast, as_user):
    client = as_user(cast.alice)
    assert client.post(reverse("tf_demand_add", args=[cast.tf.pk]), {"title": "需求甲"}).status_code == 302
    item = cast.tf.demands.get()
    response = client.post(reverse("tf_demand_status", args=[cast.tf.pk, item.pk]), {"status": "handed_over"})
    assert field_errors(response, "handed_over_to") == ["请填写移交去向"]
    client.post(reverse("tf_demand_status", args=[cast.tf.pk, item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done"
    response = client.post(reverse("tf_target_add", args=[cast.tf.pk]), {"description": "早目标", "due_on": "2025-01-01"})
    assert field_errors(response, "due_on") == ["不能早于设立日期"]
    assert client.post(reverse("tf_target_add", args=[cast.tf.pk]), {"description": "覆盖率 90%"}).status_code == 302


def test_membership_actions_are_for_managers_only(cast, as_user):
    m = cast.tf.memberships.get(person=cast.people.bob)
    for name, args in (("tf_unit_add", []), ("tf_member_add", []), ("tf_member_exit", [m.pk]),
                       ("tf_member_replace", [m.pk]), ("tf_group_add", []), ("tf_demand_add", []),
                       ("tf_target_add", [])):
        url = reverse(name, args=[cast.tf.pk, *args])
        assert as_user(cast.liam).get(url).status_code == 403, name
        assert as_user(cast.charlie).post(url, {}).status_code == 404, name


def test_a_membership_of_another_task_force_is_a_404(cast, as_user):
    foreign = cast.other.memberships.get()
    assert as_user(cast.admin).get(reverse("tf_member_exit", args=[cast.tf.pk, foreign.pk])).status_code == 404


def test_a_member_unit_exits(cast, as_user):
    response = as_user(cast.alice).post(reverse("tf_unit_exit", args=[cast.tf.pk, cast.mu.gov.pk]), {})
    assert response.status_code == 302
    assert MemberUnit.objects.get(pk=cast.mu.gov.pk).left_on is not None
    response = as_user(cast.alice).post(reverse("tf_unit_exit", args=[cast.tf.pk, cast.mu.zjw.pk]), {})
    assert response.status_code == 409 and "联络员" in form_error(response)
