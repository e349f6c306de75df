"""Domain rules through the services: agenda content, attendance rates, decision → task, dispatch all,
minutes 409, duty swaps with approval, verifications linked to tasks with a photo, .docx and .ics."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhuanban.core.errors import Conflict, Forbidden, Invalid
from zhuanban.core.models import AuditEvent
from zhuanban.meetings import agenda, exports, feed, queries, services
from zhuanban.meetings.models import Attendance, DutySwap
from zhuanban.tasks import services as task_services
from zhuanban.tasks.models import Dispute, Task

# A 1×1 PNG: the files app checks the type by content.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def task(cast, title, **kw):
    return task_services.create_task(cast.olivia, cast.tf, title=title, **kw)


class TestAgenda:
    def test_units_lights_overdue_disputes_and_missing_reports(self, cast, meeting, monkeypatch):
        past = timezone.now() - dt.timedelta(days=3)
        late = task(cast, "逾期任务", lead_unit=cast.units.zjw, responsible=cast.people.bob,
                    start_at=past - dt.timedelta(days=10), due_at=past)
        task(cast, "正常任务", lead_unit=cast.units.gov, due_at=timezone.now() + dt.timedelta(days=30))
        disputed = task(cast, "推诿任务", lead_unit=cast.units.zjw)
        Dispute.objects.create(task=disputed, taskforce=cast.tf)
        import zhuanban.reports.queries as rq

        monkeypatch.setattr(rq, "missing_for_taskforce", lambda tf, day: [
            {"template_id": 1, "template_name": "每日信息", "filer": "市住建委 陈联络", "unit_id": cast.units.zjw.pk,
             "person_id": cast.people.liam.pk}])
        a = agenda.build(cast.olivia, cast.tf)
        by_unit = {str(s["unit"]): s for s in a["units"]}
        assert by_unit["市住建委"]["counts"]["red"] == 1 and by_unit["市住建委"]["counts"]["total"] == 2
        assert [t.title for t in by_unit["市住建委"]["flagged"]] == ["逾期任务"]
        assert by_unit["市政府办公厅"]["counts"] == {"green": 1, "yellow": 0, "red": 0, "total": 1}
        assert [t.pk for t in a["overdue"]] == [late.pk]
        assert a["overdue"][0].responsible.name == "李成员" and a["overdue"][0].dispatching_unit_name
        assert [d.task_id for d in a["disputes"]] == [disputed.pk]
        assert a["missing_reports"][0]["template_name"] == "每日信息"
        assert agenda.summary(a)["overdue"][0]["responsible"] == "李成员"

    def test_agenda_queries_do_not_grow_with_tasks(self, cast):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        past = timezone.now() - dt.timedelta(days=3)
        task(cast, "首项", lead_unit=cast.units.zjw, start_at=past - dt.timedelta(days=5), due_at=past)
        agenda.build(cast.olivia, cast.tf)
        with CaptureQueriesContext(connection) as small:
            agenda.build(cast.olivia, cast.tf)
        for i in range(6):
            task(cast, f"任务{i}", lead_unit=cast.units.zjw, responsible=cast.people.bob,
                 start_at=past - dt.timedelta(days=5), due_at=past)
        with CaptureQueriesContext(connection) as large:
            agenda.build(cast.olivia, cast.tf)
        assert len(small) == len(large)


class TestAttendance:
    def test_rates_per_unit_and_person(self, cast, meeting):
        p = cast.people
        services.record_attendance(cast.olivia, meeting, [
            {"person": p.alice, "status": "present"}, {"person": p.olivia, "status": "present"},
            {"person": p.liam, "status": "absent", "reason": "出差", "substitute": p.bob},
            {"person": p.bob, "status": "present"}, {"person": p.erin, "status": "absent", "reason": "病假"}])
        services.save_minutes(cast.olivia, meeting, version=meeting.version, minutes="会议纪要")
        rates = queries.attendance_rates(cast.tf)
        units = {u["name"]: u for u in rates["units"]}
        assert units["市住建委"]["rate"] == 1.0  # liam absent but bob substituted; bob present
        assert units["腾讯"]["rate"] == 0.0
        people = {u["name"]: u for u in rates["people"]}
        assert people["陈联络"]["rate"] == 0.0 and people["陈联络"]["substituted"] == 1
        assert people["王组长"]["rate"] == 1.0

    def test_absent_without_reason_is_422(self, cast, meeting):
        with pytest.raises(Invalid) as exc:
            services.record_attendance(cast.olivia, meeting, [{"person": cast.people.bob, "status": "absent"}])
        assert exc.value.fields == {"entries.0.reason": "缺席须说明理由"}

    def test_a_member_cannot_record_attendance(self, cast, meeting):
        with pytest.raises(Forbidden):
            services.record_attendance(cast.bob, meeting, [{"person": cast.people.bob, "status": "present"}])


class TestMinutesAndDecisions:
    def test_two_editors_the_later_gets_409_and_nothing_is_lost(self, cast, meeting):
        v = meeting.version
        first = type(meeting).objects.get(pk=meeting.pk)
        second = type(meeting).objects.get(pk=meeting.pk)
        services.save_minutes(cast.olivia, first, version=v, minutes="刘主任的纪要")
        with pytest.raises(Conflict) as exc:
            services.save_minutes(cast.alice, second, version=v, minutes="王组长的纪要")
        assert exc.value.code == "stale_version"
        fresh = type(meeting).objects.get(pk=meeting.pk)
        assert fresh.minutes == "刘主任的纪要" and fresh.status == "held"

    def test_decision_becomes_a_task_with_its_fields_source_and_audit(self, cast, meeting):
        d = services.add_decision(cast.olivia, meeting, text="完成条例草案第三章", lead_unit=cast.units.zjw,
                                  responsible=cast.people.liam, due_on=dt.date(2026, 12, 31))
        t = services.decision_to_task(cast.olivia, d)
        t = Task.objects.get(pk=t.pk)
        assert (t.title, t.lead_unit, t.responsible, t.source) == ("完成条例草案第三章", cast.units.zjw,
                                                                   cast.people.liam, Task.Source.MEETING)
        assert timezone.localtime(t.due_at).date() == dt.date(2026, 12, 31)
        assert meeting.title in t.source_note and t.taskforce == cast.tf
        assert AuditEvent.objects.filter(action="meeting.decision_to_task", object_id=str(meeting.pk)).exists()
        assert AuditEvent.objects.for_object(t).filter(action="task.create").exists()
        with pytest.raises(Conflict):
            services.decision_to_task(cast.olivia, d)
        assert list(services.new_tasks(meeting)) == [t]

    def test_dispatch_all_sends_the_undispatched_and_skips_those_without_a_receiver(self, cast, meeting):
        a = services.add_decision(cast.olivia, meeting, text="甲", responsible=cast.people.bob)
        b = services.add_decision(cast.olivia, meeting, text="乙", lead_unit=cast.units.zjw)
        c = services.add_decision(cast.olivia, meeting, text="丙")
        ta, tb, tc = (services.decision_to_task(cast.olivia, x) for x in (a, b, c))
        out = services.dispatch_meeting_tasks(cast.olivia, meeting)
        assert [t.pk for t in out["dispatched"]] == [ta.pk, tb.pk] and [t.pk for t in out["skipped"]] == [tc.pk]
        assert Task.objects.get(pk=ta.pk).status == Task.Status.DISPATCHED
        assert Task.objects.get(pk=ta.pk).dispatches.get().to_person == cast.people.bob
        assert Task.objects.get(pk=tb.pk).dispatches.get().to_unit == cast.units.zjw
        again = services.dispatch_meeting_tasks(cast.olivia, meeting)
        assert again["dispatched"] == []


class TestDuty:
    def test_swap_requested_by_the_person_on_duty_approved_by_the_office(self, cast):
        day = timezone.localdate() + dt.timedelta(days=2)
        shift = services.add_shift(cast.olivia, cast.tf, date=day, person=cast.people.bob)
        swap = services.request_swap(cast.bob, shift, to_person=cast.people.liam, reason="出差")
        with pytest.raises(Forbidden):
            services.approve_swap(cast.bob, swap)  # a member cannot approve
        with pytest.raises(Forbidden):
            services.approve_swap(cast.liam, swap)
        services.approve_swap(cast.olivia, swap)
        shift.refresh_from_db()
        assert shift.person == cast.people.liam
        swap.refresh_from_db()
        assert swap.status == DutySwap.Status.APPROVED and swap.decided_by == cast.olivia
        with pytest.raises(Conflict):
            services.reject_swap(cast.olivia, swap)

    def test_someone_else_cannot_request_a_swap_of_my_shift(self, cast):
        shift = services.add_shift(cast.olivia, cast.tf, date=timezone.localdate() + dt.timedelta(days=1),
                                   person=cast.people.bob)
        with pytest.raises(Forbidden):
            services.request_swap(cast.liam, shift, to_person=cast.people.liam)

    def test_a_shift_for_a_non_member_is_422(self, cast):
        with pytest.raises(Invalid) as exc:
            services.add_shift(cast.olivia, cast.tf, date=timezone.localdate(), person=cast.people.charlie)
        assert "person" in exc.value.fields

    def test_on_duty_today_with_masked_contact(self, cast):
        p = cast.people.bob
        p.phone = "13812345678"
        p.save()
        services.add_shift(cast.olivia, cast.tf, date=timezone.localdate(), person=p)
        row = queries.shift_row(queries.on_duty_today([cast.tf.pk])[0])
        assert row["person"]["name"] == "李成员" and row["contact"] == "138****5678"


class TestSiteWork:
    def test_verification_linked_to_tasks_with_a_photo(self, cast):
        t = task(cast, "小区改造")
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        v = services.record_verification(cast.olivia, cast.tf, verifier=cast.people.olivia, at=timezone.now(),
                                         place="T区某小区", findings="已完工", tasks=[t], uploads=[photo])
        assert list(v.tasks.all()) == [t] and v.photos.get().original_name.endswith(".png")
        assert list(t.site_verifications.all()) == [v]

    def test_a_task_of_another_task_force_is_422(self, cast):
        other_task = task_services.create_task(cast.admin, cast.other, title="别处")
        with pytest.raises(Invalid) as exc:
            services.record_verification(cast.olivia, cast.tf, verifier=cast.people.olivia, at=timezone.now(),
                                         place="x", findings="y", tasks=[other_task])
        assert "tasks" in exc.value.fields

    def test_station_units_must_be_member_units(self, cast):
        st = services.add_station(cast.olivia, cast.tf, place="T区驻点", units=[cast.units.zjw],
                                  from_on=dt.date(2026, 3, 1))
        assert list(st.units.all()) == [cast.units.zjw]
        with pytest.raises(Invalid):
            services.add_station(cast.olivia, cast.tf, place="x", units=[cast.units.sfj], from_on=dt.date(2026, 3, 1))


class TestExports:
    def test_docx_page_size_margins_and_fonts(self, cast, meeting):
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Length, Pt

        services.save_minutes(cast.olivia, meeting, version=meeting.version, minutes="一、听取汇报\n二、研究部署")
        services.add_decision(cast.olivia, meeting, text="完成草案", lead_unit=cast.units.zjw)
        data, fonts = exports.minutes_docx(meeting, list(meeting.decisions.all()),
                                           list(meeting.attendances.select_related("person", "unit")))
        doc = Document(io.BytesIO(data))
        sec = doc.sections[0]
        assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
        assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
            37, 35, 28, 26]
        assert round(Length(sec.page_width - sec.left_margin - sec.right_margin).mm) == 156  # 版心
        assert round(Length(sec.page_height - sec.top_margin - sec.bottom_margin).mm) == 225
        title = doc.paragraphs[1].runs[0]
        assert title.text.endswith("纪要") and title.font.size == Pt(22)
        assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == fonts.title
        body = next(p for p in doc.paragraphs if "听取汇报" in p.text).runs[0]
        assert body.font.size == Pt(16) and body._element.rPr.rFonts.get(qn("w:eastAsia")) == fonts.body
        assert fonts.describe() in doc.core_properties.comments

    def test_font_choice_prefers_official_fonts_and_says_when_falling_back(self):
        official = exports.choose_fonts(frozenset({"方正小标宋简体", "仿宋_GB2312", "黑体", "Noto Serif CJK SC"}))
        assert (official.title, official.body, official.fallback) == ("方正小标宋简体", "仿宋_GB2312", False)
        noto = exports.choose_fonts(frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC"}))
        assert (noto.title, noto.body, noto.heading, noto.fallback) == ("Noto Serif CJK SC", "Noto Serif CJK SC",
                                                                         "Noto Sans CJK SC", True)
        assert "未安装公文字体" in noto.describe()

    def test_ics_parsed_back(self, cast, meeting):
        from icalendar import Calendar

        other = services.create_meeting(cast.olivia, cast.tf, title="专题会", starts_at=meeting.starts_at
                                        + dt.timedelta(days=1), location="二楼")
        services.cancel_meeting(cast.olivia, other, version=other.version)
        data, _ = feed.render(cast.people.bob.pk, feed.token_for(cast.people.bob.pk))
        cal = Calendar.from_ical(data)
        events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
        assert set(events) == {"周例会（物业管理条例立法专班）", "专题会（物业管理条例立法专班）"}
        ev = events["周例会（物业管理条例立法专班）"]
        assert str(ev["uid"]).startswith(f"meeting-{meeting.pk}@")
        assert ev["dtstart"].params["TZID"] == "Asia/Shanghai"
        assert ev.decoded("dtstart") == meeting.starts_at and ev.decoded("dtend") == meeting.ends_at
        assert str(ev["location"]) == "三楼会议室" and str(ev["status"]) == "CONFIRMED"
        assert str(events["专题会（物业管理条例立法专班）"]["status"]) == "CANCELLED"

    def test_ics_for_someone_else_or_a_forged_token_is_not_found(self, cast, meeting):
        from zhuanban.core.errors import NotFound

        with pytest.raises(NotFound):
            feed.person_for(cast.people.bob.pk, feed.token_for(cast.people.liam.pk))
        with pytest.raises(NotFound):
            feed.person_for(cast.people.bob.pk, "forged")


def test_attendance_status_values():
    assert set(Attendance.Status.values) == {"invited", "present", "absent"}
