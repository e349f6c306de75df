"""Security labels: 敏感 narrows who sees a task force; the label is edited like any field and shown."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhuanban.core.labels import SecurityLabel, export_banner, label_text
from zhuanban.core.tokens import issue_token
from zhuanban.taskforces import access, services
from zhuanban.taskforces.models import TaskForce


@pytest.fixture
def sensitive(cast):
    tf = services.update_taskforce(cast.alice, cast.tf, version=cast.tf.version, security_label="sensitive")
    return TaskForce.objects.get(pk=tf.pk)


def api(user):
    return Client(headers={"Authorization": f"Bearer {issue_token(user)}"})


def test_new_task_forces_are_internal_by_default(cast):
    assert cast.tf.security_label == SecurityLabel.INTERNAL
    assert label_text("sensitive") == "敏感" and label_text("bogus") == "敏感"
    assert export_banner("public", title="名单") == "【公开】 名单"


def test_internal_task_forces_are_seen_by_externals_and_home_unit_leaders(cast):
    assert access.get_access(cast.erin, cast.tf).view
    assert access.get_access(cast.hank, cast.tf).view


@pytest.mark.parametrize("who", ["erin", "hank", "charlie"])
def test_a_sensitive_task_force_is_hidden_from_externals_and_outside_unit_leaders(cast, sensitive, who):
    user = getattr(cast, who)
    assert not access.visible_taskforces(user).filter(pk=sensitive.pk).exists()
    assert not access.get_access(user, sensitive).view
    assert api(user).get(f"/api/v1/taskforces/{sensitive.pk}").status_code == 404
    c = Client()
    c.force_login(user)
    assert c.get(f"/tf/{sensitive.pk}/").status_code == 404
    assert sensitive.name not in c.get("/tf/").content.decode()


def test_hank_no_longer_sees_bobs_secondment_into_it(cast, sensitive):
    from zhuanban.taskforces.queries import secondments_of

    assert not secondments_of(cast.hank, cast.people.bob).filter(taskforce=sensitive).exists()
    assert secondments_of(cast.bob, cast.people.bob).filter(taskforce=sensitive).exists()


@pytest.mark.parametrize("who", ["alice", "olivia", "liam", "bob", "admin"])
def test_active_internal_members_and_admins_still_see_it(cast, sensitive, who):
    user = getattr(cast, who)
    assert access.visible_taskforces(user).filter(pk=sensitive.pk).exists()
    assert access.get_access(user, sensitive).view


def test_a_member_who_left_loses_sight_of_a_sensitive_task_force(cast, sensitive):
    m = sensitive.memberships.get(person=cast.people.bob)
    services.leave(cast.alice, m, reason="调回")
    assert not access.get_access(cast.bob, sensitive).view


def test_managers_above_see_a_sensitive_child(cast):
    child = services.create_taskforce(
        cast.alice, name="子专班", core_matter="x", basis="oral", established_on=cast.tf.established_on,
        task_nature="single", purpose="routine", entity_operation=True, decision_mode="leading_core",
        leading_body="领导小组", parent=cast.tf, parent_relation="sub", security_label="sensitive")
    assert access.get_access(cast.olivia, child).view  # office director of the parent
    assert not access.get_access(cast.bob, child).view  # a plain member of the parent


def test_the_label_is_edited_through_the_api_and_validated(cast):
    tf = cast.tf
    c = api(cast.alice)
    r = c.patch(f"/api/v1/taskforces/{tf.pk}", json.dumps({"version": tf.version, "security_label": "public"}),
                content_type="application/json")
    assert r.status_code == 200, r.content
    assert (r.json()["security_label"], r.json()["security_label_text"]) == ("public", "公开")
    r = c.patch(f"/api/v1/taskforces/{tf.pk}", json.dumps({"version": r.json()["version"],
                                                          "security_label": "top-secret"}),
                content_type="application/json")
    assert r.status_code == 422 and "security_label" in r.json()["fields"]
    rows = c.get("/api/v1/taskforces").json()["items"]
    assert [row["security_label"] for row in rows] == ["public"]


def test_the_label_is_a_badge_on_the_list_and_page_and_a_field_of_the_edit_form(cast, sensitive):
    c = Client()
    c.force_login(cast.alice)
    for url in ("/tf/", f"/tf/{sensitive.pk}/"):
        html = c.get(url).content.decode()
        assert 'data-testid="label-badge"' in html and "敏感" in html
    form = c.get(f"/tf/{sensitive.pk}/edit/")
    assert form.context["form"].initial["security_label"] == "sensitive"
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update(security_label="public", region="", lead_unit=data.get("lead_unit") or "",
                parent="", established_on=str(sensitive.established_on))
    for k, v in list(data.items()):
        if hasattr(v, "pk"):
            data[k] = v.pk
        if isinstance(v, bool):
            data[k] = "on" if v else ""
    r = c.post(f"/tf/{sensitive.pk}/edit/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    sensitive.refresh_from_db()
    assert sensitive.security_label == "public"
