"""Backups of a city's PostgreSQL database, and their restore (issue 14 item 6).

A backup is one zip file (``*.landbank-pg.zip``) holding ``manifest.json`` and the data, read
in ONE snapshot (a REPEATABLE READ, READ ONLY transaction: clerks keep working meanwhile):

- method ``pg_dump`` (when ``pg_dump`` is on PATH and its major version is at least the
  server's): ``database.pgdump``, pg_dump's custom format taken with ``--snapshot`` of that
  same transaction, so the manifest's row counts describe exactly what it holds;
- method ``copy`` (otherwise): ``data/<table>.csv`` for every table of the database, written
  with ``COPY … TO STDOUT (FORMAT csv, HEADER)``, tables in foreign-key order, and every
  sequence's position (ids are never reused after a restore).

The manifest names the format, the method, the schema revision, the landbank that made it,
the time, every table's columns, row count and SHA-256 (for ``copy``), and the dump's SHA-256
(for ``pg_dump``). The zip is written under a temporary name beside the target
(``.<name>.part``) and renamed only when complete.

:func:`restore_backup` reads such a file (or a bare pg_dump custom-format file through
``pg_restore``) into an EMPTY database (the schema is created at the backup's revision) or
one at the SAME revision (its rows are replaced), all-or-nothing in one transaction, checking
every checksum and row count before committing (pg_restore: ``--single-transaction``, counts
checked after). Anything else is refused with a Chinese message naming why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, MetaData, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from landbank.store.engine import DatabaseError

FORMAT = "landbank-pg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_ENTRY = "database.pgdump"
SUFFIX = ".landbank-pg.zip"
PGDMP_MAGIC = b"PGDMP"
CHUNK = 1 << 20
VERSION_TABLE = "alembic_version"


class PgBackupError(DatabaseError):
    """A backup or restore that could not be made; ``str()`` says why, in Chinese. A failed
    backup leaves no file under the target's name; a failed restore changed nothing."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    method: str  # "pg_dump" or "copy"
    revision: str
    rows: dict[str, int]
    size: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    method: str
    revision: str
    rows: dict[str, int]
    replaced: bool  # the database held this revision's schema (its rows were replaced)
    seconds: float
    checked: bool = True  # row counts compared with the manifest (a bare pg_dump has none)


@dataclass
class _Manifest:
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def revision(self) -> str:
        return str(self.data["revision"])

    @property
    def method(self) -> str:
        return str(self.data["method"])

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        tables: dict[str, dict[str, Any]] = self.data["tables"]
        return tables


# ---------------------------------------------------------------- tools


def first_line(exc: BaseException) -> str:
    """The driver's message of a database error, first line (no SQLAlchemy link)."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(exc).__name__])[0]


def libpq_conninfo(url: str) -> tuple[str, dict[str, str]]:
    """``url`` as pg_dump/pg_restore take it (no driver, no password in the arguments) and
    the environment that carries the password."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def tool_major(tool: str) -> int | None:
    """The major version of ``pg_dump``/``pg_restore`` on PATH, or ``None`` without it."""
    found = shutil.which(tool)
    if found is None:
        return None
    try:
        out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def server_major(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000


def pg_dump_fits(conn: Connection) -> bool:
    """pg_dump can dump this server: present, and not older than the server."""
    major = tool_major("pg_dump")
    return major is not None and major >= server_major(conn)


# ---------------------------------------------------------------- backup


def _ordered_tables(conn: Connection) -> MetaData:
    meta = MetaData()
    meta.reflect(conn)
    return meta


def _sequences(conn: Connection, meta: MetaData) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for table in meta.sorted_tables:
        for column in table.columns:
            seq = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": f'"{table.name}"', "c": column.name},
            ).scalar()
            if seq:
                last, called = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one()
                found[f"{table.name}.{column.name}"] = [int(last), bool(called)]
    return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        try:
            yield conn
        finally:
            conn.rollback()


