"""Open items: what must be closed or handed over before a task force dissolves, and what moves to a
successor at a liaison handover.

Each app that owns work items registers a provider here (the task-force app registers its demand list;
the tasks app registers tasks when it lands), so the dissolution checklist and the handover know every
kind of open item without knowing the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import DemandItem, TaskForce


@dataclass(frozen=True)
class OpenItem:
    kind: str
    id: int
    title: str
    owner_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "owner_id": self.owner_id}


@dataclass(frozen=True)
class Provider:
    kind: str
    open_items: Callable[[TaskForce], list[OpenItem]]
    # Move the open items owned by one person to another; returns what moved.
    reassign: Callable[[TaskForce, int, int], list[OpenItem]]
    # Move every open item to another task force (merge).
    move: Callable[[TaskForce, TaskForce], int]


PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if all(p.kind != provider.kind for p in PROVIDERS):
        PROVIDERS.append(provider)


def open_items(tf: TaskForce) -> list[OpenItem]:
    return [item for p in PROVIDERS for item in p.open_items(tf)]


def reassign(tf: TaskForce, from_person_id: int, to_person_id: int) -> list[OpenItem]:
    return [item for p in PROVIDERS for item in p.reassign(tf, from_person_id, to_person_id)]


def move_all(source: TaskForce, target: TaskForce) -> int:
    return sum(p.move(source, target) for p in PROVIDERS)


def _demand_open(tf: TaskForce) -> list[OpenItem]:
    return [
        OpenItem("demand", d.pk, d.title, d.owner_id)
        for d in tf.demands.filter(status=DemandItem.Status.OPEN).order_by("id")
    ]


def _demand_reassign(tf: TaskForce, from_id: int, to_id: int) -> list[OpenItem]:
    items = [
        OpenItem("demand", d.pk, d.title, to_id)
        for d in tf.demands.filter(status=DemandItem.Status.OPEN, owner_id=from_id)
    ]
    tf.demands.filter(pk__in=[i.id for i in items]).update(owner_id=to_id)
    return items


def _demand_move(source: TaskForce, target: TaskForce) -> int:
    return source.demands.filter(status=DemandItem.Status.OPEN).update(taskforce=target)


register(Provider("demand", _demand_open, _demand_reassign, _demand_move))
