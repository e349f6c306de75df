"""One row per run of ``zhuanban generate``: what was generated, from which seed, how long it took, and
who the benchmark acts as (``generator.bench_subjects`` reads it)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Dataset(models.Model):
    class Scale(models.TextChoices):
        DEMO = "demo", "演示（极小）"
        CITY = "city", "市级"
        PROVINCE = "province", "省级"

    scale = models.CharField("规模", max_length=10, choices=Scale.choices)
    seed = models.BigIntegerField("随机种子")
    anchor_date = models.DateField("基准日期", help_text="生成时的“今天”：所有日期由它推算")
    counts = models.JSONField("数量与分布", default=dict)
    subjects = models.JSONField("基准测试对象", default=dict)
    timings = models.JSONField("各阶段耗时（秒）", default=dict)
    generated_at = models.DateTimeField("生成时间", default=timezone.now)
    duration = models.DurationField("总耗时")
    forced = models.BooleanField("使用 --force 生成", default=False)

    class Meta:
        ordering = ["-generated_at", "-id"]
        verbose_name = "合成数据集"
        verbose_name_plural = "合成数据集"

    def __str__(self) -> str:
        return f"{self.get_scale_display()} · 种子 {self.seed}"
