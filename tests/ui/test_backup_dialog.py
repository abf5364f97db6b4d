"""文件 → 备份与恢复: the list (kind, date, size with its unit), 立即备份, a restore only after the
question (No keeps everything; Yes restores, backs the current ledger up first and reloads the
window's lists), Enter and double-click, 从文件恢复…, the folder, and a ledger on a server."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from landbank.domain.backups import BackupKind
from landbank.domain.enums import RecordKind
from landbank.settings import Settings
from landbank.store.backup import backup_folder, list_backups, make_backup
from landbank.ui import backup_dialog
from landbank.ui.backup_dialog import BackupDialog
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from tests.ui.conftest import Ledger

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No
SIZE = re.compile(r"^\d+(\.\d)? (KB|MB)$")


def _ledger(ctx: AppContext) -> Path:
    assert ctx.engine.url.database is not None
    return Path(ctx.engine.url.database)


def _codes(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM parcel ORDER BY code")]


def _delete_bj(ctx: AppContext) -> None:
    """The day's mistake: 滨江区's parcels deleted."""
    with ctx.write_session() as s:
        s.execute(text("DELETE FROM parcel WHERE code LIKE 'BJ-%'"))


def _text(item: QTableWidgetItem | None) -> str:
    assert item is not None
    return item.text()


def _cells(dialog: BackupDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [_text(table.item(row, column)) for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def _select(dialog: BackupDialog, path: Path) -> None:
    row = next(i for i, b in enumerate(dialog.backups) if b.path == path)
    dialog.table.selectRow(row)
    dialog.table.setCurrentCell(row, 0)


class Questions:
    """Stands in for QMessageBox.question: records the questions, gives ``answer``."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(
        self, _parent: Any, _title: str, question: str, *_args: Any
    ) -> QMessageBox.StandardButton:
        self.asked.append(question)
        return self.answer


@pytest.fixture
def backups(ctx: AppContext, small_ledger: Ledger) -> dict[BackupKind, Path]:
    """One backup of each kind, of the small ledger (four parcels)."""
    ledger = _ledger(ctx)
    return {
        kind: make_backup(ledger, kind, now=datetime(2026, 11, day, 9, 30))
        for day, kind in zip(
            (20, 21, 22, 23),
            (BackupKind.DAILY, BackupKind.UPGRADE, BackupKind.BEFORE_RESTORE, BackupKind.MANUAL),
            strict=True,
        )
    }


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext, backups: dict[BackupKind, Path]) -> BackupDialog:
    dlg = BackupDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_the_list_shows_kind_date_and_size(
    dialog: BackupDialog, backups: dict[BackupKind, Path]
) -> None:
    headers = [
        _text(dialog.table.horizontalHeaderItem(c)) for c in range(dialog.table.columnCount())
    ]
    assert headers == ["日期", "类型", "大小", "文件"]
    cells = _cells(dialog)
    assert [row[0] for row in cells] == [
        "2026-11-23 09:30",
        "2026-11-22 09:30",
        "2026-11-21 09:30",
        "2026-11-20 09:30",
    ]
    assert [row[1] for row in cells] == ["手动", "恢复前", "升级前", "每日"]
    assert all(SIZE.match(row[2]) for row in cells), cells
    assert [row[3] for row in cells] == [
        backups[k].name
        for k in (
            BackupKind.MANUAL,
            BackupKind.BEFORE_RESTORE,
            BackupKind.UPGRADE,
            BackupKind.DAILY,
        )
    ]
    assert "备份文件夹：" in dialog.intro.text()
    assert "保留最近 7 份每日备份、4 份每周备份" in dialog.intro.text()
    assert not dialog.restore_button.isEnabled()  # nothing selected yet
    for button in (
        dialog.backup_button,
        dialog.restore_button,
        dialog.file_button,
        dialog.folder_button,
    ):
        assert "&" in button.text(), button.text()  # a keyboard shortcut each


def test_dates_of_today_and_yesterday_say_so() -> None:
    today = datetime(2026, 12, 5, 7, 13).date()
    assert (
        backup_dialog.date_text(datetime(2026, 12, 5, 7, 13), today) == "2026-12-05 07:13（今天）"
    )
    assert (
        backup_dialog.date_text(datetime(2026, 12, 4, 18, 0), today) == "2026-12-04 18:00（昨天）"
    )
    assert backup_dialog.date_text(datetime(2026, 12, 3, 18, 0), today) == "2026-12-03 18:00"


def test_backup_now_adds_one(qtbot: QtBot, dialog: BackupDialog, ctx: AppContext) -> None:
    with qtbot.waitSignal(dialog.job_done, timeout=30_000) as done:
        dialog.backup_button.click()
    assert done.args == [True]
    assert dialog.table.rowCount() == 5
    newest = dialog.backups[0]
    assert newest.kind is BackupKind.MANUAL
    assert _cells(dialog)[0][1] == "手动"
    assert "（今天）" in _cells(dialog)[0][0]
    assert dialog.selected_backup() == newest
    assert dialog.status.text() == f"已备份到 {newest.path}"
    assert _codes(newest.path) == _codes(_ledger(ctx))
    assert not dialog.progress.isVisible()
    assert dialog.backup_button.isEnabled()


