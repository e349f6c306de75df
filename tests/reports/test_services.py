"""Reporting rules through the services: field validation, periods, duplicates, lateness, return,
aggregation, reminders, sharing, prefill, the export and the trend."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import make_taskforce
from zhuanban.core.errors import Conflict, Forbidden, Invalid
from zhuanban.reports import access, periods, queries, services
from zhuanban.reports.exporter import export_xlsx
from zhuanban.reports.models import ReportReminder, ReportTemplate, Submission, SubmissionHistory

GOOD = {"cases": "12.5", "people": 3, "note": "正常", "level": "低", "day": "2026-03-02"}


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))


DAY = dt.date(2026, 3, 2)  # a Monday, a workday


def file(cast, template, values=None, submit=True, day=DAY, now=None, user=None):
    return services.file_report(user or cast.liam, template, day, values if values is not None else GOOD,
                                submit=submit, now=now or at(day, 10))


class TestValidation:
    @pytest.mark.parametrize(("key", "value", "msg"), [
        ("cases", "abc", "请输入数字"), ("people", "1.5", "请输入整数"), ("level", "极高", "请从选项中选择"),
        ("day", "2026-13-01", "请输入日期（YYYY-MM-DD）"),
    ])
    def test_type_error_refuses_even_a_draft(self, cast, template, key, value, msg):
        with pytest.raises(Invalid) as e:
            file(cast, template, {**GOOD, key: value}, submit=False)
        assert e.value.fields == {key: msg}
        assert not Submission.objects.exists()

    @pytest.mark.parametrize(("key", "value", "msg"), [
        ("cases", None, "此项为必填项"), ("cases", "-1", "不能小于 0"), ("cases", "1000.5", "不能大于 1000"),
        ("people", -2, "不能小于 0"),
    ])
    def test_rule_violation_on_submit_is_422_and_the_draft_is_kept(self, cast, template, key, value, msg):
        with pytest.raises(Invalid) as e:
            file(cast, template, {**GOOD, key: value})
        assert e.value.fields == {key: msg}
        sub = Submission.objects.get()
        assert sub.status == "draft" and sub.values["note"] == "正常"

    def test_draft_skips_required(self, cast, template):
        sub = file(cast, template, {"note": "先存"}, submit=False)
        assert sub.status == "draft" and sub.values["cases"] is None

    def test_unknown_key_is_named(self, cast, template):
        with pytest.raises(Invalid) as e:
            file(cast, template, {**GOOD, "bogus": 1})
        assert "bogus" in e.value.fields

    def test_attachment_must_be_a_file_of_the_taskforce(self, cast, template):
        from zhuanban.reports.models import ReportField
        ReportField.objects.create(template=template, key="doc", label="附件", kind="attachment", position=9)
        with pytest.raises(Invalid) as e:
            file(cast, template, {**GOOD, "doc": 99999})
        assert e.value.fields == {"doc": "附件不存在"}


class TestPeriods:
    def test_future_period_is_not_open(self, cast, template):
        with pytest.raises(Conflict) as e:
            file(cast, template, day=DAY + dt.timedelta(days=1), now=at(DAY, 10))
        assert e.value.code == "period_not_open"

    def test_closed_after_grace(self, cast, template):
        with pytest.raises(Conflict) as e:
            file(cast, template, now=at(DAY + dt.timedelta(days=5), 10))
        assert e.value.code == "period_not_open"

    def test_daily_report_on_a_holiday_is_not_a_period(self, cast, template):
        template.every_day = False
        template.save()
        national_day = dt.date(2025, 10, 1)
        assert periods.info(template, national_day) is None
        with pytest.raises(Conflict):
            file(cast, template, day=national_day, now=at(national_day, 10))
        # A make-up Saturday (调休上班) is a workday: 2025-09-28.
        assert periods.info(template, dt.date(2025, 9, 28)) is not None

    def test_weekly_and_monthly_due_on_last_workday(self, cast, template):
        template.cadence = "weekly"
        # The week of National Day 2025: 9-29 Mon .. 10-5 Sun; last workday 9-30.
        assert periods.info(template, dt.date(2025, 9, 29)).due_at.date() == dt.date(2025, 9, 30)
        template.cadence = "monthly"
        assert periods.info(template, dt.date(2026, 1, 1)).due_at.date() == dt.date(2026, 1, 30)
        # February 2026 ends on a make-up Saturday (调休上班): that is its last workday.
        assert periods.info(template, dt.date(2026, 2, 1)).due_at.date() == dt.date(2026, 2, 28)
        assert periods.period_start(template, dt.date(2026, 2, 14)) == dt.date(2026, 2, 1)

    def test_adhoc_periods_open_and_close(self, cast, template):
        template.cadence = ReportTemplate.Cadence.ADHOC
        template.save()
        with pytest.raises(Conflict):
            file(cast, template)
        services.open_adhoc_period(cast.olivia, template, DAY, at(DAY, 18))
        assert file(cast, template).status == "submitted"
        services.close_adhoc_period(cast.olivia, template, DAY)
        template.duplicate_policy = "update"
        with pytest.raises(Conflict):
            file(cast, template, now=timezone.now() + dt.timedelta(minutes=1))


class TestDuplicatesAndLateness:
    def test_second_submission_updates_with_history(self, cast, template):
        file(cast, template)
        sub = file(cast, template, {**GOOD, "cases": "20"}, now=at(DAY, 11))
        assert Submission.objects.count() == 1 and sub.values["cases"] == "20"
        h = list(SubmissionHistory.objects.filter(submission=sub))
        assert [x.action for x in h] == ["submit", "submit"] and h[1].old_values["cases"] == "12.5"

    def test_reject_policy_is_409(self, cast, template):
        template.duplicate_policy = "reject"
        template.save()
        file(cast, template)
        with pytest.raises(Conflict) as e:
            file(cast, template, now=at(DAY, 11))
        assert e.value.code == "duplicate_submission"
        assert Submission.objects.count() == 1

    def test_late_after_due_time(self, cast, template):
        assert file(cast, template, now=at(DAY, 16, 59)).is_late is False
        assert file(cast, template, now=at(DAY, 17, 1)).is_late is True

    def test_liaison_of_another_unit_cannot_file(self, cast, template):
        with pytest.raises(Forbidden):
            file(cast, template, user=cast.bob)
        with pytest.raises(Forbidden):
            services.file_report(cast.liam, template, DAY, GOOD, submit=True, unit_id=cast.units.gov.pk,
                                 now=at(DAY, 10))


class TestReturn:
    def test_return_needs_a_comment(self, cast, template):
        sub = file(cast, template)
        with pytest.raises(Invalid) as e:
            services.return_submission(cast.olivia, sub, "  ")
        assert e.value.fields == {"comment": "请填写退回意见"}

    def test_return_and_resubmit(self, cast, template):
        sub = file(cast, template)
        sub = services.return_submission(cast.olivia, sub, "件数有误")
        assert sub.status == "returned" and sub.return_comment == "件数有误"
        assert queries.aggregate(template, DAY)["sums"]["cases"] is None
        with pytest.raises(Forbidden):
            services.return_submission(cast.liam, sub, "x")
        sub = file(cast, template, {**GOOD, "cases": "13"}, now=at(DAY, 12))
        assert sub.status == "submitted"
        assert queries.aggregate(template, DAY)["sums"]["cases"] == Decimal("13")


class TestAggregate:
    def test_rows_totals_missing_and_reminders(self, cast, template):
        from zhuanban.taskforces import services as tfs
        from zhuanban.taskforces.models import Membership
        tfs.join(cast.admin, cast.tf, person=cast.people.hank, role=Membership.Role.LIAISON,
                 member_unit=cast.mu.gov, start_on=dt.date(2026, 1, 5))
        file(cast, template, {**GOOD, "cases": "10"})
        file(cast, template, {**GOOD, "cases": "30", "people": 5}, user=cast.hank, now=at(DAY, 18))
        agg = queries.aggregate(template, DAY)
        assert agg["sums"]["cases"] == Decimal("40") and agg["averages"]["cases"] == Decimal("20.00")
        assert agg["sums"]["people"] == 8
        assert sorted(r["status"] for r in agg["rows"]) == ["late", "on_time"] and agg["missing"] == []
        next_day = DAY + dt.timedelta(days=1)
        agg = queries.aggregate(template, next_day)
        assert len(agg["missing"]) == 2 and agg["sums"]["cases"] is None
        services.remind_missing(cast.olivia, template, next_day)
        services.remind_missing(cast.olivia, template, next_day)
        assert ReportReminder.objects.count() == 4
        assert [r["reminders"] for r in queries.aggregate(template, next_day)["rows"]] == [2, 2]
        with pytest.raises(Forbidden):
            services.remind_missing(cast.liam, template, next_day)

    def test_missing_for_taskforce(self, cast, template):
        missing = queries.missing_for_taskforce(cast.tf, DAY)
        assert {m["unit_id"] for m in missing} == {cast.units.gov.pk, cast.units.zjw.pk}
        assert set(missing[0]) == {"template_id", "template_name", "filer", "unit_id", "person_id"}
        file(cast, template)
        missing = queries.missing_for_taskforce(cast.tf, DAY)
        assert [m["unit_id"] for m in missing] == [cast.units.gov.pk]

    def test_trend(self, cast, template):
        for i in range(3):
            d = DAY + dt.timedelta(days=i)
            file(cast, template, {**GOOD, "cases": str(i + 1)}, day=d, now=at(d, 9))
        tr = queries.trend(template, "cases", DAY, DAY + dt.timedelta(days=10))
        assert [(p["sum"], p["filed"]) for p in tr["points"]] == [(1, 1), (2, 1), (3, 1)]


class TestSharing:
    def test_same_office_rule(self, cast, template):
        office = make_taskforce(cast.admin, name="办公室", is_office=True)
        a = make_taskforce(cast.admin, name="甲专班", parent=office, parent_relation="office")
        b = make_taskforce(cast.admin, name="乙专班", parent=office, parent_relation="office")
        lone = make_taskforce(cast.admin, name="独立专班")
        assert access.same_office(office, a) and access.same_office(a, b)
        assert not access.same_office(a, lone) and not access.same_office(cast.tf, lone)

    def test_share_only_within_the_office_and_the_shared_reads(self, cast, template):
        from zhuanban.taskforces import services as tfs
        from zhuanban.taskforces.models import Membership
        sibling = make_taskforce(cast.admin, name="子专班", parent=cast.tf, parent_relation="sub")
        with pytest.raises(Invalid) as e:
            services.share_template(cast.olivia, template, [cast.other.pk])
        assert "shared_with" in e.value.fields
        services.share_template(cast.olivia, template, [sibling.pk])
        tfs.join(cast.admin, sibling, person=cast.people.charlie, role=Membership.Role.OFFICE_DIRECTOR,
                 start_on=dt.date(2026, 1, 5))
        file(cast, template)
        assert access.can_read_all(cast.charlie, template)
        assert queries.submissions_for(cast.charlie).count() == 1
        # The shared task force reads; it does not re-collect (it cannot remind or return).
        with pytest.raises(Forbidden):
            services.remind_missing(cast.charlie, template, DAY)
        assert not access.can_read_all(cast.bob, template)


class TestPrefill:
    def test_values_from_tasks_of_the_unit(self, cast, template):
        from zhuanban.reports.fields import prefill_values
        from zhuanban.tasks.models import Task
        for status, done_at in (("done", at(DAY, 9)), ("done", at(DAY - dt.timedelta(days=3), 9)),
                                ("in_progress", None)):
            Task.objects.create(taskforce=cast.tf, title="t", lead_unit=cast.units.zjw, status=status,
                                completed_at=done_at, light="red" if status != "done" else "none")
        fields_ = list(template.fields.all())
        assert prefill_values(template, fields_, cast.units.zjw.pk, None, DAY, DAY) == {"done": 1}
        from zhuanban.reports.models import ReportField
        ReportField.objects.filter(template=template, key="people").update(prefill="tasks_overdue")
        fields_ = list(template.fields.all())
        assert prefill_values(template, fields_, cast.units.zjw.pk, None, DAY, DAY)["people"] == 1


class TestExport:
    def test_xlsx_values_and_escaping(self, cast, template):
        file(cast, template, {**GOOD, "note": "=cmd|' /C calc'!A0"})
        wb = load_workbook(io.BytesIO(export_xlsx(template, DAY, DAY + dt.timedelta(days=1))))
        rows = list(wb.active.iter_rows(values_only=True))
        assert rows[0][:3] == ("期次", "报送主体", "状态")
        assert len(rows) == 1 + 2 * 2
        mine = [r for r in rows if r[1] and "陈联络" in r[1]][0]
        assert mine[2] == "按时" and mine[5] == 12.5 and mine[7] == "'=cmd|' /C calc'!A0"
        assert sum(1 for r in rows[1:] if r[2] == "未报") == 3
        # dates are dates (yyyy-mm-dd), the filing time keeps its minutes; nothing is a formula
        assert mine[0] == dt.datetime.combine(DAY, dt.time()) and isinstance(mine[3], dt.datetime)
        cells = [c for row in wb.active.iter_rows() for c in row]
        assert not [c for c in cells if c.data_type == "f"]
        by_value = {c.value: c for c in cells if c.value is not None}
        assert by_value[mine[0]].number_format == "yyyy-mm-dd"
        assert by_value[mine[3]].number_format == "yyyy-mm-dd hh:mm"
