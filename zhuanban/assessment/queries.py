"""Read side of assessment, scoped to the reader: a scheme is seen by the viewers of its task force and by
its evaluators; results, evaluators' list and exports only by the task force's managers.  Anything else is
the same 404 as an unknown id."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.errors import NotFound
from zhuanban.taskforces import access as tfa

from .models import Evaluator, ExportJob, Scheme, Score


def visible_schemes(user: Any) -> QuerySet[Scheme]:
    qs = Scheme.objects.select_related("taskforce")
    if tfa.is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    cond = Q(taskforce_id__in=tfa.visible_taskforce_ids(user))
    person = tfa.person_of(user)
    if person is not None:
        cond |= Q(id__in=Evaluator.objects.filter(person=person).values("scheme_id"))
    return qs.filter(cond)


def get_scheme(user: Any, pk: Any) -> Scheme:
    try:
        return visible_schemes(user).get(pk=int(pk))
    except (Scheme.DoesNotExist, ValueError, TypeError, OverflowError):  # a huge id: SQLite's int overflow
        raise NotFound() from None


def get_managed_scheme(user: Any, pk: Any) -> Scheme:
    """The scheme for its task force's managers: 404 if unseen, 403 for a viewer."""
    scheme = get_scheme(user, pk)
    tfa.require_manage(user, scheme.taskforce)
    return scheme


def can_manage(user: Any, scheme: Scheme) -> bool:
    return tfa.is_admin(user) or scheme.taskforce_id in tfa.managed_taskforce_ids(user)


def my_forms(user: Any) -> list[dict[str, Any]]:
    """The caller's evaluation forms: per scheme and evaluator role, how many subjects are scored."""
    person = tfa.person_of(user)
    if person is None:
        return []
    evs = list(Evaluator.objects.filter(person=person).select_related("scheme", "scheme__taskforce")
               .order_by("-scheme__period_start", "scheme_id", "kind"))
    done: dict[int, int] = {}
    for ev_id in Score.objects.filter(evaluator__in=[e.pk for e in evs]).values_list("evaluator_id", flat=True):
        done[ev_id] = done.get(ev_id, 0) + 1
    return [{"evaluator": e, "scheme": e.scheme, "scored": done.get(e.pk, 0)} for e in evs]


def scores_of(user: Any, scheme: Scheme) -> dict[str, Score]:
    """The caller's own scores in ``scheme`` by subject key."""
    person = tfa.person_of(user)
    if person is None:
        return {}
    return {s.subject_key: s for s in Score.objects.filter(scheme=scheme, evaluator__person=person)
            .select_related("revision", "evaluator")}


def get_export(user: Any, pk: Any) -> ExportJob:
    try:
        job = ExportJob.objects.select_related("scheme", "unit").filter(pk=int(pk)).first()
    except (ValueError, TypeError, OverflowError):
        job = None
    if job is None or (job.created_by_id != getattr(user, "pk", None) and not tfa.is_admin(user)):
        raise NotFound()
    return job
