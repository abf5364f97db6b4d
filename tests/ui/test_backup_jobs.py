"""The daily backup when the window opens (in the background, leftovers tidied first, the status
bar says so) and when the app closes; at most one a day."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from landbank.domain.backups import BackupKind
from landbank.services.backup.leftovers import MIN_AGE_S
from landbank.settings import Settings
from landbank.store.backup import BackupError, backup_folder, list_backups, make_backup
from landbank.ui import backup_jobs
from landbank.ui.backup_jobs import backup_on_close, backup_on_open, backup_pool
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from tests.ui.conftest import Ledger


def _ledger(ctx: AppContext) -> Path:
    assert ctx.engine.url.database is not None
    return Path(ctx.engine.url.database)


def _dailies(ctx: AppContext) -> list[Path]:
    return [b.path for b in list_backups(_ledger(ctx)) if b.kind is BackupKind.DAILY]


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, small_ledger: Ledger) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


def _opened(qtbot: QtBot, window: MainWindow) -> None:
    backup_on_open(window)
    assert backup_pool().waitForDone(30_000)
    qtbot.wait(50)  # the queued result reaches the window


def test_opening_makes_the_days_backup_once(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    folder = backup_folder(_ledger(ctx))
    folder.mkdir()
    killed = folder / ".ledger-2026-12-01-0900-daily-abcd1234.sqlite3.part"
    killed.write_bytes(b"half a copy")
    past = time.time() - MIN_AGE_S - 60
    os.utime(killed, (past, past))

    _opened(qtbot, window)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "已自动备份台账（每日备份）")
    assert not killed.exists()  # what a killed backup left, gone
    dailies = _dailies(ctx)
    assert len(dailies) == 1
    assert dailies[0].name.startswith(f"ledger-{datetime.now():%Y-%m-%d}-")

    window.statusBar().clearMessage()
    _opened(qtbot, window)  # opened again the same day
    assert _dailies(ctx) == dailies
    assert window.statusBar().currentMessage() == ""


def test_a_failed_daily_backup_is_told(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(_url: str, **_kwargs: object) -> Path:
        raise BackupError("没有写入权限")

    monkeypatch.setattr(backup_jobs, "daily_backup", fail)
    _opened(qtbot, window)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "自动备份失败：没有写入权限")


def test_closing_makes_the_days_backup_when_none_exists(
    ctx: AppContext, small_ledger: Ledger
) -> None:
    ledger = _ledger(ctx)
    make_backup(ledger, BackupKind.DAILY, now=datetime(2020, 1, 1, 9, 0))  # the app open since
    backup_on_close(ctx)
    dailies = _dailies(ctx)
    assert len(dailies) == 2
    assert dailies[0].name.startswith(f"ledger-{datetime.now():%Y-%m-%d}-")
    backup_on_close(ctx)  # closed again the same day
    assert _dailies(ctx) == dailies


def test_closing_on_a_server_ledger_does_nothing(
    isolated_settings: Settings, tmp_path: Path
) -> None:
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/landbank")  # not connected
    backup_on_close(AppContext(engine, isolated_settings))
    assert not (tmp_path / "备份").exists()
