"""The generator's "funds" phase: every generated ledger keeps the services' rules — expenses only on
approved lines of the same task force and never beyond a line; resources of closed task forces returned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from zhuanban.funds import queries
from zhuanban.funds.models import BudgetLine, Expense, Resource
from zhuanban.taskforces.models import TaskForce

pytestmark = pytest.mark.django_db


def test_the_generated_ledgers_keep_the_rules():
    call_command("generate", "--scale", "demo", "--no-progress")
    assert BudgetLine.objects.exists() and Expense.objects.exists() and Resource.objects.exists()
    spent = {r["line_id"]: r["s"] for r in Expense.objects.values("line_id").annotate(s=Sum("amount"))}
    for line in BudgetLine.objects.all():
        assert spent.get(line.pk, Decimal(0)) <= line.amount
        if not line.is_approved:
            assert line.pk not in spent
    assert not Expense.objects.exclude(taskforce_id=F("line__taskforce_id")).exists()
    closed = TaskForce.objects.filter(status__in=("dissolved", "merged"))
    assert not Resource.objects.filter(taskforce__in=closed, returned_on__isnull=True).exists()
    some = TaskForce.objects.filter(budget_lines__isnull=False).first()
    assert queries.ledger_summary(some)["lines"]
