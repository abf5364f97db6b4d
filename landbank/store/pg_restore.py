"""Restore a city database backup (:mod:`landbank.store.pg_backup`) into PostgreSQL.

Only into an EMPTY database (the schema is created at the backup's revision) or one at the
SAME revision (its rows are replaced); all-or-nothing in one transaction; every table's
checksum and row count checked before the commit (a pg_dump backup: ``pg_restore
--single-transaction``, the counts compared afterwards). See :func:`plan_restore` for what is
refused and why.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError

from landbank.store.pg_backup import (
    CHUNK,
    DUMP_ENTRY,
    VERSION_TABLE,
    PgBackupError,
    RestoreResult,
    _Manifest,
    _quoted,
    first_line,
    libpq_conninfo,
    read_manifest,
)


@dataclass(frozen=True)
class RestorePlan:
    method: str  # "copy" or "pg_dump"
    revision: str
    replaces: dict[str, int]  # the rows the database holds now, by table (empty: a new one)
    manifest: _Manifest | None  # None: a bare pg_dump file


def _rows_now(conn: Connection, tables: set[str]) -> dict[str, int]:
    return {
        t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {_quoted(t)}").scalar_one())
        for t in sorted(tables)
        if t != VERSION_TABLE
    }


def _dump_revision(dump: Path) -> str:
    """The revision a pg_dump file holds, read with pg_restore (its alembic_version data)."""
    tool = shutil.which("pg_restore")
    if tool is None:
        raise PgBackupError("这是 pg_dump 备份，恢复需要 pg_restore：请安装 PostgreSQL 客户端工具后再试。")
    done = subprocess.run(
        [tool, "--data-only", f"--table={VERSION_TABLE}", "--file=-", str(dump)],
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise PgBackupError(f"pg_restore 读不了 {dump.name}：{done.stderr.strip()[-400:]}")
    lines = done.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"COPY public.{VERSION_TABLE} ") and i + 1 < len(lines):
            return lines[i + 1].strip()
    raise PgBackupError(f"{dump.name} 中没有 landbank 的结构版本（alembic_version），不是 landbank 数据库的备份。")


def plan_restore(engine: Engine, source: Path) -> RestorePlan:
    """What restoring ``source`` into the database would do; refused (:class:`PgBackupError`,
    naming why) unless the database is empty or at the backup's revision."""
    from landbank.store.migrate import script_revisions, server_url

    source = Path(source)
    if not source.is_file():
        raise PgBackupError(f"备份文件不存在：{source}")
    manifest = read_manifest(source)
    if manifest is None:
        method, revision = "pg_dump", _dump_revision(source)
    else:
        method, revision = manifest.method, manifest.revision
        if method == "copy" and revision not in script_revisions():
            raise PgBackupError(
                f"备份的结构为 {revision}，由更新版本的 landbank（{manifest.data.get('landbank')}）制作，"
                "本程序无法重建该结构：请用制作备份的版本或更新的版本恢复。"
            )
    where = server_url(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if not tables:
            return RestorePlan(method, revision, {}, manifest)
        if VERSION_TABLE not in tables:
            raise PgBackupError(
                f"数据库 {where} 含有其他数据表（{'、'.join(sorted(tables)[:5])}），不是 landbank 数据库："
                "只能恢复到空数据库或结构相同的 landbank 数据库。"
            )
        current = conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()
        if current != revision:
            raise PgBackupError(
                f"数据库 {where} 的结构为 {current}，备份的结构为 {revision}：只能恢复到空数据库或结构相同的数据库。"
                "请新建一个空数据库（如 createdb），恢复到那里；需要时再运行 landbank server upgrade。"
            )
        return RestorePlan(method, revision, _rows_now(conn, tables), manifest)


def restore_backup(
    engine: Engine, source: Path, *, extra_tables: Mapping[str, str] | None = None
) -> RestoreResult:
    """Restore ``source`` into the database (see :func:`plan_restore` and the module doc).

    ``extra_tables``: the CREATE TABLE statement of each table the backup may hold that no
    migration makes (``server init``'s accounts table), run when restoring into an empty
    database; a table of the backup that is neither is refused before anything is written."""
    started = time.perf_counter()
    plan = plan_restore(engine, source)
    if plan.method == "copy":
        assert plan.manifest is not None
        try:
            rows = _restore_copy(engine, Path(source), plan, extra_tables or {})
        except (DBAPIError, psycopg.Error) as exc:  # COPY runs on the driver: psycopg's own errors
            if isinstance(exc, OperationalError) and exc.connection_invalidated:
                raise
            raise PgBackupError(f"恢复失败，已撤销，未作任何改动：{first_line(exc)}") from exc
        checked = True
    else:
        rows, checked = _restore_dump(engine, Path(source), plan)
    return RestoreResult(plan.method, plan.revision, rows, bool(plan.replaces), time.perf_counter() - started, checked)


def _replica_role(conn: Connection) -> None:
    """Triggers (foreign keys, an audit's stamps) off while rows are copied back, as
    pg_restore --disable-triggers does, when the login may (a superuser); otherwise tables
    are filled in foreign-key order with the checks on."""
    nested = conn.begin_nested()
    try:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        nested.commit()
    except Exception:
        nested.rollback()


def _restore_copy(
    engine: Engine, source: Path, plan: RestorePlan, extra_tables: Mapping[str, str]
) -> dict[str, int]:
    from landbank.store.migrate import alembic_config

    assert plan.manifest is not None
    tables = plan.manifest.tables
    with zipfile.ZipFile(source) as zf, engine.connect() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '15s'")
        _replica_role(conn)
        if plan.replaces:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(_quoted(t) for t in plan.replaces)}")
        else:
            from alembic import command

            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, plan.revision)
        present = set(inspect(conn).get_table_names())
        for name in tables:
            if name in present:
                continue
            if name not in extra_tables:
                raise PgBackupError(
                    f"备份中的数据表 {name} 不属于结构 {plan.revision}，本程序不知道如何重建它，未作任何改动。"
                )
            conn.exec_driver_sql(extra_tables[name])
        for name, info in tables.items():
            if name == VERSION_TABLE:
                continue
            _copy_in(conn, zf, name, info["columns"], info["sha256"])
        for key, (last, called) in plan.manifest.data.get("sequences", {}).items():
            table, column = key.split(".", 1)
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, :c), :v, :called)"),
                {"t": _quoted(table), "c": column, "v": last, "called": called},
            )
        rows = _check_counts(conn, plan.manifest)
        conn.commit()
    return rows


