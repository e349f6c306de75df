"""The funds app's open-item provider (``taskforces.openitems``): office space and equipment not yet
returned are open items, so the dissolution checklist lists them and a dissolution waits for them; a
custodian's handover moves them to the successor; a merge moves them to the task force merged into
(where they are still in use and still owed back)."""

from __future__ import annotations

from zhuanban.taskforces import openitems
from zhuanban.taskforces.models import TaskForce

from .models import Resource

KIND = "resource"


def _title(r: Resource) -> str:
    origin = f"，借自{r.lent_by.name}" if r.lent_by_id and r.origin != Resource.Origin.PURCHASED else ""
    return f"{r.get_kind_display()}“{r}”尚未归还{origin}"


def _open(tf: TaskForce) -> list[openitems.OpenItem]:
    from .queries import unreturned_resources

    return [openitems.OpenItem(KIND, r.pk, _title(r), r.custodian_id) for r in unreturned_resources(tf)]


def _reassign(tf: TaskForce, from_id: int, to_id: int) -> list[openitems.OpenItem]:
    rows = list(Resource.objects.filter(taskforce=tf, returned_on__isnull=True, custodian_id=from_id)
                .select_related("lent_by"))
    Resource.objects.filter(pk__in=[r.pk for r in rows]).update(custodian_id=to_id)
    return [openitems.OpenItem(KIND, r.pk, _title(r), to_id) for r in rows]


def _move(source: TaskForce, target: TaskForce) -> int:
    # The custodian may not be a member of the target: the item keeps its custodian (history) and the
    # target's managers see it in their ledger and checklist.
    return Resource.objects.filter(taskforce=source, returned_on__isnull=True).update(taskforce=target)


def register() -> None:
    openitems.register(openitems.Provider(KIND, _open, _reassign, _move))
