"""Engine and sessions for SQLite (the embedded default) and PostgreSQL (shared, many clerks).

``database_url()`` turns what a user gives (nothing, a file path, ``postgresql://…``) into a
SQLAlchemy URL; ``make_engine()`` sets SQLite up with WAL and foreign keys on.

SQLAlchemy is imported by the functions that use it: the command line catches
:class:`DatabaseError` and resolves ``--db`` before it knows whether a command needs a database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landbank.settings import Settings, default_database_path

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session


class DatabaseError(Exception):
    """A database that cannot be opened; ``str()`` is the Chinese reason for the user."""


def database_url(db: str | None = None, settings: Settings | None = None) -> str:
    """Resolve the database: ``--db`` first, then ``LANDBANK_DATABASE_URL``, then settings,
    then the default file in the user's data folder."""
    chosen = (
        db or os.environ.get("LANDBANK_DATABASE_URL") or (settings.database if settings else "")
    )
    if not chosen:
        chosen = str(default_database_path())
    if chosen.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + chosen.split("://", 1)[1]
    if "://" in chosen:  # already a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…)
        return chosen
    return "sqlite:///" + str(Path(chosen).expanduser().resolve())


def is_sqlite(url: str) -> bool:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or ``None`` for PostgreSQL and in-memory databases."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


SQLITE_BUSY_SNAPSHOT = 517  # SQLITE_BUSY | (2 << 8)


def is_stale_snapshot(exc: BaseException) -> bool:
    """A SQLite write refused because another connection committed after this transaction
    began reading: the data this write was based on is out of date (a conflict, not a lock)."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT


def describe_url(url: str) -> str:
    """The URL for display, password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling emits BEGIN lazily and only before DML, so a
    # SAVEPOINT that is the first write of a session commits on RELEASE. Take control instead
    # (SQLAlchemy's documented pysqlite recipe): autocommit at the driver, BEGIN on "begin".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _database_folder(path: Path) -> None:
    """The SQLite file's folder must exist: only landbank's own data folder (the default
    database's) is created when missing — a mistyped ``--db`` must leave nothing behind."""
    folder = path.parent
    if folder.is_dir():
        return
    if not folder.exists() and folder.resolve() == default_database_path().parent.resolve():
        folder.mkdir(parents=True, exist_ok=True)
        return
    what = "不是文件夹" if folder.exists() else "不存在"
    raise DatabaseError(f"数据库所在的文件夹{what}：{folder}。请先创建该文件夹，或另选数据库文件的位置。")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    from sqlalchemy import event
    from sqlalchemy.pool import StaticPool
    from sqlmodel import create_engine

    if is_sqlite(url):
        path = sqlite_path(url)
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
        if path is None:
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        else:
            _database_folder(path)
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back otherwise."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
