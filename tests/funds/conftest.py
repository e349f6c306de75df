"""Fixtures of the ledger tests: the cast's task force with an approved line of 10,000.00 yuan (会务费)
and a pending one, and an API client that can PUT/PATCH and send headers."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.api.conftest import Api
from zhuanban.funds import services


class FApi(Api):
    def post_key(self, path: str, data: Any, key: str) -> Any:
        return self.client.post(self.url(path), json.dumps(data), content_type="application/json",
                                headers={"Idempotency-Key": key})


@pytest.fixture
def fapi():
    return FApi


@pytest.fixture
def line(cast):
    ln = services.create_line(cast.olivia, cast.tf, {"name": "会务费", "source": "fiscal",
                                                     "document_no": "市财预〔2026〕12号", "amount": "10000.00"})
    return services.approve_line(cast.alice, ln)


@pytest.fixture
def pending_line(cast):
    return services.create_line(cast.olivia, cast.tf, {"name": "专家咨询费", "source": "self", "amount": "5000"})


def expense(cast, line, amount: str | Decimal, **kw):
    data = {"line": line.pk, "spent_on": "2026-03-02", "payee": "某会议服务公司", "purpose": "推进会会场",
            "amount": str(amount), **kw}
    return services.record_expense(cast.olivia, cast.tf, data)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
