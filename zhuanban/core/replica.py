"""Sending heavy reads to a read replica (a PostgreSQL streaming hot standby, docs/backup.md).

``ZHUANBAN_REPLICA_URL`` adds a ``"replica"`` database.  Reads made inside :func:`reading_replica` (a
context manager and a decorator) go to it; every write goes to ``default``, inside the block too, and
without a configured replica the block changes nothing.  Only pages that tolerate a few seconds of lag
use it (exports, dashboards): a page that must show what was just written reads ``default``.

The routing is a contextvar consulted by :class:`ReplicaRouter` (installed in ``DATABASE_ROUTERS``), so
it follows every query made inside the block, in threads and in async code alike.  Reads made inside a
transaction on ``default`` stay on ``default`` even inside the block (read-your-writes; the audit chain reads its last hash
there).  Permission checks belong outside the block: a lagging or stalled replica must never decide who
may see what, so views wrap only the heavy read.
:func:`reading_from` routes reads to any configured alias; backup and restore use it to check a
restored database with the same code that checks the live one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.connection import ConnectionDoesNotExist

REPLICA_ALIAS = "replica"
logger = logging.getLogger(__name__)

_read_alias: ContextVar[str | None] = ContextVar("zhuanban_read_alias", default=None)


def is_configured(alias: str = REPLICA_ALIAS) -> bool:
    """Whether ``alias`` is a database: in ``DATABASES``, or a connection made at run time in this thread
    (zhuanban.core.backup.temporary_database)."""
    if alias in connections.settings:
        return True
    try:
        connections[alias]
    except ConnectionDoesNotExist:
        return False
    return True


@contextmanager
def reading_from(alias: str) -> Iterator[str]:
    """Route reads to ``alias`` inside the block (``default`` if ``alias`` is not configured).

    Yields the alias reads actually go to.  Writes are not affected.
    """
    target = alias if is_configured(alias) else DEFAULT_DB_ALIAS
    token = _read_alias.set(target)
    try:
        yield target
    finally:
        _read_alias.reset(token)


@contextmanager
def reading_replica() -> Iterator[str]:
    """Reads inside go to the replica when one is configured, else to ``default``.

    ``with reading_replica(): ...`` or ``@reading_replica()`` on a view (each call enters afresh).  A
    replica that cannot be reached is logged and skipped: the block reads ``default``.
    """
    alias = REPLICA_ALIAS
    if is_configured(alias):
        conn = connections[alias]
        try:
            if conn.connection is not None and not conn.is_usable():
                conn.close()  # a persistent connection the replica dropped (restart, failover)
            conn.ensure_connection()
        except DatabaseError:
            # A replica that is down must not take the pages down with it: read the primary instead.
            logger.warning("read replica %r unreachable; reading from default", alias, exc_info=True)
            alias = DEFAULT_DB_ALIAS
    with reading_from(alias) as target:
        yield target


def current_read_alias() -> str | None:
    return _read_alias.get()


class ReplicaRouter:
    """Reads follow :func:`reading_from`; writes always go to ``default``; no migrations on the replica."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = _read_alias.get()
        if not alias or alias == DEFAULT_DB_ALIAS or not is_configured(alias):
            return None
        if alias == REPLICA_ALIAS and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Inside a transaction on the primary, reads belong to it: read-your-writes, SELECT ... FOR
            # UPDATE, and the audit chain's last hash (audit.record) read under its advisory lock.  (Other
            # aliases are other databases, e.g. a restored copy being checked: always theirs.)
            return None
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        # An object read from the replica would otherwise be saved back to where it came from (Django
        # falls back to the instance's database): writes go to the primary, always.
        instance = hints.get("instance")
        if instance is not None and instance._state.db not in (None, DEFAULT_DB_ALIAS, REPLICA_ALIAS):
            return None  # an object someone loaded with an explicit .using(): leave it there
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        same_data = {None, DEFAULT_DB_ALIAS, REPLICA_ALIAS}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True  # the replica is a copy of default: relations between the two are fine
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        if db == REPLICA_ALIAS:
            return False  # a hot standby is read-only; it receives the schema from the primary
        return None
