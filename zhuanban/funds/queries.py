"""The read side of the ledger.

``ledger_summary(tf)`` and ``unreturned_resources(tf)`` are the interface other apps use (the dissolution
summary, the open-items provider): they take a task force the caller has already decided may be read
and return plain data without payees.  ``ledger(actor, tf)`` is the scoped read for the API and the
page: it checks visibility (404 for others) and shows payees only to those who manage the task force
(an ordinary member sees what the money was for and how much, not whom it was paid to — a payee is
often a private person being reimbursed).  External members (enterprises, experts in a cross-sector
task force) do not read the ledger at all (403 on the API, no tab on the page).

Every function here runs a fixed number of queries, however many lines, expenses and resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from zhuanban.core.errors import Forbidden
from zhuanban.taskforces import access as tfa
from zhuanban.taskforces.models import TaskForce

from .models import ZERO, BudgetLine, Expense, Procurement, Resource

EXPENSE_PAGE = 100


def spent_by_line(line_ids: list[int]) -> dict[int, Decimal]:
    """What each line has spent: the sum of its recorded (not voided) expenses."""
    rows = (Expense.objects.filter(line_id__in=line_ids, status=Expense.Status.RECORDED)
            .values("line_id").annotate(s=Sum("amount")))
    return {r["line_id"]: r["s"] or ZERO for r in rows}


def _resource_dict(r: Resource) -> dict[str, Any]:
    return {
        "id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "name": r.name, "quantity": r.quantity,
        "origin": r.origin, "origin_label": r.get_origin_display(),
        "lent_by": r.lent_by.name if r.lent_by_id else "", "lent_by_id": r.lent_by_id,
        "custodian": r.custodian.name if r.custodian_id else "", "custodian_id": r.custodian_id,
        "borrowed_on": r.borrowed_on, "returned_on": r.returned_on, "returned_to": r.returned_to,
        "returned": r.returned_on is not None, "note": r.note, "version": r.version,
    }


def _resources(tf: TaskForce) -> list[Resource]:
    return list(Resource.objects.filter(taskforce=tf).select_related("lent_by", "custodian")
                .order_by("returned_on", "id"))


def _user_name(user: Any) -> str:
    """A person's name for an account (its login name if it has no person, e.g. an administrator)."""
    if user is None:
        return ""
    person = getattr(user, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
    return person.name if person is not None else user.get_username()


def lines_with_figures(tf: TaskForce, *, only: int | None = None) -> list[dict[str, Any]]:
    """The lines of ``tf`` (or the one line ``only``) with budget, spent and remaining."""
    qs = BudgetLine.objects.filter(taskforce=tf)
    if only is not None:
        qs = qs.filter(pk=only)
    lines = list(qs.select_related("approved_by__person").order_by("id"))
    spent = spent_by_line([ln.pk for ln in lines])
    out = []
    for ln in lines:
        s = spent.get(ln.pk, ZERO)
        out.append({
            "id": ln.pk, "name": ln.name, "source": ln.source, "source_label": ln.get_source_display(),
            "document_no": ln.document_no, "status": ln.status, "status_label": ln.get_status_display(),
            "approved": ln.is_approved, "approved_by": _user_name(ln.approved_by),
            "approved_at": ln.approved_at, "note": ln.note, "version": ln.version,
            "budget": ln.amount, "spent": s, "remaining": ln.amount - s,
        })
    return out


def _totals(lines: list[dict[str, Any]]) -> dict[str, Decimal]:
    approved = [ln for ln in lines if ln["approved"]]
    budget = sum((ln["budget"] for ln in approved), ZERO)
    spent = sum((ln["spent"] for ln in lines), ZERO)
    return {"budget": budget, "pending": sum((ln["budget"] for ln in lines if not ln["approved"]), ZERO),
            "spent": spent, "remaining": budget - spent}


def ledger_summary(tf: TaskForce) -> dict[str, Any]:
    """The ledger in figures, for the dissolution summary and the export (no payees; amounts as Decimal).

    ``{"lines": [{id, name, source, source_label, document_no, status, approved, approved_by, approved_at,
    budget, spent, remaining, ...}], "totals": {budget (approved lines), pending, spent, remaining},
    "expenses": n, "procurements": {"count", "amount"}, "resources": [{id, name, kind_label, origin_label,
    lent_by, borrowed_on, returned_on, returned_to, returned, ...}], "unreturned": n}``.
    """
    lines = lines_with_figures(tf)
    proc = Procurement.objects.filter(taskforce=tf).aggregate(n=Count("id"), s=Sum("amount"))
    resources = [_resource_dict(r) for r in _resources(tf)]
    return {
        "lines": lines, "totals": _totals(lines),
        "expenses": Expense.objects.filter(taskforce=tf, status=Expense.Status.RECORDED).count(),
        "procurements": {"count": proc["n"] or 0, "amount": proc["s"] or ZERO},
        "resources": resources, "unreturned": sum(1 for r in resources if not r["returned"]),
    }


def unreturned_resources(tf: TaskForce) -> list[Resource]:
    """Office space and equipment of ``tf`` not yet returned or handed over (the dissolution open items)."""
    return list(Resource.objects.filter(taskforce=tf, returned_on__isnull=True)
                .select_related("lent_by", "custodian").order_by("id"))


@dataclass
class Ledger:
    tf: TaskForce
    can_manage: bool
    show_payees: bool
    lines: list[dict[str, Any]]
    totals: dict[str, Decimal]
    expenses: list[Expense]
    expenses_total: int
    procurements: list[Procurement]
    resources: list[dict[str, Any]]


def ledger(actor: Any, tf_id: Any, *, expense_offset: int = 0, expense_limit: int = EXPENSE_PAGE,
           line_id: int | None = None) -> Ledger:
    """The ledger of a task force as ``actor`` may read it (404 if they cannot see the task force)."""
    tf, acc = tfa.get_visible_taskforce(actor, tf_id)
    if acc.external_only:
        # External members (enterprises, experts) take part in the work, not in the government's accounts.
        raise Forbidden("外部成员不能查看专班经费台账")
    lines = lines_with_figures(tf)
    qs = Expense.objects.filter(taskforce=tf)
    if line_id is not None:
        qs = qs.filter(line_id=line_id)
    expenses = list(qs.select_related("line", "approved_by", "attachment")
                    .order_by("-spent_on", "-id")[expense_offset:expense_offset + expense_limit])
    procurements = list(Procurement.objects.filter(taskforce=tf).select_related("expense").order_by("-purchased_on",
                                                                                                   "-id")[:200])
    return Ledger(tf=tf, can_manage=acc.manage, show_payees=acc.manage, lines=lines, totals=_totals(lines),
                  expenses=expenses, expenses_total=qs.count(), procurements=procurements,
                  resources=[_resource_dict(r) for r in _resources(tf)])


def resource_dict(r: Resource) -> dict[str, Any]:
    return _resource_dict(r)


def get_line(actor: Any, line_id: Any) -> BudgetLine:
    """A budget line of a task force ``actor`` may see; otherwise 404 (as for an unknown id)."""
    return _get(actor, BudgetLine, line_id)


def get_expense(actor: Any, expense_id: Any) -> Expense:
    return _get(actor, Expense, expense_id)


def get_resource(actor: Any, resource_id: Any) -> Resource:
    return _get(actor, Resource, resource_id)


def get_procurement(actor: Any, procurement_id: Any) -> Procurement:
    return _get(actor, Procurement, procurement_id)


def _get(actor: Any, model: type, pk: Any) -> Any:
    from zhuanban.core.errors import NotFound

    try:
        obj = model.objects.select_related("taskforce").get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not tfa.get_access(actor, obj.taskforce).view:
        raise NotFound()
    return obj