def test_no_keeps_everything(
    dialog: BackupDialog,
    ctx: AppContext,
    backups: dict[BackupKind, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _delete_bj(ctx)
    questions = Questions(No)
    monkeypatch.setattr(QMessageBox, "question", questions)
    _select(dialog, backups[BackupKind.MANUAL])
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert len(questions.asked) == 1
    assert "用 2026-11-23 09:30 的手动备份恢复台账？" in questions.asked[0]
    assert "恢复前会先把当前台账备份" in questions.asked[0]
    assert dialog.job is None
    assert _codes(_ledger(ctx)) == ["QS-001", "QS-002"]
    assert sorted(b.path for b in list_backups(_ledger(ctx))) == sorted(backups.values())


def test_yes_restores_after_backing_the_ledger_up(
    qtbot: QtBot,
    dialog: BackupDialog,
    ctx: AppContext,
    backups: dict[BackupKind, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _delete_bj(ctx)
    monkeypatch.setattr(QMessageBox, "question", Questions(Yes))
    _select(dialog, backups[BackupKind.MANUAL])
    with qtbot.waitSignal(dialog.restored, timeout=30_000):
        dialog.restore_button.click()
    ledger = _ledger(ctx)
    assert _codes(ledger) == ["BJ-001", "BJ-002", "QS-001", "QS-002"]
    before = [
        b
        for b in dialog.backups
        if b.kind is BackupKind.BEFORE_RESTORE and b.path not in backups.values()
    ]
    assert len(before) == 1
    assert _codes(before[0].path) == ["QS-001", "QS-002"]  # the day's work, kept
    assert dialog.selected_backup() == before[0]
    assert dialog.status.text().startswith(
        "已用 2026-11-23 09:30 的手动备份恢复台账。恢复前的台账已备份为 "
    )
    # The context's engine reads the restored ledger.
    with ctx.session() as s:
        assert s.execute(text("SELECT count(*) FROM parcel")).scalar() == 4


def test_enter_and_double_click_ask_before_restoring(
    qtbot: QtBot,
    dialog: BackupDialog,
    backups: dict[BackupKind, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    questions = Questions(No)
    monkeypatch.setattr(QMessageBox, "question", questions)
    _select(dialog, backups[BackupKind.DAILY])
    dialog.table.setFocus()
    QTest.keyClick(dialog.table, Qt.Key.Key_Return)
    assert len(questions.asked) == 1
    assert "2026-11-20 09:30 的每日备份" in questions.asked[0]
    assert dialog.job is None  # Enter did not press 立即备份 either
    assert len(dialog.backups) == 4
    index = dialog.table.model().index(dialog.table.currentRow(), 0)
    dialog.table.doubleClicked.emit(index)
    assert len(questions.asked) == 2


def test_restore_from_a_file_elsewhere(
    qtbot: QtBot,
    dialog: BackupDialog,
    ctx: AppContext,
    backups: dict[BackupKind, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usb = tmp_path / "U盘"
    usb.mkdir()
    copy = usb / "交接.sqlite3"
    copy.write_bytes(backups[BackupKind.DAILY].read_bytes())
    photo = usb / "照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" * 500)
    _delete_bj(ctx)
    chosen = [str(photo), str(copy)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (chosen.pop(0), ""))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, message, *_a: warnings.append(message)
    )
    questions = Questions(Yes)
    monkeypatch.setattr(QMessageBox, "question", questions)

    dialog.file_button.click()  # a photo: refused before any question
    assert warnings == ["照片.jpg 不是 landbank 台账（不是 SQLite 数据库文件）。"]
    assert questions.asked == []
    assert _codes(_ledger(ctx)) == ["QS-001", "QS-002"]

    with qtbot.waitSignal(dialog.restored, timeout=30_000):
        dialog.file_button.click()
    assert "文件 交接.sqlite3（修改于 " in questions.asked[0]
    assert _codes(_ledger(ctx)) == ["BJ-001", "BJ-002", "QS-001", "QS-002"]
    assert sorted(p.name for p in usb.iterdir()) == ["交接.sqlite3", "照片.jpg"]  # nothing beside


def test_the_folder_opens(
    dialog: BackupDialog, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    dialog.folder_button.click()
    assert [Path(url.toLocalFile()) for url in opened] == [backup_folder(_ledger(ctx))]


def test_a_failed_backup_says_why(
    qtbot: QtBot, dialog: BackupDialog, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, message, *_a: warnings.append(message)
    )
    with qtbot.waitSignal(dialog.job_done, timeout=30_000) as done:
        dialog.backup_button.click()
    assert done.args == [False]
    assert warnings == [f"无法在文件夹 {backup_folder(_ledger(ctx))} 中写入备份：没有写入权限"]
    assert dialog.status.text() == warnings[0]
    assert dialog.table.rowCount() == 4
    assert dialog.backup_button.isEnabled()


def test_the_window_reloads_its_lists_after_a_restore(
    qtbot: QtBot,
    ctx: AppContext,
    backups: dict[BackupKind, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views[RecordKind.PARCEL]
    _delete_bj(ctx)
    window.refresh_all()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    monkeypatch.setattr(QMessageBox, "question", Questions(Yes))

    def run(dialog: BackupDialog) -> int:  # instead of the modal exec(): the clerk's clicks
        _select(dialog, backups[BackupKind.MANUAL])
        with qtbot.waitSignal(dialog.restored, timeout=30_000):
            dialog.restore_button.click()
        return 0

    monkeypatch.setattr(BackupDialog, "exec", run)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    assert window.statusBar().currentMessage() == "台账已恢复，列表已重新载入"


def test_a_ledger_on_a_server(qtbot: QtBot, isolated_settings: Settings) -> None:
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/landbank")  # not connected
    dlg = BackupDialog(AppContext(engine, isolated_settings))
    qtbot.addWidget(dlg)
    assert "pg_dump" in dlg.intro.text()
    assert dlg.table.isHidden()
    assert all(button.isHidden() for button in dlg.buttons)
