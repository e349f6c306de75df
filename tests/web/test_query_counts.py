"""List pages must cost the same number of queries whatever the number of rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PersonFactory, UnitFactory, make_taskforce
from zhuanban.org.models import Unit
from zhuanban.taskforces import services


def count(client, url: str, rows_key: str) -> tuple[int, int]:
    client.get(url)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), len(response.context[rows_key].object_list if rows_key == "page" else response.context[rows_key])


def add_taskforces(cast, n: int, start: int) -> None:
    for i in range(start, start + n):
        unit = UnitFactory(name=f"合作企业{i}", kind=Unit.Kind.ENTERPRISE)
        tf = make_taskforce(cast.admin, name=f"专班{i}", basis="oral" if i % 2 else "notice",
                            purpose="emergency" if i % 3 else "routine", entity_operation=bool(i % 2))
        services.add_member_unit(cast.admin, tf, unit=unit, role="supporting")
        services.join(cast.admin, tf, person=PersonFactory(home_unit=unit), role="external", start_on=tf.established_on)


def test_the_task_force_list_does_not_grow_with_rows(cast, as_user):
    client = as_user(cast.admin)
    url = reverse("taskforce_list")
    add_taskforces(cast, 2, 0)
    small, small_rows = count(client, url, "rows")
    add_taskforces(cast, 8, 2)
    large, large_rows = count(client, url, "rows")
    assert large_rows == small_rows + 8
    assert small == large, f"{small} queries for {small_rows} rows, {large} for {large_rows}"
    assert large <= 12


def test_the_unit_directory_does_not_grow_with_rows(cast, as_user):
    client = as_user(cast.bob)
    url = reverse("directory_units")
    small, small_rows = count(client, url, "page")
    parent = UnitFactory(name="上级单位")
    for i in range(10):
        UnitFactory(name=f"下级单位{i}", parent=parent)
    large, large_rows = count(client, url, "page")
    assert large_rows == small_rows + 11 and small == large


def test_the_people_directory_does_not_grow_with_rows(cast, as_user):
    client = as_user(cast.bob)
    url = reverse("directory_people")
    small, small_rows = count(client, url, "page")
    for i in range(10):
        PersonFactory(name=f"新人{i}", home_unit=UnitFactory(name=f"单位{i}"))
    large, large_rows = count(client, url, "page")
    assert large_rows == small_rows + 10 and small == large


def test_the_members_tab_does_not_grow_with_members(cast, as_user):
    client = as_user(cast.alice)
    url = reverse("tf_members", args=[cast.tf.pk])
    small, _ = count(client, url, "active")
    for _ in range(6):
        services.join(cast.admin, cast.tf, person=PersonFactory(home_unit=UnitFactory()), role="member",
                      start_on=cast.tf.established_on)
    large, large_rows = count(client, url, "active")
    assert large_rows == 11 and small == large
