"""What the generator's phases share: the run's context (scale, seeded randomness, the plan of what was
written so far), primary-key allocation, bulk inserts with progress, historic timestamps, and accounts.

Rows get their primary keys from the generator (``Context.ids``) rather than from the database, so a
phase can refer to rows of the same batch (a task's parent, a liaison's member unit) without reading
anything back; ``reset_sequences`` brings PostgreSQL's sequences up to date at the end (SQLite's
AUTOINCREMENT follows explicit keys by itself).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from faker import Faker
from tqdm import tqdm

from zhuanban.accounts.models import UserSecurity
from zhuanban.org.models import Person, User

BATCH = 2000


@dataclass(frozen=True)
class ScaleSpec:
    """The size of one scale.  Province is the reference; city is about a tenth; demo is tiny."""

    name: str
    cities: int
    districts_per_city: tuple[int, int]
    streets_per_district: tuple[int, int]
    province_departments: int  # how many of gen_names.PROVINCE_DEPARTMENTS
    city_departments: int
    district_departments: int
    street_unit_share: float  # share of streets (乡镇/街道) with their own office in the directory
    state_enterprises_per_city: int
    enterprises: int
    universities: int
    research: int
    social: int
    people: int
    taskforces: int
    tasks: int
    big_taskforce_tasks: int  # the benchmark's big task force


SCALES: dict[str, ScaleSpec] = {
    "demo": ScaleSpec("demo", 1, (2, 2), (3, 3), 3, 12, 4, 0.34, 1, 4, 1, 1, 2, 300, 8, 400, 120),
    "city": ScaleSpec("city", 1, (9, 9), (6, 10), 10, 33, 8, 0.25, 4, 20, 3, 3, 5, 5_000, 100, 20_000, 800),
    "province": ScaleSpec("province", 11, (6, 10), (6, 12), 37, 33, 7, 0.15, 3, 160, 16, 20, 40,
                          50_000, 1_000, 200_000, 2_000),
}


@dataclass
class UnitInfo:
    id: int
    name: str
    short: str
    kind: str
    level: str  # province / city / district / street
    region_id: int
    city: int | None  # index of the city region, None at province level
    gov: bool
    top: bool = False  # the government itself (省/市/区人民政府): leads leading-core task forces
    people: list[int] = field(default_factory=list)
    next_fresh: int = 0  # people[next_fresh:] are in no task force yet


@dataclass
class Context:
    spec: ScaleSpec
    seed: int
    today: dt.date
    now: dt.datetime
    progress: bool = True
    counts: dict[str, Any] = field(default_factory=dict)
    subjects: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # Values already taken in this database (a forced run beside other data stays unique).
    taken_unit_names: set[str] = field(default_factory=set)
    taken_usernames: set[str] = field(default_factory=set)
    taken_region_codes: set[str] = field(default_factory=set)
    # The plan so far, for later phases.
    units: list[UnitInfo] = field(default_factory=list)
    person_unit: dict[int, int] = field(default_factory=dict)  # person id -> unit index in ``units``
    person_name: dict[int, str] = field(default_factory=dict)
    person_user: dict[int, int] = field(default_factory=dict)  # person id -> user id
    person_username: dict[int, str] = field(default_factory=dict)
    leaders: set[int] = field(default_factory=set)
    regions: dict[str, Any] = field(default_factory=dict)
    taskforces: list[Any] = field(default_factory=list)  # gen_taskforces.TFPlan
    extra: dict[str, Any] = field(default_factory=dict)  # room for later phases
    _next_id: dict[type[models.Model], int] = field(default_factory=dict)
    _password_hash: str = ""
    _faker: Faker | None = None

    def rng(self, phase: str) -> random.Random:
        """A random stream per phase, so adding a phase never changes what earlier phases generate."""
        return random.Random(f"{self.seed}:{phase}")

    @property
    def faker(self) -> Faker:
        if self._faker is None:
            self._faker = Faker("zh_CN")
            self._faker.seed_instance(self.seed)
        return self._faker

    def ids(self, model: type[models.Model], n: int) -> range:
        """Reserve ``n`` primary keys for ``model`` (after whatever the table already holds)."""
        if model not in self._next_id:
            self._next_id[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        start = self._next_id[model]
        self._next_id[model] = start + n
        return range(start, start + n)

    def bar(self, desc: str, total: int | None = None) -> tqdm:
        return tqdm(total=total, desc=desc, unit="行", file=sys.stderr, disable=not self.progress,
                    leave=True, dynamic_ncols=True, mininterval=0.5)

    def moment(self, day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
        """A time on ``day`` during office hours, in the project's time zone."""
        from django.utils import timezone

        minutes = rng.randrange(start_hour * 60, end_hour * 60)
        naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
        return timezone.make_aware(naive)

    # ---- accounts ---------------------------------------------------------------------------------

    def password_hash(self) -> str:
        if not self._password_hash:
            from django.contrib.auth.hashers import make_password

            from .generator import BENCH_PASSWORD

            self._password_hash = make_password(BENCH_PASSWORD)  # once: hashing per user would take hours
        return self._password_hash

    def unique_username(self, base: str) -> str:
        name, n = base, 1
        while name.lower() in self.taken_usernames:
            n += 1
            name = f"{base}-{n}"
        self.taken_usernames.add(name.lower())
        return name

    def ensure_accounts(self, person_ids: Iterable[int], *, write_person: bool = True) -> list[User]:
        """Give each of ``person_ids`` without one an account (same precomputed hash, marked as demo: the
        password is published).  With ``write_person`` the people's ``user_id`` is set in the database;
        otherwise the caller writes the people afterwards (``person_user`` holds the mapping)."""
        missing = sorted({p for p in person_ids if p not in self.person_user})
        if not missing:
            return []
        hashed = self.password_hash()
        users = []
        for uid, pid in zip(self.ids(User, len(missing)), missing, strict=True):
            users.append(User(id=uid, username=self.unique_username(f"zb{pid:06d}"), password=hashed,
                              first_name=self.person_name[pid][:150], is_active=True, date_joined=self.now))
            self.person_user[pid] = uid
            self.person_username[pid] = users[-1].username
        bulk(User, users)
        bulk(UserSecurity, [UserSecurity(user_id=u.id, password_changed_at=self.now, is_demo=True) for u in users])
        if write_person:
            set_column(Person, "user_id", [(self.person_user[pid], pid) for pid in missing])
        return users


