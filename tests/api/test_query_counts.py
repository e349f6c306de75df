"""API lists cost the same number of queries whatever the number of rows (no query per row)."""

from __future__ import annotations

from tests.factories import PersonFactory, UnitFactory, make_taskforce
from tests.querycount import assert_constant_queries
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces import services
from zhuanban.taskforces.models import Membership, MemberUnit


def test_the_task_force_list_does_not_grow_queries_with_rows(cast, api):
    def grow():
        for i in range(3):
            tf = make_taskforce(cast.admin, name=f"新增专班{i}", lead_unit=cast.units.zjw,
                                decision_mode="lead_department", leading_body="")
            services.add_member_unit(cast.admin, tf, unit=cast.units.tencent, role=MemberUnit.Role.SUPPORTING)
            services.join(cast.admin, tf, person=cast.people.alice, role=Membership.Role.HEAD)
            services.join(cast.admin, tf, person=cast.people.erin, role=Membership.Role.EXTERNAL)

    # alice is not an administrator: the count covers the visibility rules too
    count = assert_constant_queries(api(cast.alice), "/api/v1/taskforces", grow)
    assert count <= 6


def test_the_filtered_task_force_list_does_not_grow_queries_with_rows(cast, api):
    def grow():
        for i in range(2):
            make_taskforce(cast.admin, name=f"口头专班{i}", basis="oral", basis_document_no="")

    url = "/api/v1/taskforces?basis=oral&li_type=staff_secondment&region=&overdue=false"
    assert_constant_queries(api(cast.admin), url, grow)


def test_the_unit_list_does_not_grow_queries_with_rows(cast, api):
    def grow():
        parent = UnitFactory(name="上级单位", kind=Unit.Kind.PARTY_GOV)
        for i in range(3):
            UnitFactory(name=f"下属单位{i}", kind=Unit.Kind.PUBLIC_INSTITUTION, parent=parent)

    assert_constant_queries(api(cast.admin), "/api/v1/units", grow)


def test_the_unit_list_of_an_external_member_does_not_grow_queries_with_rows(cast, api):
    def grow():
        for i in range(2):
            unit = UnitFactory(name=f"合作企业{i}", kind=Unit.Kind.ENTERPRISE)
            services.add_member_unit(cast.admin, cast.tf, unit=unit, role=MemberUnit.Role.SUPPORTING)

    assert_constant_queries(api(cast.erin), "/api/v1/units", grow)


def test_the_people_list_does_not_grow_queries_with_rows(cast, api):
    def grow():
        PersonFactory.create_batch(3, home_unit=cast.units.sfj, staffing=Person.Staffing.INSTITUTIONAL)

    assert_constant_queries(api(cast.bob), "/api/v1/people", grow)


def test_the_member_list_of_a_task_force_does_not_grow_queries_with_rows(cast, api):
    group = services.add_group(cast.admin, cast.tf, name="起草组", lead_unit=cast.units.sfj)

    def grow():
        mu = services.add_member_unit(cast.admin, cast.tf, unit=cast.units.sfj, role=MemberUnit.Role.SUPPORTING)
        for i, role in enumerate((Membership.Role.LIAISON, Membership.Role.MEMBER, Membership.Role.CHIEF_EXPERT)):
            person = PersonFactory(name=f"新成员{i}", home_unit=cast.units.sfj)
            services.join(cast.admin, cast.tf, person=person, role=role, group=group,
                          member_unit=mu if role == Membership.Role.LIAISON else None)

    assert_constant_queries(api(cast.alice), f"/api/v1/memberships?taskforce={cast.tf.pk}", grow)


def test_a_persons_secondment_list_does_not_grow_queries_with_rows(cast, api):
    def grow():
        for i in range(2):
            tf = make_taskforce(cast.admin, name=f"兼职专班{i}")
            services.join(cast.admin, tf, person=cast.people.bob, role=Membership.Role.MEMBER, workload_pct=10)

    assert_constant_queries(api(cast.hank), f"/api/v1/memberships?person={cast.people.bob.pk}", grow)
