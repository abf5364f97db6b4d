"""Copies of a SQLite ledger made with SQLite's online backup API, never a file copy.

The ledger runs in WAL mode: what was saved last may still sit in ``ledger.sqlite3-wal``, so a
copy of the ``.sqlite3`` file alone loses it. Here every copy is made through
:meth:`sqlite3.Connection.backup` inside one read transaction of the ledger: the copy holds
exactly what was committed when it began (a clerk saving meanwhile waits for nothing), and the
row counts it is checked against are read in that same snapshot.

- :func:`write_copy`: the ledger into ``target``, through a temporary name in the target's
  folder (``.<name>-xxxxxxxx.sqlite3.part``), made a single file (``journal_mode=DELETE``),
  checked (``PRAGMA integrity_check``, every table's row count equal to the ledger's) and only
  then renamed to ``target``. A failed check leaves no file; a killed process leaves only the
  temporary name, which :mod:`landbank.services.backup.leftovers` removes at the next start.
- :func:`make_backup`: a backup of a kind in the ledger's backup folder ``备份/`` (beside the
  ledger file), named by :mod:`landbank.domain.backups`, then rotation (:func:`rotate`).
- :func:`list_backups`: the ledger's backups, newest first.
- :func:`check_ledger_file`: whether a file is a landbank ledger this version can open.
- :func:`restore_into`: a checked ledger file back into the ledger, through the backup API
  (one write transaction: a restore killed midway leaves the ledger as it was).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from landbank.domain.backups import (
    BackupKind,
    backup_name,
    backups_to_remove,
    parse_backup_name,
    parse_legacy_name,
)
from landbank.store.engine import DatabaseError

BACKUP_FOLDER = "备份"
TEMP_SUFFIX = ".sqlite3.part"
STEP_PAGES = 1024  # 4 MB a step at SQLite's default page size: a progress bar moves
SQLITE_HEADER = b"SQLite format 3\x00"
LEDGER_TABLES = ("alembic_version", "region", "parcel")  # in every landbank schema

Progress = Callable[[int, int], None]  # pages copied, pages in all


class BackupError(DatabaseError):
    """A backup or restore that could not be made; ``str()`` is the reason, in Chinese. Nothing
    was left half-written."""


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: BackupKind
    taken: datetime
    size: int
    modified: float  # seconds since the epoch: the order within one minute


def backup_folder(ledger: Path) -> Path:
    """Where the backups of ``ledger`` go: the folder 备份 beside it."""
    return ledger.parent / BACKUP_FOLDER


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "没有写入权限"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).strip() or type(exc).__name__


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """A driver connection that never creates ``path`` (``mode`` ro or rw) and leaves
    transactions to us."""
    conn = sqlite3.connect(_uri(path, mode), uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def _open_file(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file to restore from, which writes nothing beside it: a
    ledger file in WAL mode opened read-only would leave ``-wal`` and ``-shm`` files next to it
    (on the clerk's USB stick). With nothing pending beside it (no ``-wal``, no ``-journal``)
    it is opened as immutable; else as an ordinary reader of a live database."""
    pending = any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    if pending:
        return _connect(path, "ro")
    return sqlite3.connect(_uri(path, "ro") + "&immutable=1", uri=True, isolation_level=None)


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Every table's row count (SQLite's own tables aside)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: conn.execute(f"SELECT count(*) FROM {quoted[name]}").fetchone()[0] for name in names
    }


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong; empty when the file is sound."""
    rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def copy_pages(source: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    """The pages of ``source`` (in its open read transaction) into the new file ``target``,
    made a single file without a WAL."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    with closing(sqlite3.connect(target, isolation_level=None)) as dest:
        # No rollback journal while copying into the new file (a killed copy is thrown away
        # whole), and no syncing page by page: the file is synced once, before its check.
        dest.execute("PRAGMA journal_mode=OFF")
        dest.execute("PRAGMA synchronous=OFF")
        source.backup(dest, pages=STEP_PAGES, progress=step)
        dest.execute("PRAGMA journal_mode=DELETE")
    _sync(target)


