"""Open a database: migrate it to this landbank's schema, safely.

- A new (empty) database is created at the newest revision.
- An older landbank database is backed up first (SQLite: a checked copy of kind 升级前 in the
  backup folder 备份/ beside it, see :mod:`landbank.store.backup`), then upgraded.
- A database written by a newer landbank (a revision this version does not know) is refused.
- A database that holds other tables but no landbank schema is refused.

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
# ``revision: str = "0004"`` / ``down_revision = None`` as script.py.mako writes them.
_REVISION_LINE = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:(['"])([^'"\n]+)\2|(None))\s*(?:#.*)?$""",
    re.MULTILINE,
)


class DatabaseTooNewError(DatabaseError):
    pass


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
        try:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                _driver_execute(conn, "PRAGMA foreign_keys=ON")
    return backup


def _driver_execute(conn: Connection, sql: str) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(sql)


def open_database(url: str) -> Engine:
    """Engine for ``url`` with the schema at this version's head (see module doc)."""
    engine = make_engine(url)
    try:
        upgrade_database(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except DBAPIError as exc:  # unreachable server, wrong password, locked or corrupt file
        engine.dispose()
        raise DatabaseError(_explain_operational_error(url, exc)) from exc
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"无法打开数据库 {describe_url(url)}：{exc}") from exc
    return engine


def _explain_operational_error(url: str, exc: DBAPIError) -> str:
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
