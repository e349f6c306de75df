"""Task fixtures on top of the cast (tests/conftest.py): ``mk`` creates a task in ``cast.tf`` as olivia
(the office director)."""

from __future__ import annotations

import pytest

from tests.web.conftest import as_user  # noqa: F401  (the page tests' login fixture)
from zhuanban.tasks import services


@pytest.fixture
def mk(cast):
    def make(title: str = "任务", *, actor=None, tf=None, **kw):
        return services.create_task(actor or cast.olivia, tf or cast.tf, title=title, **kw)

    return make
