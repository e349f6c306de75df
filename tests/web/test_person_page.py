from __future__ import annotations

from django.urls import reverse

from tests.factories import make_taskforce
from tests.web.conftest import text
from zhuanban.taskforces import services


def page(client, person):
    return client.get(reverse("person_detail", args=[person.pk]))


def test_my_page_is_my_person_page(cast, as_user):
    response = as_user(cast.bob).get(reverse("me"))
    assert response["Location"] == reverse("person_detail", args=[cast.people.bob.pk])


def test_an_account_without_a_person_is_told_so(cast, as_user):
    response = as_user(cast.admin).get(reverse("me"))
    assert response.status_code == 200 and "没有关联" in text(response)


def test_the_person_page_shows_profile_secondments_and_load(cast, as_user):
    response = page(as_user(cast.bob), cast.people.bob)
    body = text(response)
    for expected in ("李成员", "市住房和城乡建设委员会", "行政编制", "物业管理条例立法专班", "成员", "兼职 50%", "50%",
                     "负荷正常", "加入"):
        assert expected in body


def test_load_warnings_show_when_over_100_percent_or_too_many_task_forces(cast, as_user, settings):
    settings.ZHUANBAN = {**settings.ZHUANBAN, "MAX_ACTIVE_TASKFORCES": 1}
    extra = make_taskforce(cast.admin, name="另一专班")
    services.join(cast.admin, extra, person=cast.people.bob, role="member", workload_pct=60,
                  start_on=extra.established_on)
    body = text(page(as_user(cast.bob), cast.people.bob))
    assert "110%" in body and "超过 100%" in body and "超过上限 1 个" in body


def test_past_secondments_and_the_change_history_are_listed(cast, as_user):
    m = cast.tf.memberships.get(person=cast.people.bob)
    services.leave(cast.admin, m, reason="借调期满")
    body = text(page(as_user(cast.bob), cast.people.bob))
    assert "历史任职" in body and "借调期满" in body and "退出" in body


def test_viewers_see_only_secondments_in_task_forces_they_can_see(cast, as_user):
    secret = make_taskforce(cast.admin, name="保密专班")
    services.join(cast.admin, secret, person=cast.people.bob, role="member", start_on=secret.established_on)
    assert "保密专班" not in text(page(as_user(cast.liam), cast.people.bob))
    # bob himself and his home-unit leader see all of bob's secondments
    assert "保密专班" in text(page(as_user(cast.bob), cast.people.bob))
    assert "保密专班" in text(page(as_user(cast.hank), cast.people.bob))
