"""The last pages of the import wizard: the dry run (检查) and the import (导入).

Both run an :class:`landbank.ui.importing.worker.ImportJob` on the wizard's worker pool and show
its progress with a Cancel button; the results arrive by queued signal. Any row error found by
the dry run blocks the import: all rows or none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from landbank.services.importing.report import ImportReport, Progress, save_report_xlsx
from landbank.ui.importing.pages import (
    ImportState,
    error_label,
    read_only_table,
    show_error,
    table_item,
    tr,
)
from landbank.ui.importing.worker import ImportJob

WARNING_COLOUR = "#1f5fa8"  # warnings: possible, worth a look; errors stay black


class RunPage(QWizardPage):
    """A page running an :class:`ImportJob`: progress bar, Cancel, the report."""

    dry_run = True

    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.job: ImportJob | None = None
        self.report: ImportReport | None = None
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.progress_bar = QProgressBar(self)
        self.cancel_button = QPushButton(self.tr("取消(&C)"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button = QPushButton(self.tr("重新运行(&R)"), self)
        self.retry_button.clicked.connect(self.start)
        self.retry_button.hide()
        self.report_label = QLabel(self)
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = error_label(self)
        bar = QHBoxLayout()
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.retry_button)
        self.main_layout = QVBoxLayout(self)
        self.main_layout.addWidget(self.status_label)
        self.main_layout.addLayout(bar)
        self.main_layout.addWidget(self.error_label)
        # A report can be long (hundreds of new regions): it scrolls rather than being cut off.
        self.report_area = QScrollArea(self)
        self.report_area.setWidgetResizable(True)
        self.report_area.setFrameShape(QFrame.Shape.NoFrame)
        self.report_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_area.setWidget(self.report_label)
        self.report_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.main_layout.addWidget(self.report_area, 1)

    @property
    def running(self) -> bool:
        return self.job is not None

    def initializePage(self) -> None:
        self.start()

    def cleanupPage(self) -> None:
        """Back: cancel the run and forget it (its late signals are ignored); a run started
        when the page is shown again waits in the pool until the cancelled one has ended."""
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self.report = None

    def _current(self) -> bool:
        """Whether the signal being handled comes from the run this page is waiting for."""
        return self.job is not None and self.sender() is self.job.signals

    def start(self) -> None:
        if self.job is not None:
            return
        self.report = None
        self.report_label.clear()
        show_error(self.error_label, "")
        self.progress_bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.retry_button.hide()
        self.status_label.setText(self.tr("正在读取文件……"))
        self.clear_report()
        job = ImportJob(
            self.state.ctx.engine,
            self.state.import_options(),
            dry_run=self.dry_run,
            user=self.state.ctx.user,
            parent=self,
        )
        job.connect(self._progress, self._finished, self._failed)
        self.job = job
        self.completeChanged.emit()
        job.start(self.state.pool)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText(self.tr("正在取消……"))

    def _progress(self, step: object) -> None:
        if not isinstance(step, Progress) or not self._current():
            return
        assert self.job is not None
        if step.total:
            self.progress_bar.setRange(0, step.total)
            self.progress_bar.setValue(step.done)
        if not self.job.cancelled:
            self.status_label.setText(tr(step.message))

    def _done(self) -> None:
        if self.job is not None:
            self.job.signals.deleteLater()
        self.job = None
        self.cancel_button.hide()
        self.retry_button.show()
        self.progress_bar.setRange(0, 1)

    def _failed(self, reason: str) -> None:
        if not self._current():
            return
        self._done()
        self.progress_bar.setValue(0)
        self.status_label.setText(self.tr("未能完成。"))
        show_error(self.error_label, reason)
        self.completeChanged.emit()

    def _finished(self, result: object) -> None:
        if not self._current():
            return
        self._done()
        assert isinstance(result, ImportReport)
        self.report = result
        self.progress_bar.setValue(0 if result.cancelled else 1)
        self.show_report(result)
        self.completeChanged.emit()

    def clear_report(self) -> None:
        """Subclasses clear what :meth:`show_report` showed."""

    def show_report(self, report: ImportReport) -> None:
        raise NotImplementedError

    def summary(self, report: ImportReport) -> str:
        """The report without its error and warning lines (the table shows them): counts,
        sheets, defaults, counties recognised and created, parks, changes."""
        return report.describe(max_errors=0)

    def isComplete(self) -> bool:
        return self.job is None and self.report is not None and self.report.ok


class CheckPage(RunPage):
    """The dry run: what the import would do, and every row error."""

    ERROR_HEADERS = ("工作表", "行", "列", "值", "原因")

    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.setTitle(self.tr("检查"))
        self.setSubTitle(
            self.tr("先试导入一遍（不写入数据库）。有任何错误都不能导入，请改正文件后重新检查。")
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("开始导入(&I)"))
        self.errors_table = read_only_table(self, [tr(h) for h in self.ERROR_HEADERS])
        self.errors_table.horizontalHeader().setStretchLastSection(True)
        # Counties the import would create: the clerk confirms the list before importing.
        self.confirm_regions = QCheckBox(self)
        self.confirm_regions.toggled.connect(lambda _checked: self.completeChanged.emit())
        self.confirm_regions.hide()
        self.main_layout.insertWidget(self.main_layout.count() - 1, self.confirm_regions)
        self.save_button = QPushButton(self.tr("保存报告(&S)…"), self)
        self.save_button.clicked.connect(self.save_report)
        self.save_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        # The errors take most of the room when there are any; otherwise the report does.
        self.errors_box = QWidget(self)
        box = QVBoxLayout(self.errors_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.errors_table, 1)
        box.addLayout(buttons)
        self.main_layout.addWidget(self.errors_box, 3)
        self.ask_save_path: Callable[[], Path | None] = self._ask_save_path

    def clear_report(self) -> None:
        self.errors_table.setRowCount(0)
        self.errors_box.hide()
        self.save_button.setEnabled(False)
        self.confirm_regions.setChecked(False)
        self.confirm_regions.hide()

    def show_report(self, report: ImportReport) -> None:
        if report.cancelled:
            self.status_label.setText(self.tr("检查已取消。"))
        elif report.errors:
            self.status_label.setText(
                self.tr("发现 {n} 处错误，不能导入。").format(n=len(report.errors))
            )
        else:
            self.status_label.setText(self.tr("检查通过，可以导入。"))
        self.report_label.setText(self.summary(report))
        table = self.errors_table
        problems = [(p, "") for p in report.errors] + [(p, tr("提示：")) for p in report.warnings]
        table.setRowCount(len(problems))
        for r, (problem, prefix) in enumerate(problems):
            for c, text in enumerate(
                (problem.sheet, str(problem.row), problem.column, problem.value, prefix + problem.reason)
            ):
                item = table_item(text)
                if prefix:
                    item.setForeground(QBrush(QColor(WARNING_COLOUR)))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self.errors_box.setVisible(bool(problems))
        self.save_button.setEnabled(bool(problems))
        if report.ok and report.new_regions:
            self.confirm_regions.setText(
                self.tr("确认新建以上 {n} 个县区：{names}").format(
                    n=len(report.new_regions), names="、".join(report.new_regions)
                )
            )
            self.confirm_regions.show()

    def isComplete(self) -> bool:
        confirmed = self.confirm_regions.isHidden() or self.confirm_regions.isChecked()
        return super().isComplete() and confirmed

    def _ask_save_path(self) -> Path | None:
        preview = self.state.preview
        start = preview.path.with_name(preview.path.stem + "-错误报告.xlsx") if preview else Path()
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("保存错误报告"), str(start), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def save_report(self) -> Path | None:
        if self.report is None:
            return None
        path = self.ask_save_path()
        if path is None:
            return None
        try:
            save_report_xlsx(self.report, path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            show_error(
                self.error_label,
                self.tr("无法保存“{path}”：{reason}").format(path=str(path), reason=reason),
            )
            return None
        self.status_label.setText(self.tr("错误报告已保存到 {path}").format(path=str(path)))
        return path


class ImportPage(RunPage):
    """The real import, all rows or none."""

    dry_run = False

    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.setTitle(self.tr("导入"))
        self.setSubTitle(self.tr("全部行一起写入数据库，或一行也不写入：取消则不写入任何数据。"))
        self.retry_button.setText(self.tr("重新导入(&R)"))

    def show_report(self, report: ImportReport) -> None:
        if report.cancelled:
            self.status_label.setText(self.tr("导入已取消，数据库未作任何修改。"))
        elif not report.written:
            self.status_label.setText(self.tr("导入未执行，数据库未作任何修改。"))
        else:
            self.status_label.setText(
                self.tr("已导入 {n} 条。").format(n=report.created + report.updated)
            )
            self.retry_button.hide()
            self.state.report_imported(report)
        self.report_label.setText(report.describe(max_errors=20))

    def isComplete(self) -> bool:
        return self.job is None and self.report is not None and self.report.written
