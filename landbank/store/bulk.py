"""Many rows into one table at once, through the database driver (a file import).

SQLAlchemy Core's ``insert(table)`` with a list of dicts spends most of its time per row and
per column in Python (parameter processing, one dict per row). Here rows arrive column by
column; each column goes through SQLAlchemy's own bind processor for the dialect (so a date,
a timestamp or a boolean is stored exactly as Core stores it), once per distinct value when
values repeat; a column that is ``None`` on every row and has no default is left out of the
statement (NULL either way); and the rows go to the driver in one call: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL (``executemany`` in a pipeline where row-level security applies
to the login, which PostgreSQL's COPY FROM refuses). It runs on the session's connection, inside its transaction
and SAVEPOINT: a rollback undoes it like any other write, and the driver's errors are raised
as SQLAlchemy's (``IntegrityError`` …), as a Core insert would raise them.

Ids are chosen before the insert and written explicitly, so the caller knows the id of every
row (to link audit entries) without reading them back: on SQLite the next ids after both the
largest id and the table's AUTOINCREMENT counter (ids are never reused; SQLite moves the
counter past explicit ids), on PostgreSQL ``nextval`` of the table's sequence.

:func:`bulk_writes` gives SQLite a larger page cache while an import runs;
:func:`deferred_indexes` builds a table's secondary indexes once after a large insert instead
of updating them row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

# SQLite's page cache while a bulk insert runs (the default is 2 MB): the B-trees of a table
# with a dozen indexes stop being written out and read back, which halves the insert time.
BULK_CACHE_KIB = 64 * 1024

def _table(table: Any) -> Table:
    core = getattr(table, "__table__", table)
    assert isinstance(core, Table)
    return core


@contextmanager
def bulk_writes(session: Session) -> Iterator[None]:
    """A larger SQLite page cache on the session's connection while the block runs (restored
    afterwards); nothing on other databases."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        before = int(cursor.execute("PRAGMA cache_size").fetchone()[0])
        # Negative: KiB; positive: pages. Only ever enlarged.
        if before < 0 and -before >= BULK_CACHE_KIB:
            yield
            return
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {before}")
    finally:
        cursor.close()


# A bulk insert of at least this many rows, and of more rows than the table holds, defers the
# table's secondary indexes: one sorted build of each afterwards is cheaper than updating them
# row by row (100,000 parcels into an empty ledger: 0.95 -> 0.42 s of inserts + 0.28 s builds).
DEFER_INDEXES_MIN_ROWS = 10_000


@contextmanager
def deferred_indexes(
    session: Session, table: Any, rows: int, *, keep: Collection[str] = ()
) -> Iterator[list[str]]:
    """On SQLite, when ``rows`` new rows are at least :data:`DEFER_INDEXES_MIN_ROWS` and more
    than ``table`` holds: drop its secondary indexes (not the unique ones, nor an index of
    ``keep``'s columns only — a column the caller looks rows up by while inserting) and create
    them again, as they were, when the block ends normally. Yields the names of the indexes
    deferred. It runs inside the session's transaction: when the block raises, the indexes
    are left to the rollback the caller makes, which restores them with the table."""
    core = _table(table)
    connection = session.connection()
    if connection.dialect.name != "sqlite" or rows < DEFER_INDEXES_MIN_ROWS:
        yield []
        return
    target = connection.dialect.identifier_preparer.format_table(core)
    quote = connection.dialect.identifier_preparer.quote_identifier
    held = connection.exec_driver_sql(f"SELECT count(*) FROM {target}").scalar_one()
    if rows <= held:
        yield []
        return
    unique: dict[str, int] = dict(
        connection.exec_driver_sql("SELECT name, [unique] FROM pragma_index_list(?)", (core.name,)).all()
    )
    deferred: list[tuple[str, str]] = []
    listed = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (core.name,),
    ).all()
    for name, sql in listed:
        columns = connection.exec_driver_sql("SELECT name FROM pragma_index_info(?)", (name,)).scalars().all()
        if unique[name] or set(columns) <= set(keep):
            continue
        deferred.append((name, sql))
    for name, _ in deferred:
        connection.exec_driver_sql(f"DROP INDEX {quote(name)}")
    yield [name for name, _ in deferred]
    for _, sql in deferred:
        connection.exec_driver_sql(sql)


