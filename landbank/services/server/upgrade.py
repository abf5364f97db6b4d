"""``landbank server upgrade`` and ``server restore``: the only way a city's shared PostgreSQL
schema changes (issue 14 item 6; a clerk's app refuses a schema other than its own, see
:func:`landbank.store.migrate.check_schema`).

:func:`upgrade_server`: the database's revision is read; one newer than this landbank is
refused; one at head is left alone; otherwise it is backed up first
(:func:`landbank.store.pg_backup.write_backup`: pg_dump when it fits the server, else COPY of
every table; one checked file) and only then migrated by ``server init``'s
:func:`~landbank.services.server.setup.init_server`, which migrates as the owner and gives
any table a migration adds its rights — all migrations in one transaction (PostgreSQL's DDL
is transactional: a failed step leaves the old schema). An empty database is set up the same
way (nothing to back up).

:func:`restore_server`: :mod:`landbank.store.pg_restore`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text

from landbank.services.backup.leftovers import note_output_folder
from landbank.store.engine import DatabaseError, make_engine
from landbank.store.pg_backup import (
    SUFFIX,
    BackupResult,
    PgBackupError,
    RestoreResult,
    write_backup,
)
from landbank.store.pg_restore import RestorePlan, plan_restore, restore_backup


class UpgradeError(DatabaseError):
    """An upgrade refused or failed; ``str()`` says why in Chinese. The schema is unchanged."""


@dataclass(frozen=True)
class UpgradeReport:
    database: str
    before: str | None  # None: an empty database, created
    after: str
    backup: BackupResult | None
    seconds: float

    @property
    def changed(self) -> bool:
        return self.before != self.after


def postgres_url(url: str) -> str:
    """``url`` with the psycopg driver; refuses anything but a PostgreSQL address with a
    database name (bad input: :class:`UpgradeError`)."""
    from sqlalchemy.engine import make_url

    if not url.strip().lower().startswith("postgres"):
        raise UpgradeError(
            f"服务器命令只用于 PostgreSQL：“{url}”不是 postgresql:// 地址"
            "（单机 SQLite 台账打开时会先备份再自动升级，不需要这个命令）"
        )
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise UpgradeError(f"“{url}”不是有效的数据库地址（应为 postgresql://用户@主机/库名）") from exc
    if parsed.drivername not in ("postgresql", "postgresql+psycopg"):
        raise UpgradeError(
            f"服务器命令只用于 PostgreSQL：“{url}”不是 postgresql:// 地址"
            "（单机 SQLite 台账打开时会先备份再自动升级，不需要这个命令）"
        )
    if not parsed.database:
        raise UpgradeError(f"地址“{url}”没有给出数据库名（postgresql://用户@主机/库名）")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def default_backup_path(
    folder: Path, database: str, revision: str, now: datetime | None = None, *, kind: str = "升级前"
) -> Path:
    """``<库名>-结构<revision>[-升级前]-<YYYYMMDD-HHMMSS>.landbank-pg.zip`` in ``folder``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    middle = f"-{kind}" if kind else ""
    return folder / f"{database}-结构{revision}{middle}-{stamp}{SUFFIX}"


def backup_server(url: str, target: Path | None = None, *, method: str = "auto") -> BackupResult:
    """A backup of the database at ``url`` (``server backup``), by default in the current
    folder; refused for a database without landbank's tables."""
    from landbank.store.migrate import server_url

    engine = make_engine(postgres_url(url))
    try:
        revision, has_tables = schema_state(engine)
        if revision is None:
            what = "含有其他数据表，不是 landbank 数据库" if has_tables else "还没有 landbank 的数据表"
            raise UpgradeError(f"数据库 {server_url(url)} {what}，没有可备份的内容。")
        target = target or default_backup_path(Path.cwd(), str(engine.url.database), revision, kind="")
        note_output_folder(target.parent)  # a backup killed midway is tidied at the next start
        return write_backup(engine, target, method=method)
    except PgBackupError as exc:
        raise UpgradeError(f"备份失败：{exc}") from exc
    finally:
        engine.dispose()


def schema_state(engine: Engine) -> tuple[str | None, bool]:
    """(the revision the database records, whether it has any table at all)."""
    from sqlalchemy import inspect

    from landbank.store.migrate import stored_revision

    with engine.connect() as conn:
        has_tables = bool(inspect(conn).get_table_names())
    return stored_revision(engine), has_tables