def bulk(model: type[models.Model], rows: list[models.Model], bar: tqdm | None = None,
         batch_size: int = BATCH) -> None:
    """Insert ``rows`` in batches (the backend shrinks a batch further if it has a parameter limit)."""
    for i in range(0, len(rows), batch_size):
        chunk = rows[i:i + batch_size]
        model.objects.bulk_create(chunk, batch_size=batch_size)
        if bar is not None:
            bar.update(len(chunk))


# Field classes whose Python value goes to the driver unchanged (exact classes: a subclass such as
# EncryptedTextField transforms its value and takes the general path).
_PASS_THROUGH = (models.CharField, models.TextField, models.BooleanField, models.ForeignKey, models.OneToOneField,
                 models.AutoField, models.BigAutoField, models.IntegerField, models.BigIntegerField,
                 models.SmallIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
                 models.PositiveBigIntegerField)


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    if type(field) in _PASS_THROUGH:
        return None
    if type(field) is models.DateTimeField:
        return connection.ops.adapt_datetimefield_value
    if type(field) is models.DateField:
        return connection.ops.adapt_datefield_value
    return lambda value, f=field: f.get_db_prep_save(value, connection)


def fast_insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts of attribute name → value) in bulk — COPY on PostgreSQL, one prepared INSERT
    run over all rows on SQLite — with each column's adapter looked up once.

    The task phase writes this way: through ``bulk_create`` the same rows cost about twice as much again,
    in building a model instance per row and in Django's per-value preparation
    (``SQLInsertCompiler.prepare_value`` for each field of each row) — most of a province run.  Values are
    adapted exactly as Django would (the backend's date/time adapters, ``get_db_prep_save`` for any other
    field type); a missing attribute takes the field's default; the primary key is written when the rows
    carry one.  ``auto_now`` fields must be given (the generator sets historic times anyway).
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])]
    defaults = {f.attname: f.get_default() for f in fields}
    adapters = [_adapter(f) for f in fields]
    attnames = [f.attname for f in fields]
    table_rows = []
    for row in rows:
        values = [row[a] if a in row else defaults[a] for a in attnames]
        table_rows.append([v if ad is None or v is None else ad(v) for v, ad in zip(values, adapters, strict=True)])
    qn = connection.ops.quote_name
    target = f"{qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg adapts the values in C; a multi-row INSERT through Django's client-side binding
            # cursor quotes every value in Python and was four times slower.
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in table_rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        if connection.vendor == "sqlite":  # one prepared statement, many rows (its parameter limit is low)
            cursor.executemany(f"INSERT INTO {target} VALUES {one}", table_rows)
            return
        per = max(1, min(1000, 30_000 // len(fields)))  # other backends: multi-row INSERTs
        for i in range(0, len(table_rows), per):
            chunk = table_rows[i:i + per]
            cursor.execute(f"INSERT INTO {target} VALUES " + ", ".join([one] * len(chunk)),
                           [v for row in chunk for v in row])


class Buffer:
    """Rows collected per model and flushed in batches, parents before children (models in the order
    they were first added), through :func:`fast_insert`."""

    def __init__(self, bar: tqdm | None = None, limit: int = 20_000) -> None:
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {}
        self.bar, self.limit, self.size = bar, limit, 0
        self.written: dict[str, int] = {}

    def add(self, model: type[models.Model], **values: Any) -> None:
        self.rows.setdefault(model, []).append(values)
        self.size += 1
        if self.size >= self.limit:
            self.flush()

    def flush(self) -> None:
        for model, rows in self.rows.items():
            fast_insert(model, rows)
            label = model._meta.label
            self.written[label] = self.written.get(label, 0) + len(rows)
            if self.bar is not None:
                self.bar.update(len(rows))
            rows.clear()
        self.size = 0


def set_column(model: type[models.Model], column: str, pairs: list[tuple[Any, int]]) -> None:
    """``UPDATE table SET column = value WHERE id = pk`` for many rows in one executemany (portable SQL;
    Django's bulk_update builds a CASE per batch, much slower at tens of thousands of rows)."""
    if not pairs:
        return
    qn = connection.ops.quote_name
    sql = f"UPDATE {qn(model._meta.db_table)} SET {qn(column)} = %s WHERE {qn(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        for i in range(0, len(pairs), 5000):
            cursor.executemany(sql, pairs[i:i + 5000])


@contextlib.contextmanager
def historic_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let the generator set ``auto_now``/``auto_now_add`` fields (a task created last year says so).

    Django overwrites such fields on insert; for the duration of the block they are plain fields.  Only
    the generator's own process is affected, and the flags are restored even on error.
    """
    saved: list[tuple[models.Field, bool, bool]] = []
    try:
        for model in model_classes:
            for f in model._meta.concrete_fields:
                if isinstance(f, models.DateField) and (getattr(f, "auto_now", False)
                                                        or getattr(f, "auto_now_add", False)):
                    saved.append((f, f.auto_now, f.auto_now_add))
                    f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def reset_sequences(model_classes: Iterable[type[models.Model]]) -> None:
    """After inserting explicit primary keys, move PostgreSQL's sequences past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def weighted_index(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def cumulate(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


Phase = Callable[[Context], None]
