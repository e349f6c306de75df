"""Supervision records (督办): a supervision notice, a talk (约谈) with a person and their dispatching unit,
or a circulated criticism (通报), each linked to the tasks that caused it and followed up until closed.
The responsibility list and the portrait are computed (queries.py, metrics.py), not stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhuanban.core.models import VersionedModel
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.models import TaskForce


class Supervision(VersionedModel):
    class Kind(models.TextChoices):
        NOTICE = "notice", "督办通知"
        TALK = "talk", "约谈"
        CIRCULAR = "circular", "通报"

    class Status(models.TextChoices):
        OPEN = "open", "待整改反馈"
        RESPONDED = "responded", "已反馈待办结"
        CLOSED = "closed", "已办结"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE,
                                  related_name="supervisions")
    kind = models.CharField("督办方式", max_length=10, choices=Kind.choices)
    person = models.ForeignKey(Person, verbose_name="责任人", on_delete=models.PROTECT, related_name="supervisions")
    # The person's dispatching unit in the task force (派出单位): 约谈 reaches the person *and* the unit.
    unit = models.ForeignKey(Unit, verbose_name="派出单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    tasks = models.ManyToManyField("tasks.Task", verbose_name="相关任务", related_name="supervisions")
    title = models.CharField("标题", max_length=200)
    reason = models.TextField("督办事由")
    talk_at = models.DateTimeField("约谈时间", null=True, blank=True)
    location = models.CharField("约谈地点", max_length=120, blank=True)
    follow_up_due = models.DateField("整改反馈时限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField("整改反馈", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    closing_note = models.TextField("办结意见", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # The notice that carried it to the inbox (requires acknowledgement).
    notice = models.ForeignKey("notices.Notice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        indexes = [models.Index(fields=["person", "-created_at"]), models.Index(fields=["taskforce", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status == self.Status.OPEN and self.follow_up_due < timezone.localdate()
