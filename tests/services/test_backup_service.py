"""The ledger's backups as the clerk meets them (services/backup): the daily one at most once a
day, rotation, a backup now into the folder or a chosen file, a restore that backs the current
ledger up first, the refusal for a PostgreSQL ledger; and the tidying of what killed backups and
exports left behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from landbank.domain.backups import KEEP_DAILY, KEEP_WEEKLY, BackupKind
from landbank.domain.enums import RecordKind
from landbank.services.backup import leftovers
from landbank.services.backup.backups import (
    SERVER_BACKUPS,
    backup_now,
    daily_backup,
    daily_backup_due,
    ledger_backups,
    restore_backup,
)
from landbank.services.backup.leftovers import (
    MIN_AGE_S,
    journal_path,
    note_output_folder,
    remove_leftovers,
)
from landbank.services.records.saving import create_record
from landbank.store import migrate
from landbank.store.backup import BackupError, backup_folder, list_backups
from landbank.store.engine import write_session
from landbank.store.migrate import head_revision, open_database
from tests.store.test_migrate import EXTRA_REVISION

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/landbank"


def _add_parcels(engine: Engine, *codes: str) -> None:
    with write_session(engine) as s:
        region = create_record(
            s, RecordKind.REGION, {"name": f"县{codes[0]}", "kind": "县"}, user="李娜"
        )
        for code in codes:
            create_record(
                s,
                RecordKind.PARCEL,
                {
                    "code": code,
                    "region_id": region.id,
                    "area_mu": 10.0,
                    "readiness": "净地(可供)",
                    "status": "可供",
                },
                user="李娜",
            )


def _codes(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM parcel ORDER BY code")]


def _ledger(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


# ---------------------------------------------------------------- the daily backup


def test_the_daily_backup_is_made_at_most_once_a_day(engine: Engine, sqlite_url: str) -> None:
    _add_parcels(engine, "A-1")
    morning = datetime(2026, 12, 4, 8, 55)
    assert daily_backup_due(sqlite_url, now=morning)
    first = daily_backup(sqlite_url, now=morning)  # the app opens
    assert first is not None
    assert first.name == "ledger-2026-12-04-0855-daily.sqlite3"
    assert first.parent == backup_folder(_ledger(sqlite_url))
    assert _codes(first) == ["A-1"]

    evening = morning.replace(hour=18, minute=5)
    assert not daily_backup_due(sqlite_url, now=evening)
    assert daily_backup(sqlite_url, now=evening) is None  # closed the same day: nothing new
    assert daily_backup(sqlite_url, now=evening + timedelta(minutes=1)) is None  # opened again

    next_day = morning + timedelta(days=1)
    assert daily_backup_due(sqlite_url, now=next_day)
    second = daily_backup(sqlite_url, now=next_day)
    assert second is not None
    assert second.name == "ledger-2026-12-05-0855-daily.sqlite3"
    assert [b.path for b in ledger_backups(sqlite_url)] == [second, first]


def test_a_manual_backup_does_not_stand_for_the_daily_one(engine: Engine, sqlite_url: str) -> None:
    now = datetime(2026, 12, 4, 9, 0)
    backup_now(sqlite_url, now=now)
    assert daily_backup_due(sqlite_url, now=now)


def test_daily_backups_are_rotated(engine: Engine, sqlite_url: str) -> None:
    """Forty days, the app opened each: the last 7 days, then the newest of each of the 4
    weeks before them; the oldest days go."""
    _add_parcels(engine, "A-1")
    start = datetime(2026, 11, 2, 9, 0)  # a Monday
    for day in range(40):
        assert daily_backup(sqlite_url, now=start + timedelta(days=day)) is not None
    kept = sorted(b.taken.date().isoformat() for b in ledger_backups(sqlite_url))
    # Dec 11 (Fri) is the 40th day: Dec 5 … Dec 11 day by day; Nov 30 – Dec 4 are of a week
    # those 7 cover; then the Sundays of the weeks before, four of them; Nov 2–7 gone.
    assert kept == [
        "2026-11-08",
        "2026-11-15",
        "2026-11-22",
        "2026-11-29",
        "2026-12-05",
        "2026-12-06",
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    ]
    assert len(kept) <= KEEP_DAILY + KEEP_WEEKLY
    files = sorted(p.name for p in backup_folder(_ledger(sqlite_url)).iterdir())
    assert len(files) == len(kept)  # rotation deleted the files, not only hid them


# ---------------------------------------------------------------- a backup now


def test_a_backup_now_into_the_folder_a_chosen_file_or_a_chosen_folder(
    engine: Engine, sqlite_url: str, tmp_path: Path
) -> None:
    _add_parcels(engine, "A-1", "A-2")
    now = datetime(2026, 12, 4, 9, 30)
    in_folder = backup_now(sqlite_url, now=now)
    assert in_folder.name == "ledger-2026-12-04-0930-manual.sqlite3"
    assert backup_now(sqlite_url, now=now).name == "ledger-2026-12-04-0930-manual-2.sqlite3"
    assert [b.kind for b in ledger_backups(sqlite_url)] == [BackupKind.MANUAL] * 2

    usb = tmp_path / "U盘"
    usb.mkdir()
    chosen = backup_now(sqlite_url, target=usb / "台账备份.sqlite3")
    assert chosen == usb / "台账备份.sqlite3"
    into_folder = backup_now(sqlite_url, target=usb, now=now)
    assert into_folder == usb / "ledger-2026-12-04-0930-manual.sqlite3"
    again = backup_now(sqlite_url, target=usb, now=now)  # the same minute: numbered, not replaced
    assert again == usb / "ledger-2026-12-04-0930-manual-2.sqlite3"
    for path in (in_folder, chosen, into_folder, again):
        assert _codes(path) == ["A-1", "A-2"]
    assert sorted(p.name for p in usb.iterdir()) == sorted(
        [chosen.name, into_folder.name, again.name]
    )
    assert len(ledger_backups(sqlite_url)) == 2  # copies elsewhere are not the folder's

    with pytest.raises(BackupError, match="就是当前台账本身"):
        backup_now(sqlite_url, target=_ledger(sqlite_url))
    with pytest.raises(BackupError, match="文件夹不存在"):
        backup_now(sqlite_url, target=tmp_path / "没有这个文件夹" / "x.sqlite3")
    assert _codes(_ledger(sqlite_url)) == ["A-1", "A-2"]


def test_a_missing_ledger_is_not_created_by_a_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nothing.sqlite3'}"
    with pytest.raises(BackupError, match="台账文件不存在"):
        backup_now(url)
    assert not daily_backup_due(url)
    assert daily_backup(url) is None
    assert not (tmp_path / "nothing.sqlite3").exists()
    assert not (tmp_path / "备份").exists()


# ---------------------------------------------------------------- restoring


def test_a_restore_backs_the_current_ledger_up_first(engine: Engine, sqlite_url: str) -> None:
    _add_parcels(engine, "A-1", "A-2")
    backup = backup_now(sqlite_url, now=datetime(2026, 12, 1, 9, 0))
    with write_session(engine) as s:  # the days after: one parcel gone, one added
        s.execute(text("DELETE FROM parcel WHERE code = 'A-1'"))
    _add_parcels(engine, "B-1")
    engine.dispose()

    restored = restore_backup(sqlite_url, backup, now=datetime(2026, 12, 4, 10, 0))

    ledger = _ledger(sqlite_url)
    assert _codes(ledger) == ["A-1", "A-2"]
    assert not restored.upgraded
    assert restored.before is not None
    assert restored.before.name == "ledger-2026-12-04-1000-before-restore.sqlite3"
    assert _codes(restored.before) == ["A-2", "B-1"]  # the work of those days, kept
    kinds = {b.path: b.kind for b in ledger_backups(sqlite_url)}
    assert kinds == {backup: BackupKind.MANUAL, restored.before: BackupKind.BEFORE_RESTORE}
    assert BackupKind.BEFORE_RESTORE.label == "恢复前"
    # … and that copy brings the work back.
    restore_backup(sqlite_url, restored.before, now=datetime(2026, 12, 4, 10, 5))
    assert _codes(ledger) == ["A-2", "B-1"]


def test_a_backup_of_an_older_schema_is_restored_and_upgraded(
    engine: Engine, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup made before this landbank was installed (a schema one step older): restored,
    then brought to this landbank's schema, after the upgrade's own copy."""
    _add_parcels(engine, "A-1")
    old_backup = backup_now(sqlite_url, now=datetime(2026, 11, 1, 9, 0))
    head = head_revision()
    later = tmp_path / "later_migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, later)
    (later / "versions" / "9001_extra.py").write_text(
        EXTRA_REVISION.format(head=head), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", later)  # landbank updated since
    open_database(sqlite_url).dispose()
    _add_parcels(engine, "B-1")
    engine.dispose()

    restored = restore_backup(sqlite_url, old_backup, now=datetime(2026, 12, 4, 10, 0))

    assert restored.revision == head
    assert restored.upgraded
    ledger = _ledger(sqlite_url)
    assert _codes(ledger) == ["A-1"]
    with closing(sqlite3.connect(ledger)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9001",)
        assert conn.execute("SELECT test_extra FROM parcel").fetchall() == [(None,)]
    kinds = sorted(b.kind.value for b in ledger_backups(sqlite_url))
    # the first upgrade's copy, the manual backup, the ledger before the restore, and the
    # restored ledger before its upgrade
    assert kinds == ["before-restore", "manual", "upgrade", "upgrade"]


def test_a_refused_restore_changes_nothing(engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    _add_parcels(engine, "A-1")
    engine.dispose()
    not_a_ledger = tmp_path / "照片.sqlite3"
    not_a_ledger.write_bytes(b"\xff\xd8\xff\xe0 not a database" * 100)
    with pytest.raises(BackupError, match="不是 landbank 台账"):
        restore_backup(sqlite_url, not_a_ledger)
    with pytest.raises(BackupError, match="就是当前台账本身"):
        restore_backup(sqlite_url, _ledger(sqlite_url))
    assert _codes(_ledger(sqlite_url)) == ["A-1"]
    assert ledger_backups(sqlite_url) == []  # nothing backed up for a restore not made


def test_a_postgresql_ledger_is_refused_in_plain_chinese() -> None:
    for call in (
        lambda: backup_now(PG_URL),
        lambda: ledger_backups(PG_URL),
        lambda: restore_backup(PG_URL, Path("x.sqlite3")),
    ):
        with pytest.raises(BackupError) as info:
            call()
        assert str(info.value) == SERVER_BACKUPS
    assert "PostgreSQL" in SERVER_BACKUPS
    assert "pg_dump" in SERVER_BACKUPS
    assert not daily_backup_due(PG_URL)
    assert daily_backup(PG_URL) is None  # the app opening on a server: no backup, no error


# ---------------------------------------------------------------- leftovers


def _age(path: Path, seconds: float) -> Path:
    when = time.time() - seconds
    os.utime(path, (when, when))
    return path


def test_leftovers_of_killed_backups_and_exports_are_removed(
    engine: Engine, sqlite_url: str, tmp_path: Path
) -> None:
    folder = backup_folder(_ledger(sqlite_url))
    folder.mkdir()
    exports = tmp_path / "导出"
    exports.mkdir()
    elsewhere = tmp_path / "别处"  # never noted: never searched
    elsewhere.mkdir()
    note_output_folder(exports)
    old = MIN_AGE_S + 60
    killed_backup = folder / ".ledger-2026-12-04-0930-daily-k2x9_a0q.sqlite3.part"
    killed_backup.write_bytes(b"SQLite format 3\x00" + b"x" * 4096)
    _age(killed_backup, old)
    its_journal = _age(
        _touch(folder / ".ledger-2026-12-04-0930-daily-k2x9_a0q.sqlite3.part-journal"), old
    )
    killed_export = _age(_touch(exports / ".地块台账-abcd1234.xlsx.part"), old)
    killed_pdf = _age(_touch(exports / ".指标报表-zz99yy88.pdf.part"), old)
    killed_outlines = _age(_touch(exports / ".红线-ab12cd34.geojson.part"), old)
    killed_jzd = _age(_touch(exports / ".界址点-ab12cd35.txt.part"), old)
    writing_now = _touch(folder / ".ledger-2026-12-04-0931-manual-qwer5678.sqlite3.part")
    exporting_now = _touch(exports / ".厂房台账-mnbv0987.xlsx.part")
    unrelated = [
        _age(_touch(exports / "地块台账.xlsx"), old),
        _age(_touch(exports / ".地块台账.xlsx.part"), old),  # not landbank's name
        _age(_touch(exports / ".notes-abcd1234.md.part"), old),
        _age(_touch(exports / ".地块台账-abcd1234.xlsx"), old),
        _age(_touch(folder / "ledger-2026-12-04-0930-daily.sqlite3"), old),
        _age(_touch(elsewhere / ".地块台账-abcd1234.xlsx.part"), old),
    ]

    removed = remove_leftovers(sqlite_url)

    assert sorted(removed) == sorted(
        [killed_backup, its_journal, killed_export, killed_pdf, killed_outlines, killed_jzd]
    )
    for path in removed:
        assert not path.exists()
    assert writing_now.exists()
    assert exporting_now.exists()
    assert all(path.exists() for path in unrelated)

    # Later, the other writers died too: their files go at the next start.
    later = time.time() + MIN_AGE_S + 1
    assert sorted(remove_leftovers(sqlite_url, now=later)) == sorted([writing_now, exporting_now])
    assert all(path.exists() for path in unrelated)


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def test_a_folder_found_clean_leaves_the_list_only_when_noted_a_while_ago(tmp_path: Path) -> None:
    exports = tmp_path / "导出"
    exports.mkdir()
    note_output_folder(exports)
    remove_leftovers(None)  # noted just now: its export may not have begun
    assert str(exports.resolve()) in journal_path().read_text(encoding="utf-8")
    remove_leftovers(None, now=time.time() + MIN_AGE_S + 1)
    assert str(exports.resolve()) not in journal_path().read_text(encoding="utf-8")

    # A file killed later in a folder noted again is found again.
    note_output_folder(exports)
    killed = _age(_touch(exports / ".台账-abcd1234.xlsx.part"), MIN_AGE_S + 60)
    assert remove_leftovers(None) == [killed]


def test_leftovers_never_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal_path().parent.mkdir(parents=True, exist_ok=True)
    journal_path().write_text("not json", encoding="utf-8")
    assert remove_leftovers(None) == []
    journal_path().write_text('["an", "older", "list"]', encoding="utf-8")
    assert remove_leftovers(None) == []
    note_output_folder(tmp_path / "gone")  # a folder that does not exist
    assert remove_leftovers(None, now=time.time() + MIN_AGE_S + 1) == []
    monkeypatch.setattr(leftovers, "data_dir", lambda: Path("/proc/no-such-folder"))
    note_output_folder(tmp_path)  # cannot be written: logged, no error
    assert remove_leftovers(None) == []
    assert list_backups(tmp_path / "ledger.sqlite3") == []