def _copy_in(conn: Connection, zf: zipfile.ZipFile, table: str, columns: list[str], sha256: str) -> None:
    digest = hashlib.sha256()
    cols = ", ".join(_quoted(c) for c in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        entry = zf.open(f"data/{table}.csv")
    except KeyError as exc:
        raise PgBackupError(f"备份文件缺少数据表 {table} 的数据，未作任何改动。") from exc
    with entry, cursor.copy(f"COPY {_quoted(table)} ({cols}) FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
        while chunk := entry.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    if digest.hexdigest() != sha256:
        raise PgBackupError(f"备份文件中数据表 {table} 的校验和不符（文件已损坏或被改动），未作任何改动。")


def _check_counts(conn: Connection, manifest: _Manifest) -> dict[str, int]:
    rows: dict[str, int] = {}
    for name, info in manifest.tables.items():
        found = int(conn.exec_driver_sql(f"SELECT count(*) FROM {_quoted(name)}").scalar_one())
        if found != int(info["rows"]):
            raise PgBackupError(
                f"恢复后数据表 {name} 有 {found} 行，备份中为 {info['rows']} 行：已撤销，未作任何改动。"
            )
        rows[name] = found
    return rows


@contextmanager
def _dump_file(source: Path, manifest: _Manifest | None) -> Iterator[Path]:
    if manifest is None:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="landbank-pgrestore-") as tmp, zipfile.ZipFile(source) as zf:
        dump = Path(tmp) / DUMP_ENTRY
        digest = hashlib.sha256()
        with zf.open(DUMP_ENTRY) as entry, open(dump, "wb") as out:
            while chunk := entry.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != manifest.data["dump"]["sha256"]:
            raise PgBackupError("备份文件中 pg_dump 数据的校验和不符（文件已损坏或被改动），未作任何改动。")
        yield dump


def _restore_dump(engine: Engine, source: Path, plan: RestorePlan) -> tuple[dict[str, int], bool]:
    tool = shutil.which("pg_restore")
    if tool is None:
        raise PgBackupError("这是 pg_dump 备份，恢复需要 pg_restore：请安装 PostgreSQL 客户端工具后再试。")
    conninfo, env = libpq_conninfo(engine.url.render_as_string(hide_password=False))
    args = [tool, "--single-transaction", "--exit-on-error", f"--dbname={conninfo}"]
    if plan.replaces:
        args += ["--clean", "--if-exists"]
    with _dump_file(source, plan.manifest) as dump:
        done = subprocess.run([*args, str(dump)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        hint = (
            "数据库中有备份里没有的对象（如 server init 建立的账户表），无法用 pg_dump 备份替换："
            "请恢复到一个空数据库。"
            if plan.replaces and "depend" in done.stderr
            else ""
        )
        raise PgBackupError(f"pg_restore 失败，已撤销，未作任何改动。{hint}（{done.stderr.strip()[-400:]}）")
    with engine.connect() as conn:
        if plan.manifest is None:
            return _rows_now(conn, set(inspect(conn).get_table_names())), False
        try:
            return _check_counts(conn, plan.manifest), True
        except PgBackupError as exc:  # pg_restore has committed: say so plainly
            raise PgBackupError(str(exc).replace("已撤销，未作任何改动", "请核对，必要时重新恢复")) from exc
