"""Copies of a live WAL ledger through SQLite's backup API: exactly what was committed, checked
before they get their name; files refused for a restore; a restore; the pre-upgrade copy."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from landbank.domain.backups import BackupKind
from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store import backup as store_backup
from landbank.store import migrate
from landbank.store.backup import (
    BackupError,
    backup_folder,
    check_ledger_file,
    list_backups,
    make_backup,
    restore_into,
    write_copy,
)
from landbank.store.engine import session_scope
from landbank.store.migrate import head_revision, open_database
from tests.store.test_migrate import EXTRA_REVISION

PARCELS = [
    ("HX2025-001", 117.35, "可供"),
    ("HX2025-002", 86.0, "意向锁定"),
    ("HX2025-003", 240.5, "可供"),
]


def _ledger(engine: Engine) -> None:
    """辉县市 with three parcels, saved as a clerk saves them (audited)."""
    with session_scope(engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="李娜")
        for code, area, status in PARCELS:
            create_record(
                s,
                RecordKind.PARCEL,
                {"code": code, "region_id": region.id, "area_mu": area, "readiness": "净地(可供)", "status": status},
                user="李娜",
            )


def _codes(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute("SELECT code FROM parcel ORDER BY code")]


def _ledger_path(engine: Engine) -> Path:
    assert engine.url.database is not None
    return Path(engine.url.database)


def test_backup_of_a_ledger_being_written_holds_exactly_what_was_committed(
    engine: Engine, tmp_path: Path
) -> None:
    _ledger(engine)
    ledger = _ledger_path(engine)
    wal = ledger.with_name(ledger.name + "-wal")
    # The engine stays open: the saved parcels are in the WAL, not yet in the .sqlite3 file.
    assert wal.stat().st_size > 0
    plain_copy = tmp_path / "plain-copy.sqlite3"
    shutil.copyfile(ledger, plain_copy)
    with sqlite3.connect(plain_copy) as conn:  # why a file copy is no backup: not even tables
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)

    # Another clerk is saving: a parcel written but not committed.
    writer = sqlite3.connect(ledger, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO parcel (uuid, version, created_at, updated_at, code, region_id, area_mu, "
        "readiness, status) VALUES ('u-new', 1, '2026-12-04', '2026-12-04', 'HX2025-004', 1, 33, "
        "'拟收储', '可供')"
    )
    target = backup_folder(ledger) / "copy.sqlite3"
    target.parent.mkdir()
    write_copy(ledger, target)
    writer.execute("COMMIT")
    writer.close()

    assert _codes(target) == ["HX2025-001", "HX2025-002", "HX2025-003"]
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] >= 4
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    assert [p.name for p in target.parent.iterdir()] == ["copy.sqlite3"]  # no temporary left
    assert _codes(ledger) == ["HX2025-001", "HX2025-002", "HX2025-003", "HX2025-004"]


def _corrupting(real: Callable[..., None], damage: Callable[[Path], None]) -> Callable[..., None]:
    def copy(source: sqlite3.Connection, target: Path, progress: object) -> None:
        real(source, target, progress)
        damage(target)

    return copy


def _scramble_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, 3 * page):
        data[offset + 8 : offset + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))


def _drop_a_parcel(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM parcel WHERE code = 'HX2025-002'")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [(_scramble_pages, "未通过完整性检查"), (_drop_a_parcel, "行数与台账不一致（parcel 2/3）")],
)
def test_a_copy_failing_its_check_leaves_no_file(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[Path], None],
    reason: str,
) -> None:
    _ledger(engine)
    ledger = _ledger_path(engine)
    monkeypatch.setattr(store_backup, "copy_pages", _corrupting(store_backup.copy_pages, damage))
    with pytest.raises(BackupError, match=reason):
        make_backup(ledger, BackupKind.MANUAL, now=datetime(2026, 12, 4, 9, 30))
    assert list(backup_folder(ledger).iterdir()) == []  # neither a backup nor a temporary
    assert list_backups(ledger) == []


def test_backups_are_named_listed_and_rotated(engine: Engine) -> None:
    _ledger(engine)
    ledger = _ledger_path(engine)
    start = datetime(2026, 10, 1, 9, 30)
    for day in range(40):  # the app opened every day for 40 days
        make_backup(ledger, BackupKind.DAILY, now=start + timedelta(days=day))
    manual = make_backup(ledger, BackupKind.MANUAL, now=datetime(2026, 10, 2, 15, 0))
    again = make_backup(ledger, BackupKind.MANUAL, now=datetime(2026, 10, 2, 15, 0, 40))
    assert (manual.name, again.name) == (
        "ledger-2026-10-02-1500-manual.sqlite3",
        "ledger-2026-10-02-1500-manual-2.sqlite3",
    )
    listed = list_backups(ledger)
    dailies = [b.taken.date().isoformat() for b in listed if b.kind is BackupKind.DAILY]
    # 7 dailies (3–9 Nov) and the Sundays of the 4 weeks before (weeks 41–44).
    assert dailies == [
        "2026-11-09",
        "2026-11-08",
        "2026-11-07",
        "2026-11-06",
        "2026-11-05",
        "2026-11-04",
        "2026-11-03",
        "2026-11-01",
        "2026-10-25",
        "2026-10-18",
        "2026-10-11",
    ]
    assert [b.path for b in listed if b.kind is BackupKind.MANUAL] == [again, manual]
    assert {p.name for p in backup_folder(ledger).iterdir()} == {b.path.name for b in listed}
    assert all(b.size == listed[0].size > 100_000 for b in listed)
    assert listed[0].path.name == "ledger-2026-11-09-0930-daily.sqlite3"


# ---------------------------------------------------------------- files refused for a restore


def test_a_sound_ledger_file_passes(engine: Engine) -> None:
    _ledger(engine)
    backup = make_backup(_ledger_path(engine), BackupKind.MANUAL)
    assert check_ledger_file(backup) == head_revision()


def _refusal(path: Path) -> str:
    with pytest.raises(BackupError) as refused:
        check_ledger_file(path)
    return str(refused.value)


def test_files_that_are_no_landbank_ledger_are_refused(tmp_path: Path, engine: Engine) -> None:
    assert _refusal(tmp_path / "无此文件.sqlite3").startswith("文件不存在：")
    assert _refusal(tmp_path).startswith("不是文件：")
    sheet = tmp_path / "地块台账.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    assert _refusal(sheet) == "地块台账.xlsx 不是 landbank 台账（不是 SQLite 数据库文件）。"
    other = tmp_path / "customers.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
    assert "不是 landbank 台账（没有数据表 alembic_version、region、parcel）" in _refusal(other)

    _ledger(engine)
    ledger = _ledger_path(engine)
    newer = make_backup(ledger, BackupKind.MANUAL)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    assert "由更新版本的 landbank 创建（架构版本 f00dcafe）" in _refusal(newer)

    damaged = make_backup(ledger, BackupKind.MANUAL, now=datetime(2026, 1, 1))
    _scramble_pages(damaged)
    assert "已损坏" in _refusal(damaged)


def test_restore_puts_the_backup_back(engine: Engine) -> None:
    _ledger(engine)
    ledger = _ledger_path(engine)
    backup = make_backup(ledger, BackupKind.MANUAL)
    with engine.begin() as conn:  # work after the backup, then regretted
        conn.execute(text("DELETE FROM parcel WHERE code = 'HX2025-001'"))
        conn.execute(text("UPDATE parcel SET area_mu = 1 WHERE code = 'HX2025-003'"))
    steps: list[tuple[int, int]] = []
    restore_into(ledger, backup, progress=lambda done, total: steps.append((done, total)))
    assert steps
    assert steps[-1][0] == steps[-1][1]
    # The engine's pooled connections read the restored ledger.
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT code, area_mu FROM parcel ORDER BY code")).all()
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert rows == [(code, area) for code, area, _ in PARCELS]


# ---------------------------------------------------------------- before a schema upgrade


def test_the_pre_upgrade_backup_is_made_through_the_api_and_rotated(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(sqlite_url)
    _ledger(engine)  # kept open: the parcels are still in the WAL
    ledger = _ledger_path(engine)
    head = head_revision()
    # Earlier upgrades: two copies in the backup folder, two of an older landbank beside it.
    for month in (3, 6):
        make_backup(ledger, BackupKind.UPGRADE, now=datetime(2026, month, 1, 8, 0))
    legacy = ledger.with_name(f"ledger.backup-0003-20260901-080000{ledger.suffix}")
    shutil.copyfile(list_backups(ledger)[0].path, legacy)
    empty = ledger.with_name(f"ledger.backup-0004-20261001-080000{ledger.suffix}")
    empty.write_bytes(b"")  # what a copy killed midway left: a name and no tables
    listed = [b.path for b in list_backups(ledger)]
    assert listed[0] == legacy
    assert empty not in listed  # no backup: nothing in it
    assert len(listed) == 3

    later = tmp_path / "later_migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, later)
    (later / "versions" / "9001_extra.py").write_text(EXTRA_REVISION.format(head=head), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", later)
    upgraded = open_database(sqlite_url)
    upgraded.dispose()
    engine.dispose()

    upgrades = [b for b in list_backups(ledger) if b.kind is BackupKind.UPGRADE]
    assert [b.taken.month for b in upgrades][1:] == [9, 6]  # the oldest and the empty file went
    assert upgrades[1].path == legacy
    assert not empty.exists()
    newest = upgrades[0].path
    assert newest.parent == tmp_path / "备份"
    assert newest.name.startswith("ledger-")
    assert newest.name.endswith("-upgrade.sqlite3")
    assert _codes(newest) == ["HX2025-001", "HX2025-002", "HX2025-003"]
    with sqlite3.connect(newest) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)


def test_a_backup_of_another_page_size_is_restored_once_the_ledger_is_closed(engine: Engine) -> None:
    """A ledger made by a SQLite with 8 KB pages: WAL must be left for the restore, which
    another open connection prevents."""
    _ledger(engine)
    ledger = _ledger_path(engine)
    backup = make_backup(ledger, BackupKind.MANUAL)
    with sqlite3.connect(backup) as conn:
        conn.execute("PRAGMA page_size=8192")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone() == (8192,)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM parcel"))
    with engine.connect() as held:  # the ledger open in another window
        held.execute(text("SELECT 1"))
        with pytest.raises(BackupError, match="页面大小与台账不同"):
            restore_into(ledger, backup)
    assert _codes(ledger) == []  # unchanged
    engine.dispose()
    restore_into(ledger, backup)
    assert _codes(ledger) == ["HX2025-001", "HX2025-002", "HX2025-003"]
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
