from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class VersionedModel(models.Model):
    """An editable row: every write bumps ``version``; a write based on an older version is refused.

    See :func:`zhuanban.core.concurrency.save_versioned`.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ExportJobBase(models.Model):
    """A background export with the progress its page polls (reports' month export, assessment's results
    per home unit): the state, the counts, who asked and when.  Each app adds what is exported and the
    ``file`` (its own folder)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导出中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs: Any) -> int:  # noqa: ARG002
        raise RuntimeError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")


class AuditEvent(models.Model):
    """One append-only line of the audit trail: who did what to which object, from where, before/after.

    Events form a chain: ``hash`` is a keyed hash (HMAC-SM3 or HMAC-SHA256, see ``core.crypto``) of the
    previous event's hash and this event's fields, so changing or removing any event is detected by
    ``zhuanban audit verify``.  On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0004).
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    at = models.DateTimeField(db_index=True)
    # No database constraint and no cascade: the trail keeps the actor's id even if the account is
    # deleted (an UPDATE to null it would be refused by the append-only trigger and break the chain).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, default="cli")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    # The task force the event belongs to, so a task force's page can show its whole history in one query.
    taskforce_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    prev_hash = models.CharField(max_length=100, blank=True)
    hash = models.CharField(max_length=100, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit events are append-only")


class AuditArchive(models.Model):
    """A range of audit events moved to a file by ``zhuanban audit archive``: the chain's anchors.

    ``first_prev_hash`` is the hash the first archived event was chained to, ``last_hash`` the last
    archived event's hash: verification of what stays in the database starts from the newest archive's
    ``last_hash``, and each archive must start where the previous one ended.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField()
    first_prev_hash = models.CharField(max_length=100, blank=True)
    last_hash = models.CharField(max_length=100)
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64)
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-last_event_id"]
        verbose_name = "审计归档"
        verbose_name_plural = "审计归档"

    def __str__(self) -> str:
        return f"审计归档 #{self.first_event_id}–{self.last_event_id}（{self.count} 条）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("audit archives are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("audit archives are append-only")



class SweepRun(models.Model):
    """One slot of a periodic sweep, claimed by the scheduler (``zhuanban scheduler``, ``core.scheduler``).

    The unique (name, slot) pair is the idempotency guarantee: whichever scheduler inserts the row first
    enqueues the sweep for that slot; a second scheduler running at the same time, or one restarted inside
    the slot, finds the row and enqueues nothing.
    """

    name = models.CharField(max_length=64)
    slot = models.DateTimeField(help_text="start of the slot (the time the sweep was due)")
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=120, blank=True, help_text="host:pid of the scheduler")
    enqueued_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="one_sweep_run_per_slot")]
        verbose_name = "定时任务运行"
        verbose_name_plural = "定时任务运行"

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"

from .tokens import ApiToken  # noqa: E402,F401  (registers the model with the core app)
