"""Every health check on a case that trips it and one that does not (thresholds at their defaults unless
the test says otherwise)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import START
from zhuanban.insight import checks, services
from zhuanban.insight.models import HealthRule
from zhuanban.meetings.models import Attendance, Meeting, Station
from zhuanban.reports.models import ExportJob, ReportTemplate, Submission
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Membership, TaskForce, ThemeGroup
from zhuanban.tasks.models import ProgressUpdate, Task


def failing(code: str, now: dt.datetime, threshold: int | None = None, scope: checks.Scope | None = None) -> dict:
    check = checks.CHECKS[code]
    got = check.run(scope or checks.Scope(), check.default if threshold is None else threshold, now)
    return {f.taskforce_id: f for f in got}


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# ---- past its planned end ------------------------------------------------------------------------------


def test_past_end_trips_a_running_task_force_after_its_planned_end(running):
    got = failing("past_end", at(dt.date(2027, 1, 10)))
    assert set(got) == {running.tf.pk, running.other.pk}
    assert "已超期 10 天" in got[running.tf.pk].detail


def test_past_end_spares_one_within_its_dates_or_within_the_grace(running):
    assert failing("past_end", at(dt.date(2026, 12, 20))) == {}
    assert failing("past_end", at(dt.date(2027, 1, 10)), threshold=14) == {}


def test_past_end_spares_a_task_force_still_being_set_up(cast):
    assert failing("past_end", at(dt.date(2027, 1, 10))) == {}


# ---- all tasks done ------------------------------------------------------------------------------------


def _task(tf: TaskForce, *, done_at: dt.datetime | None = None, **kw) -> Task:
    status = Task.Status.DONE if done_at else Task.Status.IN_PROGRESS
    return Task.objects.create(taskforce=tf, title=kw.pop("title", "任务"), status=status, completed_at=done_at,
                               light=Task.Light.NONE if done_at else Task.Light.GREEN, **kw)


def test_all_done_trips_when_every_task_is_done_for_two_weeks(running):
    now = timezone.now()
    _task(running.tf, done_at=now - dt.timedelta(days=30))
    _task(running.tf, done_at=now - dt.timedelta(days=20))
    got = failing("all_done", now)
    assert list(got) == [running.tf.pk]
    assert "2 项任务已全部完成" in got[running.tf.pk].detail


def test_all_done_spares_open_work_recent_completion_and_no_tasks(running):
    now = timezone.now()
    _task(running.tf, done_at=now - dt.timedelta(days=30))
    _task(running.tf)  # still open
    _task(running.other, done_at=now - dt.timedelta(days=3))  # done 3 days ago: within 14 days
    assert failing("all_done", now) == {}


# ---- 空转 ------------------------------------------------------------------------------------------------


def test_idle_trips_a_task_force_without_any_trace_for_four_weeks(running, later):
    assert set(failing("idle", later)) == {running.tf.pk, running.other.pk}


def test_idle_spares_one_with_a_meeting_a_progress_update_or_a_filed_report(running, later):
    Meeting.objects.create(taskforce=running.tf, title="周例会", starts_at=later - dt.timedelta(days=7),
                           ends_at=later - dt.timedelta(days=7, hours=-1), status=Meeting.Status.HELD)
    assert set(failing("idle", later)) == {running.other.pk}
    assert failing("idle", timezone.now()) == {}  # the set-up itself is recent activity (audit events)


def test_idle_counts_a_progress_update(running, later):
    task = _task(running.other)
    ProgressUpdate.objects.create(task=task, progress=30)
    ProgressUpdate.objects.filter(task=task).update(at=later - dt.timedelta(days=2))
    assert running.other.pk not in failing("idle", later)


# ---- seconded but absent ---------------------------------------------------------------------------------


def test_absent_member_lists_the_members_without_a_trace(running, later):
    meeting = Meeting.objects.create(taskforce=running.tf, title="周例会", starts_at=later - dt.timedelta(days=7),
                                     ends_at=later - dt.timedelta(days=7, hours=-1), status=Meeting.Status.HELD)
    Attendance.objects.create(meeting=meeting, person=running.people.bob, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, person=running.people.liam, status=Attendance.Status.ABSENT)
    got = failing("absent_member", later)
    absent = set(got[running.tf.pk].people)
    people = running.people
    assert absent == {people.alice.pk, people.olivia.pk, people.liam.pk, people.erin.pk}
    assert "抽调不到岗" in got[running.tf.pk].detail


def test_absent_member_spares_a_member_who_read_a_notice_or_finished_a_task(running, later):
    from zhuanban.notices.models import InboxItem

    InboxItem.objects.create(person=running.people.charlie, kind=InboxItem.Kind.NOTICE, title="通知",
                             taskforce=running.other, created_at=later, read_at=later - dt.timedelta(days=1))
    assert running.other.pk not in failing("absent_member", later)
    _task(running.tf, done_at=later - dt.timedelta(days=1), responsible=running.people.bob)
    assert running.people.bob.pk not in failing("absent_member", later)[running.tf.pk].people


# ---- too many task forces / over 100 % ----------------------------------------------------------------


def test_many_taskforces_trips_above_the_limit_and_names_the_person(running):
    tf_services.join(running.admin, running.other, person=running.people.bob, role=Membership.Role.MEMBER,
                     workload_pct=60, start_on=START)
    got = failing("many_taskforces", timezone.now(), threshold=1)
    assert set(got) == {running.tf.pk, running.other.pk}
    assert got[running.other.pk].people == (running.people.bob.pk,)
    assert "同时在 2 个专班任职" in got[running.tf.pk].detail
    assert failing("many_taskforces", timezone.now()) == {}  # default limit 3


def test_over_load_trips_above_100_percent(running):
    assert failing("over_load", timezone.now()) == {}  # bob 50 %, olivia 100 %: not over
    tf_services.join(running.admin, running.other, person=running.people.bob, role=Membership.Role.MEMBER,
                     workload_pct=60, start_on=START)
    got = failing("over_load", timezone.now())
    assert set(got) == {running.tf.pk, running.other.pk}
    assert "工作量合计 110%" in got[running.tf.pk].detail
    assert failing("over_load", timezone.now(), threshold=120) == {}


def test_load_checks_count_only_the_secondments_the_viewer_may_see(running):
    from django.db.models import Q

    tf_services.join(running.admin, running.other, person=running.people.bob, role=Membership.Role.MEMBER,
                     workload_pct=60, start_on=START)
    scope = checks.Scope([running.tf.pk], Q(taskforce_id=running.tf.pk))
    assert failing("over_load", timezone.now(), scope=scope) == {}


# ---- oral ------------------------------------------------------------------------------------------------


def test_oral_trips_a_task_force_established_orally(cast):
    got = failing("oral", timezone.now())
    assert list(got) == [cast.other.pk]  # "other" was set up orally; tf has a document number
    assert "口头设立" in got[cast.other.pk].detail


def test_oral_spares_a_closed_task_force_and_honours_the_grace(cast):
    assert failing("oral", at(START + dt.timedelta(days=10)), threshold=30) == {}
    TaskForce.objects.filter(pk=cast.other.pk).update(status=TaskForce.Status.DISSOLVED)
    assert failing("oral", timezone.now()) == {}


# ---- 协调表态型 / 弥补空白型 -------------------------------------------------------------------------------


def test_formality_type_trips_a_task_force_without_entity_operation(running):
    TaskForce.objects.filter(pk=running.other.pk).update(entity_operation=False)
    got = failing("formality_type", timezone.now())
    assert list(got) == [running.other.pk]
    assert got[running.other.pk].detail.startswith("弥补空白型")
    assert "数据中亦无专题组、驻点或专职人员" in got[running.other.pk].detail


def test_formality_type_spares_entity_operation_and_names_contrary_evidence(running):
    assert failing("formality_type", timezone.now()) == {}
    TaskForce.objects.filter(pk=running.tf.pk).update(entity_operation=False, purpose=TaskForce.Purpose.EMERGENCY)
    group = ThemeGroup.objects.create(taskforce=running.tf, name="起草组")
    Membership.objects.filter(taskforce=running.tf, person=running.people.bob).update(group=group)
    Station.objects.create(taskforce=running.tf, place="市政府 3 号楼", from_on=START)
    detail = failing("formality_type", timezone.now())[running.tf.pk].detail
    assert detail.startswith("协调表态型") and "1 个在运转的专题组" in detail and "1 个驻点" in detail
    assert "1 名专职人员" in detail  # olivia is full-time
    assert failing("formality_type", at(START + dt.timedelta(days=10))) == {}  # 30 days' grace


# ---- reports nobody reads --------------------------------------------------------------------------------


def _filed(cast) -> ReportTemplate:
    t = ReportTemplate.objects.create(taskforce=cast.tf, name="每日信息报送")
    Submission.objects.create(template=t, period=timezone.localdate(), filer_key=f"u{cast.units.zjw.pk}",
                              unit=cast.units.zjw, status=Submission.Status.SUBMITTED,
                              submitted_at=timezone.now() - dt.timedelta(days=2))
    return t


def test_unread_reports_trips_a_template_filed_but_never_opened(running):
    _filed(running)
    got = failing("unread_reports", timezone.now())
    assert list(got) == [running.tf.pk]
    assert "“每日信息报送”（1 份）" in got[running.tf.pk].detail


def test_unread_reports_spares_a_template_someone_read_or_exported(running):
    t = _filed(running)
    services.record_read(t.pk)
    assert failing("unread_reports", timezone.now()) == {}
    t2 = ReportTemplate.objects.create(taskforce=running.tf, name="周报")
    Submission.objects.create(template=t2, period=timezone.localdate(), filer_key="u1",
                              status=Submission.Status.SUBMITTED, submitted_at=timezone.now())
    ExportJob.objects.create(template=t2, date_from=START, date_to=timezone.localdate())
    assert failing("unread_reports", timezone.now()) == {}


# ---- the rules ---------------------------------------------------------------------------------------------


def test_a_disabled_rule_lists_nothing_and_a_tuned_threshold_is_used(running):
    HealthRule.objects.create(code="oral", enabled=False, threshold=0)
    HealthRule.objects.create(code="past_end", enabled=True, threshold=1000)
    results = {r.check.code: r for r in checks.run(checks.Scope(), now=at(dt.date(2027, 1, 10)))}
    assert results["oral"].failures == [] and not results["oral"].enabled
    assert results["past_end"].threshold == 1000 and results["past_end"].failures == []
    assert set(results) == set(checks.CHECKS)
