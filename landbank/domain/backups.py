"""Backups of a SQLite ledger: their kinds, their file names, and which ones rotation keeps.

Pure rules, no I/O: the store makes the copies (:mod:`landbank.store.backup`) and deletes what
:func:`backups_to_remove` names.

A backup's file name says whose, when and why::

    landbank-2026-12-04-0930-daily.sqlite3        (the ledger landbank.sqlite3, 09:30 local time)
    landbank-2026-12-04-0930-manual-2.sqlite3     (a second one in the same minute)

Rotation, per ledger:

- 每日 (daily): the 7 newest; beyond them, for the 4 most recent ISO weeks none of those 7 falls
  in, the newest daily of each week (so about five weeks are covered, the last one day by day);
- 升级前 (upgrade, made before a schema upgrade): the 3 newest;
- 恢复前 (before-restore, the ledger as it was before a restore): the 3 newest;
- 手动 (manual): all of them, until the clerk deletes them.

Copies made before a schema upgrade by landbank before these rules (``landbank.backup-0004-
20261204-093000.sqlite3`` beside the ledger) count as 升级前 copies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

BACKUP_SUFFIX = ".sqlite3"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_UPGRADE = 3
KEEP_BEFORE_RESTORE = 3


class BackupKind(StrEnum):
    """Why a backup was made; the value is the word in its file name."""

    DAILY = "daily"
    MANUAL = "manual"
    UPGRADE = "upgrade"
    BEFORE_RESTORE = "before-restore"

    @property
    def label(self) -> str:
        return {
            "daily": "每日",
            "manual": "手动",
            "upgrade": "升级前",
            "before-restore": "恢复前",
        }[self.value]


_KINDS = "|".join(re.escape(kind.value) for kind in BackupKind)
_NAME = re.compile(
    rf"^(?P<stem>.+)-(?P<stamp>\d{{4}}-\d{{2}}-\d{{2}}-\d{{4}})-(?P<kind>{_KINDS})"
    rf"(?:-(?P<number>[2-9]|[1-9]\d+))?{re.escape(BACKUP_SUFFIX)}$"
)
_STAMP = "%Y-%m-%d-%H%M"
# landbank before the backup folder: ``<stem>.backup-<revision>-<YYYYmmdd-HHMMSS><suffix>``.
_LEGACY = re.compile(
    r"^(?P<stem>.+)\.backup-(?P<revision>[^-]+)-(?P<stamp>\d{8}-\d{6})(?P<suffix>\.[^.]+)$"
)


@dataclass(frozen=True)
class BackupName:
    """What a backup's file name says: the ledger's stem, the kind, the minute it was taken
    (local time), and its number among backups of that minute and kind (1, 2, …)."""

    stem: str
    kind: BackupKind
    taken: datetime
    number: int = 1

    @property
    def file_name(self) -> str:
        more = f"-{self.number}" if self.number > 1 else ""
        return f"{self.stem}-{self.taken.strftime(_STAMP)}-{self.kind.value}{more}{BACKUP_SUFFIX}"


def backup_name(stem: str, kind: BackupKind, taken: datetime, number: int = 1) -> BackupName:
    """The name of a backup of the ledger ``stem`` taken at ``taken`` (seconds dropped)."""
    return BackupName(stem, kind, taken.replace(second=0, microsecond=0, tzinfo=None), number)


def parse_backup_name(file_name: str) -> BackupName | None:
    """The backup a file name describes, or ``None`` when it is not a backup's name."""
    match = _NAME.match(file_name)
    if match is None:
        return None
    try:
        taken = datetime.strptime(match["stamp"], _STAMP)
    except ValueError:  # 2026-13-45-9999
        return None
    number = int(match["number"]) if match["number"] else 1
    return BackupName(match["stem"], BackupKind(match["kind"]), taken, number)


def parse_legacy_name(file_name: str, stem: str) -> datetime | None:
    """When the pre-upgrade copy ``file_name`` of the ledger ``stem`` was made, in landbank's
    old naming beside the ledger; ``None`` for any other file."""
    match = _LEGACY.match(file_name)
    if match is None or match["stem"] != stem:
        return None
    try:
        return datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


class Dated(Protocol):
    @property
    def kind(self) -> BackupKind: ...

    @property
    def taken(self) -> datetime: ...


B = TypeVar("B", bound=Dated)


def _newest_first(backups: Sequence[B], kind: BackupKind) -> list[B]:
    return sorted((b for b in backups if b.kind is kind), key=lambda b: b.taken, reverse=True)


def backups_to_keep(backups: Sequence[B]) -> list[B]:
    """The backups of one ledger that rotation keeps (see the module's docstring)."""
    daily = _newest_first(backups, BackupKind.DAILY)
    keep = daily[:KEEP_DAILY]
    weeks = {b.taken.isocalendar()[:2] for b in keep}
    weekly = 0
    for backup in daily[KEEP_DAILY:]:
        if weekly == KEEP_WEEKLY:
            break
        week = backup.taken.isocalendar()[:2]
        if week not in weeks:
            weeks.add(week)
            keep.append(backup)
            weekly += 1
    keep += _newest_first(backups, BackupKind.UPGRADE)[:KEEP_UPGRADE]
    keep += _newest_first(backups, BackupKind.BEFORE_RESTORE)[:KEEP_BEFORE_RESTORE]
    keep += _newest_first(backups, BackupKind.MANUAL)
    return keep


def backups_to_remove(backups: Sequence[B]) -> list[B]:
    """The backups of one ledger that rotation deletes, in the order given."""
    kept = {id(b) for b in backups_to_keep(backups)}
    return [b for b in backups if id(b) not in kept]


def size_text(size: int) -> str:
    """A file size as a clerk reads it: 356 KB, 12.3 MB, 1.2 GB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)) if size else 0} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.1f} GB"
