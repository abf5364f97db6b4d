"""An aggregate over a big SQLite table, computed in parts on several cores.

SQLite scans a table on one core; a search's count and sums over 300,000 parcels is such a
scan (~125–180 ms). Split by ``id`` range, each part runs on its own connection in its own
thread — SQLite releases Python's GIL while it steps — and the parts' counts and sums add up to
the whole: on 2 cores 180 → 115 ms (busy machine). Each part reads its own snapshot, so a save
landing meanwhile may be counted in one part and not in another: good for the totals under a
table on screen (the next refresh corrects them), not for a file or a printout that must agree
with its rows. Only for SQLite files (PostgreSQL runs parallel scans itself; an in-memory
database has one connection).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, Select, func, select

MIN_ROWS = 50_000  # below this a scan takes a few ms: one part
MAX_WORKERS = 4

_pool: ThreadPoolExecutor | None = None


def workers() -> int:
    """Parts to split a big scan into: the machine's cores, at most :data:`MAX_WORKERS`."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="landbank-scan")
    return _pool


def splittable(engine: Engine) -> bool:
    """Whether ``engine`` is a SQLite file, whose scans can run in parts."""
    url = engine.url
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def aggregate_in_parts(
    engine: Engine, stmt: Select[Any], id_column: Any, *, parts: int | None = None
) -> Sequence[Any] | None:
    """``stmt`` (a SELECT of counts and sums, no GROUP BY) over the whole table, computed in
    ``parts`` id ranges on their own connections and added up; ``None`` when the table is too
    small or the engine is not a SQLite file (the caller then runs ``stmt`` itself)."""
    parts = parts or workers()
    if parts < 2 or not splittable(engine):
        return None
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(id_column), func.max(id_column))).one()
    if low is None or high - low + 1 < MIN_ROWS:
        return None
    step = (high - low) // parts + 1
    ranges = [(low + i * step, min(high, low + (i + 1) * step - 1)) for i in range(parts)]

    def run(bounds: tuple[int, int]) -> Sequence[Any]:
        with engine.connect() as conn:
            return tuple(conn.execute(stmt.where(id_column.between(*bounds))).one())

    rows = list(_executor().map(run, ranges))
    return tuple(sum(values) for values in zip(*rows, strict=True))
