from __future__ import annotations

from django.urls import reverse

from tests.factories import make_taskforce
from tests.web.conftest import field_errors, text
from zhuanban.taskforces import services


def act(tf, action: str) -> str:
    return reverse("tf_action", args=[tf.pk, action])


def test_activating_from_the_confirmation_page(cast, as_user):
    client = as_user(cast.alice)
    page = text(client.get(act(cast.tf, "activate")))
    assert "确认启动运行" in page and "市政府办公厅" in page  # the unit still lacks a liaison
    response = client.post(act(cast.tf, "activate"), follow=True)
    cast.tf.refresh_from_db()
    assert cast.tf.status == "active" and "专班已启动运行" in text(response)


def test_a_task_force_without_members_cannot_be_activated(cast, as_user):
    empty = make_taskforce(cast.alice, name="空专班")
    response = as_user(cast.alice).post(act(empty, "activate"))
    assert response.status_code == 409 and "专班尚无成员" in text(response)


def test_suspending_needs_a_reason_next_to_the_field(cast, as_user):
    services.activate(cast.admin, cast.tf)
    client = as_user(cast.alice)
    response = client.post(act(cast.tf, "suspend"), {"reason": ""})
    assert response.status_code == 422 and field_errors(response, "reason") == ["请填写暂停理由"]
    assert client.post(act(cast.tf, "suspend"), {"reason": "等待上级批复"}).status_code == 302
    cast.tf.refresh_from_db()
    assert cast.tf.status == "suspended"
    assert client.post(act(cast.tf, "resume")).status_code == 302
    cast.tf.refresh_from_db()
    assert cast.tf.status == "active"


def test_an_illegal_transition_is_refused_with_the_reason(cast, as_user):
    client = as_user(cast.alice)
    page = text(client.get(act(cast.tf, "dissolve")))
    assert 'data-testid="refusal"' in page and "不能解散" in page and "确认解散" not in page
    response = client.post(act(cast.tf, "dissolve"), {"summary": "x", "lessons": "y"})
    assert response.status_code == 409 and "专班当前状态为“筹建”，不能解散" in text(response)


def test_dissolving_shows_the_checklist_and_refuses_with_blockers(cast, as_user):
    services.activate(cast.admin, cast.tf)
    services.add_demand(cast.admin, cast.tf, title="尚未办结的需求")
    client = as_user(cast.alice)
    page = text(client.get(act(cast.tf, "dissolve")))
    assert 'data-testid="checklist"' in page and "尚未办结的需求" in page and "撰写工作总结" in page
    response = client.post(act(cast.tf, "dissolve"), {"summary": "", "lessons": "经验"})
    assert response.status_code == 409
    page = text(response)
    assert 'data-testid="blockers"' in page and "未办结事项：尚未办结的需求" in page
    assert field_errors(response, "summary") == ["尚未撰写工作总结"]
    assert "经验" in page  # what the user wrote stays
    cast.tf.refresh_from_db()
    assert cast.tf.status == "active"


def test_resolving_blockers_then_dissolving_ends_every_membership(cast, as_user):
    services.activate(cast.admin, cast.tf)
    item = services.add_demand(cast.admin, cast.tf, title="需求")
    client = as_user(cast.alice)
    client.post(reverse("tf_demand_status", args=[cast.tf.pk, item.pk]),
                {"status": "done", "next": act(cast.tf, "dissolve")})
    response = client.post(act(cast.tf, "dissolve"), {"summary": "条例草案已提交", "lessons": "闭门起草效率高"},
                           follow=True)
    assert "专班已解散，5名成员回归原单位" in text(response)
    cast.tf.refresh_from_db()
    assert cast.tf.status == "dissolved" and cast.tf.summary == "条例草案已提交"
    assert not cast.tf.memberships.filter(end_on__isnull=True).exists()
    # The head it had on its last day may restart it; an ordinary former member only sees its history.
    assert 'data-action="restart"' in text(response)
    assert 'data-action="restart"' not in text(as_user(cast.bob).get(reverse("tf_detail", args=[cast.tf.pk])))


def test_restart_needs_a_reason_and_opens_a_new_period(cast, as_user):
    services.activate(cast.admin, cast.tf)
    services.dissolve(cast.admin, cast.tf, summary="s", lessons="l")
    client = as_user(cast.admin)
    response = client.post(act(cast.tf, "restart"), {"reason": ""})
    assert field_errors(response, "reason") == ["请填写重启理由"]
    assert client.post(act(cast.tf, "restart"), {"reason": "年度复审"}).status_code == 302
    cast.tf.refresh_from_db()
    assert cast.tf.status == "active" and cast.tf.periods.count() == 2


def test_merging_into_another_visible_task_force(cast, as_user):
    target = make_taskforce(cast.alice, name="统筹专班")
    client = as_user(cast.alice)
    form = client.get(act(cast.tf, "merge")).context["form"]
    assert list(form.fields["into"].queryset) == [target]  # 其他专班 is not visible to alice
    response = client.post(act(cast.tf, "merge"), {"into": target.pk, "reason": "职能整合"})
    assert response.status_code == 302
    cast.tf.refresh_from_db()
    assert cast.tf.status == "merged" and cast.tf.merged_into == target
    assert target.memberships.filter(end_on__isnull=True).count() == 5


def test_merging_into_an_invisible_task_force_is_refused(cast, as_user):
    response = as_user(cast.alice).post(act(cast.tf, "merge"), {"into": cast.other.pk})
    assert response.status_code == 200 and field_errors(response, "into")


def test_lifecycle_pages_are_for_managers_only(cast, as_user):
    assert as_user(cast.bob).post(act(cast.tf, "activate")).status_code == 403
    assert as_user(cast.charlie).post(act(cast.tf, "activate")).status_code == 404
    assert as_user(cast.alice).get(act(cast.tf, "explode")).status_code == 404
    cast.tf.refresh_from_db()
    assert cast.tf.status == "planning"
