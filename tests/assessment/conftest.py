"""Fixtures of the assessment tests: a person scheme of ``cast.tf`` with subjective indicators in two
levels and three evaluator types, its evaluators, and a JSON client that can PUT and send headers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import Api
from zhuanban.assessment import services

# 履职表现 60 (工作作风 50 of it, max 100; 工作实绩 50, max 10) and 群众满意度 40: leaf shares 30 / 30 / 40.
TREE = [
    {"key": "a", "name": "履职表现", "weight": 60, "children": [
        {"key": "a1", "name": "工作作风", "weight": 50, "kind": "subjective", "max": 100},
        {"key": "a2", "name": "工作实绩", "weight": 50, "kind": "subjective", "max": 10},
    ]},
    {"key": "b", "name": "群众满意度", "weight": 40, "kind": "subjective", "max": 100},
]
WEIGHTS = {"internal": 50, "expert": 30, "self": 20}


class AApi(Api):
    def put(self, path: str, data: Any) -> Any:
        return self.client.put(self.url(path), json.dumps(data), content_type="application/json")

    def post_key(self, path: str, data: Any, key: str) -> Any:
        return self.client.post(self.url(path), json.dumps(data), content_type="application/json",
                                headers={"Idempotency-Key": key})


@pytest.fixture
def aapi():
    return AApi


@pytest.fixture(autouse=True)
def _immediate(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


def make_scheme(cast, **kw):
    data = {"name": "2026年度专班成员考核", "period_start": "2026-01-01", "period_end": "2026-12-31",
            "subject_kind": "person", "indicators": TREE, "evaluator_weights": WEIGHTS, **kw}
    return services.create_scheme(cast.olivia, cast.tf, data)


@pytest.fixture
def scheme(cast):
    """Evaluators: alice and olivia (internal, leaders/office), liam (expert), everyone self."""
    s = make_scheme(cast)
    p = cast.people
    services.add_evaluators(cast.olivia, s, "internal", [p.alice.pk, p.olivia.pk])
    services.add_evaluators(cast.olivia, s, "expert", [p.liam.pk])
    services.add_evaluators(cast.olivia, s, "self", [p.bob.pk, p.liam.pk])
    return s
