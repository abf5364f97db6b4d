"""Engine and sessions for SQLite (the embedded default) and PostgreSQL (shared, many clerks).

``database_url()`` turns what a user gives (nothing, a file path, ``postgresql://…``) into a
SQLAlchemy URL; ``make_engine()`` sets SQLite up with WAL and foreign keys on.

Reading and writing are asked for by name: :func:`read_session` for what only reads (tables,
reports, matching), :func:`write_session` (or :func:`for_writing` for an ``engine.begin()``)
for every transaction that may change the database. On SQLite a write transaction begins with
``BEGIN IMMEDIATE``: it takes the one write lock up front, waiting for it up to the busy
timeout while another clerk writes (asking again every few milliseconds, so writers take turns:
:data:`MAX_LOCK_POLL_S`). A transaction begun with a plain (deferred) ``BEGIN`` that
reads and then writes could not wait: SQLite refuses its lock upgrade at once (waiting could
deadlock two such transactions), with ``SQLITE_BUSY``, or ``SQLITE_BUSY_SNAPSHOT`` when anyone
committed since its read. Readers never take the lock (WAL): a clerk's table never waits for
another's save. On PostgreSQL both are plain transactions (row locks wait there already).

SQLAlchemy is imported by the functions that use it: the command line catches
:class:`DatabaseError` and resolves ``--db`` before it knows whether a command needs a database.
"""

from __future__ import annotations

import os
import random
import re
import time
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
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
    then the default file in the user's data folder. ``db`` given but empty is refused (it
    would otherwise quietly mean the default ledger)."""
    if db is not None and not db.strip():
        raise DatabaseError("数据库不能为空：请给出 SQLite 数据库文件的路径或 postgresql:// 地址")
    chosen = (
        db or os.environ.get("LANDBANK_DATABASE_URL") or (settings.database if settings else "")
    )
    if not chosen:
        chosen = str(default_database_path())
    if chosen.startswith(("postgresql://", "postgres://")):
        chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
    if "://" in chosen:  # already a SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…)
        return _supported(chosen)
    if "\0" in chosen:
        raise DatabaseError(f"数据库文件名“{chosen!r}”含有不能用于文件名的字符")
    return "sqlite:///" + str(Path(chosen).expanduser().resolve())


SUPPORTED_DATABASES = "SQLite 数据库文件（路径或 sqlite:///路径）或 PostgreSQL（postgresql://用户@主机/库名）"
_SUPPORTED_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")


def _supported(url: str) -> str:
    """A URL of a database landbank works with (SQLite through the standard library's driver,
    PostgreSQL through psycopg 3); any other is refused naming the kinds it supports — never
    left to SQLAlchemy, which would fail looking for a driver (``ModuleNotFoundError``)."""
    scheme = url.split("://", 1)[0].strip().lower()
    if scheme not in _SUPPORTED_SCHEMES:
        raise DatabaseError(
            f"不支持的数据库地址“{_shown(url)}”："
            f"landbank 只支持 {SUPPORTED_DATABASES}"
        )
    if not _parses(url):
        raise DatabaseError(f"数据库地址“{_shown(url)}”的格式不对（应如 postgresql://用户@主机/库名）")
    return url


def _shown(url: str) -> str:
    """The URL for a message, a password in it hidden (also when the URL does not parse)."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _parses(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):
        return False
    return True


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


SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_BUSY_SNAPSHOT = 517  # SQLITE_BUSY | (2 << 8)

BUSY_TIMEOUT_ENV = "LANDBANK_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_S = 5.0
MAX_BUSY_TIMEOUT_S = 600.0


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's write lock was not had: held by another clerk past the busy timeout
    (``database is locked``), or refused to a deferred transaction's upgrade."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (SQLITE_BUSY, SQLITE_LOCKED)  # BUSY_SNAPSHOT too
    text = str(orig).lower()
    return type(orig).__name__ == "OperationalError" and (
        "database is locked" in text or "database is busy" in text
    )


SQLITE_READONLY = 8
SQLITE_CANTOPEN = 14


