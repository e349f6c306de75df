"""The ``demo`` management command: loads, prints the logins, refuses a database not marked as demo."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhuanban.demo.data import DEMO_PASSWORD, LOGINS
from zhuanban.taskforces.models import TaskForce


def test_the_command_loads_and_prints_the_logins(db, settings, capsys):
    settings.ZHUANBAN = {**settings.ZHUANBAN, "DEMO": True}

    call_command("demo", "--no-progress")
    first = capsys.readouterr().out
    call_command("demo", "--no-progress")
    second = capsys.readouterr().out

    assert "演示数据已加载" in first and "演示数据已存在，未作改动" in second
    for out in (first, second):
        for username, _, _ in LOGINS:
            assert username in out
        assert DEMO_PASSWORD in out


def test_the_command_refuses_a_database_not_marked_as_demo(db, settings):
    settings.ZHUANBAN = {**settings.ZHUANBAN, "DEMO": False}
    settings.DEBUG = False

    with pytest.raises(CommandError, match="ZHUANBAN_DEMO=1"):
        call_command("demo", "--no-progress")
    assert not TaskForce.objects.exists()
