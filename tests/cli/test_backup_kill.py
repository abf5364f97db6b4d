"""``landbank backup`` killed at any moment of its copy: no file under a backup's name is
incomplete (each one there passes integrity_check and holds the ledger's rows), and what the
killed copies left under their temporary names goes at the next start.

The issue's finding: the old pre-upgrade copy, killed, left in 7 of 18 kills a file named
exactly like a backup with no tables in it."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from landbank.domain.backups import parse_backup_name
from landbank.services.backup.leftovers import MIN_AGE_S, PARTIAL_FILE
from landbank.store.backup import LEDGER_TABLES

KILLS = 10


def _grow(ledger: Path, parcels: int) -> None:
    """Some MB of parcels (with long notes), so a copy takes a while to kill."""
    with closing(sqlite3.connect(ledger)) as conn, conn:
        conn.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO parcel (uuid, version, created_at, updated_at, code, name, region_id,
                                area_mu, readiness, status, notes)
            SELECT lower(hex(randomblob(16))), 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00',
                   'K-' || i, '测试地块 ' || i, (SELECT min(id) FROM region), i, '净地(可供)',
                   '可供', hex(randomblob(300))
            FROM n
            """,
            (parcels,),
        )


def _parcels(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM parcel").fetchone()[0])


def _temporaries(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {name for name in os.listdir(folder) if PARTIAL_FILE.match(name)}


def _start(db: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "landbank", "backup", "--db", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for_copy(proc: subprocess.Popen[bytes], folder: Path, before: set[str]) -> bool:
    """Until the backup's temporary file appears (True) or the process ends (False)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _temporaries(folder) - before:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.002)
    raise AssertionError("landbank backup made no temporary file in 120 s")


@pytest.mark.slow
def test_a_killed_backup_never_leaves_a_broken_backup(demo_db: str) -> None:
    ledger = Path(demo_db)
    _grow(ledger, 40_000)
    rows = _parcels(ledger)
    folder = ledger.parent / "备份"

    # One whole run: how long the copy takes from its temporary file to its end.
    proc = _start(demo_db)
    assert _wait_for_copy(proc, folder, set())
    began = time.monotonic()
    assert proc.wait(timeout=120) == 0
    copy_s = time.monotonic() - began
    assert not _temporaries(folder)

    rng = random.Random(13)
    killed_midway = 0
    for _ in range(KILLS):
        before = _temporaries(folder)
        proc = _start(demo_db)
        if _wait_for_copy(proc, folder, before):
            time.sleep(rng.uniform(0, copy_s))
        proc.kill()
        proc.wait(timeout=60)
        killed_midway += bool(_temporaries(folder) - before)
    assert killed_midway, "no kill fell during a copy: the test proved nothing"

    backups = [folder / name for name in os.listdir(folder) if parse_backup_name(name)]
    assert backups  # the whole run's at least
    for path in backups:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path.name
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        assert set(LEDGER_TABLES) <= tables, path.name
        assert _parcels(path) == rows, path.name
    assert _parcels(ledger) == rows

    # The next start, once the temporaries are old enough not to be another landbank's work.
    leftovers = _temporaries(folder)
    assert leftovers
    past = time.time() - MIN_AGE_S - 60
    for name in leftovers:
        os.utime(folder / name, (past, past))
    listing = subprocess.run(
        [sys.executable, "-m", "landbank", "backup", "--list", "--db", demo_db],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert listing.returncode == 0, listing.stderr.decode("utf-8", "replace")
    assert not _temporaries(folder)
    assert sorted(folder / name for name in os.listdir(folder)) == sorted(backups)
