#!/usr/bin/env python
"""The load run's set-up step: pick N users from the database, give each a web session and an API token, and
list the task forces they read and the tasks they may report progress on, into a JSON file for locust.

    . var/prod/env && .venv/bin/python scripts/load/prepare.py --users 50 --out var/prod/load.json

Works on any data set: the demo (`zhuanban demo`), generated data (`zhuanban generate --scale ...`) or a copy
of real data.  Users are people with an account and an active membership in an open task force; the ones
with tasks they may work on (responsible person, holder, or manager of the task force) come first.  Where
there are fewer writable tasks than ``--seed-if-missing``, tasks are created first (as a manager of each task
force, assigned to its members), so the demo data — which has no tasks — can be loaded.

Sessions are made directly in the session store (as Django's test client does): no password is needed and
no second factor is asked, so this refuses to run unless ZHUANBAN_LOADRUN=1 (set by scripts/prod/up.sh in
var/prod/env) — never against a production database.  The tokens expire after a day.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanban.settings")

WORKING = ("draft", "signed", "in_progress")


def setup() -> None:
    import django

    django.setup()


def make_session(user: Any) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from zhuanban.accounts import services as acc
    from zhuanban.accounts.models import UserSession

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "zhuanban.org.auth.CaseInsensitiveModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[acc.AUTH_AT] = store[acc.LOGIN_AT] = store[acc.LAST_SEEN] = store[acc.TOUCHED] = now
    store.create()
    UserSession.objects.update_or_create(
        session_key=store.session_key,
        defaults={"user": user, "ip": "127.0.0.1", "user_agent": "locust (scripts/load)",
                  "last_seen_at": timezone.now()},
    )
    return store.session_key


def open_taskforces():
    from zhuanban.taskforces.models import TaskForce

    return TaskForce.objects.filter(status__in=[TaskForce.Status.PLANNING, TaskForce.Status.ACTIVE])


def seed_tasks(wanted: int, rng: random.Random) -> int:
    """Create about ``wanted`` tasks spread over the open task forces, each assigned to a member."""
    from zhuanban.taskforces.models import Membership
    from zhuanban.tasks import services

    eligible = []
    for tf in open_taskforces().order_by("id")[:50]:
        members = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True, person__user__is_active=True)
                       .select_related("person__user").order_by("id"))
        managers = [m for m in members if m.role in Membership.OFFICE_ROLES | Membership.LEADER_ROLES]
        workers = [m for m in members if m.role != Membership.Role.EXTERNAL]
        if managers and workers:
            eligible.append((tf, managers[0].person.user, workers))
    made = 0
    per_tf = -(-wanted // max(len(eligible), 1))
    for tf, actor, workers in eligible:
        for i in range(per_tf):
            responsible = workers[(i + rng.randrange(len(workers))) % len(workers)].person
            services.create_task(actor, tf, title=f"负载测试任务 {tf.pk}-{i + 1}", due_in_workdays=20,
                                 responsible=responsible)
            made += 1
    return made


def writable_tasks(user: Any, limit: int) -> list[dict[str, Any]]:
    from django.db.models import Q

    from zhuanban.taskforces import access as tf_access
    from zhuanban.taskforces.models import Membership
    from zhuanban.tasks import access
    from zhuanban.tasks.models import Task

    person = tf_access.person_of(user)
    if person is None:
        return []
    managed = Membership.objects.filter(person=person, end_on__isnull=True,
                                        role__in=Membership.OFFICE_ROLES | Membership.LEADER_ROLES).values("taskforce_id")
    candidates = (Task.objects.filter(status__in=WORKING, taskforce__in=open_taskforces())
                  .filter(Q(responsible=person) | Q(taskforce_id__in=managed))
                  .order_by("-responsible_id", "id")[: limit * 3])
    found = []
    for task in candidates:
        if access.get_task_access(user, task).worker:
            found.append({"id": task.pk, "version": task.version, "taskforce": task.taskforce_id})
        if len(found) >= limit:
            break
    return found


def readable_taskforces(user: Any, limit: int) -> list[int]:
    from zhuanban.taskforces.models import Membership

    return list(Membership.objects.filter(person__user=user, end_on__isnull=True, taskforce__in=open_taskforces())
                .exclude(role=Membership.Role.EXTERNAL)
                .values_list("taskforce_id", flat=True).distinct().order_by("taskforce_id")[:limit])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="how many users (default 50)")
    parser.add_argument("--tasks-per-user", type=int, default=10, help="writable tasks listed per user")
    parser.add_argument("--seed-if-missing", type=int, default=60,
                        help="create tasks first when fewer writable tasks than this exist (0: never)")
    parser.add_argument("--out", default=str(ROOT / "var" / "prod" / "load.json"))
    parser.add_argument("--seed", type=int, default=4, help="random seed")
    args = parser.parse_args(argv)
    if os.environ.get("ZHUANBAN_LOADRUN") != "1":
        print("refusing: ZHUANBAN_LOADRUN=1 is not set (this makes sessions without a password; "
              "only for the throwaway profile of scripts/prod/up.sh — source var/prod/env)", file=sys.stderr)
        return 2
    setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from zhuanban.core.tokens import issue_token
    from zhuanban.tasks.models import Task

    rng = random.Random(args.seed)
    User = get_user_model()
    open_writable = Task.objects.filter(status__in=WORKING, taskforce__in=open_taskforces()).count()
    if args.seed_if_missing and open_writable < args.seed_if_missing:
        made = seed_tasks(args.seed_if_missing - open_writable, rng)
        print(f"created {made} tasks (there were {open_writable} open ones)", file=sys.stderr)

    members = (User.objects.filter(is_active=True, person__isnull=False,
                                   person__memberships__end_on__isnull=True,
                                   person__memberships__taskforce__in=open_taskforces())
               .annotate(mine=Count("person__responsible_tasks", distinct=True,
                                    filter=Q(person__responsible_tasks__status__in=WORKING)))
               .order_by("-mine", "id").distinct())
    subjects: list[dict[str, Any]] = []
    readers: list[dict[str, Any]] = []
    for user in members[: args.users * 4]:
        tasks = writable_tasks(user, args.tasks_per_user)
        tfs = readable_taskforces(user, 10)
        if not tfs:
            continue
        row = {"username": user.get_username(), "taskforces": tfs, "tasks": tasks}
        (subjects if tasks else readers).append(row)
        if len(subjects) >= args.users:
            break
    chosen = (subjects + readers)[: args.users]
    if not chosen:
        print("no users with an active membership in an open task force: load some data first", file=sys.stderr)
        return 1
    by_name = {u.get_username(): u for u in User.objects.filter(username__in=[r["username"] for r in chosen])}
    for row in chosen:
        user = by_name[row["username"]]
        row["session"] = make_session(user)
        row["token"] = issue_token(user, name="loadrun", days=1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
        json.dump({"users": chosen, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}, fh, ensure_ascii=False, indent=1)
    writers = sum(1 for r in chosen if r["tasks"])
    tasks = len({t["id"] for r in chosen for t in r["tasks"]})
    print(f"{len(chosen)} users ({writers} with writable tasks, {tasks} distinct tasks) → {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
