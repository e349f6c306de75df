"""Factories for test data.  Task forces and memberships are made through the services, so tests start
from states the application itself can reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from zhuanban.org.models import Person, Region, Unit, User
from zhuanban.taskforces import services
from zhuanban.taskforces.models import TaskForce

PASSWORD = "Zb-test-2026!"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{110100 + n:06d}")
    name = factory.Sequence(lambda n: f"区划{n}")
    level = Region.Level.CITY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.PARTY_GOV


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")
    home_unit = factory.SubFactory(UnitFactory)
    staffing = Person.Staffing.ADMINISTRATIVE
    user = factory.SubFactory(UserFactory)


def make_taskforce(actor: Any, **overrides: Any) -> TaskForce:
    data: dict[str, Any] = {
        "name": "测试专班",
        "core_matter": "推进一项重点任务",
        "basis": TaskForce.Basis.NOTICE,
        "basis_document_no": "测政办发〔2026〕1号",
        "established_on": dt.date(2026, 1, 5),
        "planned_end": dt.date(2026, 12, 31),
        "task_nature": TaskForce.Nature.SINGLE,
        "purpose": TaskForce.Purpose.ROUTINE,
        "entity_operation": True,
        "decision_mode": TaskForce.DecisionMode.LEADING_CORE,
        "leading_body": "测试工作领导小组",
    }
    data.update(overrides)
    return services.create_taskforce(actor, **data)
