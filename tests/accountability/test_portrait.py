"""The responsibility portrait and the responsibility list: figures, scope by viewer, query counts, the
.xlsx export read back by openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_taskforce
from zhuanban.accountability import services
from zhuanban.accountability.models import Supervision
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Membership
from zhuanban.tasks.models import Dispatch, Task

S = Task.Status


def at(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 10))


@pytest.fixture
def second(cast):
    """bob is also in a second task force that olivia does not manage (charlie leads it)."""
    tf2 = make_taskforce(cast.admin, name="城市大脑运行专班")
    tf_services.join(cast.admin, tf2, person=cast.people.bob, role=Membership.Role.MEMBER, start_on=dt.date(2026, 1, 5))
    tf_services.join(cast.admin, tf2, person=cast.people.charlie, role=Membership.Role.HEAD,
                     start_on=dt.date(2026, 1, 5))
    return tf2


@pytest.fixture
def tasks(cast, second):
    p, u = cast.people, cast.units
    t1 = Task.objects.create(taskforce=cast.tf, title="起草总则", responsible=p.bob, decision_owner=p.alice,
                             lead_unit=u.gov, status=S.DONE, due_at=at(2026, 3, 1), completed_at=at(2026, 2, 27))
    t1.cooperating_units.set([u.zjw, u.sfj])
    t2 = Task.objects.create(taskforce=cast.tf, title="征求意见", responsible=p.bob, lead_unit=u.zjw,
                             status=S.IN_PROGRESS, due_at=at(2026, 4, 1))
    t3 = Task.objects.create(taskforce=second, title="数据对接", responsible=p.bob, status=S.DONE,
                             due_at=at(2026, 5, 1), completed_at=at(2026, 5, 3))
    Dispatch.objects.create(task=t2, from_person=p.olivia, from_unit=u.gov, to_person=p.bob,
                            status=Dispatch.Status.SIGNED, signed_by=p.bob)
    Task.objects.create(taskforce=cast.tf, title="他人的任务", responsible=p.liam, status=S.DRAFT)
    return t1, t2, t3


def test_bob_sees_his_whole_portrait(client, cast, tasks, second):
    client.force_login(cast.bob)
    got = client.get(f"/api/v1/people/{cast.people.bob.pk}/portrait").json()
    assert sorted(got["scope"]) == sorted([cast.tf.pk, second.pk])
    f = got["figures"]
    # t1 on time; t2 open and past due (04-01); t3 done late
    assert (f["tasks_owned"], f["tasks_done"], f["done_on_time"], f["overdue"]) == (3, 2, 1, 2)
    assert {r["name"]: (r["owned"], r["overdue"]) for r in got["taskforces"]} == {
        "物业管理条例立法专班": (2, 1), "城市大脑运行专班": (1, 1)}


def test_a_manager_sees_only_the_task_forces_he_manages(client, cast, tasks, second):
    client.force_login(cast.olivia)
    got = client.get(f"/api/v1/people/{cast.people.bob.pk}/portrait").json()
    assert got["scope"] == [cast.tf.pk]
    assert got["figures"]["tasks_owned"] == 2 and [r["name"] for r in got["taskforces"]] == ["物业管理条例立法专班"]
    client.force_login(cast.charlie)  # head of the second one only
    got = client.get(f"/api/v1/people/{cast.people.bob.pk}/portrait").json()
    assert got["scope"] == [second.pk] and got["figures"]["tasks_owned"] == 1


def test_others_get_404(client, cast, tasks):
    for user in (cast.liam, cast.erin):
        client.force_login(user)
        assert client.get(f"/api/v1/people/{cast.people.bob.pk}/portrait").status_code == 404
        assert client.get(f"/people/{cast.people.bob.pk}/portrait/").status_code == 404
    client.force_login(cast.bob)
    assert client.get("/api/v1/people/999999/portrait").status_code == 404


def test_home_unit_leader_sees_the_staff_portrait(client, cast, tasks, second):
    client.force_login(cast.hank)
    got = client.get(f"/api/v1/people/{cast.people.bob.pk}/portrait").json()
    assert sorted(got["scope"]) == sorted([cast.tf.pk, second.pk])


def test_portrait_shows_supervision_and_the_page_renders(client, cast, tasks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    services.create(cast.olivia, kind="talk", task_ids=[tasks[1].pk], title="约谈：征求意见逾期", reason="逾期",
                    follow_up_due=timezone.localdate() + dt.timedelta(days=2),
                    talk_at=timezone.now() + dt.timedelta(days=1))
    client.force_login(cast.olivia)
    got = client.get(f"/api/v1/people/{cast.people.bob.pk}/portrait").json()
    assert got["supervision_counts"] == {"notice": 0, "talk": 1, "circular": 0}
    assert got["supervisions"][0]["title"] == "约谈：征求意见逾期"
    assert got["taskforces"][0]["supervisions"] == 1
    html = client.get(f"/people/{cast.people.bob.pk}/portrait/").content.decode()
    assert "约谈：征求意见逾期" in html and 'id="portrait-data"' in html and "echarts.min.js" in html
    # the person page links to it for olivia, not for liam
    assert 'data-testid="portrait-link"' in client.get(f"/people/{cast.people.bob.pk}/").content.decode()
    client.force_login(cast.liam)
    assert 'data-testid="portrait-link"' not in client.get(f"/people/{cast.people.bob.pk}/").content.decode()


def test_portrait_query_count_does_not_grow_with_task_forces(client, cast, tasks, second):
    client.force_login(cast.bob)
    url = f"/api/v1/people/{cast.people.bob.pk}/portrait"
    first = Supervision.objects.create(taskforce=cast.tf, kind="talk", person=cast.people.bob, unit=cast.units.zjw,
                                       title="约谈", reason="r", follow_up_due=dt.date(2026, 12, 31))
    first.tasks.set([tasks[1]])
    client.get(url)

    def n():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = n()
    for i in range(3):
        tf = make_taskforce(cast.admin, name=f"追加专班{i}")
        tf_services.join(cast.admin, tf, person=cast.people.bob, role=Membership.Role.MEMBER,
                         start_on=dt.date(2026, 1, 5))
        t = Task.objects.create(taskforce=tf, title="t", responsible=cast.people.bob, status=S.DONE)
        rec = Supervision.objects.create(taskforce=tf, kind="notice", person=cast.people.bob, unit=cast.units.zjw,
                                         title=f"督办{i}", reason="r", follow_up_due=dt.date(2026, 12, 31))
        rec.tasks.set([t])
    assert n() == before


def test_responsibility_list_names_owners_and_units(client, cast, tasks):
    client.force_login(cast.olivia)
    got = client.get(f"/api/v1/responsibilities?taskforce={cast.tf.pk}").json()
    rows = {r["title"]: r for r in got["items"]}
    assert got["count"] == 3
    r1 = rows["起草总则"]
    assert (r1["decision_owner"], r1["decision_unit"], r1["execution_owner"], r1["execution_unit"]) == (
        "王组长", "市政府办公厅", "李成员", "市住建委")
    assert r1["lead_unit"] == "市政府办公厅" and sorted(r1["cooperating_units"]) == ["市住建委", "市司法局"]
    r2 = rows["征求意见"]
    assert (r2["decision_owner"], r2["decision_unit"], r2["dispatcher"]) == ("", "市住建委", "市政府办公厅 / 刘主任")
    client.force_login(cast.erin)
    assert client.get(f"/api/v1/responsibilities?taskforce={cast.tf.pk}").status_code == 404
    client.force_login(cast.charlie)
    assert client.get(f"/api/v1/responsibilities?taskforce={cast.tf.pk}").status_code == 404


def test_responsibility_page_and_xlsx(client, cast, tasks):
    from openpyxl import load_workbook

    tasks[0].title = "=HYPERLINK(\"http://x\")"
    tasks[0].save()
    client.force_login(cast.olivia)
    page = client.get(f"/tf/{cast.tf.pk}/accountability/")
    assert page.status_code == 200 and 'data-testid="responsibility-list"' in page.content.decode()
    r = client.get(f"/tf/{cast.tf.pk}/accountability/export.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "责任清单" in rows[0][0] and rows[1][:8] == (
        "任务", "上级任务", "状态", "完成时限", "决策责任人", "决策责任单位", "执行责任人", "执行责任单位")
    body = {row[0]: row for row in rows[2:]}
    assert "'=HYPERLINK(\"http://x\")" in body and body["'=HYPERLINK(\"http://x\")"][4:8] == (
        "王组长", "市政府办公厅", "李成员", "市住建委")
    assert len(rows) == 2 + 3
