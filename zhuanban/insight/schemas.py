"""Schemas of the insight endpoints (names prefixed ``Insight``/``Health``: one OpenAPI name each)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from zhuanban.core.schemas import Input


class InsightDashboardOut(Schema):
    dashboard: str = Field(description="office（全省）、leader（我牵头的专班）或 unit（派出单位）")
    title: str
    subject: str
    taskforce_count: int
    generated_at: str
    snapshot_at: str | None = Field(description="全省看板：每日快照的计算时间；其他看板实时计算，为空")
    taskforces: dict[str, Any] = Field(description="按类型（李平、刘鹏）与状态的专班数")
    tasks: dict[str, int]
    lights_by_unit: list[dict[str, Any]] = Field(description="各牵头单位未完成任务的红黄绿灯数")
    trend: dict[str, Any] = Field(description="近 12 周每周完成数、按时完成数与到期数")
    load: dict[str, Any] = Field(description="成员工作量分布与任职专班数分布")
    figures: dict[str, Any] = Field(description="accountability.metrics 口径：按时率、报送及时率、确认用时")


class HealthFailureOut(Schema):
    taskforce_id: int
    taskforce: str
    detail: str
    people: list[int] = Field(default_factory=list)


class HealthCheckOut(Schema):
    code: str
    label: str
    abuse: str
    enabled: bool
    threshold: int
    threshold_label: str
    unit: str
    failing_count: int
    failing: list[HealthFailureOut]


class HealthOut(Schema):
    checks: list[HealthCheckOut]
    taskforces_failing: int = Field(description="至少未通过一项检查的专班数")


class HealthRuleOut(Schema):
    code: str
    label: str
    enabled: bool
    threshold: int
    default: int
    maximum: int
    unit: str
    version: int = Field(description="首次保存前为 0")


class HealthRuleIn(Input):
    enabled: bool = True
    threshold: int
    version: int | None = Field(None, description="上次读取时的版本（防止覆盖他人的修改）")


class InsightSummaryOut(Schema):
    id: int
    taskforce_id: int
    period_number: int
    dissolved_on: str
    data: dict[str, Any]
    shared_with: int = Field(description="收到总结的派出单位联络员和负责人人数")
