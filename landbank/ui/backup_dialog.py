"""文件 → 备份与恢复…: the ledger's backups (date, kind, size, file), 立即备份, 恢复所选…, and
打开所在文件夹.

Backups and restores run on the backup thread (:mod:`landbank.ui.backup_jobs`) with a progress
bar; the buttons wait meanwhile. A restore asks first, naming the backup's date and kind and
saying that the current ledger is backed up first; the engine's pooled connections are closed
before it, and :attr:`BackupDialog.restored` tells the main window to reload its lists.

A ledger on a PostgreSQL server is backed up by the server's administrator (pg_dump): the dialog
says so and offers nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.backups import (
    KEEP_BEFORE_RESTORE,
    KEEP_DAILY,
    KEEP_UPGRADE,
    KEEP_WEEKLY,
    size_text,
)
from landbank.services.backup.backups import (
    SERVER_BACKUPS,
    Restored,
    backup_now,
    ledger_backups,
    restore_backup,
)
from landbank.store.backup import Backup, Progress, backup_folder
from landbank.store.engine import sqlite_path
from landbank.ui.backup_jobs import BackupJob
from landbank.ui.context import AppContext

COLUMNS = ("日期", "类型", "大小", "文件")


def _tr(text: str) -> str:
    return QCoreApplication.translate("backup", text)


class BackupDialog(QDialog):
    restored = Signal()  # the ledger was replaced: reload every list
    job_done = Signal(bool)  # a backup or restore ended (True: it worked)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.url = ctx.engine.url.render_as_string(hide_password=False)
        self.ledger = sqlite_path(self.url)
        self.backups: list[Backup] = []
        self.job: BackupJob | None = None
        self.setWindowTitle(_tr("备份与恢复"))
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar(self)
        self.progress.hide()
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        self.backup_button = QPushButton(_tr("立即备份"), self)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(_tr("恢复所选…"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button = QPushButton(_tr("打开所在文件夹"), self)
        self.folder_button.clicked.connect(self.open_folder)
        for button in (self.backup_button, self.restore_button, self.folder_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        if self.ledger is None:
            self.intro.setText(SERVER_BACKUPS)
            self.table.hide()
            for button in (self.backup_button, self.restore_button, self.folder_button):
                button.hide()
        else:
            self.intro.setText(
                _tr(
                    "台账：{ledger}\n备份文件夹：{folder}\n"
                    "每天打开或关闭软件时自动备份一次；保留最近 {daily} 份每日备份、{weekly} 份每周备份、"
                    "{upgrade} 份升级前和 {before} 份恢复前备份，手动备份一直保留到删除。"
                ).format(
                    ledger=str(self.ledger),
                    folder=str(backup_folder(self.ledger)),
                    daily=KEEP_DAILY,
                    weekly=KEEP_WEEKLY,
                    upgrade=KEEP_UPGRADE,
                    before=KEEP_BEFORE_RESTORE,
                )
            )
            self.reload()

    # -------------------------------------------------------------- the list

    def reload(self) -> None:
        """Read the backup folder again."""
        if self.ledger is None:
            return
        self.backups = ledger_backups(self.url)
        self.table.setRowCount(len(self.backups))
        folder = backup_folder(self.ledger)
        for row, backup in enumerate(self.backups):
            name = backup.path.name if backup.path.parent == folder else str(backup.path)
            cells = (
                backup.taken.strftime("%Y-%m-%d %H:%M"),
                backup.kind.label,
                size_text(backup.size),
                name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        if not self.backups:
            self.status.setText(_tr("还没有备份。"))
        self._update_buttons()

    def selected_backup(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        idle = self.job is None
        self.backup_button.setEnabled(idle)
        self.restore_button.setEnabled(idle and self.selected_backup() is not None)

    # -------------------------------------------------------------- commands

    def backup_now(self) -> None:
        url = self.url

        def work(progress: Progress) -> object:
            return backup_now(url, progress=progress)

        self._run(work, _tr("正在备份台账…"), self._backed_up)

    def _backed_up(self, path: object) -> None:
        assert isinstance(path, Path)
        self.reload()
        for row, backup in enumerate(self.backups):
            if backup.path == path:
                self.table.selectRow(row)
        self.status.setText(_tr("已备份到 {path}").format(path=str(path)))

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None or self.job is not None:
            return
        answer = QMessageBox.question(
            self,
            _tr("恢复台账"),
            _tr(
                "用 {date} 的{kind}备份恢复台账？\n\n"
                "恢复后，台账回到那时的内容，之后的修改都不再显示。"
                "恢复前会先把当前台账备份（恢复前备份），需要时可以再用它恢复回来。"
            ).format(date=backup.taken.strftime("%Y-%m-%d %H:%M"), kind=backup.kind.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        url, source = self.url, backup.path
        self.ctx.engine.dispose()  # no pooled connection holds the ledger during the restore

        def work(progress: Progress) -> object:
            return restore_backup(url, source, progress=progress)

        self._run(work, _tr("正在恢复台账…"), lambda result: self._restored(backup, result))

    def _restored(self, backup: Backup, result: object) -> None:
        assert isinstance(result, Restored)
        self.ctx.engine.dispose()  # nothing cached from before the restore
        self.reload()
        text = _tr("已用 {date} 的{kind}备份恢复台账。").format(
            date=backup.taken.strftime("%Y-%m-%d %H:%M"), kind=backup.kind.label
        )
        if result.before is not None:
            text += _tr("恢复前的台账已备份为 {name}。").format(name=result.before.name)
        self.status.setText(text)
        self.restored.emit()

    def open_folder(self) -> None:
        if self.ledger is None:
            return
        folder = backup_folder(self.ledger)
        QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(folder if folder.is_dir() else self.ledger.parent))
        )

    # -------------------------------------------------------------- running a job

    def _run(
        self, work: Callable[[Progress], object], what: str, done: Callable[[object], None]
    ) -> None:
        job = BackupJob(work, self)
        self.job = job
        self.status.setText(what)
        self.progress.setRange(0, 0)
        self.progress.show()
        self._update_buttons()

        def finished(result: object) -> None:
            self._job_ended()
            done(result)
            self.job_done.emit(True)

        def failed(reason: str) -> None:
            self._job_ended()
            self.reload()
            self.status.setText(reason)
            QMessageBox.warning(self, self.windowTitle(), reason)
            self.job_done.emit(False)

        job.connect(finished, failed, self._progress)
        job.start()

    def _progress(self, done: int, total: int) -> None:
        if done >= total:
            self.progress.setRange(0, 0)  # the copy is checked: no steps to count
        else:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _job_ended(self) -> None:
        self.job = None
        self.progress.hide()
        self._update_buttons()

    def reject(self) -> None:
        if self.job is not None:  # a backup or restore is running: it finishes first
            return
        super().reject()
