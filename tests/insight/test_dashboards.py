"""Dashboard figures from a small fixture with hand-counted answers, through the API (HTTP), and who may
see which dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import START
from zhuanban.insight.models import DashboardSnapshot
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Membership
from zhuanban.tasks.models import Task


@pytest.fixture
def world(running):
    """tf (项目合作型: erin is from an enterprise; 任务攻坚型), other (人员抽调型, 任务攻坚型).
    Tasks of tf: three done in the current week (two on time, one late), one red and one yellow open
    task led by 市住建委, one green led by 市政府办公厅.  bob is also in other at 60 % (110 % in all)."""
    now = timezone.now()
    cast = running
    zjw, gov = cast.units.zjw, cast.units.gov

    def task(**kw):
        return Task.objects.create(taskforce=cast.tf, title="任务", **kw)

    task(status=Task.Status.DONE, light=Task.Light.NONE, due_at=now + dt.timedelta(days=1), completed_at=now,
         lead_unit=zjw)
    task(status=Task.Status.DONE, light=Task.Light.NONE, due_at=now + dt.timedelta(days=2), completed_at=now,
         lead_unit=gov)
    task(status=Task.Status.DONE, light=Task.Light.NONE, due_at=now - dt.timedelta(hours=1), completed_at=now,
         lead_unit=gov)
    task(status=Task.Status.IN_PROGRESS, light=Task.Light.RED, due_at=now - dt.timedelta(days=1), lead_unit=zjw)
    task(status=Task.Status.IN_PROGRESS, light=Task.Light.YELLOW, due_at=now + dt.timedelta(days=3), lead_unit=zjw)
    task(status=Task.Status.SIGNED, light=Task.Light.GREEN, due_at=now + dt.timedelta(days=9), lead_unit=gov)
    tf_services.join(cast.admin, cast.other, person=cast.people.bob, role=Membership.Role.MEMBER, workload_pct=60,
                     start_on=START)
    return cast


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_office_dashboard_figures(client, world):
    r = _get(client, world.admin, "/api/v1/insight/office")
    assert r.status_code == 200, r.content
    d = r.json()
    assert d["dashboard"] == "office" and d["taskforce_count"] == 2 and d["snapshot_at"]
    li = {x["code"]: x["count"] for x in d["taskforces"]["li"]}
    assert li == {"project_cooperation": 1, "platform_sharing": 0, "staff_secondment": 1, "department_integration": 0}
    liu = {x["code"]: x["count"] for x in d["taskforces"]["liu"]}
    assert liu["task_assault"] == 2 and liu["gap_filling"] == 0
    assert {x["code"]: x["count"] for x in d["taskforces"]["status"]}["active"] == 2
    assert d["tasks"] == {"total": 6, "open": 3}
    lights = {x["unit"]: (x["red"], x["yellow"], x["green"]) for x in d["lights_by_unit"]}
    assert lights == {"市住建委": (1, 1, 0), "市政府办公厅": (0, 0, 1)}
    assert d["lights_by_unit"][0]["unit"] == "市住建委"  # most red first
    assert d["trend"]["done"][-1] == 3 and sum(d["trend"]["done"]) == 3
    assert d["trend"]["on_time"][-1] == 2
    # load: alice 20, olivia 100, liam 30, bob 50+60, erin 20, charlie 0
    assert [x["count"] for x in d["load"]["load"]] == [4, 0, 1, 1]
    assert [x["count"] for x in d["load"]["count"]] == [5, 1, 0, 0]
    assert d["load"]["people"] == 6 and d["load"]["overloaded"] == 1
    f = d["figures"]
    assert f["available"] and f["tasks_done"] == 3 and f["done_on_time"] == 2
    assert f["on_time_rate"] == 66.7
    assert f["overdue"] == 2  # the red open one and the one done late


def test_office_dashboard_reads_the_snapshot_until_the_sweep_refreshes_it(client, world):
    from zhuanban.insight import services

    _get(client, world.admin, "/api/v1/insight/office")
    snap = DashboardSnapshot.objects.get(key="office")
    Task.objects.create(taskforce=world.tf, title="新任务")
    assert _get(client, world.admin, "/api/v1/insight/office").json()["tasks"]["total"] == 6
    services.refresh_snapshot()
    assert _get(client, world.admin, "/api/v1/insight/office").json()["tasks"]["total"] == 7
    assert DashboardSnapshot.objects.get(key="office").computed_at >= snap.computed_at


def test_leader_dashboard_is_live_over_the_task_forces_they_lead(client, world):
    d = _get(client, world.alice, "/api/v1/insight/leader").json()
    assert d["taskforce_count"] == 1 and d["tasks"]["total"] == 6 and d["snapshot_at"] is None
    assert d["subject"] == "王组长"


def test_unit_dashboard_covers_the_units_seconded_people(client, world):
    d = _get(client, world.hank, "/api/v1/insight/unit").json()
    assert d["subject"] == "市住建委"
    assert d["taskforce_count"] == 2  # liam and bob in tf, bob in other
    assert d["load"]["people"] == 6  # everyone with a secondment in those two task forces


def test_dashboard_visibility(client, world):
    zjw, gov = world.units.zjw.pk, world.units.gov.pk
    cases = [
        (world.admin, "office", 200), (world.olivia, "office", 403), (world.alice, "office", 403),
        (world.alice, "leader", 200), (world.olivia, "leader", 403), (world.bob, "leader", 403),
        (world.hank, "unit", 200), (world.hank, f"unit?unit={zjw}", 200), (world.hank, f"unit?unit={gov}", 404),
        (world.bob, "unit", 403), (world.charlie, f"unit?unit={zjw}", 404), (world.admin, "unit", 422),
        (world.admin, f"unit?unit={zjw}", 200), (world.admin, "nonsense", 404),
    ]
    got = [(u.username, path, _get(client, u, f"/api/v1/insight/{path}").status_code) for u, path, _ in cases]
    assert got == [(u.username, path, code) for u, path, code in cases]
    client.logout()
    assert client.get("/api/v1/insight/office").status_code == 401


def test_dashboard_pages_render_the_charts(client, world):
    r = _get(client, world.admin, "/insight/")
    assert r.status_code == 302 and r["Location"].endswith("/insight/office/")
    page = client.get("/insight/office/").content.decode()
    assert 'id="chart-lights"' in page and "insight-data" in page and "vendor/echarts/echarts.min.js" in page
    assert "cdn" not in page.lower()
    assert _get(client, world.hank, "/insight/").headers["Location"].endswith("/insight/unit/")
    assert _get(client, world.bob, "/insight/").status_code == 403
    assert _get(client, world.admin, "/insight/unit/").status_code == 200  # asks for a unit
    assert _get(client, world.olivia, "/insight/office/").status_code == 403


def test_a_province_office_permission_holder_is_the_office(client, world):
    from django.contrib.auth.models import Permission

    world.olivia.user_permissions.add(Permission.objects.get(codename="view_province"))
    assert _get(client, world.olivia, "/api/v1/insight/office").status_code == 200
