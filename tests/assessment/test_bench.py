"""``zhuanban assessment_bench`` prints its figures; the computation's queries do not grow with the number
of subjects and scores."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import START as START_DATE
from tests.factories import PersonFactory
from zhuanban.assessment import engine, services
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Membership


def test_bench_command_prints_the_figures(cast, scheme):
    out = io.StringIO()
    call_command("assessment_bench", scheme=scheme.pk, repeat=2, stdout=out)
    text = out.getvalue()
    assert "4 subjects" in text and "median" in text and "queries" in text
    with pytest.raises(CommandError):
        call_command("assessment_bench", scheme=999999, repeat=1)


def test_computation_queries_are_constant(cast, scheme):
    def count() -> int:
        scheme.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            engine.compute(scheme)
        return len(ctx.captured_queries)

    services.submit_score(cast.alice, scheme, f"p{cast.people.bob.pk}", {"a1": 1, "a2": 1, "b": 1})
    before = count()
    for i in range(5):
        p = PersonFactory(name=f"新成员{i}", home_unit=cast.units.zjw)
        tf_services.join(cast.admin, cast.tf, person=p, role=Membership.Role.MEMBER, start_on=START_DATE)
        services.submit_score(cast.alice, scheme, f"p{p.pk}", {"a1": 50, "a2": 5, "b": 50})
    assert count() == before
