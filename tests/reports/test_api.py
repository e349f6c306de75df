"""The reporting API through HTTP: every endpoint, the bad inputs, idempotency, visibility, query counts."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from tests.api.conftest import error
from tests.querycount import assert_constant_queries
from tests.reports.conftest import FIELDS
from zhuanban.reports.models import ExportJob, Submission

GOOD = {"cases": "12.5", "people": 3, "note": "=cmd", "level": "中"}


def today() -> str:
    return timezone.localdate().isoformat()


def body(template, **kw):
    return {"template": template.pk, "period": today(), "values": GOOD, "submit": True, **kw}


class TestTemplates:
    def test_create_list_get_put(self, cast, rapi):
        office = rapi(cast.olivia)
        r = office.post("/report-templates", {"taskforce": cast.tf.pk, "name": "周报", "cadence": "weekly",
                                              "fields": FIELDS[:2]})
        assert r.status_code == 201, r.content
        t = r.json()
        assert [f["key"] for f in t["fields"]] == ["cases", "people"]
        assert [x["id"] for x in office.get("/report-templates").json()] == [t["id"]]
        assert office.get(f"/report-templates/{t['id']}").json()["name"] == "周报"
        r = office.put(f"/report-templates/{t['id']}", {"version": t["version"], "name": "周报（新）"})
        assert r.status_code == 200 and r.json()["version"] == t["version"] + 1
        error(office.put(f"/report-templates/{t['id']}", {"version": t["version"], "name": "x"}), 409,
              "stale_version")

    def test_not_manager_403_outsider_404(self, cast, rapi, template):
        error(rapi(cast.liam).post("/report-templates", {"taskforce": cast.tf.pk, "name": "x", "fields": FIELDS}),
              403, "forbidden")
        error(rapi(cast.charlie).get(f"/report-templates/{template.pk}"), 404, "not_found")
        error(rapi(cast.liam).put(f"/report-templates/{template.pk}", {"version": 1, "name": "x"}), 403,
              "forbidden")

    def test_bad_field_definition(self, cast, rapi):
        r = rapi(cast.olivia).post("/report-templates", {"taskforce": cast.tf.pk, "name": "x", "fields": [
            {"key": "a b", "label": "A", "kind": "choice"}]})
        body = error(r, 422, "validation_error")
        assert {"fields.0.key", "fields.0.options"} <= set(body["fields"])

    def test_share_refused_outside_the_office(self, cast, rapi, template):
        r = rapi(cast.olivia).put(f"/report-templates/{template.pk}", {"version": 1, "shared_with": [cast.other.pk]})
        assert "shared_with" in error(r, 422, "invalid_share")["fields"]


class TestFiling:
    def test_submit_then_get_put_and_history(self, cast, rapi, template):
        liam = rapi(cast.liam)
        r = liam.post("/submissions", body(template, submit=False))
        assert r.status_code == 201 and r.json()["status"] == "draft"
        s = r.json()
        r = liam.post(f"/submissions/{s['id']}/submit", {"version": s["version"]})
        assert r.status_code == 200 and r.json()["status"] == "submitted"
        s = r.json()
        r = liam.put(f"/submissions/{s['id']}", {"version": s["version"], "values": {**GOOD, "cases": "7"},
                                                 "submit": True})
        assert r.status_code == 200 and r.json()["values"]["cases"] == "7"
        assert [h["action"] for h in r.json()["history"]] == ["save_draft", "submit", "submit"]
        error(liam.put(f"/submissions/{s['id']}", {"version": s["version"], "values": GOOD, "submit": True}), 409,
              "stale_version")
        assert liam.get(f"/submissions/{s['id']}").status_code == 200
        error(rapi(cast.charlie).get(f"/submissions/{s['id']}"), 404, "not_found")
        error(rapi(cast.bob).get(f"/submissions/{s['id']}"), 404, "not_found")

    def test_422_names_the_field_and_keeps_the_draft(self, cast, rapi, template):
        r = rapi(cast.liam).post("/submissions", body(template, values={**GOOD, "cases": "5000"}))
        assert error(r, 422, "validation_error")["fields"] == {"cases": "不能大于 1000"}
        assert Submission.objects.get().status == "draft"

    def test_period_not_open_is_409(self, cast, rapi, template):
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        error(rapi(cast.liam).post("/submissions", body(template, period=tomorrow)), 409, "period_not_open")

    def test_reject_policy_409_never_a_duplicate(self, cast, rapi, template):
        template.duplicate_policy = "reject"
        template.save()
        liam = rapi(cast.liam)
        assert liam.post("/submissions", body(template)).status_code == 201
        error(liam.post("/submissions", body(template)), 409, "duplicate_submission")
        assert Submission.objects.count() == 1

    def test_idempotency_key_files_once(self, cast, rapi, template):
        template.duplicate_policy = "reject"
        template.save()
        liam = rapi(cast.liam)
        r1 = liam.post_key("/submissions", body(template), "k-1")
        r2 = liam.post_key("/submissions", body(template), "k-1")
        assert r1.status_code == r2.status_code == 201 and r2["Idempotent-Replayed"] == "true"
        assert r1.json()["id"] == r2.json()["id"] and Submission.objects.count() == 1

    def test_liaison_of_another_unit_cannot_file_for_this_unit(self, cast, rapi, template):
        error(rapi(cast.liam).post("/submissions", body(template, unit=cast.units.gov.pk)), 403, "forbidden")
        error(rapi(cast.bob).post("/submissions", body(template)), 403, "forbidden")
        error(rapi(cast.charlie).post("/submissions", body(template)), 404, "not_found")

    def test_return_with_and_without_comment(self, cast, rapi, template):
        s = rapi(cast.liam).post("/submissions", body(template)).json()
        office = rapi(cast.olivia)
        assert error(office.post(f"/submissions/{s['id']}/return", {}), 422, "validation_error")["fields"] == {
            "comment": "请填写退回意见"}
        error(rapi(cast.liam).post(f"/submissions/{s['id']}/return", {"comment": "x"}), 403, "forbidden")
        r = office.post(f"/submissions/{s['id']}/return", {"comment": "请核实"})
        assert r.json()["status"] == "returned" and r.json()["return_comment"] == "请核实"
        r = rapi(cast.liam).post(f"/submissions/{s['id']}/submit", {})
        assert r.json()["status"] == "submitted"


class TestAggregateApi:
    def test_aggregate_trend_remind(self, cast, rapi, template):
        rapi(cast.liam).post("/submissions", body(template))
        office = rapi(cast.olivia)
        agg = office.get(f"/reports/{template.pk}/periods/{today()}").json()
        assert agg["expected"] == 2 and agg["filed"] == 1 and agg["sums"]["cases"] == "12.5"
        assert [m["unit_id"] for m in agg["missing"]] == [cast.units.gov.pk]
        r = office.post(f"/reports/{template.pk}/remind", {"period": today()})
        assert r.json() == {"count": 1, "filers": [f"u{cast.units.gov.pk}"]}
        assert office.get(f"/reports/{template.pk}/periods/{today()}").json()["missing"][0]["reminders"] == 1
        tr = office.get(f"/reports/{template.pk}/trend", {"field": "cases"}).json()
        assert tr["points"] == [{"period": today(), "sum": "12.5", "filed": 1}]
        error(office.get(f"/reports/{template.pk}/trend", {"field": "note"}), 422, "validation_error")
        error(rapi(cast.liam).get(f"/reports/{template.pk}/periods/{today()}"), 403, "forbidden")
        error(rapi(cast.liam).post(f"/reports/{template.pk}/remind", {"period": today()}), 403, "forbidden")
        error(rapi(cast.charlie).get(f"/reports/{template.pk}/periods/{today()}"), 404, "not_found")

    def test_list_submissions_filters_and_scope(self, cast, rapi, template):
        rapi(cast.liam).post("/submissions", body(template))
        assert rapi(cast.olivia).get("/submissions", {"template": template.pk, "status": "submitted"}).json()[
            "count"] == 1
        assert rapi(cast.liam).get("/submissions").json()["count"] == 1
        assert rapi(cast.bob).get("/submissions").json()["count"] == 0
        assert rapi(cast.olivia).get("/submissions", {"status": "draft"}).json()["count"] == 0


class TestExportApi:
    def test_background_job_then_download(self, cast, rapi, template, django_capture_on_commit_callbacks,
                                          immediate_tasks):
        rapi(cast.liam).post("/submissions", body(template))
        office = rapi(cast.olivia)
        with django_capture_on_commit_callbacks(execute=True):
            r = office.post(f"/reports/{template.pk}/exports", {"from": today(), "to": today()})
        assert r.status_code == 202
        job = office.get(f"/report-exports/{r.json()['id']}").json()
        assert job["status"] == "done" and job["percent"] == 100
        data = office.client.get(job["download_url"])
        rows = list(load_workbook(io.BytesIO(b"".join(data.streaming_content))).active.iter_rows(values_only=True))
        assert len(rows) == 3 and any(r[7] == "'=cmd" for r in rows[1:])
        error(rapi(cast.liam).post(f"/reports/{template.pk}/exports", {"from": today(), "to": today()}), 403,
              "forbidden")
        error(rapi(cast.alice).get(f"/report-exports/{job['id']}"), 404, "not_found")

    def test_sync(self, cast, rapi, template):
        r = rapi(cast.olivia).post(f"/reports/{template.pk}/exports?sync=1", {"from": today(), "to": today()})
        assert r.status_code == 200 and r.json()["status"] == "done"
        assert ExportJob.objects.get().file


class TestQueryCounts:
    def test_aggregate_constant(self, cast, rapi, template):
        from tests.factories import PersonFactory, UnitFactory, UserFactory
        from zhuanban.taskforces import services as tfs
        from zhuanban.taskforces.models import Membership, MemberUnit

        def grow():
            for _ in range(3):
                u = UnitFactory()
                mu = tfs.add_member_unit(cast.admin, cast.tf, unit=u, role=MemberUnit.Role.PARTICIPATING,
                                         joined_on=dt.date(2026, 1, 5))
                p = PersonFactory(home_unit=u, user=UserFactory())
                tfs.join(cast.admin, cast.tf, person=p, role=Membership.Role.LIAISON, member_unit=mu,
                         start_on=dt.date(2026, 1, 5))
                rapi(p.user).post("/submissions", body(template))

        office = rapi(cast.olivia)
        assert_constant_queries(office.client, f"/api/v1/reports/{template.pk}/periods/{today()}", grow,
                                rows=lambda r: len(r.json()["rows"]))
        assert_constant_queries(office.client, "/api/v1/submissions", grow)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_submissions_make_one_row(cast, rapi, template):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the IntegrityError path is covered on PostgreSQL")
    results = []

    def go():
        results.append(rapi(cast.liam).post("/submissions", body(template)).status_code)
        connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Submission.objects.count() == 1 and sorted(results)[0] in (200, 201)


def test_openapi_lists_the_reporting_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/report-templates", "/api/v1/reports/{template_id}/periods/{period}",
                 "/api/v1/reports/{template_id}/trend", "/api/v1/reports/{template_id}/remind",
                 "/api/v1/submissions", "/api/v1/submissions/{submission_id}/return",
                 "/api/v1/report-exports/{job_id}"):
        assert path in doc["paths"], path