def is_database_readonly(exc: BaseException) -> bool:
    """SQLite cannot write the ledger: the file is read-only, or its folder is (WAL needs
    the ``-wal`` and ``-shm`` files beside it: ``SQLITE_READONLY_DIRECTORY``)."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return bool((code & 0xFF) == SQLITE_READONLY)
    return type(orig).__name__ == "OperationalError" and "readonly database" in str(orig).lower()


def busy_timeout_s() -> float:
    """How long a SQLite write waits for another clerk's: ``LANDBANK_BUSY_TIMEOUT`` seconds
    (default 5). Raises :class:`DatabaseError` for a value that is no number of seconds."""
    given = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not given:
        return DEFAULT_BUSY_TIMEOUT_S
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_BUSY_TIMEOUT_S:  # also NaN
        raise DatabaseError(
            f"环境变量 {BUSY_TIMEOUT_ENV} 的值“{given}”无效：应为等待数据库写入的秒数，"
            f"0 到 {MAX_BUSY_TIMEOUT_S:g} 之间（默认 {DEFAULT_BUSY_TIMEOUT_S:g}）"
        )
    return seconds


def describe_url(url: str) -> str:
    """The database for display: a SQLite ledger by its file as the clerk's system writes it
    (not the URL's percent-encoding: C:\\Users\\张\\… stays readable), a server by its URL,
    password hidden."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(parsed.database)
    return parsed.render_as_string(hide_password=True)


# The execution option that says what a transaction is for (see the module doc).
ACCESS = "landbank_access"
READ = "read"
WRITE = "write"


class UnguardedWriteWarning(RuntimeWarning):
    """A statement that changes the database ran in a transaction opened for reading
    (:func:`read_session`): on SQLite it did not take the write lock up front, so another
    clerk's save refuses it at once. The tests turn it into an error (pyproject.toml)."""


_CHANGES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling emits BEGIN lazily and only before DML, so a
        # SAVEPOINT that is the first write of a session commits on RELEASE. Take control
        # instead (SQLAlchemy's documented pysqlite recipe): autocommit at the driver, BEGIN
        # on "begin".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()

    return on_connect


# How often a write transaction asks again for the lock while another holds it: from 1 ms,
# doubling to this. SQLite's own busy handler asks every 100 ms once it has waited a while, so
# a program saving in a loop takes the lock back between two of those asks and another clerk
# can wait out the whole busy timeout (four processes saving for 30 s: up to 4 s of 5).
MAX_LOCK_POLL_S = 0.008


def _sqlite_begin(busy_timeout_s: float) -> Any:
    def begin(connection: Any) -> None:
        if connection.get_execution_options().get(ACCESS) != WRITE:
            connection.exec_driver_sql("BEGIN")
            return
        driver = connection.connection.driver_connection
        deadline = time.monotonic() + busy_timeout_s
        pause = 0.001
        driver.execute("PRAGMA busy_timeout=0")  # this loop waits, asking often
        try:
            while (left := deadline - time.monotonic()) > 0:
                try:
                    driver.execute("BEGIN IMMEDIATE")
                    return
                except Exception as exc:
                    if not is_database_busy(exc):
                        break  # said once more below, as SQLAlchemy reports errors
                time.sleep(min(pause * random.uniform(0.5, 1.5), left))
                pause = min(pause * 2, MAX_LOCK_POLL_S)
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the last ask; its error is raised
        finally:
            driver.execute(f"PRAGMA busy_timeout={round(busy_timeout_s * 1000)}")

    return begin


def _writes_checked(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if connection.get_execution_options().get(ACCESS) == READ and _CHANGES.match(statement):
        warnings.warn(
            "a statement that changes the database ran in a read session; "
            f"open the transaction with write_session() / for_writing(): {statement[:80]}",
            UnguardedWriteWarning,
            stacklevel=2,
        )


def _database_folder(path: Path) -> None:
    """The SQLite file's folder must exist: only landbank's own data folder (the default
    database's) is created when missing — a mistyped ``--db`` must leave nothing behind."""
    if path.is_dir():
        raise DatabaseError(f"“{path}”是一个文件夹，不是数据库文件。请给出台账文件（如 台账.sqlite3）的路径。")
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
        timeout_ms = round(busy_timeout_s() * 1000)
        engine = create_engine(url, echo=echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(timeout_ms))
        event.listen(engine, "begin", _sqlite_begin(timeout_ms / 1000))
    else:
        engine = create_engine(url, echo=echo, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _writes_checked)
    return engine


def for_writing(engine: Engine) -> Engine:
    """The engine (same pool) whose transactions are write transactions: ``BEGIN IMMEDIATE``
    on SQLite, waiting up to the busy timeout for another clerk's write to end."""
    return engine.execution_options(**{ACCESS: WRITE})


def for_reading(engine: Engine) -> Engine:
    """The engine (same pool) whose transactions only read: never the write lock; a
    statement that writes warns (:class:`UnguardedWriteWarning`)."""
    return engine.execution_options(**{ACCESS: READ})


@contextmanager
def _scope(bind: Engine) -> Iterator[Session]:
    from sqlmodel import Session

    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def write_session(engine: Engine) -> AbstractContextManager[Session]:
    """A session for changing the ledger: its transactions take SQLite's write lock when they
    begin (see :func:`for_writing`); committed when the block ends normally, rolled back
    otherwise. A lock not had within the busy timeout raises ``OperationalError``
    (``database is locked``; :func:`is_database_busy`)."""
    return _scope(for_writing(engine))


def read_session(engine: Engine) -> AbstractContextManager[Session]:
    """A session that only reads (never waits for a writer on SQLite in WAL mode)."""
    return _scope(for_reading(engine))


def session_scope(engine: Engine) -> AbstractContextManager[Session]:
    """A session that commits when the block ends normally and rolls back otherwise, begun
    with a plain ``BEGIN`` (for scripts and tests; the application says what it means with
    :func:`read_session` or :func:`write_session`)."""
    return _scope(engine)