def _sync(path: Path) -> None:
    """The file's content on the disk, and its last change now: a long copy's temporary file
    is not taken for a killed one's leftover (:mod:`landbank.services.backup.leftovers`) while
    it is being checked."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.utime(path)


def check_copy(copy: Path, expected: dict[str, int]) -> None:
    """Raise :class:`BackupError` unless ``copy`` is sound and holds ``expected`` rows."""
    try:
        with closing(_connect(copy, "ro")) as conn:
            problems = integrity_problems(conn)
            counts = table_counts(conn) if not problems else {}
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems:
        raise BackupError(f"备份副本未通过完整性检查（{'；'.join(problems[:3])}），未保存。")
    differ = [
        f"{name} {counts.get(name, 0)}/{rows}"
        for name, rows in sorted(expected.items())
        if counts.get(name) != rows
    ] + [f"{name} 多出" for name in sorted(set(counts) - set(expected))]
    if differ:
        raise BackupError(f"备份副本的行数与台账不一致（{'，'.join(differ[:5])}），未保存。")


def _usual_permissions(path: Path) -> None:
    """An ordinary file (as the ledger is), not mkstemp's private 0600: another clerk of a
    shared folder can restore it."""
    mask = os.umask(0o022)
    os.umask(mask)
    with suppress(OSError):
        path.chmod(0o666 & ~mask)


def write_copy(ledger: Path, target: Path, *, progress: Progress | None = None) -> None:
    """Copy the ledger file ``ledger`` into ``target`` (replaced if it exists), checked; see the
    module's docstring. Raises :class:`BackupError` with the reason."""
    if not ledger.is_file():
        raise BackupError(f"台账文件不存在：{ledger}")
    folder = target.parent
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem[:40]}-", suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise BackupError(f"无法在文件夹 {folder} 中写入备份：{_reason(exc)}") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        try:
            with closing(_connect(ledger, "rw")) as source:
                source.execute("BEGIN")  # one snapshot for the counts and the pages
                expected = table_counts(source)
                copy_pages(source, temp, progress)
                source.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            raise BackupError(f"备份台账 {ledger.name} 失败：{_reason(exc)}") from exc
        check_copy(temp, expected)
        _usual_permissions(temp)
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise BackupError(f"无法保存备份 {target}：{_reason(exc)}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def make_backup(
    ledger: Path,
    kind: BackupKind,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Path:
    """A checked backup of ``ledger`` in its backup folder, named for ``kind`` and ``now``
    (local time); then the ledger's backups are rotated. Returns the backup's path."""
    folder = backup_folder(ledger)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份文件夹 {folder}：{_reason(exc)}") from exc
    taken = now or datetime.now()
    number = 1
    while (target := folder / backup_name(ledger.stem, kind, taken, number).file_name).exists():
        number += 1
    write_copy(ledger, target, progress=progress)
    rotate(ledger)
    return target


def _backup(entry: os.DirEntry[str], kind: BackupKind, taken: datetime) -> Backup:
    stat = entry.stat()
    return Backup(Path(entry.path), kind, taken, stat.st_size, stat.st_mtime)


def _holds_a_ledger(path: Path) -> bool:
    """Whether an older landbank's pre-upgrade copy holds a ledger at all: that copy, killed
    midway, was left under its name with no tables in it. A look at its tables (no integrity
    check: cheap enough for every listing)."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        with closing(_open_file(path)) as conn:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
    except (OSError, sqlite3.Error):
        return False
    return all(table in tables for table in LEDGER_TABLES)


def _legacy_copies(ledger: Path) -> list[tuple[os.DirEntry[str], datetime]]:
    found = []
    with suppress(OSError):
        for entry in os.scandir(ledger.parent):
            taken = parse_legacy_name(entry.name, ledger.stem)
            if taken is not None and entry.is_file():
                found.append((entry, taken))
    return found


def list_backups(ledger: Path) -> list[Backup]:
    """The backups of ``ledger`` (its backup folder, and pre-upgrade copies of older landbank
    versions beside it that hold a ledger), newest first."""
    found: list[Backup] = []
    folder = backup_folder(ledger)
    with suppress(OSError):
        for entry in os.scandir(folder):
            name = parse_backup_name(entry.name)
            if name is not None and name.stem == ledger.stem and entry.is_file():
                found.append(_backup(entry, name.kind, name.taken))
    for entry, taken in _legacy_copies(ledger):
        if _holds_a_ledger(Path(entry.path)):
            found.append(_backup(entry, BackupKind.UPGRADE, taken))
    return sorted(found, key=lambda b: (b.taken, b.modified), reverse=True)


def rotate(ledger: Path) -> list[Path]:
    """Delete the backups of ``ledger`` that rotation does not keep, and older landbank's
    pre-upgrade copies that hold no ledger; returns them."""
    doomed = [b.path for b in backups_to_remove(list_backups(ledger))]
    doomed += [
        Path(entry.path)
        for entry, _taken in _legacy_copies(ledger)
        if not _holds_a_ledger(Path(entry.path))
    ]
    removed = []
    for path in doomed:
        with suppress(OSError):  # open elsewhere (Windows): the next rotation takes it
            path.unlink()
            removed.append(path)
    return removed


def latest_backup(ledger: Path, kind: BackupKind) -> Backup | None:
    return next((b for b in list_backups(ledger) if b.kind is kind), None)


# ---------------------------------------------------------------- restoring


def check_ledger_file(path: Path) -> str:
    """The schema revision of the landbank ledger ``path``; :class:`BackupError` saying why when
    it is missing, not a SQLite file, damaged, not a landbank ledger, or made by a newer
    landbank."""
    from landbank.store.migrate import script_revisions

    if not path.is_file():
        raise BackupError(f"文件不存在：{path}" if not path.exists() else f"不是文件：{path}")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"无法读取 {path}：{_reason(exc)}") from exc
    if header != SQLITE_HEADER:
        raise BackupError(f"{path.name} 不是 landbank 台账（不是 SQLite 数据库文件）。")
    try:
        with closing(_open_file(path)) as conn:
            problems = integrity_problems(conn)
            if problems:
                raise BackupError(
                    f"{path.name} 已损坏（完整性检查：{'；'.join(problems[:3])}），不能用于恢复。"
                )
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            missing = [t for t in LEDGER_TABLES if t not in tables]
            if missing:
                raise BackupError(
                    f"{path.name} 不是 landbank 台账（没有数据表 {'、'.join(missing)}）。"
                )
            revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{path.name} 已损坏或不完整，不能用于恢复（SQLite：{_reason(exc)}）。"
        ) from exc
    if len(revisions) != 1:
        raise BackupError(f"{path.name} 不是 landbank 台账（没有记录架构版本）。")
    revision = str(revisions[0])
    if revision not in script_revisions():
        raise BackupError(
            f"{path.name} 由更新版本的 landbank 创建（架构版本 {revision}），本程序不能恢复它。"
            "请先升级 landbank。"
        )
    return revision


def _page_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


def _leave_wal_for(dest: sqlite3.Connection, source: sqlite3.Connection) -> None:
    """A WAL database cannot take another page size: when the backup's differs, the ledger
    leaves WAL for the restore — only possible while no other connection has it open."""
    if _page_size(source) == _page_size(dest):
        return
    try:
        mode = dest.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "wal"
    if str(mode).lower() == "wal":
        raise BackupError(
            "这个备份的页面大小与台账不同，只能在台账没有被打开时恢复："
            "请关闭其他正在使用这个台账的 landbank 后重试。台账未改动。"
        )


def restore_into(ledger: Path, source: Path, *, progress: Progress | None = None) -> None:
    """Replace the content of ``ledger`` (created when missing) by the ledger file ``source``,
    already checked by :func:`check_ledger_file`; the result is checked against the source's
    row counts. Raises :class:`BackupError`.

    SQLite writes the pages in one transaction of ``ledger``: a restore that fails or is
    killed midway leaves the ledger as it was. Other connections to the ledger may stay open
    (they read the restored ledger in their next transaction)."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    try:
        with (
            closing(_open_file(source)) as src,
            closing(sqlite3.connect(ledger, isolation_level=None)) as dest,
        ):
            dest.execute("PRAGMA busy_timeout=5000")
            src.execute("BEGIN")
            expected = table_counts(src)
            _leave_wal_for(dest, src)
            try:
                src.backup(dest, pages=STEP_PAGES, progress=step)
            except sqlite3.Error as exc:
                raise BackupError(f"恢复失败，台账未改动：{_reason(exc)}") from exc
            src.execute("COMMIT")
            dest.execute("PRAGMA journal_mode=WAL")
            restored = table_counts(dest)
    except sqlite3.Error as exc:
        raise BackupError(f"恢复时出错：{_reason(exc)}") from exc
    except OSError as exc:
        raise BackupError(f"恢复失败：{_reason(exc)}") from exc
    if restored != expected:
        raise BackupError("恢复后的台账与备份的行数不一致，请用“恢复前”备份恢复原台账。")
