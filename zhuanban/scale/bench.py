"""``zhuanban bench``: named scenarios timed through the real HTTP stack, next to the raw SQL that answers them.

A scenario is a page or API list a user meets daily (or a background job), registered with
``@scenario``.  Each app may keep its scenarios in a ``bench.py`` module of its own; they are discovered
with Django's ``autodiscover_modules("bench")``, so a later feature adds its pages without touching this
file.

An HTTP scenario returns the request to make (who, and which path); the runner sends it through Django's
test client — the full middleware stack, authentication, sessions, templates, serialisation — after a
warm-up, N times, and keeps the median and the 95th percentile.  One more run, with the queries captured,
gives the query count.  Its ``raw`` companion runs the SQL that answers the same question straight on the
database cursor; the ratio app/raw tells how close the page is to the database's own floor.

The subjects (a busy person, a large task force, its office, …) come from the generated data set
(``zhuanban.scale.generator.bench_subjects``): the bench refuses a database with no generated data.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Goals of the issues for a page or API list a user meets daily.
DAILY = {"median_ms": 150.0, "p95_ms": 400.0, "ratio": 3.0}


@dataclass
class Request:
    user: str  # username to act as
    path: str
    method: str = "get"
    data: Any = None
    expect: int = 200


@dataclass
class Scenario:
    name: str
    title: str
    kind: str  # "http" or "job"
    make: Callable[[dict[str, Any]], Any]  # subjects -> Request (http) or a callable (job)
    raw: Callable[[dict[str, Any]], list[tuple[str, list[Any]]]] | None = None
    goals: dict[str, float] = field(default_factory=lambda: dict(DAILY))


SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str, title: str, *, kind: str = "http", raw: Callable[..., Any] | None = None,
             goals: dict[str, float] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a scenario.  ``raw(subjects)`` returns the list of (sql, params) that answer it."""

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in SCENARIOS:
            raise ValueError(f"bench scenario {name!r} registered twice")
        SCENARIOS[name] = Scenario(name, title, kind, fn, raw, dict(goals or DAILY))
        return fn

    return deco


def prepare(subjects: dict[str, Any]) -> dict[str, Any]:
    """Add what scenarios need beyond the generator's subjects: the busy person's id, a task of the big
    task force that has sub-tasks, and a word that occurs in some of its task titles."""
    from django.db.models import Count

    from zhuanban.org.models import Person
    from zhuanban.tasks.models import Task

    s = dict(subjects)
    s["busy_person_id"] = Person.objects.filter(user__username=s["busy_username"]).values_list("id", flat=True).get()
    tasks = Task.objects.filter(taskforce_id=s["taskforce_id"])
    task = (tasks.filter(parent__isnull=True).annotate(n=Count("children")).filter(n__gt=0).order_by("id").first()
            or tasks.order_by("id").first())
    if task is None:
        raise BenchError(f"the big task force #{s['taskforce_id']} has no tasks")
    s["task_id"] = task.pk
    title = tasks.order_by("-id").values_list("title", flat=True).first() or ""
    s["search_text"] = title[2:4] or title[:2]
    return s


def discover() -> dict[str, Scenario]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("bench")
    return SCENARIOS


@dataclass
class Result:
    name: str
    title: str
    kind: str
    reps: int
    median_ms: float
    p95_ms: float
    queries: int | None
    raw_median_ms: float | None
    goals: dict[str, float]
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if self.raw_median_ms is None or self.raw_median_ms <= 0:
            return None
        return self.median_ms / self.raw_median_ms

    @property
    def time_ok(self) -> bool:
        g = self.goals
        return not self.error and not ("median_ms" in g and self.median_ms > g["median_ms"]) and not (
            "p95_ms" in g and self.p95_ms > g["p95_ms"])

    @property
    def ok(self) -> bool:
        if not self.time_ok:
            return False
        g = self.goals
        ratio = self.ratio
        return not ("ratio" in g and ratio is not None and ratio > g["ratio"])

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "kind": self.kind, "reps": self.reps,
                "median_ms": round(self.median_ms, 2), "p95_ms": round(self.p95_ms, 2), "queries": self.queries,
                "raw_median_ms": None if self.raw_median_ms is None else round(self.raw_median_ms, 3),
                "ratio": None if self.ratio is None else round(self.ratio, 2), "goals": self.goals,
                "time_ok": self.time_ok, "ok": self.ok, "error": self.error}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[max(0, min(len(ordered), rank) - 1)]