def other_sessions(engine: Engine) -> list[str]:
    """Who else is connected to the database (``login@address``, one per connection): an
    upgrade waits for their transactions to end."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT usename, client_addr FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )).all()
    return [f"{user}@{addr or '本机'}" for user, addr in rows]


def upgrade_server(url: str, backup: Path | None = None, *, method: str = "auto") -> UpgradeReport:
    """Back the database at ``url`` up, then migrate it to this landbank's head (module doc).
    ``backup``: the file to write (default: :func:`default_backup_path` in the current folder)."""
    from landbank.store.migrate import app_version, head_revision, script_revisions, server_url

    started = time.perf_counter()
    url = postgres_url(url)
    engine = make_engine(url)
    try:
        where = server_url(url)
        database = str(engine.url.database)
        head = head_revision()
        before, has_tables = schema_state(engine)
        if before is None and has_tables:
            raise UpgradeError(f"{where} 不是 landbank 数据库（含有其他数据表，没有 landbank 的结构版本），未作改动。")
        if before is not None and before not in script_revisions():
            raise UpgradeError(
                f"数据库 {where} 的结构为 {before}，比本程序（landbank {app_version()}，结构 {head}）更新："
                "请用更新版本的 landbank 运行升级。未作改动。"
            )
        if before == head:
            return UpgradeReport(database, before, head, None, time.perf_counter() - started)
        made = None
        if before is not None:
            target = backup or default_backup_path(Path.cwd(), database, before)
            if target.exists():
                raise UpgradeError(f"备份文件已存在：{target}（请另选文件名，未作改动）")
            note_output_folder(target.parent)
            made = write_backup(engine, target, method=method)
        _migrate(url)
        after, _ = schema_state(engine)
    except PgBackupError as exc:
        raise UpgradeError(f"备份失败，没有升级：{exc}") from exc
    finally:
        engine.dispose()
    return UpgradeReport(database, before, after or head, made, time.perf_counter() - started)


@contextmanager
def _lock_timeout() -> Iterator[None]:
    """Every statement of the upgrade waits at most PG_LOCK_TIMEOUT for a table a clerk's open
    transaction holds (libpq's PGOPTIONS, read by each connection ``server init`` opens; the
    migration's own transaction sets it too): otherwise the waiting ALTER would queue every
    other clerk's query behind it, for as long as that transaction stays open."""
    from landbank.store.migrate import PG_LOCK_TIMEOUT

    before = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = f"{before or ''} -c lock_timeout={PG_LOCK_TIMEOUT}".strip()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PGOPTIONS", None)
        else:
            os.environ["PGOPTIONS"] = before


def _migrate(url: str) -> None:
    """All migrations in one transaction (a failure leaves the old schema), through ``server
    init`` (:func:`~landbank.services.server.setup.init_server`): as the owner, with rights
    for any table a migration adds."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    from landbank.services.server.setup import ServerError, init_server
    from landbank.store.pg_backup import first_line

    try:
        with _lock_timeout():
            init_server(url)
    except (DBAPIError, psycopg.Error) as exc:  # server init's own connection: psycopg's errors
        detail = first_line(exc)
        raise UpgradeError(
            f"升级失败，数据库保持原来的结构（备份已做好）：{detail}。"
            "如果是等待锁超时（lock timeout），说明有县区的 landbank 正占用数据表：请让各县区先退出 landbank 再试。"
        ) from exc
    except (ServerError, DatabaseError) as exc:
        raise UpgradeError(f"升级失败，数据库保持原来的结构（备份已做好）：{exc}") from exc


def restore_plan(url: str, source: Path) -> RestorePlan:
    engine = make_engine(postgres_url(url))
    try:
        return plan_restore(engine, source)
    finally:
        engine.dispose()


def restore_server(url: str, source: Path) -> RestoreResult:
    """Restore ``source`` into the database at ``url`` (:func:`restore_backup`)."""
    from landbank.services.server.policies import CREATE_USER_TABLE, USER_TABLE

    engine = make_engine(postgres_url(url))
    try:
        return restore_backup(engine, source, extra_tables={USER_TABLE: CREATE_USER_TABLE})
    finally:
        engine.dispose()
