"""Attachments: documents kept with a task force (its establishment notice 设立文件, minutes, plans).

The bytes live outside the web root under a random name (``zhuanban.core.uploads``); this row holds what
the uploader called the file, what it really is (by content), its size and hash, and who uploaded it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhuanban.core.labels import label_field
from zhuanban.taskforces.models import TaskForce


class Attachment(models.Model):
    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", "设立文件"
        MINUTES = "minutes", "会议纪要"
        PLAN = "plan", "工作方案"
        OTHER = "other", "其他"

    taskforce = models.ForeignKey(TaskForce, verbose_name="专班", on_delete=models.CASCADE,
                                  related_name="attachments")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices, default=Kind.OTHER)
    original_name = models.CharField("文件名", max_length=200)
    # "<area>/<32 hex>.<ext>" under MEDIA_ROOT; never derived from the uploader's name.
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    # 安全标签 (公开 / 内部 / 敏感): values of zhuanban.core.labels.SecurityLabel; narrowing by label is
    # wired when attachments get the labelled-object rules.
    security_label = label_field()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name
