"""Open a database: migrate it to this landbank's schema, safely.

SQLite (one PC, the clerk's own file) is brought to this landbank's schema on open:

- A new (empty) database is created at the newest revision.
- An older landbank database is backed up first (SQLite: a checked copy of kind 升级前 in the
  backup folder 备份/ beside it, see :mod:`landbank.store.backup`), then upgraded.
- A database written by a newer landbank (a revision this version does not know) is refused.
- A database that holds other tables but no landbank schema is refused.

PostgreSQL (a city's shared server) is never changed by a clerk's app: :func:`open_database`
reads its revision and opens it only at this landbank's head. An empty database, one at an
older revision and one at a newer revision are refused with a Chinese message naming both
versions and who can act (:func:`check_schema`); the city administrator's
``landbank server upgrade`` backs it up and then calls :func:`migrate_to_head`. Tests and
benchmarks create their PostgreSQL databases with ``open_database(url, upgrade=True)``;
``landbank demo`` creates the schema in an empty database (``create=True``), never upgrades.

Alembic (~0.2 s to import) is imported only when a database is not at the newest revision:
opening one that is reads its revision with one query and compares it with the head revision
read from the version scripts' own ``revision``/``down_revision`` lines (:func:`script_head`,
checked against Alembic's by the tests).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from landbank.domain.backups import BackupKind
from landbank.store.engine import (
    DatabaseError,
    describe_url,
    for_writing,
    is_database_busy,
    is_database_readonly,
    make_engine,
    sqlite_path,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
PG_LOCK_TIMEOUT = "15s"  # how long a PostgreSQL migration waits for a table another holds
# ``revision: str = "0004"`` / ``down_revision = None`` as script.py.mako writes them.
_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:(['"])([^'"\n]+)\2|(None))\s*(?:#.*)?$""",
    re.MULTILINE,
)


class DatabaseTooNewError(DatabaseError):
    pass


class DatabaseTooOldError(DatabaseError):
    """A shared (PostgreSQL) database at an older revision: only ``server upgrade`` moves it."""


class DatabaseNotSetUpError(DatabaseError):
    """A shared (PostgreSQL) database without landbank's tables: the server is not set up."""


# The command that sets up an empty city server (see landbank.cli.server_upgrade).
SETUP_COMMAND = "landbank server init"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path) -> Path:
    """The checked pre-upgrade backup of a live SQLite ledger (WAL included), made with SQLite's
    backup API in the ledger's backup folder and rotated with its other backups
    (:mod:`landbank.store.backup`)."""
    from landbank.store.backup import make_backup

    return make_backup(path, BackupKind.UPGRADE)


def script_revisions() -> set[str]:
    """Every revision the version scripts declare (read without importing Alembic): the schema
    versions this landbank knows."""
    found: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for match in _REVISION_LINE.findall(path.read_text("utf-8")):
            if match[0] == "revision" and match[2]:
                found.add(match[2])
    return found


def script_head() -> str | None:
    """The head revision as the version scripts declare it, read without importing Alembic.

    ``None`` when the scripts do not say it plainly (a script without both lines as plain
    string literals, a merge, several heads or none, no ``.py`` scripts): Alembic decides then.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        if path.name == "__init__.py":
            continue
        found = {m[0]: m[2] or None for m in _REVISION_LINE.findall(path.read_text("utf-8"))}
        revision = found.get("revision")
        if revision is None or "down_revision" not in found:
            return None
        revisions.add(revision)
        if (parent := found["down_revision"]) is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def stored_revision(engine: Engine) -> str | None:
    """The revision the database records (one plain query; ``None`` when it records none)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def upgrade_database(engine: Engine) -> Path | None:
    """Bring the schema to head. Returns the backup file made before upgrading, if any."""
    head = script_head()
    if head is not None and stored_revision(engine) == head:
        return None  # the everyday case, without Alembic
    return _upgrade_with_alembic(engine)


def _upgrade_with_alembic(engine: Engine) -> Path | None:
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    current = current_revision(engine)
    url = engine.url.render_as_string(hide_password=False)
    if current is not None and current not in known:
        raise DatabaseTooNewError(
            f"数据库 {describe_url(url)} 由更新版本的 landbank 创建（架构版本 {current}），"
            "本程序无法打开。请升级 landbank 后再试。"
        )
    if current == head:
        return None
    if current is None:
        existing = set(inspect(engine).get_table_names())
        if existing:
            raise DatabaseError(
                f"{describe_url(url)} 不是 landbank 数据库（含有其他数据表：{'、'.join(sorted(existing)[:5])}）"
            )
    backup = None
    path = sqlite_path(url)
    if current is not None and path is not None and path.exists():
        backup = backup_sqlite(path)
    # A write transaction: a second program opening the same old file waits for this one.
    with for_writing(engine).connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild tables; with foreign keys on, that fails on parents.
            # The pragma is ignored inside a transaction: set it on the driver connection
            # (autocommit, see engine.py) before SQLAlchemy begins one.
            _driver_execute(conn, "PRAGMA foreign_keys=OFF")
        else:
            # A clerk's transaction left open holds its tables: waiting on it for ever would
            # also queue every other clerk's query behind the migration's lock.
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{PG_LOCK_TIMEOUT}'")
        try:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            _record_version(conn)
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                _driver_execute(conn, "PRAGMA foreign_keys=ON")
    return backup


