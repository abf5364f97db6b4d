"""Backup names (what a file name says, and nothing else is taken for a backup) and rotation:
7 dailies, 4 weeklies beyond them, 3 upgrade and 3 before-restore copies, every manual one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from landbank.domain.backups import (
    BackupKind,
    backup_name,
    backups_to_keep,
    backups_to_remove,
    parse_backup_name,
    parse_legacy_name,
    size_text,
)


def test_a_name_says_whose_when_and_why() -> None:
    name = backup_name("landbank", BackupKind.DAILY, datetime(2026, 12, 4, 9, 30, 59))
    assert name.file_name == "landbank-2026-12-04-0930-daily.sqlite3"
    assert parse_backup_name(name.file_name) == name
    second = backup_name("县 台账-2025", BackupKind.BEFORE_RESTORE, datetime(2026, 1, 2, 23, 5), 2)
    assert second.file_name == "县 台账-2025-2026-01-02-2305-before-restore-2.sqlite3"
    assert parse_backup_name(second.file_name) == second


@pytest.mark.parametrize(
    "file_name",
    [
        "landbank.sqlite3",
        "landbank-2026-12-04-0930-weekly.sqlite3",  # no such kind
        "landbank-2026-12-04-0930-daily.sqlite3.part",
        ".landbank-2026-12-04-0930-daily-k2j4x9_q.sqlite3.part",
        "landbank-2026-13-04-0930-daily.sqlite3",  # month 13
        "landbank-2026-12-04-0930-daily-1.sqlite3",  # numbers start at 2
        "landbank-2026-12-04-0930-daily.db",
        "我的备份.sqlite3",
    ],
)
def test_other_files_are_not_backups(file_name: str) -> None:
    assert parse_backup_name(file_name) is None


def test_copies_of_older_landbank_versions_are_recognised() -> None:
    assert parse_legacy_name("landbank.backup-0004-20261204-093012.sqlite3", "landbank") == datetime(
        2026, 12, 4, 9, 30, 12
    )
    assert parse_legacy_name("other.backup-0004-20261204-093012.sqlite3", "landbank") is None
    assert parse_legacy_name("landbank.backup-0004-2026.sqlite3", "landbank") is None


@dataclass(frozen=True)
class Taken:
    kind: BackupKind
    taken: datetime


def _daily(start: datetime, days: int) -> list[Taken]:
    return [Taken(BackupKind.DAILY, start - timedelta(days=d)) for d in range(days)]


def test_dailies_and_weeklies_kept() -> None:
    # Every day for 60 days, the newest on Friday 2026-12-04.
    friday = datetime(2026, 12, 4, 8, 55)
    daily = _daily(friday, 60)
    kept = backups_to_keep(daily)
    days = sorted(b.taken.date().isoformat() for b in kept)
    # The 7 newest (Sat 28 Nov … Fri 4 Dec, weeks 48 and 49), then the newest of each of the
    # 4 weeks before: the Sundays ending weeks 47, 46, 45, 44.
    assert days == [
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
        "2026-11-22",
        "2026-11-28",
        "2026-11-29",
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",
    ]
    assert len(backups_to_remove(daily)) == 60 - 11


def test_a_clerk_working_some_days_only() -> None:
    # Backups only on Mondays and Thursdays over 10 weeks: 7 dailies reach back 4 weeks, the
    # weeklies are the Thursdays of the 4 weeks before.
    start = datetime(2026, 12, 3, 9, 0)  # a Thursday
    days = [start - timedelta(days=7 * w + off) for w in range(10) for off in (0, 3)]
    backups = [Taken(BackupKind.DAILY, d) for d in days]
    kept = sorted(b.taken.date().isoformat() for b in backups_to_keep(backups))
    assert kept == [
        "2026-10-15",
        "2026-10-22",
        "2026-10-29",
        "2026-11-05",  # Thursdays: the newest of their weeks
        "2026-11-12",  # (Monday 9 November goes: its week has Thursday 12 among the dailies)
        "2026-11-16",
        "2026-11-19",
        "2026-11-23",
        "2026-11-26",
        "2026-11-30",
        "2026-12-03",
    ]


def test_other_kinds() -> None:
    now = datetime(2026, 12, 4, 9, 0)
    backups = (
        [Taken(BackupKind.UPGRADE, now - timedelta(days=30 * i)) for i in range(5)]
        + [Taken(BackupKind.BEFORE_RESTORE, now - timedelta(hours=i)) for i in range(4)]
        + [Taken(BackupKind.MANUAL, now - timedelta(days=400 * i)) for i in range(12)]
    )
    removed = backups_to_remove(backups)
    assert [(b.kind, b.taken) for b in removed] == [
        (BackupKind.UPGRADE, now - timedelta(days=90)),
        (BackupKind.UPGRADE, now - timedelta(days=120)),
        (BackupKind.BEFORE_RESTORE, now - timedelta(hours=3)),
    ]
    assert backups_to_remove([]) == []


def test_size_text() -> None:
    assert size_text(0) == "0 KB"
    assert size_text(300) == "1 KB"
    assert size_text(356 * 1024) == "356 KB"
    assert size_text(52_428_800) == "50.0 MB"
    assert size_text(3 * 1024**3) == "3.0 GB"
