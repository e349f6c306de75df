"""Fixtures of the notices tests: the immediate task backend (a send expands its audience at commit),
the locmem mail backend, and helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def send(cast, django_capture_on_commit_callbacks):
    """send(actor=olivia, **kw) -> the notice, expanded (on-commit callbacks run)."""
    from zhuanban.notices import services

    def _send(actor=None, tf=None, **kw):
        kw.setdefault("title", "关于报送材料的通知")
        kw.setdefault("audience", {"all": True})
        with django_capture_on_commit_callbacks(execute=True):
            notice = services.send_notice(actor or cast.olivia, cast.tf if tf is None else tf, **kw)
        notice.refresh_from_db()
        return notice

    return _send
