"""Supervision records through HTTP: who may supervise, bad input (422 naming the field), invisible tasks
(404), the notice reaching the inbox with acknowledgement required, the follow-up and its audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.accountability.models import Supervision
from zhuanban.core.models import AuditEvent
from zhuanban.notices.models import InboxItem
from zhuanban.tasks.models import Task

J = "application/json"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def overdue(cast):
    return Task.objects.create(taskforce=cast.tf, title="起草条例第三章", responsible=cast.people.bob,
                               lead_unit=cast.units.zjw, status=Task.Status.IN_PROGRESS,
                               due_at=timezone.now() - dt.timedelta(days=4))


def body(task, **kw):
    return {"kind": "notice", "tasks": [task.pk], "title": "关于第三章逾期的督办",
            "reason": "已逾期四天，请说明原因并限期完成", "follow_up_due": str(timezone.localdate() + dt.timedelta(days=3)),
            **kw}


def post(client, user, data, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post("/api/v1/supervision", data, content_type=J)


def test_office_supervises_and_the_notice_reaches_the_inbox(client, cast, overdue,
                                                            django_capture_on_commit_callbacks):
    r = post(client, cast.olivia, body(overdue), django_capture_on_commit_callbacks)
    assert r.status_code == 201, r.content
    got = r.json()
    assert (got["kind"], got["person"], got["unit"], got["tasks"], got["status"]) == (
        "notice", cast.people.bob.pk, cast.units.zjw.pk, [overdue.pk], "open")
    item = InboxItem.objects.get(person=cast.people.bob, notice_id=got["notice"])
    assert item.requires_ack and item.title.startswith("【督办通知】") and "起草条例第三章" in item.notice.body
    assert AuditEvent.objects.filter(action="supervision.create", object_id=str(got["id"])).exists()


def test_a_talk_invites_the_person_and_the_liaison_of_the_dispatching_unit(client, cast, overdue,
                                                                          django_capture_on_commit_callbacks):
    from zhuanban.taskforces.models import Membership

    # bob was seconded by 市住建委, a member unit whose liaison is liam
    assert Membership.objects.get(taskforce=cast.tf, person=cast.people.bob).dispatching_unit == cast.units.zjw
    talk = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    r = post(client, cast.alice, body(overdue, kind="talk", talk_at=talk.isoformat(), location="市政府 3 楼会议室"),
             django_capture_on_commit_callbacks)
    assert r.status_code == 201, r.content
    people = set(InboxItem.objects.filter(notice_id=r.json()["notice"]).values_list("person_id", flat=True))
    assert people == {cast.people.bob.pk, cast.people.liam.pk}


def test_a_circular_goes_to_the_whole_task_force_without_acknowledgement(client, cast, overdue,
                                                                         django_capture_on_commit_callbacks):
    r = post(client, cast.olivia, body(overdue, kind="circular"), django_capture_on_commit_callbacks)
    assert r.status_code == 201
    items = InboxItem.objects.filter(notice_id=r.json()["notice"])
    assert items.count() == 5 and not items.filter(requires_ack=True).exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"title": ""}, "title"),
    ({"reason": "  "}, "reason"),
    ({"follow_up_due": "2020-01-01"}, "follow_up_due"),
    ({"kind": "talk"}, "talk_at"),
    ({"tasks": []}, "tasks"),
])
def test_bad_input_is_422_naming_the_field(client, cast, overdue, change, field,
                                           django_capture_on_commit_callbacks):
    r = post(client, cast.olivia, body(overdue, **change), django_capture_on_commit_callbacks)
    assert r.status_code == 422, r.content
    assert field in r.json()["fields"]
    assert not Supervision.objects.exists()


def test_an_unknown_kind_is_refused_by_the_schema(client, cast, overdue, django_capture_on_commit_callbacks):
    r = post(client, cast.olivia, body(overdue, kind="scold"), django_capture_on_commit_callbacks)
    assert r.status_code == 422


def test_tasks_without_an_owner_need_a_person(client, cast, django_capture_on_commit_callbacks):
    t = Task.objects.create(taskforce=cast.tf, title="无人认领", status=Task.Status.DRAFT)
    r = post(client, cast.olivia, body(t), django_capture_on_commit_callbacks)
    assert r.status_code == 422 and "person" in r.json()["fields"]


def test_invisible_or_unknown_task_is_404(client, cast, overdue, django_capture_on_commit_callbacks):
    elsewhere = Task.objects.create(taskforce=cast.other, title="别处的任务", responsible=cast.people.charlie)
    assert post(client, cast.olivia, body(elsewhere), django_capture_on_commit_callbacks).status_code == 404
    assert post(client, cast.olivia, body(overdue, tasks=[987654]), django_capture_on_commit_callbacks
                ).status_code == 404


def test_members_may_not_supervise(client, cast, overdue, django_capture_on_commit_callbacks):
    assert post(client, cast.liam, body(overdue), django_capture_on_commit_callbacks).status_code == 403
    assert post(client, cast.charlie, body(overdue), django_capture_on_commit_callbacks).status_code == 404


def test_follow_up_respond_then_close_with_versions(client, cast, overdue, django_capture_on_commit_callbacks):
    rid = post(client, cast.olivia, body(overdue), django_capture_on_commit_callbacks).json()["id"]
    url = f"/api/v1/supervision/{rid}/follow-up"
    client.force_login(cast.bob)
    assert client.get(f"/api/v1/supervision/{rid}").status_code == 200
    assert client.post(url, {"action": "respond", "text": ""}, content_type=J).status_code == 422
    r = client.post(url, {"action": "respond", "text": "已补充人手，周五前完成", "version": 1}, content_type=J)
    assert r.status_code == 200 and r.json()["status"] == "responded" and r.json()["version"] == 2
    assert client.post(url, {"action": "close", "text": "好"}, content_type=J).status_code == 403
    client.force_login(cast.olivia)
    stale = client.post(url, {"action": "close", "text": "整改到位", "version": 1}, content_type=J)
    assert stale.status_code == 409
    r = client.post(url, {"action": "close", "text": "整改到位", "version": 2}, content_type=J)
    assert r.status_code == 200
    got = r.json()
    assert (got["status"], got["closed_by"], got["closing_note"]) == ("closed", cast.olivia.pk, "整改到位")
    assert client.post(url, {"action": "respond", "text": "再补充"}, content_type=J).status_code == 409
    assert list(AuditEvent.objects.filter(object_id=str(rid), action__startswith="supervision.").order_by(
        "id").values_list("action", flat=True)) == ["supervision.create", "supervision.respond", "supervision.close"]
    html = client.get(f"/supervision/{rid}/").content.decode()
    assert "已办结" in html and "办结人：刘主任" in html and "已补充人手" in html and "followup-form" not in html


def test_closing_without_a_response_needs_a_reason(client, cast, overdue, django_capture_on_commit_callbacks):
    rid = post(client, cast.olivia, body(overdue), django_capture_on_commit_callbacks).json()["id"]
    r = client.post(f"/api/v1/supervision/{rid}/follow-up", {"action": "close"}, content_type=J)
    assert r.status_code == 422 and "note" in r.json()["fields"]


def test_list_is_scoped(client, cast, overdue, django_capture_on_commit_callbacks):
    post(client, cast.olivia, body(overdue), django_capture_on_commit_callbacks)
    for user, n in ((cast.olivia, 1), (cast.bob, 1), (cast.hank, 1), (cast.liam, 0), (cast.charlie, 0)):
        client.force_login(user)
        assert client.get("/api/v1/supervision").json()["count"] == n, user


def test_web_form_keeps_input_and_shows_the_error_next_to_the_field(client, cast, overdue):
    client.force_login(cast.olivia)
    r = client.post(f"/tf/{cast.tf.pk}/accountability/supervise/", {
        "kind": "notice", "tasks": [overdue.pk], "title": "", "reason": "逾期", "follow_up_due": "2030-01-01"})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-field-error="title"' in html and "逾期</textarea>" in html and "checked" in html
