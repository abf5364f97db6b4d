"""文件 → 备份与恢复…: the ledger's backups (date, kind, size, file), 立即备份, 恢复所选… (also a
double-click or Enter on a backup), 从文件恢复… (a backup elsewhere: a USB stick, a colleague's
copy) and 打开备份文件夹.

Backups and restores run on the backup thread (:mod:`landbank.ui.backup_jobs`) with a progress
bar; the buttons wait meanwhile. A restore asks first, naming the backup's date and kind and
saying that the current ledger is backed up first; the engine's pooled connections are closed
before it, and :attr:`BackupDialog.restored` tells the main window to reload its lists. A file
chosen to restore from is checked before the question (a file that is no ledger, damaged or of a
newer landbank is refused with the reason).

A ledger on a PostgreSQL server is backed up by the server's administrator (pg_dump): the dialog
says so and offers nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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
    BackupKind,
    parse_backup_name,
    size_text,
)
from landbank.services.backup.backups import (
    SERVER_BACKUPS,
    Restored,
    backup_now,
    check_backup_file,
    ledger_backups,
    restore_backup,
)
from landbank.store.backup import Backup, BackupError, Progress, backup_folder
from landbank.store.engine import sqlite_path
from landbank.ui.backup_jobs import BackupJob
from landbank.ui.context import AppContext

COLUMNS = ("日期", "类型", "大小", "文件")
KIND_TIPS = {
    BackupKind.DAILY: "每天第一次打开或最后关闭软件时自动备份",
    BackupKind.MANUAL: "点“立即备份”或用 landbank backup 做的备份，一直保留到删除",
    BackupKind.UPGRADE: "软件升级台账结构之前自动备份",
    BackupKind.BEFORE_RESTORE: "恢复备份之前，当时的台账",
}
FILE_FILTER = "landbank 台账 (*.sqlite3 *.sqlite *.db);;所有文件 (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("backup", text)


def date_text(taken: datetime, today: date | None = None) -> str:
    """“2026-12-05 07:13（今天）”: the date and minute, with 今天/昨天 when it is."""
    text = taken.strftime("%Y-%m-%d %H:%M")
    today = today or date.today()
    if taken.date() == today:
        return text + _tr("（今天）")
    if taken.date() == today - timedelta(days=1):
        return text + _tr("（昨天）")
    return text


def describe_file(path: Path) -> str:
    """How the question names a file to restore: “2026-12-04 09:30 的每日备份”, else the
    file's name and when it was last changed."""
    name = parse_backup_name(path.name)
    if name is not None:
        return _tr("{date} 的{kind}备份").format(
            date=date_text(name.taken), kind=_tr(name.kind.label)
        )
    changed = datetime.fromtimestamp(path.stat().st_mtime)
    return _tr("文件 {name}（修改于 {date}）").format(name=path.name, date=date_text(changed))


class _EnterRestores(QObject):
    """Enter or Return on the list restores the selected backup (after the question), instead
    of the dialog's default button."""

    def __init__(self, dialog: BackupDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.dialog.restore_selected()
            return True
        return False


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
        self.table.installEventFilter(_EnterRestores(self))
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.progress = QProgressBar(self)
        self.progress.hide()
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        self.backup_button = self._button(
            _tr("立即备份(&B)"),
            self.backup_now,
            _tr("现在备份台账到备份文件夹（手动备份，一直保留）"),
        )
        self.restore_button = self._button(
            _tr("恢复所选(&R)…"),
            self.restore_selected,
            _tr("用所选的备份替换当前台账（先确认；当前台账会先备份）。也可以双击备份或按回车"),
        )
        self.file_button = self._button(
            _tr("从文件恢复(&F)…"),
            self.restore_from_file,
            _tr("用别处的备份文件（如 U 盘上的）替换当前台账"),
        )
        self.folder_button = self._button(
            _tr("打开备份文件夹(&O)"), self.open_folder, _tr("在文件管理器中打开备份文件夹")
        )
        self.buttons = (
            self.backup_button,
            self.restore_button,
            self.file_button,
            self.folder_button,
        )
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)  # Esc closes
        row.addWidget(close)
        layout.addLayout(row)
        if self.ledger is None:
            self.intro.setText(SERVER_BACKUPS)
            self.table.hide()
            for button in self.buttons:
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

    def _button(self, text: str, slot: Callable[[], None], tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

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
            cells = (date_text(backup.taken), _tr(backup.kind.label), size_text(backup.size), name)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                tip = _tr(KIND_TIPS[backup.kind]) if column == 1 else str(backup.path)
                item.setToolTip(tip)
                self.table.setItem(row, column, item)
        if not self.backups:
            self.status.setText(_tr("还没有备份。点“立即备份”备份当前台账。"))
        self._update_buttons()

    def selected_backup(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        idle = self.job is None
        self.backup_button.setEnabled(idle)
        self.file_button.setEnabled(idle)
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
        """恢复所选…, a double-click or Enter: the selected backup, after the question."""
        backup = self.selected_backup()
        if backup is None or self.job is not None:
            return
        what = _tr("{date} 的{kind}备份").format(
            date=date_text(backup.taken), kind=_tr(backup.kind.label)
        )
        self.restore_file(backup.path, what)

    def restore_from_file(self) -> None:
        """从文件恢复…: a ledger file chosen anywhere, checked before the question."""
        if self.job is not None or self.ledger is None:
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _tr("选择要恢复的备份文件"), str(backup_folder(self.ledger)), _tr(FILE_FILTER)
        )
        if not chosen:
            return
        path = Path(chosen)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            check_backup_file(self.url, path)
            what = describe_file(path)
        except (BackupError, OSError) as exc:
            reason = str(exc) if isinstance(exc, BackupError) else f"{path}：{exc.strerror or exc}"
            self.status.setText(reason)
            QMessageBox.warning(self, self.windowTitle(), reason)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.restore_file(path, what)

    def restore_file(self, source: Path, what: str) -> None:
        """Ask, then replace the ledger by ``source`` (``what`` names it in the question)."""
        answer = QMessageBox.question(
            self,
            _tr("恢复台账"),
            _tr(
                "用 {what}恢复台账？\n\n"
                "恢复后，台账回到那时的内容，之后的修改都不再显示。"
                "恢复前会先把当前台账备份（恢复前备份），需要时可以再用它恢复回来。"
            ).format(what=what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        url = self.url
        self.ctx.engine.dispose()  # no pooled connection holds the ledger during the restore

        def work(progress: Progress) -> object:
            return restore_backup(url, source, progress=progress)

        self._run(work, _tr("正在恢复台账…"), lambda result: self._restored(what, result))

    def _restored(self, what: str, result: object) -> None:
        assert isinstance(result, Restored)
        self.ctx.engine.dispose()  # nothing cached from before the restore
        self.reload()
        text = _tr("已用 {what}恢复台账。").format(what=what)
        if result.before is not None:
            text += _tr("恢复前的台账已备份为 {name}。").format(name=result.before.name)
            for row, backup in enumerate(self.backups):
                if backup.path == result.before:
                    self.table.selectRow(row)
        if result.upgraded:
            text += _tr("备份来自较早的版本，已升级到本程序的版本。")
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
            self.status.setText(_tr("请等备份或恢复完成后再关闭。"))
            return
        super().reject()
