"""GET /api/v1/health and the rules through HTTP: scope by viewer, ?check=, tuning by the office (bounds,
stale version), the health and rules pages, the read log of report aggregates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhuanban.insight.models import HealthRule, ReportRead
from zhuanban.reports.models import ReportTemplate

J = "application/json"


def _login(client, user):
    client.force_login(user)
    return client


def test_health_lists_every_check_with_its_failing_task_forces(client, running):
    d = _login(client, running.admin).get("/api/v1/health").json()
    codes = [c["code"] for c in d["checks"]]
    assert codes == ["past_end", "all_done", "idle", "absent_member", "many_taskforces", "over_load", "oral",
                     "formality_type", "unread_reports"]
    oral = next(c for c in d["checks"] if c["code"] == "oral")
    assert oral["failing_count"] == 1 and oral["failing"][0]["taskforce"] == "其他专班"
    assert d["taskforces_failing"] >= 1


def test_health_one_check_and_an_unknown_check(client, running):
    c = _login(client, running.admin)
    d = c.get("/api/v1/health?check=oral").json()
    assert [x["code"] for x in d["checks"]] == ["oral"]
    r = c.get("/api/v1/health?check=bogus")
    assert r.status_code == 422 and r.json()["fields"]["check"].startswith("可选")


def test_health_scope_by_viewer(client, running):
    # olivia manages tf only: the oral "other" is not hers to see
    d = _login(client, running.olivia).get("/api/v1/health?check=oral").json()
    assert d["checks"][0]["failing"] == []
    assert _login(client, running.bob).get("/api/v1/health").status_code == 403
    client.logout()
    assert client.get("/api/v1/health").status_code == 401


def test_the_office_tunes_a_rule(client, running):
    c = _login(client, running.admin)
    rules = {r["code"]: r for r in c.get("/api/v1/health/rules").json()}
    assert rules["idle"]["threshold"] == 4 and rules["idle"]["version"] == 0
    r = c.put("/api/v1/health/rules/oral", {"enabled": False, "threshold": 5}, content_type=J)
    assert r.status_code == 200 and r.json()["threshold"] == 5 and r.json()["version"] == 1
    assert c.get("/api/v1/health?check=oral").json()["checks"][0]["failing"] == []
    r = c.put("/api/v1/health/rules/oral", {"enabled": True, "threshold": 0, "version": 1}, content_type=J)
    assert r.status_code == 200 and r.json()["version"] == 2
    stale = c.put("/api/v1/health/rules/oral", {"enabled": True, "threshold": 3, "version": 1}, content_type=J)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    bad = c.put("/api/v1/health/rules/idle", {"threshold": 500}, content_type=J)
    assert bad.status_code == 422 and "threshold" in bad.json()["fields"]
    assert c.put("/api/v1/health/rules/nope", {"threshold": 1}, content_type=J).status_code == 404
    assert HealthRule.objects.get(code="oral").threshold == 0


def test_only_the_office_sees_and_tunes_rules(client, running):
    c = _login(client, running.olivia)
    assert c.get("/api/v1/health/rules").status_code == 403
    assert c.put("/api/v1/health/rules/oral", {"threshold": 1}, content_type=J).status_code == 403
    assert not HealthRule.objects.exists()


def test_health_and_rules_pages(client, running):
    c = _login(client, running.admin)
    page = c.get("/insight/health/").content.decode()
    assert 'data-testid="check-oral"' in page and "其他专班" in page and "/healthz" in page
    r = c.post("/insight/health/rules/", {"code": "idle", "threshold": "999", "enabled": "on", "version": "0"})
    assert r.status_code == 422 and "0–104周" in r.content.decode() and 'value="999"' in r.content.decode()
    r = c.post("/insight/health/rules/", {"code": "idle", "threshold": "6", "enabled": "on", "version": "0"})
    assert r.status_code == 302 and HealthRule.objects.get(code="idle").threshold == 6
    assert _login(client, running.olivia).get("/insight/health/rules/").status_code == 403
    assert c.get("/insight/health/").status_code == 200  # olivia manages tf


def test_reading_a_report_aggregate_is_counted(client, running):
    t = ReportTemplate.objects.create(taskforce=running.tf, name="每日信息报送")
    c = _login(client, running.olivia)
    assert c.get(f"/reports/{t.pk}/").status_code == 200
    assert c.get(f"/api/v1/reports/{t.pk}/periods/{timezone.localdate():%Y-%m-%d}").status_code == 200
    assert ReportRead.objects.get(template=t, day=timezone.localdate()).views == 2
    # a refused read counts nothing
    assert _login(client, running.charlie).get(f"/reports/{t.pk}/").status_code == 404
    assert ReportRead.objects.get(template=t).views == 2


def test_health_query_count_does_not_grow_with_task_forces(client, running, django_assert_max_num_queries):
    from tests.factories import make_taskforce

    c = _login(client, running.admin)
    c.get("/api/v1/health")
    with django_assert_max_num_queries(40) as ctx:
        c.get("/api/v1/health")
    before = len(ctx.captured_queries)
    for i in range(5):
        make_taskforce(running.admin, name=f"口头专班{i}", basis="oral", basis_document_no="",
                       established_on=dt.date(2026, 1, 5))
    with django_assert_max_num_queries(before):
        assert c.get("/api/v1/health").status_code == 200