class Runner:
    """Runs scenarios in-process through Django's test client, one logged-in client per user."""

    def __init__(self, subjects: dict[str, Any], *, warmup: int = 2, reps: int = 20,
                 tick: Callable[[], None] | None = None) -> None:
        self.subjects, self.warmup, self.reps = subjects, warmup, reps
        self.tick = tick or (lambda: None)
        self._clients: dict[str, Client] = {}
        self.secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
        host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")), None)
        self.host = host or "testserver"
        if "testserver" not in settings.ALLOWED_HOSTS and host is None:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def client(self, username: str) -> Client:
        if username not in self._clients:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(username=username)
            c = Client(HTTP_HOST=self.host, secure=self.secure)
            c.force_login(user)
            # Act as someone who has finished signing in (second factor done, password current).
            from zhuanban.accounts import services as account_services

            session = c.session
            session.pop(account_services.NEEDS_2FA, None)
            session.pop(account_services.MUST_CHANGE, None)
            session.save()
            self._clients[username] = c
        return self._clients[username]

    def send(self, req: Request) -> None:
        c = self.client(req.user)
        fn = getattr(c, req.method)
        kwargs = {"data": req.data, "content_type": "application/json"} if req.method != "get" else {}
        response = fn(req.path, **kwargs) if req.method != "get" else fn(req.path, req.data)
        if response.status_code != req.expect:
            raise BenchError(f"{req.method.upper()} {req.path} as {req.user}: HTTP {response.status_code}"
                             f" (expected {req.expect})")
        # Read a streamed body too, so its cost is measured.
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)

    def time(self, fn: Callable[[], Any], n: int) -> list[float]:
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
            self.tick()
        return out

    def run(self, sc: Scenario) -> Result:
        try:
            made = sc.make(self.subjects)
            action: Callable[[], Any]
            if sc.kind == "http":
                req: Request = made
                action = lambda: self.send(req)  # noqa: E731
            else:
                action = made
            for _ in range(self.warmup):
                action()
            times = self.time(action, self.reps)
            queries = None
            if sc.kind == "http":
                with CaptureQueriesContext(connection) as ctx:
                    action()
                queries = len(ctx.captured_queries)
            raw_ms = None
            if sc.raw is not None:
                statements = sc.raw(self.subjects)

                def run_raw() -> None:
                    with connection.cursor() as cur:
                        for sql, params in statements:
                            cur.execute(sql, params)
                            cur.fetchall()

                for _ in range(self.warmup):
                    run_raw()
                raw_ms = statistics.median(self.time(run_raw, self.reps))
            return Result(sc.name, sc.title, sc.kind, self.reps, statistics.median(times),
                          percentile(times, 95), queries, raw_ms, sc.goals)
        except Exception as exc:  # a failing scenario is reported in its row; the others still run
            msg = str(exc) if isinstance(exc, BenchError) else f"{type(exc).__name__}: {exc}"
            return Result(sc.name, sc.title, sc.kind, 0, 0.0, 0.0, None, None, sc.goals, error=msg)


class BenchError(Exception):
    pass


def table(results: Iterable[Result]) -> str:
    head = f"{'scenario':<24} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'raw ms':>8} {'app/raw':>8}  goal"
    lines = [head, "-" * len(head)]
    for r in results:
        if r.error:
            lines.append(f"{r.name:<24} ERROR {r.error}")
            continue
        q = "" if r.queries is None else str(r.queries)
        raw = "" if r.raw_median_ms is None else f"{r.raw_median_ms:.2f}"
        ratio = "" if r.ratio is None else f"{r.ratio:.1f}x"
        timed = [f"med<{r.goals['median_ms']:.0f}" if "median_ms" in r.goals else "",
                 f"p95<{r.goals['p95_ms']:.0f}" if "p95_ms" in r.goals else ""]
        verdict = f"time {'ok' if r.time_ok else 'MISSED'} ({' '.join(g for g in timed if g)})"
        if "ratio" in r.goals and r.ratio is not None:
            verdict += f"; ratio {'ok' if r.ratio <= r.goals['ratio'] else 'MISSED'} (≤{r.goals['ratio']:.0f}x)"
        lines.append(f"{r.name:<24} {r.median_ms:>10.1f} {r.p95_ms:>9.1f} {q:>8} {raw:>8} {ratio:>8}  {verdict}")
    return "\n".join(lines)