def write_backup(engine: Engine, target: Path, *, method: str = "auto") -> BackupResult:
    """Back the database up into ``target`` (see module doc); ``method``: auto, pg_dump, copy."""
    import landbank

    started = time.perf_counter()
    target = Path(target)
    if not target.parent.is_dir():
        raise PgBackupError(f"备份文件所在的文件夹不存在：{target.parent}")
    # A temporary name of the form every landbank writer uses (.<stem>-xxxxxxxx.zip.part): a
    # backup killed midway is found and removed at the next start (services/backup/leftovers).
    handle, part_name = tempfile.mkstemp(
        prefix=f".{target.stem[:40]}-", suffix=f"{target.suffix}.part", dir=target.parent
    )
    os.close(handle)
    part = Path(part_name)
    try:
        with _snapshot(engine) as conn:
            if method == "auto":
                method = "pg_dump" if pg_dump_fits(conn) else "copy"
            meta = _ordered_tables(conn)
            if VERSION_TABLE not in meta.tables:
                raise PgBackupError("数据库中没有 landbank 的数据表，没有可备份的内容。")
            revision = str(conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar_one())
            rows = {
                t.name: int(conn.exec_driver_sql(f"SELECT count(*) FROM {_quoted(t.name)}").scalar_one())
                for t in meta.sorted_tables
            }
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "method": method,
                "revision": revision,
                "landbank": str(landbank.__version__),
                "database": make_url(str(engine.url)).database,
                "server_major": server_major(conn),
                "taken": datetime.now(UTC).isoformat(timespec="seconds"),
                "tables": {
                    t.name: {"columns": [c.name for c in t.columns], "rows": rows[t.name]}
                    for t in meta.sorted_tables
                },
            }
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                if method == "pg_dump":
                    manifest["dump"] = _dump_into(conn, zf, engine)
                elif method == "copy":
                    manifest["sequences"] = _sequences(conn, meta)
                    for table in meta.sorted_tables:
                        manifest["tables"][table.name]["sha256"] = _copy_out(conn, zf, table.name)
                else:
                    raise PgBackupError(f"未知的备份方式：{method}")
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, target)
    except BaseException as exc:
        with suppress(OSError):
            part.unlink()
        if isinstance(exc, OSError):
            raise PgBackupError(f"无法写入备份文件 {target}：{exc.strerror or exc}") from exc
        if isinstance(exc, psycopg.Error) or (
            isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError)
        ):
            raise PgBackupError(f"读取数据库失败，没有留下备份文件：{first_line(exc)}") from exc
        raise
    return BackupResult(target, method, revision, rows, target.stat().st_size, time.perf_counter() - started)


def _copy_out(conn: Connection, zf: zipfile.ZipFile, table: str) -> str:
    digest = hashlib.sha256()
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with zf.open(f"data/{table}.csv", "w", force_zip64=True) as out, cursor.copy(
        f"COPY {_quoted(table)} TO STDOUT WITH (FORMAT csv, HEADER true)"
    ) as copy:
        for chunk in copy:
            data = bytes(chunk)
            digest.update(data)
            out.write(data)
    return digest.hexdigest()


def _dump_into(conn: Connection, zf: zipfile.ZipFile, engine: Engine) -> dict[str, Any]:
    snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    conninfo, env = libpq_conninfo(engine.url.render_as_string(hide_password=False))
    with tempfile.TemporaryDirectory(prefix="landbank-pgdump-") as tmp:
        dump = Path(tmp) / DUMP_ENTRY
        done = subprocess.run(
            [str(shutil.which("pg_dump")), "--format=custom", f"--snapshot={snapshot}",
             f"--file={dump}", f"--dbname={conninfo}"],
            capture_output=True, text=True, env=env,
        )
        if done.returncode != 0:
            raise PgBackupError(f"pg_dump 失败：{done.stderr.strip()[-500:]}")
        digest = hashlib.sha256()
        with open(dump, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        zf.write(dump, DUMP_ENTRY, compress_type=zipfile.ZIP_STORED)  # already compressed
        return {"file": DUMP_ENTRY, "sha256": digest.hexdigest(), "size": dump.stat().st_size}


# ---------------------------------------------------------------- reading a backup


def read_manifest(source: Path) -> _Manifest | None:
    """The manifest of a landbank backup zip; ``None`` for a bare pg_dump file; refused
    otherwise."""
    try:
        with open(source, "rb") as fh:
            head = fh.read(5)
    except OSError as exc:
        raise PgBackupError(f"无法读取备份文件 {source}：{exc.strerror or exc}") from exc
    if head == PGDMP_MAGIC:
        return None
    try:
        with zipfile.ZipFile(source) as zf:
            data = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise PgBackupError(
            f"{source} 不是 landbank 服务器备份（也不是 pg_dump 自定义格式文件）：{exc}"
        ) from exc
    if data.get("format") != FORMAT or int(data.get("format_version", 0)) > FORMAT_VERSION:
        raise PgBackupError(f"{source} 不是本程序能读的 landbank 服务器备份（格式 {data.get('format')}）。")
    return _Manifest(data)
