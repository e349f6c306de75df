"""Helpers for the org-directory tests: workbooks built in memory, the immediate task backend, a
throw-away MEDIA_ROOT."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.factories import RegionFactory, UnitFactory, UserFactory
from zhuanban.org.importer import PERSON_COLUMNS, PERSON_SHEET, UNIT_COLUMNS, UNIT_SHEET
from zhuanban.org.models import Unit


def workbook(path: Path, units: Sequence[Sequence[Any]] = (), people: Sequence[Sequence[Any]] = (), *,
             unit_header: Sequence[str] = UNIT_COLUMNS, person_header: Sequence[str] = PERSON_COLUMNS) -> Path:
    """An .xlsx with the two sheets; rows are given in column order (row 2 is the first data row)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = UNIT_SHEET
    ws.append(list(unit_header))
    for row in units:
        ws.append(list(row))
    ws = wb.create_sheet(PERSON_SHEET)
    ws.append(list(person_header))
    for row in people:
        ws.append(list(row))
    wb.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path):
    counter = iter(range(1000))

    def make(units: Sequence[Sequence[Any]] = (), people: Sequence[Sequence[Any]] = (), **kw: Any) -> Path:
        return workbook(tmp_path / f"org-{next(counter)}.xlsx", units, people, **kw)

    return make


@pytest.fixture
def directory(db):
    """A small existing directory: region B市 and the city government."""
    city = RegionFactory(code="110000", name="B市", level="province")
    gov = UnitFactory(name="B市人民政府", short_name="市政府", kind=Unit.Kind.PARTY_GOV, region=city)
    return {"region": city, "gov": gov}


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
