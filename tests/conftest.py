"""The cast every test can use, after healthchecks' alice/bob/charlie:

- ``admin``     system administrator (superuser)
- ``alice``     组长 (head) of the task force ``tf``
- ``olivia``    办公室主任 (office director) of ``tf``
- ``liam``      联络员 (liaison) of member unit 市住建委 in ``tf``
- ``bob``       成员 (member) of ``tf``, home unit 市住建委
- ``erin``      外部成员 (external member), from enterprise 腾讯
- ``hank``      leader of bob's home unit 市住建委, not in ``tf``
- ``charlie``   member of another task force ``other``; sees nothing of ``tf``
"""

from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace

import pytest

from tests.factories import PASSWORD, PersonFactory, UnitFactory, UserFactory, make_taskforce
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces import services
from zhuanban.taskforces.models import Membership, MemberUnit

START = dt.date(2026, 1, 5)


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite twice, on SQLite and on PostgreSQL.  Tests that do not depend on the
    suite's database — browser tests (the pages' database code runs on both through the web and API
    tests), subprocesses, tools, drills that start their own clusters — are marked ``once`` (browser tests
    implicitly) and left out of the PostgreSQL pass.  ZHUANBAN_ALL_PASSES=1 runs them there too."""
    if not os.environ.get("ZHUANBAN_DATABASE_URL", "").startswith("postgres") \
            or os.environ.get("ZHUANBAN_ALL_PASSES") == "1":
        return
    once = [i for i in items if i.get_closest_marker("once") or i.get_closest_marker("browser")]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [i for i in items if i not in set(once)]


@pytest.fixture
def cast(db):
    return build_cast()


def build_cast() -> SimpleNamespace:
    """The cast's rows (the fixture above; the authorization matrix builds it once per module)."""
    gov = UnitFactory(name="市政府办公厅", kind=Unit.Kind.PARTY_GOV)
    zjw = UnitFactory(name="市住房和城乡建设委员会", short_name="市住建委", kind=Unit.Kind.PARTY_GOV)
    sfj = UnitFactory(name="市司法局", kind=Unit.Kind.PARTY_GOV)
    tencent = UnitFactory(name="腾讯科技有限公司", short_name="腾讯", kind=Unit.Kind.ENTERPRISE)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)

    def person(username: str, name: str, unit: Unit, **kw) -> Person:
        return PersonFactory(name=name, home_unit=unit, user=UserFactory(username=username), **kw)

    alice = person("alice", "王组长", gov, is_unit_leader=True)
    olivia = person("olivia", "刘主任", gov)
    liam = person("liam", "陈联络", zjw)
    bob = person("bob", "李成员", zjw)
    erin = person("erin", "赵外部", tencent, staffing=Person.Staffing.EXTERNAL)
    hank = person("hank", "孙局长", zjw, is_unit_leader=True)
    charlie = person("charlie", "周其他", sfj)

    tf = make_taskforce(admin, name="物业管理条例立法专班")
    mu_gov = services.add_member_unit(admin, tf, unit=gov, role=MemberUnit.Role.LEAD, joined_on=START)
    mu_zjw = services.add_member_unit(admin, tf, unit=zjw, role=MemberUnit.Role.PARTICIPATING, joined_on=START)
    services.join(admin, tf, person=alice, role=Membership.Role.HEAD, workload_pct=20, start_on=START)
    services.join(admin, tf, person=olivia, role=Membership.Role.OFFICE_DIRECTOR, full_time=True,
                  workload_pct=100, start_on=START)
    services.join(admin, tf, person=liam, role=Membership.Role.LIAISON, member_unit=mu_zjw, workload_pct=30,
                  start_on=START)
    services.join(admin, tf, person=bob, role=Membership.Role.MEMBER, workload_pct=50, start_on=START)
    services.join(admin, tf, person=erin, role=Membership.Role.EXTERNAL, workload_pct=20, start_on=START)

    other = make_taskforce(admin, name="其他专班", basis="oral", basis_document_no="")
    services.join(admin, other, person=charlie, role=Membership.Role.MEMBER, start_on=START)

    return SimpleNamespace(
        admin=admin, alice=alice.user, olivia=olivia.user, liam=liam.user, bob=bob.user, erin=erin.user,
        hank=hank.user, charlie=charlie.user, people=SimpleNamespace(
            alice=alice, olivia=olivia, liam=liam, bob=bob, erin=erin, hank=hank, charlie=charlie),
        units=SimpleNamespace(gov=gov, zjw=zjw, sfj=sfj, tencent=tencent),
        mu=SimpleNamespace(gov=mu_gov, zjw=mu_zjw), tf=tf, other=other, password=PASSWORD,
    )