def app_version() -> str:
    import landbank

    return str(landbank.__version__)


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def _upgraded_by(conn: Connection) -> str | None:
    """The landbank that last migrated a PostgreSQL database (the comment on alembic_version
    that :func:`_record_version` writes), if any."""
    found = conn.execute(
        text("SELECT obj_description(to_regclass(:t), 'pg_class')"), {"t": VERSION_TABLE}
    ).scalar()
    return str(found) if found else None


def _record_version(conn: Connection) -> None:
    """Name this landbank on the migrated PostgreSQL schema, for an older app's message."""
    if conn.dialect.name == "postgresql":
        version = app_version().replace("'", "")
        conn.exec_driver_sql(f"COMMENT ON TABLE {VERSION_TABLE} IS 'landbank {version}'")


def server_url(url: str) -> str:
    """``url`` as an administrator types it after ``--db``: no driver, no password."""
    parsed = make_url(url)
    return parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)


def check_schema(engine: Engine) -> str:
    """The revision of a database this landbank may open without changing it; refused with a
    Chinese message (:class:`DatabaseNotSetUpError`, :class:`DatabaseTooOldError`,
    :class:`DatabaseTooNewError`, :class:`DatabaseError`) otherwise. One query at head."""
    head = script_head() or head_revision()
    url = engine.url.render_as_string(hide_password=False)
    where = admin = server_url(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if VERSION_TABLE not in tables:
            if tables:
                raise DatabaseError(
                    f"{where} 不是 landbank 数据库（含有其他数据表：{'、'.join(sorted(tables)[:5])}）"
                )
            raise DatabaseNotSetUpError(
                f"数据库 {where} 还没有 landbank 的数据表：市级服务器须先由管理员运行 "
                f"{SETUP_COMMAND} --db {admin} 建立，之后各县区才能连接。本程序没有改动它。"
            )
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        current = rows[0] if len(rows) == 1 else None
        if current == head:
            return head
        upgraded_by = _upgraded_by(conn) if conn.dialect.name == "postgresql" else None
    mine = f"本程序（landbank {app_version()}）"
    if current is None:
        raise DatabaseError(f"数据库 {where} 没有记录结构版本（alembic_version 为空或有多行），无法打开。")
    if current in script_revisions():
        raise DatabaseTooOldError(
            f"数据库 {where} 的结构为 {current}，{mine}需要 {head}：请由市级管理员运行 "
            f"landbank server upgrade --db {admin} 升级数据库（升级前会先备份）。"
            "本程序没有改动它；升级后各县区即可照常使用。"
        )
    newer = f"（由 {upgraded_by} 升级）" if upgraded_by else ""
    wanted = upgraded_by or "支持该结构的版本"
    raise DatabaseTooNewError(
        f"数据库 {where} 的结构为 {current}{newer}，由更新版本的 landbank 升级过，"
        f"{mine}只支持到结构 {head}：请升级本程序到 {wanted} 或更新的版本。本程序没有改动它。"
    )


def _driver_execute(conn: Connection, sql: str) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(sql)


def open_database(url: str, *, upgrade: bool = False, create: bool = False) -> Engine:
    """Engine for ``url`` with the schema at this version's head (see module doc).

    SQLite is always brought to head (backed up first). PostgreSQL only with ``upgrade``
    (created or migrated; no backup: ``server upgrade`` makes one first) or, for an empty
    database, with ``create``; otherwise it must be at head already (:func:`check_schema`)."""
    engine = make_engine(url)
    try:
        if upgrade or engine.dialect.name == "sqlite" or (create and _is_empty(engine)):
            upgrade_database(engine)
        else:
            check_schema(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except DBAPIError as exc:  # unreachable server, wrong password, locked or corrupt file
        engine.dispose()
        raise DatabaseError(explain_operational_error(url, exc)) from exc
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"无法打开数据库 {describe_url(url)}：{exc}") from exc
    return engine


def explain_operational_error(url: str, exc: DBAPIError) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
        return (
            f"无法连接 PostgreSQL 数据库 {where}：请确认服务器已启动，地址、端口、数据库名、"
            f"用户名和密码无误。（{detail}）"
        )
    if is_database_readonly(exc):
        return (
            f"无法打开数据库 {describe_url(url)}：台账文件或它所在的文件夹是只读的"
            "（landbank 需要在台账旁边写入 -wal 和 -shm 两个临时文件）。"
            "请检查文件和文件夹的权限，或把台账复制到可以写入的文件夹。"
        )
    if is_database_busy(exc):
        return f"无法打开数据库 {describe_url(url)}：其他程序正在写入（如正在升级或恢复），请稍后再试。"
    return f"无法打开数据库 {describe_url(url)}：文件已损坏、不是数据库，或正被其他程序锁定。（{detail}）"
