"""Notices (通知), the one inbox, reminders (定时提醒), escalation and delivery channels — data only.

Where the rules live:
- ``services.py``: sending a notice, reading/acknowledging, reminding laggards, rules and channel set-up
  (every state change, with permission checks and audit events).
- ``audience.py``: who a notice reaches (people / units' liaisons / theme groups / a whole task force),
  expanded in the background (``tasks.expand_notice``) into :class:`InboxItem` rows in bulk.
- ``reminders.py``: the reminder sweep (set-based ``INSERT … SELECT … ON CONFLICT DO NOTHING`` on
  :attr:`InboxItem.key`), the registry of reminder sources, quiet hours and working hours.
- ``escalation.py``: the escalation ladder (task-force leader, then home-unit leader).
- ``channels.py``: e-mail and group-robot webhooks (DingTalk/浙政钉, WeCom, Feishu), signing, the SSRF
  guard, retries with back-off and dead letters.
- ``handover.py``: the liaison handover notice (called by ``taskforces.services.replace``).

One table is the inbox: a notice's receipt (回执) *is* the recipient's inbox item of kind ``notice``
(:class:`Receipt` is a proxy over those rows), so "who acknowledged" and "what is in my inbox" never
disagree, and a notice to 10,000 people is 10,000 rows, not 20,000.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhuanban.org.models import Person
from zhuanban.taskforces.models import TaskForce


class Priority(models.IntegerChoices):
    # Stored as a rank: ascending order is "urgent first".
    URGENT = 0, "紧急"
    NORMAL = 1, "一般"
    INFO = 2, "知悉"


PRIORITY_KEYS = {"urgent": Priority.URGENT, "normal": Priority.NORMAL, "info": Priority.INFO}
PRIORITY_NAMES = {v: k for k, v in PRIORITY_KEYS.items()}


class Notice(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        SENT = "sent", "已送达"
        FAILED = "failed", "展开失败"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notices")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发送人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    sender_name = models.CharField("发送人", max_length=100, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    priority = models.PositiveSmallIntegerField("优先级", choices=Priority.choices, default=Priority.NORMAL)
    requires_ack = models.BooleanField("须确认接收", default=False)
    ack_deadline = models.DateTimeField("确认时限", null=True, blank=True)
    attachments = models.ManyToManyField("files.Attachment", verbose_name="附件", blank=True, related_name="+")
    # {"people": [ids], "units": [ids], "groups": [ids], "all": bool}; expanded by audience.expand.
    audience = models.JSONField("接收范围", default=dict)
    kind = models.CharField(max_length=12, default="notice")  # notice / handover
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    recipients = models.PositiveIntegerField("接收人数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        indexes = [models.Index(fields=["taskforce", "-created_at"]), models.Index(fields=["sender", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def priority_key(self) -> str:
        return PRIORITY_NAMES[Priority(self.priority)]


class InboxItem(models.Model):
    """One thing in one person's inbox: a notice receipt, a reminder, an escalation."""

    class Kind(models.TextChoices):
        NOTICE = "notice", "通知"
        REMINDER = "reminder", "提醒"
        ESCALATION = "escalation", "督办升级"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="inbox_items")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    taskforce = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    requires_ack = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)  # the acknowledgement deadline / the task's deadline
    # What a reminder or an escalation is about: ("task", 12), ("notice", 3), ("report", …).
    subject_kind = models.CharField(max_length=16, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    link = models.CharField(max_length=200, blank=True)
    # Idempotency key of a generated item: "<rule>:<subject>:<person>:<occurrence>" (reminders.py).
    key = models.CharField(max_length=160, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    acked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "due_at", "-created_at", "-id"]
        verbose_name = "收件箱条目"
        verbose_name_plural = "收件箱条目"
        constraints = [models.UniqueConstraint(fields=["notice", "person"], condition=Q(notice__isnull=False),
                                               name="one_receipt_per_notice_person")]
        indexes = [
            # The inbox page: ordered ids of one person from the index alone (queries.inbox_rows).
            models.Index(fields=["person", "priority", "due_at", "created_at"], name="inbox_person_order"),
            # The counts (unread, to acknowledge, urgent): one aggregate over this covering index.
            models.Index(fields=["person", "priority", "read_at", "requires_ack", "acked_at"], name="inbox_person_counts"),
            models.Index(fields=["notice", "acked_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class ReceiptManager(models.Manager["Receipt"]):
    def get_queryset(self) -> models.QuerySet[Receipt]:
        return super().get_queryset().filter(notice__isnull=False)


class Receipt(InboxItem):
    """A notice's receipt (回执): the recipient's inbox item of that notice (delivered, read, acknowledged)."""

    objects = ReceiptManager()

    class Meta:
        proxy = True
        verbose_name = "回执"
        verbose_name_plural = "回执"


class ReminderRule(models.Model):
    """A reminder rule of a task force (or the office-wide default when ``taskforce`` is empty)."""

    class Kind(models.TextChoices):
        TASK_DUE = "task_due", "任务到期前提醒"
        TASK_OVERDUE = "task_overdue", "任务逾期提醒"
        ACK_PENDING = "ack_pending", "待确认接收提醒"
        SOURCE = "source", "其他来源（报送、会议）"

    taskforce = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="reminder_rules")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=40, blank=True)  # for kind=source: a register_reminder_source name
    days_before = models.PositiveSmallIntegerField("提前工作日", default=1)
    escalate_after_hours = models.PositiveSmallIntegerField("逾期多少工作小时后升级（0 不升级）", default=8)
    enabled = models.BooleanField(default=True)
    allow_person_tuning = models.BooleanField("允许个人调整", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["taskforce_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["taskforce", "kind", "source"], name="one_rule_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class PersonPreference(models.Model):
    """A person's tuning within what the office allows: quiet hours, days before, muted rules."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notice_preference")
    quiet_start = models.TimeField("免打扰开始", default="22:00")
    quiet_end = models.TimeField("免打扰结束", default="07:30")
    days_before = models.PositiveSmallIntegerField("提前工作日", null=True, blank=True)
    task_due = models.BooleanField("任务到期前提醒", default=True)
    task_overdue = models.BooleanField("任务逾期提醒", default=True)
    email = models.BooleanField("邮件推送", default=True)

    def __str__(self) -> str:
        return f"{self.person_id} 的提醒设置"


class EscalationStep(models.Model):
    """One step of the ladder: level 1 = the person's leader in the task force, 2 = the home-unit leader."""

    # The escalation item put into the leader's inbox (none when nobody holds that rung).
    item = models.ForeignKey(InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_kind = models.CharField(max_length=16)
    subject_id = models.BigIntegerField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()
    to_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    taskforce = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["subject_kind", "subject_id", "person", "level"],
                                               name="one_escalation_per_level")]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} L{self.level}"


class Channel(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", "电子邮件"
        DINGTALK = "dingtalk", "钉钉/浙政钉群机器人"
        WECOM = "wecom", "企业微信群机器人"
        FEISHU = "feishu", "飞书群机器人"

    taskforce = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="notice_channels")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=60)
    url = models.CharField(max_length=500, blank=True)
    secret = models.CharField(max_length=200, blank=True)
    msgtype = models.CharField(max_length=10, default="markdown")  # text / markdown (DingTalk)
    enabled = models.BooleanField(default=True)
    min_priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taskforce_id", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        DEAD = "dead", "死信"

    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    kind = models.CharField(max_length=10)
    taskforce = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=200, blank=True)  # e-mail address, or the webhook host
    subject = models.CharField(max_length=200)
    text = models.TextField()
    urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["taskforce", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.target}"
