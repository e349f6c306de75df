"""Periodic consultation (周期性会商) and duty and on-site work (轮流值守 · 驻点 · 现场核验).

Data and single-row facts only.  The rules live elsewhere, each in one place:

- ``schedule.py``: when a series' meetings fall (weekly on a weekday moved past holidays, the Nth
  workday of a month), where a follow-up meeting is placed, and the "within N workdays of the upper
  meeting" check;
- ``services.py``: every state change (permission, rule, audit event, transaction);
- ``agenda.py``: the agenda built from the task force's state;
- ``queries.py``: read side (visibility, attendance rates, duty today);
- ``exports.py`` / ``feed.py``: the .docx minutes (GB/T 9704) and the per-person .ics feed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhuanban.core.models import VersionedModel
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.models import TaskForce


class Kind(models.TextChoices):
    WEEKLY = "weekly", "周例会"
    MONTHLY_DISPATCH = "monthly_dispatch", "月调度会"
    JOINT = "joint", "联席会议"
    TOPIC = "topic", "专题会"
    ON_SITE = "on_site", "现场会"


class MeetingSeries(VersionedModel):
    """A recurring meeting of a task force: its rhythm, time, place and who is invited."""

    class Recurrence(models.TextChoices):
        NONE = "none", "不重复"
        WEEKLY = "weekly", "每周（固定星期几，遇节假日顺延）"
        MONTHLY = "monthly", "每月（第 N 个工作日）"

    class Invitees(models.TextChoices):
        ALL = "all", "全体在岗成员"
        LIAISONS = "liaisons", "各成员单位联络员（及专班领导、办公室）"
        NAMED = "named", "指定人员"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE,
                                  related_name="meeting_series")
    kind = models.CharField("会议类型", max_length=20, choices=Kind.choices, default=Kind.WEEKLY)
    title = models.CharField("会议名称", max_length=120)
    recurrence = models.CharField("重复", max_length=10, choices=Recurrence.choices, default=Recurrence.WEEKLY)
    weekday = models.PositiveSmallIntegerField("星期几（0=周一）", null=True, blank=True)
    nth_workday = models.PositiveSmallIntegerField("每月第几个工作日", null=True, blank=True)
    time_of_day = models.TimeField("开始时间", default=dt.time(9, 0))
    duration_minutes = models.PositiveSmallIntegerField("时长（分钟）", default=90)
    location = models.CharField("地点", max_length=120, blank=True)
    invitees = models.CharField("参会范围", max_length=10, choices=Invitees.choices, default=Invitees.ALL)
    invited_people = models.ManyToManyField(Person, verbose_name="指定参会人员", blank=True, related_name="+")
    # 上级会议 → 下级会议: each of this series' meetings follows one meeting of ``follows`` (typically the
    # office's, 一办N专班) and must take place at most ``follow_within_workdays`` workdays after it.
    follows = models.ForeignKey("self", verbose_name="跟进的上级会议", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="followers")
    follow_within_workdays = models.PositiveSmallIntegerField("须在上级会议后几个工作日内召开", default=2)
    follow_offset_workdays = models.PositiveSmallIntegerField("安排在上级会议后第几个工作日", default=1)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["taskforce_id", "id"]
        verbose_name = "会议系列"
        verbose_name_plural = "会议系列"

    def __str__(self) -> str:
        return self.title


class Meeting(VersionedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "待召开"
        HELD = "held", "已召开"
        CANCELLED = "cancelled", "已取消"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, verbose_name="会议系列", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="meetings")
    kind = models.CharField("会议类型", max_length=20, choices=Kind.choices, default=Kind.WEEKLY)
    title = models.CharField("会议名称", max_length=120)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    location = models.CharField("地点", max_length=120, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField("会议纪要", blank=True)
    upper = models.ForeignKey("self", verbose_name="上级会议", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="followups")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "会议"
        verbose_name_plural = "会议"
        indexes = [models.Index(fields=["taskforce", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            # Generating a series' occurrences twice adds nothing (schedule is idempotent).
            models.UniqueConstraint(fields=["series", "starts_at"], condition=Q(series__isnull=False),
                                    name="meeting_once_per_series_start"),
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "已邀请"
        PRESENT = "present", "出席"
        ABSENT = "absent", "缺席"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name="参会人", on_delete=models.PROTECT, related_name="+")
    # The unit the person speaks for at the meeting (their dispatching unit in the task force).
    unit = models.ForeignKey(Unit, verbose_name="代表单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField("出席情况", max_length=8, choices=Status.choices, default=Status.INVITED)
    reason = models.CharField("缺席理由", max_length=200, blank=True)
    substitute = models.ForeignKey(Person, verbose_name="代为参会", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person")]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.person_id} {self.status}"


class Decision(models.Model):
    """One decision of the minutes (议定事项); it becomes a task in one step (``task``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("议定事项")
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    responsible = models.ForeignKey(Person, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    due_on = models.DateField("完成时限", null=True, blank=True)
    task = models.OneToOneField("tasks.Task", verbose_name="转成的任务", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="meeting_decision")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class DutyShift(models.Model):
    """One turn of the duty roster (轮流值守)."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="duty_shifts")
    date = models.DateField("值班日期")
    person = models.ForeignKey(Person, verbose_name="值班人", on_delete=models.PROTECT, related_name="+")
    start_time = models.TimeField("开始", default=dt.time(8, 30))
    end_time = models.TimeField("结束", default=dt.time(17, 30))
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["taskforce", "date"]), models.Index(fields=["person", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.person_id}"


class DutySwap(models.Model):
    """A request to hand a shift to someone else; the office approves or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已同意"
        REJECTED = "rejected", "已驳回"

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="swaps")
    from_person = models.ForeignKey(Person, verbose_name="原值班人", on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey(Person, verbose_name="替班人", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("理由", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["shift"], condition=Q(status="pending"),
                                               name="one_pending_swap_per_shift")]

    def __str__(self) -> str:
        return f"换班 {self.shift_id}: {self.from_person_id} → {self.to_person_id}"


class Station(models.Model):
    """A resident station (驻点): where member units' teams sit, from/to."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="stations")
    place = models.CharField("驻点地点", max_length=160)
    units = models.ManyToManyField(Unit, verbose_name="进驻单位", blank=True, related_name="+")
    from_on = models.DateField("进驻日期")
    to_on = models.DateField("撤离日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["from_on", "id"]

    def __str__(self) -> str:
        return self.place


class Verification(models.Model):
    """An on-site verification (现场核验): who went where when, what they found, photos, which tasks."""

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="verifications")
    verifier = models.ForeignKey(Person, verbose_name="核验人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("核验时间")
    place = models.CharField("核验地点", max_length=160)
    findings = models.TextField("核验情况")
    photos = models.ManyToManyField("files.Attachment", verbose_name="现场照片", blank=True, related_name="+")
    tasks = models.ManyToManyField("tasks.Task", verbose_name="核验的任务", blank=True,
                                   related_name="site_verifications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["taskforce", "at"])]

    def __str__(self) -> str:
        return f"现场核验 {self.place}"
