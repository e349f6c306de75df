"""Query-count assertions for lists: the number of queries must not grow with the number of rows.

Usage::

    assert_constant_queries(client, "/api/v1/units", grow=lambda: UnitFactory.create_batch(3))

The list is fetched once to warm up (token last-used stamp, per-process caches), then counted at its
current size, ``grow()`` adds rows, and it is counted again.  Both counts must be equal, and the second
response must really list more rows, so a broken ``grow`` cannot make the test pass vacuously.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _rows(response: Any) -> int:
    body = response.json()
    return len(body["items"]) if isinstance(body, dict) else len(body)


def count_queries(client: Any, url: str, rows: Callable[[Any], int] = _rows) -> tuple[int, int, list[str]]:
    """(query count, rows listed, the SQL) of one GET of ``url``; ``rows(response)`` counts what a page
    lists (default: the items of a JSON list)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx), rows(response), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(client: Any, url: str, grow: Callable[[], Any], *, min_growth: int = 2,
                            rows: Callable[[Any], int] = _rows) -> int:
    """Assert GET ``url`` costs the same number of queries before and after ``grow()`` adds rows.

    Returns the query count, so a caller may also pin it (``assert ... <= 8``).  For an HTML page pass
    ``rows``, e.g. ``lambda r: len(r.context["tree"])``.
    """
    client.get(url)  # warm-up
    small, small_rows, small_sql = count_queries(client, url, rows)
    grow()
    large, large_rows, large_sql = count_queries(client, url, rows)
    assert large_rows >= small_rows + min_growth, (
        f"grow() should add at least {min_growth} rows to {url}: {small_rows} → {large_rows}"
    )
    assert small == large, (
        f"GET {url} made {small} queries for {small_rows} rows but {large} for {large_rows} rows:\n"
        + "\n".join(q for q in large_sql if q not in small_sql)
    )
    return large
