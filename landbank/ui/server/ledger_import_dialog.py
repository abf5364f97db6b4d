"""数据 → 导入县区台账…: the city administrator joins a county's own SQLite ledger to the city's
PostgreSQL ledger from the app (issue 14 item 7), as ``landbank server import-ledger`` does.

The import runs as the server's owner role through a superuser's address
(:func:`~landbank.services.server.ledger_transfer.import_ledger`), so, as in 用户与权限, the
superuser's password is asked (once per window, kept in memory only) unless the window's own
login is a superuser. First a dry run on a worker thread (a progress dialog with 取消: the dry
run writes nothing, so cancelling only stops waiting), its report in a dialog; with clashes the
import cannot proceed, else 导入 after a confirmation, then every list is refreshed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from landbank.services.errors import describe_error

if TYPE_CHECKING:  # the services and the password form are imported when first used
    from landbank.services.server.ledger_rows import TransferReport
    from landbank.ui.main_window import MainWindow

FILE_FILTER = "SQLite 台账 (*.sqlite3 *.sqlite *.db);;所有文件 (*)"


def ledger_import_refusal(window: MainWindow) -> str | None:
    """Why this login may not import a county ledger (None: the city administrator)."""
    rights = window.ctx.rights
    if rights.manages_accounts:
        return None
    return f"{rights.account()}不能导入县区台账：须由市级管理员导入"


def follow_ledger_rights(window: MainWindow) -> None:
    """The action: hidden on a single PC's ledger, disabled with the reason for others than
    the city administrator."""
    action = window.ledger_import_action
    rights = window.ctx.rights
    action.setVisible(rights.on_server)
    reason = ledger_import_refusal(window) if rights.on_server else None
    action.setEnabled(not reason)
    text = action.text().replace("&", "").rstrip("…")
    action.setToolTip(f"{text}：{reason}" if reason else "把县区的单机台账（SQLite）并入城市数据库")
    action.setStatusTip(reason or "")


# ---------------------------------------------------------------- the worker


class _Signals(QObject):
    finished = Signal(object)  # the TransferReport
    failed = Signal(str)  # the reason, in Chinese


class _Job(QRunnable):
    def __init__(self, work: Callable[[], TransferReport]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:  # on the worker thread: no widgets here
        from landbank.services.server.setup import ServerError

        try:
            report = self.work()
        except ServerError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            self.signals.failed.emit(describe_error(exc))
        else:
            self.signals.finished.emit(report)


# ---------------------------------------------------------------- the report


def report_html(report: TransferReport) -> str:
    """The dry run's (or import's) report: counties, what would be added, clashes, notes."""

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def items(lines: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"

    parts = [f"<p>台账 <b>{esc(report.source)}</b> → 城市数据库 <b>{esc(report.database)}</b></p>"]
    if report.clashes:  # first: they are why nothing can be imported
        parts.append(
            f"<h4 style='color:#b00020'>冲突 {len(report.clashes)} 处</h4>" + items(report.clashes)
        )
    if report.regions:
        parts.append("<h4>县区</h4>" + items(report.regions))
    added = [f"{kind.label} {n} 条" for kind, n in report.added.items() if n]
    added.append(f"修改记录 {report.history} 条")
    added.append(f"附件（照片、红线图等）{report.attachments} 个")
    added += report.table_lines()
    heading = "台账中的新记录（有冲突，不会写入）" if report.clashes else "将新增"
    parts.append(f"<h4>{heading}</h4>" + items(added))
    if report.same:
        same = [f"{kind.label} {n} 条" for kind, n in report.same.items()]
        if report.attachments_same:
            same.append(f"附件 {report.attachments_same} 个")
        parts.append("<h4>城市库已有、未改动的同一记录（跳过）</h4>" + items(same))
    if report.history_left:
        parts.append(
            f"<p>未导入的修改记录 {report.history_left} 条（已删除的记录、县区名单、设置）。</p>"
        )
    if report.notes:
        parts.append("<h4>说明</h4>" + items(report.notes))
    return "".join(parts)


class LedgerReportDialog(QDialog):
    """The dry run's report; 导入 when there is no clash, else why the import cannot proceed."""

    def __init__(self, report: TransferReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("导入县区台账：检查结果"))
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        if report.clashes:
            self.verdict.setText(
                self.tr(
                    "有 {n} 处冲突，不能导入：导入要么全部成功，要么什么也不写。"
                    "请先在县区台账或城市库中处理下列冲突，再重新导入。"
                ).format(n=len(report.clashes))
            )
            self.verdict.setStyleSheet("color: #b00020; font-weight: bold;")
        elif not report.anything_new:
            self.verdict.setText(self.tr("城市库已有这份台账的全部记录，没有需要导入的内容。"))
        else:
            tables = (
                self.tr("、标准地指标 {s} 行、亩均效益评价方法 {m} 个").format(
                    s=report.standards, m=report.schemes
                )
                if report.standards or report.schemes
                else ""
            )
            self.verdict.setText(
                self.tr(
                    "没有冲突，可以导入：共 {n} 条记录、{h} 条修改记录{t}。台账文件本身不会被改动。"
                ).format(n=report.total_added, h=report.history, t=tables)
            )
        layout.addWidget(self.verdict)
        self.text = QTextBrowser(self)
        self.text.setHtml(report_html(report))
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton(
            self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.can_import = not report.clashes and report.anything_new
        self.import_button.setVisible(self.can_import)
        close = buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(not self.can_import)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# ---------------------------------------------------------------- the command


class LedgerImport(QObject):
    """The 导入县区台账 command of one window (keeps the superuser's address in memory)."""

    done = Signal(object)  # the report of a job finished, or the reason it failed (str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._superuser: URL | None = None
        self._job: _Job | None = None
        self._progress: QProgressDialog | None = None
        self._cancelled = False
        self.path: Path | None = None

    def tr(self, text: str) -> str:  # type: ignore[override]
        return self.window.tr(text)

    def run(self) -> None:
        """Choose the file, then the dry run."""
        reason = ledger_import_refusal(self.window)
        if reason:
            self.window.show_message(reason)
            return
        name, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("选择县区台账"), "", self.tr(FILE_FILTER)
        )
        if name:
            self.check(Path(name))

    def superuser_url(self) -> str | None:
        """The superuser's address: the window's own when it is a superuser, else asked."""
        from landbank.ui.users_dialog import PasswordForm

        engine_url = self.window.ctx.engine.url
        if self.window.ctx.rights.superuser:
            return engine_url.render_as_string(hide_password=False)
        if self._superuser is None:
            form = PasswordForm(
                self.tr("服务器超级用户"),
                self.tr("导入县区台账须由数据库服务器的超级用户执行（密码只在本次运行中记住）："),
                "postgres",
                fixed=False,
                parent=self.window,
            )
            if form.exec() != QDialog.DialogCode.Accepted or not form.login.text().strip():
                return None
            self._superuser = engine_url.set(
                username=form.login.text().strip(), password=form.password.text() or None
            )
        return self._superuser.render_as_string(hide_password=False)

    def check(self, path: Path) -> None:
        """The dry run of ``path``; its report follows."""
        self.path = path
        self._start(path, dry_run=True)

    def _start(self, path: Path, *, dry_run: bool) -> None:
        from landbank.services.server.ledger_transfer import import_ledger

        url = self.superuser_url()
        if url is None:
            return
        self._job = _Job(lambda: import_ledger(path, url, dry_run=dry_run))
        self._job.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._job.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        label = (
            self.tr("正在检查台账 {name}…") if dry_run else self.tr("正在导入台账 {name}…")
        ).format(name=path.name)
        progress = QProgressDialog(label, self.tr("取消") if dry_run else "", 0, 0, self.window)
        progress.setWindowTitle(self.tr("导入县区台账"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        if dry_run:  # the write is one transaction: it is not stopped halfway
            progress.canceled.connect(self._cancel)
        self._progress = progress
        self._cancelled = False
        QThreadPool.globalInstance().start(self._job)

    def _cancel(self) -> None:
        self._cancelled = True  # the dry run writes nothing: its answer is just dropped
        self.window.show_message(self.tr("已取消导入县区台账"))

    def _close_progress(self) -> bool:
        """Close the progress dialog; whether the job's answer is still wanted."""
        if self._progress is not None:
            self._progress.blockSignals(True)  # closing it is no 取消
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        return not self._cancelled

    def _failed(self, reason: str) -> None:
        wanted = self._close_progress()
        if "超级用户" in reason or "无法连接" in reason or "密码" in reason:
            self._superuser = None  # a wrong password is asked again next time
        if wanted:
            QMessageBox.warning(
                self.window,
                self.tr("导入县区台账"),
                self.tr("未能导入：{reason}").format(reason=reason),
            )
        self.done.emit(reason)

    def _finished(self, report: TransferReport) -> None:
        if not self._close_progress():
            self.done.emit(report)
            return
        if report.dry_run:
            self._show_report(report)
        elif report.written:
            self._imported(report)
        else:  # a clash found only by the database (a clerk saved meanwhile)
            self._show_report(report)
        self.done.emit(report)

    def _show_report(self, report: TransferReport) -> None:
        dialog = LedgerReportDialog(report, self.window)
        self.report_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.can_import:
            return
        answer = QMessageBox.question(
            self.window,
            self.tr("导入县区台账"),
            self.tr(
                "确定把台账 {name} 的 {n} 条记录和 {h} 条修改记录并入城市数据库吗？"
                "导入后各县区的账户即可看到这些记录。"
            ).format(name=report.source, n=report.total_added, h=report.history),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes and self.path is not None:
            self._start(self.path, dry_run=False)

    def _imported(self, report: TransferReport) -> None:
        self.window.refresh_all()
        parts = [f"{k.label} {n} 条" for k, n in report.added.items() if n]
        if report.standards:
            parts.append(f"标准地指标 {report.standards} 行")
        if report.schemes:
            parts.append(f"亩均效益评价方法 {report.schemes} 个")
        counts = "、".join(parts) or "无"
        self.window.show_message(
            self.tr("已导入台账 {name}：{counts}；修改记录 {h} 条").format(
                name=report.source, counts=counts, h=report.history
            ),
            3,
        )
