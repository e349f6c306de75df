"""The meetings API through HTTP: every endpoint, bad input (422 naming the field), 404 for the invisible,
403 for members who are not managers, 409 for stale minutes, the .ics feed without a session, and query
counts constant at two sizes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import Api, error
from tests.meetings.conftest import at
from tests.querycount import assert_constant_queries
from zhuanban.meetings import feed, services
from zhuanban.meetings.models import Meeting

SOON = timezone.localdate() + dt.timedelta(days=5)


@pytest.fixture
def office(cast):
    return Api(cast.olivia)


def new_meeting(api: Api, cast, **kw):
    body = {"taskforce": cast.tf.pk, "title": "专题会", "kind": "topic", "starts_at": f"{SOON}T09:00:00+08:00",
            "location": "一楼", **kw}
    r = api.post("/meetings", body)
    assert r.status_code == 201, r.content
    return r.json()


class TestMeetings:
    def test_create_list_detail_patch_and_cancel(self, cast, office):
        m = new_meeting(office, cast)
        assert m["attendance"] and m["agenda"]["units"]
        r = office.get("/meetings", {"taskforce": cast.tf.pk, "from": str(SOON), "to": str(SOON), "kind": "topic"})
        assert [x["id"] for x in r.json()["items"]] == [m["id"]]
        assert office.get("/meetings", {"kind": "weekly"}).json()["count"] == 0
        assert office.get(f"/meetings/{m['id']}").json()["title"] == "专题会"
        r = office.patch(f"/meetings/{m['id']}", {"version": m["version"], "location": "二楼"})
        assert r.status_code == 200 and r.json()["location"] == "二楼"
        r = office.patch(f"/meetings/{m['id']}", {"version": r.json()["version"], "cancel": True})
        assert r.json()["status"] == "cancelled"

    def test_bad_input_names_the_field(self, cast, office):
        r = office.post("/meetings", {"taskforce": cast.tf.pk, "title": "", "starts_at": "x"})
        body = error(r, 422, "validation_error")
        assert "title" in body["fields"] and "starts_at" in body["fields"]
        r = office.post("/meetings", {"taskforce": cast.tf.pk, "title": "x", "starts_at": f"{SOON}T09:00:00+08:00",
                                      "ends_at": f"{SOON}T08:00:00+08:00"})
        assert "ends_at" in error(r, 422, "invalid_meeting")["fields"]
        r = office.post("/meetings", {"taskforce": cast.tf.pk, "title": "x", "starts_at": f"{SOON}T09:00:00+08:00",
                                      "upper": 999999})
        assert error(r, 422, "invalid_reference")["fields"] == {"upper": "不存在或无权查看"}

    def test_follow_up_more_than_n_workdays_after_is_422(self, cast, office):
        up = new_meeting(office, cast, starts_at="2026-09-30T09:00:00+08:00")
        r = office.post("/meetings", {"taskforce": cast.tf.pk, "title": "跟进会", "upper": up["id"],
                                      "starts_at": "2026-10-10T09:00:00+08:00"})
        assert "starts_at" in error(r, 422, "follow_up_too_late")["fields"]
        new_meeting(office, cast, title="跟进会", upper=up["id"], starts_at="2026-10-09T09:00:00+08:00")

    def test_invisible_is_404_and_member_is_403(self, cast, office):
        m = new_meeting(office, cast)
        error(Api(cast.charlie).get(f"/meetings/{m['id']}"), 404, "not_found")
        error(Api(cast.charlie).post("/meetings", {"taskforce": cast.tf.pk, "title": "x",
                                                   "starts_at": f"{SOON}T09:00:00+08:00"}), 404, "not_found")
        error(Api(cast.bob).post("/meetings", {"taskforce": cast.tf.pk, "title": "x",
                                               "starts_at": f"{SOON}T09:00:00+08:00"}), 403, "forbidden")
        error(put(Api(cast.bob), f"/meetings/{m['id']}/minutes", {"version": m["version"], "minutes": "x"}),
              403, "forbidden")
        assert Api(cast.bob).get(f"/meetings/{m['id']}").status_code == 200
        assert Api(cast.charlie).get("/meetings").json()["count"] == 0

    def test_external_member_sees_only_meetings_they_are_invited_to(self, cast, office):
        invited = new_meeting(office, cast)  # all members, erin included
        other = new_meeting(office, cast, invitees="liaisons")
        erin = Api(cast.erin)
        assert erin.get(f"/meetings/{invited['id']}").status_code == 200
        error(erin.get(f"/meetings/{other['id']}"), 404, "not_found")


def put(api: Api, path: str, data):
    import json

    return api.client.put(api.url(path), json.dumps(data), content_type="application/json")


class TestAttendanceMinutesDecisions:
    def test_attendance(self, cast, office):
        m = new_meeting(office, cast)
        r = office.post(f"/meetings/{m['id']}/attendance", {"entries": [
            {"person": cast.people.bob.pk, "status": "present"},
            {"person": cast.people.liam.pk, "status": "absent", "reason": "出差", "substitute": cast.people.bob.pk}]})
        assert r.status_code == 200, r.content
        rows = {a["person"]["name"]: a for a in r.json()["items"]}
        assert rows["陈联络"]["substitute"]["name"] == "李成员"
        assert office.get(f"/meetings/{m['id']}/attendance").json()["rate"] is not None
        r = office.post(f"/meetings/{m['id']}/attendance", {"entries": [
            {"person": cast.people.bob.pk, "status": "absent"}]})
        assert error(r, 422, "invalid_attendance")["fields"] == {"entries.0.reason": "缺席须说明理由"}
        r = office.post(f"/meetings/{m['id']}/attendance", {"entries": [{"person": 999999}]})
        assert "entries.0.person" in error(r, 422, "invalid_reference")["fields"]
        r = office.post(f"/meetings/{m['id']}/attendance", {"entries": [{"person": cast.people.bob.pk,
                                                                         "status": "maybe"}]})
        assert error(r, 422, "invalid_attendance")["fields"] == {"entries.0.status": "出席情况无效"}

    def test_minutes_409_for_the_later_editor_nothing_lost(self, cast, office):
        m = new_meeting(office, cast)
        v = office.get(f"/meetings/{m['id']}/minutes").json()["version"]
        r = put(office, f"/meetings/{m['id']}/minutes", {"version": v, "minutes": "刘主任写的"})
        assert r.status_code == 200 and r.json()["status"] == "held"
        body = error(put(Api(cast.alice), f"/meetings/{m['id']}/minutes", {"version": v, "minutes": "王组长写的"}),
                     409, "stale_version")
        assert body["current_version"] == v + 1
        assert office.get(f"/meetings/{m['id']}/minutes").json()["minutes"] == "刘主任写的"
        error(put(office, f"/meetings/{m['id']}/minutes", {"minutes": "无版本"}), 422, "validation_error")

    def test_decision_to_task_and_dispatch_all(self, cast, office):
        m = new_meeting(office, cast)
        r = office.post(f"/meetings/{m['id']}/decisions", {"text": "完成第三章", "lead_unit": cast.units.zjw.pk,
                                                         "responsible": cast.people.liam.pk, "due_on": "2026-12-31"})
        assert r.status_code == 201, r.content
        d = r.json()
        r = office.post(f"/meetings/{m['id']}/decisions/{d['id']}/to-task")
        assert r.status_code == 201 and r.json()["task_id"]
        task = office.get(f"/tasks/{r.json()['task_id']}").json()
        assert task["source"] == "meeting" and task["responsible"]["name"] == "陈联络"
        error(office.post(f"/meetings/{m['id']}/decisions/{d['id']}/to-task"), 409, "already_converted")
        error(office.post(f"/meetings/{m['id']}/decisions/999999/to-task"), 404, "not_found")
        r = office.post(f"/meetings/{m['id']}/dispatch-tasks")
        assert r.json() == {"dispatched": [task["id"]], "skipped": []}
        detail = office.get(f"/meetings/{m['id']}").json()
        assert [t["status"] for t in detail["new_tasks"]] == ["dispatched"]
        body = error(office.post(f"/meetings/{m['id']}/decisions", {"text": "x", "responsible": 999999}), 422,
                     "invalid_reference")
        assert body["fields"] == {"responsible": "不存在或无权查看"}
        error(office.post(f"/meetings/{m['id']}/decisions", {"text": ""}), 422, "validation_error")
        error(Api(cast.bob).post(f"/meetings/{m['id']}/dispatch-tasks"), 403, "forbidden")

    def test_minutes_docx(self, cast, office):
        from docx import Document

        m = new_meeting(office, cast)
        r = office.get(f"/meetings/{m['id']}/minutes.docx")
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert r["X-Zhuanban-Fonts"]
        assert Document(io.BytesIO(r.content)).sections[0].top_margin.mm == pytest.approx(37, abs=0.1)
        error(Api(cast.charlie).get(f"/meetings/{m['id']}/minutes.docx"), 404, "not_found")


class TestFeed:
    def test_ics_without_a_session_and_for_someone_else_is_404(self, cast, office):
        from icalendar import Calendar

        new_meeting(office, cast)
        bob = cast.people.bob.pk
        url = feed.feed_path(bob)
        r = Client().get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
        assert len(Calendar.from_ical(r.content).walk("VEVENT")) == 1
        assert Client().get(feed.feed_path(cast.people.liam.pk).replace(f"/{cast.people.liam.pk}/", f"/{bob}/")
                            ).status_code == 404
        assert Client().get(f"/api/v1/meeting-feed/{bob}/forged.ics").status_code == 404
        assert Api(cast.bob).get("/my-meetings/feed").json()["url"].endswith(url)


class TestSeries:
    def test_crud_and_schedule(self, cast, office):
        r = office.post("/meeting-series", {"taskforce": cast.tf.pk, "title": "周例会", "recurrence": "weekly",
                                            "weekday": 0, "time_of_day": "09:30"})
        assert r.status_code == 201, r.content
        s = r.json()
        assert office.get(f"/meeting-series/{s['id']}").json()["weekday"] == 0
        assert [x["id"] for x in office.get("/meeting-series", {"taskforce": cast.tf.pk}).json()] == [s["id"]]
        r = office.patch(f"/meeting-series/{s['id']}", {"version": s["version"], "location": "会议室"})
        assert r.json()["location"] == "会议室"
        r = office.post(f"/meeting-series/{s['id']}/schedule", {"start": "2026-09-21", "until": "2026-10-19"})
        assert [x["starts_at"][:10] for x in r.json()["created"]] == ["2026-09-21", "2026-09-28", "2026-10-08",
                                                                      "2026-10-12", "2026-10-19"]
        assert office.post(f"/meeting-series/{s['id']}/schedule", {"start": "2026-09-21", "until": "2026-10-19"}
                           ).json()["created"] == []
        body = error(office.post("/meeting-series", {"taskforce": cast.tf.pk, "title": "x", "recurrence": "monthly"}),
                     422, "invalid_series")
        assert "nth_workday" in body["fields"]
        error(office.post("/meeting-series", {"taskforce": cast.tf.pk, "title": "x", "weekday": 9}), 422,
              "validation_error")
        error(office.post(f"/meeting-series/{s['id']}/schedule", {"start": "2026-10-01", "until": "2026-09-01"}),
              422, "invalid_range")
        error(Api(cast.bob).post(f"/meeting-series/{s['id']}/schedule", {"until": "2026-10-19"}), 403, "forbidden")
        error(Api(cast.charlie).get(f"/meeting-series/{s['id']}"), 404, "not_found")


class TestDuty:
    def test_shifts_swaps_and_approval(self, cast, office):
        day = str(timezone.localdate() + dt.timedelta(days=1))
        r = office.post("/duty-shifts", {"taskforce": cast.tf.pk, "date": day, "person": cast.people.bob.pk})
        assert r.status_code == 201, r.content
        shift = r.json()
        assert [x["id"] for x in office.get("/duty-shifts", {"taskforce": cast.tf.pk}).json()] == [shift["id"]]
        r = Api(cast.bob).post("/duty-swaps", {"shift": shift["id"], "to_person": cast.people.liam.pk, "reason": "出差"})
        assert r.status_code == 201, r.content
        swap = r.json()
        error(Api(cast.bob).post(f"/duty-swaps/{swap['id']}/approve"), 403, "forbidden")
        error(Api(cast.charlie).post(f"/duty-swaps/{swap['id']}/approve"), 404, "not_found")
        assert office.post(f"/duty-swaps/{swap['id']}/approve").json()["status"] == "approved"
        assert office.get("/duty-shifts", {"taskforce": cast.tf.pk}).json()[0]["person"]["name"] == "陈联络"
        error(office.post(f"/duty-swaps/{swap['id']}/reject"), 409, "swap_decided")
        assert office.get("/duty-swaps", {"taskforce": cast.tf.pk}).json()[0]["status"] == "approved"

    def test_reject_and_bad_input(self, cast, office):
        day = str(timezone.localdate() + dt.timedelta(days=1))
        shift = office.post("/duty-shifts", {"taskforce": cast.tf.pk, "date": day, "person": cast.people.bob.pk}).json()
        swap = office.post("/duty-swaps", {"shift": shift["id"], "to_person": cast.people.liam.pk}).json()
        assert office.post(f"/duty-swaps/{swap['id']}/reject", {"note": "人手不足"}).json()["status"] == "rejected"
        body = error(office.post("/duty-shifts", {"taskforce": cast.tf.pk, "date": day,
                                                  "person": cast.people.charlie.pk}), 422, "not_a_member")
        assert "person" in body["fields"]
        error(office.post("/duty-shifts", {"taskforce": cast.tf.pk, "date": "bad", "person": 1}), 422,
              "validation_error")
        error(office.post("/duty-swaps", {"shift": 999999, "to_person": cast.people.liam.pk}), 422,
              "invalid_reference")
        error(Api(cast.bob).post("/duty-shifts", {"taskforce": cast.tf.pk, "date": day,
                                                  "person": cast.people.bob.pk}), 403, "forbidden")
        error(Api(cast.charlie).get("/duty-shifts", {"taskforce": cast.tf.pk}), 404, "not_found")

    def test_the_taskforce_catch_all_does_not_take_the_roster(self, cast, office):
        # /taskforces/{id}/duty would be shadowed by the task-force router's POST /taskforces/{id}/{action}
        # (a 405 for GET): the roster lives at /duty-shifts?taskforce=.
        assert office.get("/duty-shifts", {"taskforce": cast.tf.pk}).status_code == 200


class TestSiteWork:
    def test_stations_and_verifications(self, cast, office):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.meetings.test_services import PNG
        from zhuanban.files import services as file_services

        r = office.post("/stations", {"taskforce": cast.tf.pk, "place": "T区驻点", "units": [cast.units.zjw.pk],
                                      "from_on": "2026-03-01"})
        assert r.status_code == 201, r.content
        assert office.get("/stations", {"taskforce": cast.tf.pk}).json()[0]["units"][0]["id"] == cast.units.zjw.pk
        error(office.post("/stations", {"taskforce": cast.tf.pk, "place": "x", "from_on": "2026-03-01",
                                        "to_on": "2026-02-01"}), 422, "invalid_range")
        t = office.post("/tasks", {"taskforce": cast.tf.pk, "title": "小区改造"}).json()
        photo = file_services.upload_attachment(cast.olivia, cast.tf, SimpleUploadedFile("p.png", PNG))
        r = office.post("/verifications", {"taskforce": cast.tf.pk, "verifier": cast.people.olivia.pk,
                                           "at": "2026-03-05T10:00:00+08:00", "place": "T区某小区",
                                           "findings": "已完工", "tasks": [t["id"]], "photos": [photo.pk]})
        assert r.status_code == 201, r.content
        assert office.get("/verifications", {"task": t["id"]}).json()[0]["photos"][0]["id"] == photo.pk
        body = error(office.post("/verifications", {"taskforce": cast.tf.pk, "verifier": cast.people.olivia.pk,
                                                    "at": "2026-03-05T10:00:00+08:00", "place": "x",
                                                    "findings": "y", "tasks": [999999]}), 422, "invalid_reference")
        assert "tasks" in body["fields"]
        error(office.post("/verifications", {"taskforce": cast.tf.pk, "verifier": cast.people.olivia.pk,
                                             "at": "2026-03-05T10:00:00+08:00", "place": "", "findings": "y"}),
              422, "validation_error")
        error(Api(cast.bob).post("/stations", {"taskforce": cast.tf.pk, "place": "x", "from_on": "2026-03-01"}),
              403, "forbidden")


class TestQueryCounts:
    def test_meeting_list(self, cast, office):
        def grow():
            for i in range(3):
                services.create_meeting(cast.olivia, cast.tf, title=f"会{i}", starts_at=at(SOON, 10 + i))

        new_meeting(office, cast)
        assert_constant_queries(office.client, "/api/v1/meetings", grow)

    def test_duty_roster(self, cast, office):
        def grow():
            for i in range(3):
                services.add_shift(cast.olivia, cast.tf, date=timezone.localdate() + dt.timedelta(days=i + 2),
                                   person=cast.people.liam)

        services.add_shift(cast.olivia, cast.tf, date=timezone.localdate(), person=cast.people.bob)
        assert_constant_queries(office.client, f"/api/v1/duty-shifts?taskforce={cast.tf.pk}", grow)

    def test_tab_page(self, cast, client):
        client.force_login(cast.olivia)

        def grow():
            for i in range(3):
                services.create_meeting(cast.olivia, cast.tf, title=f"会{i}", starts_at=at(SOON, 10 + i))
                services.add_shift(cast.olivia, cast.tf, date=timezone.localdate() + dt.timedelta(days=i + 1),
                                   person=cast.people.liam)

        services.create_meeting(cast.olivia, cast.tf, title="首会", starts_at=at(SOON, 8))
        assert_constant_queries(client, f"/tf/{cast.tf.pk}/meetings/", grow, min_growth=4,
                                rows=lambda r: len(r.context["upcoming"]) + len(r.context["roster"]))

    def test_meeting_page_and_my_meetings(self, cast, client):
        client.force_login(cast.olivia)
        m = services.create_meeting(cast.olivia, cast.tf, title="首会", starts_at=at(SOON, 8))
        assert client.get(f"/meetings/{m.pk}/").status_code == 200
        r = client.get("/my-meetings/")
        assert r.status_code == 200 and "首会" in r.content.decode()
        assert Meeting.objects.count() == 1