def reserve_ids(connection: Connection, table: Any, count: int) -> list[int]:
    """Ids for ``count`` new rows of ``table`` (ascending), never used before."""
    core = _table(table)
    if count == 0:
        return []
    if connection.dialect.name == "sqlite":
        # AUTOINCREMENT: a new id is above the largest id ever used, which sqlite_sequence
        # remembers (a deleted last row's id is not handed out again).
        target = connection.dialect.identifier_preparer.format_table(core)
        row = connection.exec_driver_sql(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
            f"coalesce((SELECT max(id) FROM {target}), 0))",
            (core.name,),
        ).one()
        first = int(row[0]) + 1
        return list(range(first, first + count))
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": core.name, "n": count},
        )
        return sorted(int(r[0]) for r in rows)
    raise NotImplementedError(f"bulk insert on {connection.dialect.name}")


def insert_columns(
    session: Session,
    table: Any,
    columns: Mapping[str, Sequence[Any]],
    count: int,
) -> None:
    """Insert ``count`` rows given column by column (each sequence ``count`` long, Python
    values as the model holds them) into ``table`` on the session's connection. ``None`` is
    NULL; a column that is ``None`` on every row and has no default is left out."""
    if count == 0:
        return
    core = _table(table)
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"bulk insert on {dialect.name}")
    names: list[str] = []
    data: list[Sequence[Any]] = []
    for name, values in columns.items():
        if len(values) != count:
            raise ValueError(f"column {name}: {len(values)} values for {count} rows")
        column = core.c[name]
        if (
            column.default is None
            and column.server_default is None
            and values.count(None) == count
        ):
            continue  # NULL either way
        process: Callable[[Any], Any] | None = column.type._cached_bind_processor(dialect)
        if process is not None:
            values = _processed(process, values)
        names.append(name)
        data.append(values)
    assert names, "a row has at least its id"
    driver: Any = connection.connection.driver_connection
    quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    target = dialect.identifier_preparer.format_table(core)
    rows = zip(*data, strict=True)
    if dialect.name == "sqlite":
        statement = f"INSERT INTO {target} ({quoted}) VALUES ({', '.join('?' * len(names))})"
        with _as_sqlalchemy_error(dialect, statement):
            cursor = driver.cursor()
            try:
                cursor.executemany(statement, rows)
            finally:
                cursor.close()
    elif _row_security_active(driver, target):
        # A clerk's login on a city server (issue 14): PostgreSQL refuses COPY FROM where
        # row-level security applies; psycopg sends the INSERTs in one pipeline.
        statement = f"INSERT INTO {target} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"
        with _as_sqlalchemy_error(dialect, statement), driver.cursor() as cursor:
            cursor.executemany(statement, list(rows))
    else:
        statement = f"COPY {target} ({quoted}) FROM STDIN"
        with (
            _as_sqlalchemy_error(dialect, statement),
            driver.cursor() as cursor,
            cursor.copy(statement) as copy,
        ):
            for row in rows:
                copy.write_row(row)


def _row_security_active(driver: Any, target: str) -> bool:
    """Whether row-level security applies to this login on the table (PostgreSQL)."""
    with driver.cursor() as cursor:
        cursor.execute("SELECT row_security_active(%s::regclass)", (target,))
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def _as_sqlalchemy_error(dialect: Dialect, statement: str) -> Iterator[None]:
    """The driver's errors as SQLAlchemy raises them (IntegrityError, OperationalError …), so
    callers and :func:`landbank.services.errors.describe_error` see what Core would give."""
    base = dialect.loaded_dbapi.Error
    try:
        yield
    except base as exc:
        raise DBAPIError.instance(statement, None, exc, base, dialect=dialect) from exc


_NUMERIC = frozenset({bool, int, float})


def _processed(process: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """``process`` applied to each value but ``None``; once per distinct value when values
    repeat (the timestamp of a whole batch, the dates of a ledger)."""
    if set(map(type, values)) & _NUMERIC:  # True == 1 == 1.0: no sharing
        return [None if v is None else process(v) for v in values]
    distinct = set(values)
    if len(distinct) * 2 > len(values):
        return [None if v is None else process(v) for v in values]
    done = {v: None if v is None else process(v) for v in distinct}
    return list(map(done.__getitem__, values))
