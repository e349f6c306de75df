from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import START
from zhuanban.taskforces import services


@pytest.fixture
def running(cast):
    """The cast's two task forces running since START."""
    services.activate(cast.admin, cast.tf, on=START)
    services.activate(cast.admin, cast.other, on=START)
    cast.tf.refresh_from_db()
    cast.other.refresh_from_db()
    return cast


@pytest.fixture
def later():
    """Ten weeks from now: every trace left while setting the cast up is older than four weeks."""
    return timezone.now() + dt.timedelta(weeks=10)
