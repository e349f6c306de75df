"""Fixtures of the reporting tests: a daily template of ``cast.tf`` (every day, so tests do not depend on
today's being a workday) with one field of each type, and an API client that can PUT and send headers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import Api
from zhuanban.reports import services

FIELDS = [
    {"key": "cases", "label": "受理件数", "kind": "number", "required": True, "min_value": 0, "max_value": 1000},
    {"key": "people", "label": "投入人次", "kind": "integer", "required": True, "min_value": 0},
    {"key": "note", "label": "情况说明", "kind": "text"},
    {"key": "level", "label": "风险等级", "kind": "choice", "options": ["低", "中", "高"]},
    {"key": "day", "label": "发生日期", "kind": "date"},
    {"key": "done", "label": "本日完成任务", "kind": "integer", "prefill": "tasks_done"},
]


class RApi(Api):
    def put(self, path: str, data: Any) -> Any:
        return self.client.put(self.url(path), json.dumps(data), content_type="application/json")

    def post_key(self, path: str, data: Any, key: str) -> Any:
        return self.client.post(self.url(path), json.dumps(data), content_type="application/json",
                                headers={"Idempotency-Key": key})


@pytest.fixture
def template(cast):
    return services.create_template(cast.olivia, cast.tf, {
        "name": "每日信息报送", "cadence": "daily", "every_day": True, "due_time": "17:00",
        "fields": [dict(f) for f in FIELDS]})


@pytest.fixture
def rapi():
    return RApi


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
