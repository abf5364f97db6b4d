"""What the import wizard's pages share: the state they read and change, small widget helpers,
and the loader that previews a file on the worker. The pages are one a module: file_page,
sheet_page, mapping_page; the dry run and the import are run_pages.

Pages read and change the state the wizard keeps (:class:`ImportState`: the preview and the
choices). Reading the file and finding sheet, header and columns
(:func:`landbank.services.importing.preview.preview_import`) runs on the wizard's read pool through
a :class:`PreviewLoader` (a busy bar with Cancel; the page waits and its Next button is off);
the dry run and the import (:mod:`landbank.ui.importing.run_pages`) through
:class:`landbank.ui.importing.worker.ImportJob`.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.services.importing.importer import DuplicatePolicy
from landbank.services.importing.preview import ImportPreview
from landbank.services.importing.report import ImportReport
from landbank.ui.context import AppContext
from landbank.ui.importing.worker import ImportOptions, PreviewJob, PreviewRequest

FILE_FILTER = QCoreApplication.translate(
    "ImportWizard", "表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv)"
)
PREVIEW_ROWS = 20
MAX_PREVIEW_COLUMN_WIDTH = 240  # px
RAW_ROWS = 30  # the top of the sheet shown as it is, to pick the header row
RAW_COLUMNS = 60
MAX_RAW_COLUMN_WIDTH = 160  # px
HEADER_ROW_COLOUR = QColor("#ffe699")
NOT_IMPORTED = "（不导入）"
ERROR_STYLE = "color: #c00000;"
POLICIES: tuple[tuple[DuplicatePolicy, str], ...] = (
    ("update", "更新"),
    ("skip", "跳过"),
    ("stop", "停止"),
)


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


class ImportState(Protocol):
    """What the pages need from the wizard."""

    ctx: AppContext
    kind: RecordKind
    preview: ImportPreview | None
    mapping: tuple[str | None, ...]
    on_duplicate: DuplicatePolicy
    all_land_uses: bool
    sheets: tuple[str, ...]  # several sheets of one layout, ticked on the sheet page
    defaults: dict[str, str]  # the clerk's defaults by field key
    region: str | None  # the county of rows naming none
    create_regions: bool
    pool: QThreadPool  # the dry run and the import
    read_pool: QThreadPool  # reading the file for the preview

    def import_options(self) -> ImportOptions: ...

    def report_imported(self, report: ImportReport) -> None: ...


def error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def read_only_table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)  # one line
    table.setWordWrap(False)
    return table


def table_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def column_letter(index: int) -> str:
    """Column ``index`` (0-based) as Excel names it: A … Z, AA …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class PreviewLoader(QWidget):
    """Builds a preview for a page on the wizard's read pool, showing what it does, a busy bar
    and Cancel meanwhile. One job at a time: a new :meth:`load` abandons the one before, whose
    late result is dropped. Emits :attr:`loaded`, :attr:`failed` (the reason, in Chinese) or,
    after Cancel, :attr:`cancelled`."""

    loaded = Signal(object)  # ImportPreview
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.job: PreviewJob | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # reading gives no steps: busy
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(tr("取消(&C)"), self)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.hide()

    @property
    def busy(self) -> bool:
        return self.job is not None

    @property
    def request(self) -> PreviewRequest | None:
        return self.job.request if self.job is not None else None

    def load(self, request: PreviewRequest, message: str) -> None:
        if self.job is not None:
            self.job.cancel()
        job = PreviewJob(request, parent=self)
        job.connect(self._finished, self._failed)
        self.job = job
        self.label.setText(message)
        self.show()
        job.start(self.state.read_pool)

    def cancel(self) -> None:
        if self.job is None:
            return
        self.job.cancel()
        self.job = None
        self.hide()
        self.cancelled.emit()

    def _end(self) -> bool:
        """Whether the signal being handled ends the job waited for (others are dropped)."""
        signals = self.sender()
        current = self.job is not None and signals is self.job.signals
        if signals is not None:
            signals.deleteLater()  # a job emits once
        if current:
            self.job = None
            self.hide()
        return current

    def _finished(self, result: object) -> None:
        if self._end() and isinstance(result, ImportPreview):
            self.loaded.emit(result)

    def _failed(self, reason: str) -> None:
        if self._end():
            self.failed.emit(reason)
