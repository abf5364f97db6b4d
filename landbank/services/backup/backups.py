"""The ledger's backups as the clerk uses them: the daily one, a backup now (into the backup
folder or a chosen file), the list, and a restore.

Only a SQLite ledger is backed up by landbank; a PostgreSQL ledger is the server's (its
administrator backs it up with ``pg_dump``): every function here then raises
:class:`~landbank.store.backup.BackupError` saying so (:data:`SERVER_BACKUPS`).

The copies themselves, their checks, names, folder and rotation: :mod:`landbank.store.backup`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from landbank.domain.backups import BackupKind, backup_name
from landbank.services.backup.leftovers import note_output_folder
from landbank.store.backup import (
    Backup,
    BackupError,
    Progress,
    check_ledger_file,
    latest_backup,
    list_backups,
    make_backup,
    restore_into,
    write_copy,
)
from landbank.store.engine import is_sqlite, sqlite_path

SERVER_BACKUPS = (
    "台账保存在 PostgreSQL 服务器上，由市级管理员用 landbank server backup（或 pg_dump）备份、"
    "用 landbank server restore 恢复；这里不备份、不恢复服务器上的台账。"
)


def ledger_file(url: str) -> Path:
    """The SQLite file of the ledger ``url``; :class:`BackupError` for PostgreSQL."""
    path = sqlite_path(url)
    if path is None:
        raise BackupError(
            "内存中的数据库没有文件，不能备份。" if is_sqlite(url) else SERVER_BACKUPS
        )
    return path


def _existing_ledger(url: str) -> Path:
    ledger = ledger_file(url)
    if not ledger.is_file():
        raise BackupError(f"台账文件不存在：{ledger}")
    return ledger


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def backup_now(
    url: str,
    *,
    target: Path | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Path:
    """A manual backup: into the backup folder (kept until deleted), or into ``target`` (a
    file, replaced if it exists, or a folder to put the backup's usual name in). Returns the
    backup's path."""
    ledger = _existing_ledger(url)
    if target is None:
        return make_backup(ledger, BackupKind.MANUAL, now=now, progress=progress)
    if target.is_dir():  # the usual name, numbered as in the backup folder: nothing replaced
        folder, taken, number = target, now or datetime.now(), 1
        while (
            target := folder / backup_name(ledger.stem, BackupKind.MANUAL, taken, number).file_name
        ).exists():
            number += 1
    if not target.parent.is_dir():
        raise BackupError(f"文件夹不存在：{target.parent}")
    if _same_file(target, ledger):
        raise BackupError(f"{target} 就是当前台账本身，请另选备份文件。")
    note_output_folder(target.parent)
    write_copy(ledger, target, progress=progress)
    return target


def daily_backup_due(url: str, *, now: datetime | None = None) -> bool:
    """Whether the ledger ``url`` is a SQLite file with no daily backup of today (a look at the
    backup folder's names)."""
    ledger = sqlite_path(url)
    if ledger is None or not ledger.is_file():
        return False
    latest = latest_backup(ledger, BackupKind.DAILY)
    return latest is None or latest.taken.date() != (now or datetime.now()).date()


def daily_backup(
    url: str, *, now: datetime | None = None, progress: Progress | None = None
) -> Path | None:
    """The day's backup, when the ledger (a SQLite file) has none of today yet; ``None`` when
    it had one (or is on a server)."""
    if not daily_backup_due(url, now=now):
        return None
    return make_backup(ledger_file(url), BackupKind.DAILY, now=now, progress=progress)


def ledger_backups(url: str) -> list[Backup]:
    """The ledger's backups, newest first."""
    return list_backups(ledger_file(url))


@dataclass(frozen=True)
class Restored:
    """A restore done: the copy of the ledger made first (``None`` when there was no ledger
    file), the restored file's schema revision, and whether it was upgraded to this
    landbank's."""

    before: Path | None
    revision: str
    upgraded: bool


def check_backup_file(url: str, source: Path) -> str:
    """The schema revision of ``source`` when it can be restored into the ledger ``url``;
    :class:`BackupError` saying why not."""
    ledger = ledger_file(url)
    revision = check_ledger_file(source)
    if _same_file(source, ledger):
        raise BackupError(f"{source} 就是当前台账本身，不需要恢复。")
    return revision


def restore_backup(
    url: str,
    source: Path,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Restored:
    """Replace the ledger ``url`` by the landbank ledger file ``source``: checked first
    (:func:`check_backup_file`), the current ledger backed up (kind 恢复前), then restored
    through SQLite's backup API and brought to this landbank's schema when older.

    Close every session of the ledger first; an engine may stay (its pooled connections see
    the restored ledger), but should be disposed of to drop cached state."""
    from landbank.store.migrate import open_database, script_head

    revision = check_backup_file(url, source)
    ledger = ledger_file(url)
    before = None
    if ledger.exists():
        try:
            before = make_backup(ledger, BackupKind.BEFORE_RESTORE, now=now, progress=progress)
        except BackupError as exc:
            raise BackupError(
                f"当前台账无法先行备份，为安全起见没有恢复：{exc} "
                f"如果当前台账已损坏，请先把 {ledger.name} 移到别处，再恢复。"
            ) from exc
    elif not ledger.parent.is_dir():
        raise BackupError(f"台账所在的文件夹不存在：{ledger.parent}")
    restore_into(ledger, source, progress=progress)
    upgraded = revision != script_head()
    if upgraded:
        open_database(url).dispose()  # the migrations, after their own 升级前 copy
    return Restored(before, revision, upgraded)
