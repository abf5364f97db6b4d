"""The first pages of the import wizard: file, sheet and header row, columns.

Pages read and change the state the wizard keeps (:class:`ImportState`: the preview and the
choices). Reading the file and finding sheet, header and columns
(:func:`landbank.services.importing.preview.preview_import`) runs on the wizard's read pool through
a :class:`PreviewLoader` (a busy bar with Cancel; the page waits and its Next button is off);
the dry run and the import (:mod:`landbank.ui.importing.run_pages`) through
:class:`landbank.ui.importing.worker.ImportJob`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.services.importing.columns import map_columns, remember_mapping
from landbank.services.importing.importer import DuplicatePolicy
from landbank.services.importing.preview import ImportPreview, preview_table, same_layout
from landbank.services.importing.report import ImportReport
from landbank.services.importing.spreadsheet import Sheet, Workbook, cell_text
from landbank.store.queries import load_names
from landbank.ui.context import AppContext
from landbank.ui.importing.defaults_panel import DefaultsPanel
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


# ------------------------------------------------------------------ 1. the file


class FilePage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(self.tr("选择文件"))
        self.setSubTitle(
            self.tr(
                "选择要导入的台账文件（Excel、WPS 表格或 CSV）。导入前会先检查，有错误则不写入任何数据。"
            )
        )
        self.kind_label = QLabel(QCoreApplication.translate("kinds", state.kind.label), self)
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr("文件路径"))
        self.path_edit.editingFinished.connect(self._path_edited)
        self.browse_button = QPushButton(self.tr("浏览(&B)…"), self)
        self.browse_button.clicked.connect(self.browse)
        self.error_label = error_label(self)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.loader = PreviewLoader(state, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.cancelled.connect(self._cancelled)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("导入到："), self.kind_label)
        form.addRow(self.tr("文件："), row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.loader)
        layout.addWidget(self.error_label)
        layout.addWidget(self.info_label)
        layout.addStretch(1)

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择台账文件"), self.path_edit.text(), tr(FILE_FILTER)
        )
        if chosen:
            self.set_path(Path(chosen))

    def set_path(self, path: Path) -> None:
        """Read ``path`` on the worker; the page is complete once its preview has come."""
        self.path_edit.setText(str(path))
        self._load(path)

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        path, preview, request = Path(text), self.state.preview, self.loader.request
        if request is not None and request.path == path:
            return  # being read
        if preview is None or path != preview.path or request is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        show_error(self.error_label, "")
        self.info_label.clear()
        self.loader.load(
            PreviewRequest(self.state.kind, path),
            self.tr("正在读取“{name}”……").format(name=path.name),
        )
        self.completeChanged.emit()

    def _loaded(self, preview: ImportPreview) -> None:
        self.state.preview = preview
        text = self.tr("工作表“{sheet}”，表头在第 {row} 行，{n} 行数据").format(
            sheet=preview.sheet, row=preview.header_row, n=len(preview.rows)
        )
        if preview.profile:
            text += self.tr("；识别为{profile}文件").format(profile=preview.profile)
        self.info_label.setText(text)
        self.completeChanged.emit()

    def _failed(self, reason: str) -> None:
        self.state.preview = None
        show_error(self.error_label, reason)
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.info_label.setText(
            self.tr("已取消读取。请重新选择文件，或在路径框中按回车再次读取。")
        )
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        self.loader.cancel()

    def isComplete(self) -> bool:
        preview = self.state.preview
        return (
            not self.loader.busy
            and preview is not None
            and str(preview.path) == self.path_edit.text().strip()
        )


# ------------------------------------------------------------------ 2. sheet and header row


class SheetPage(QWizardPage):
    """Sheet and header row, with the top of the sheet as it is in the file (row numbers as
    Excel shows them, merged banners spanning their cells): the header row is highlighted, and
    clicking a row makes it the header row. Another choice is previewed on the worker from the
    file already read."""

    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(self.tr("工作表与表头"))
        self.setSubTitle(self.tr("已自动找出数据所在的工作表和表头行；如不对，请在这里改正。"))
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setMinimumContentsLength(16)
        self.header_spin = QSpinBox(self)
        self.header_spin.setRange(1, 1_000_000)
        self.header_spin.setMinimumWidth(100)
        self.error_label = error_label(self)
        self.headers_label = QLabel(self)
        self.headers_label.setWordWrap(True)
        self.rows_label = QLabel(self)
        self.rows_table = QTableWidget(0, 0, self)
        self.rows_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.rows_table.setWordWrap(False)
        self.rows_table.setCornerButtonEnabled(False)
        self.rows_table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        # Queued: the table is rebuilt for the new header row, not inside its own click.
        queued = Qt.ConnectionType.QueuedConnection
        self.rows_table.cellClicked.connect(self._row_clicked, queued)
        self.rows_table.verticalHeader().sectionClicked.connect(self._row_clicked, queued)
        self.loader = PreviewLoader(state, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.cancelled.connect(self._cancelled)
        # A workbook of one sheet per township: the sheets of the same layout, ticked.
        self.sheets_list = QListWidget(self)
        self.sheets_list.setFlow(QListWidget.Flow.LeftToRight)
        self.sheets_list.setWrapping(True)
        self.sheets_list.setMaximumHeight(self.fontMetrics().height() * 3 + 12)
        self.sheets_label = QLabel(self.tr("一并导入格式相同的工作表："), self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("工作表："), self.sheet_combo)
        form.addRow(self.tr("表头所在行："), self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sheets_label)
        layout.addWidget(self.sheets_list)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.rows_table, 1)
        layout.addWidget(self.loader)
        layout.addWidget(self.error_label)
        layout.addWidget(self.headers_label)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(self._row_changed)
        self._path: Path | None = None
        self.book: Workbook | None = None

    def initializePage(self) -> None:
        preview = self.state.preview
        assert preview is not None
        self._path = preview.path
        self.book = preview.book
        self._show(preview)
        show_error(self.error_label, "")

    def cleanupPage(self) -> None:
        self.loader.cancel()

    def _show(self, preview: ImportPreview) -> None:
        self.sheet_combo.blockSignals(True)
        self.header_spin.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheet_names)
        self.sheet_combo.setCurrentText(preview.sheet)
        self.header_spin.setValue(preview.header_row)
        self.sheet_combo.blockSignals(False)
        self.header_spin.blockSignals(False)
        self._show_rows(preview.sheet, preview.header_row, preview.header_last_row)
        self._show_sheets(preview)
        shown = [h for h in preview.headers if h]
        self.headers_label.setText(
            self.tr("表头：{headers}\n数据：{n} 行").format(
                headers="、".join(shown), n=len(preview.rows)
            )
        )

    def _show_sheets(self, preview: ImportPreview) -> None:
        """The file's sheets to tick, those of the same layout ticked (only when it has more
        than one such sheet)."""
        self.sheets_list.clear()
        sheets = same_layout(preview)
        several = sum(1 for _name, same in sheets if same) > 1
        for name, same in sheets:
            item = QListWidgetItem(name, self.sheets_list)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if name == preview.sheet:
                flags &= ~Qt.ItemFlag.ItemIsEnabled  # the sheet chosen above is always read
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if same else Qt.CheckState.Unchecked)
            if not same:
                item.setToolTip(self.tr("表头与所选工作表不同"))
        self.sheets_list.setVisible(several)
        self.sheets_label.setVisible(several)

    def ticked_sheets(self) -> tuple[str, ...]:
        """The sheets to import together (empty: the one chosen above only)."""
        if self.sheets_list.isHidden():
            return ()
        names = tuple(
            item.text()
            for i in range(self.sheets_list.count())
            if (item := self.sheets_list.item(i)) is not None
            and item.checkState() == Qt.CheckState.Checked
        )
        return names if len(names) > 1 else ()

    def validatePage(self) -> bool:
        self.state.sheets = self.ticked_sheets()
        return True

    # ------------------------------------------------------------ the top of the sheet

    def _sheet(self, name: str) -> Sheet | None:
        if self.book is None:
            return None
        return next((s for s in self.book.sheets if s.name == name), None)

    def _show_rows(self, name: str, first: int | None, last: int | None = None) -> None:
        """The first rows of sheet ``name`` as they are; rows ``first``–``last`` (as Excel
        numbers them) highlighted as the header."""
        sheet = self._sheet(name)
        rows = sheet.rows[:RAW_ROWS] if sheet is not None else []
        width = min(max((len(r) for r in rows), default=0), RAW_COLUMNS)
        table = self.rows_table
        table.clearSpans()
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(width)
        table.setHorizontalHeaderLabels([column_letter(c) for c in range(width)])
        table.setVerticalHeaderLabels([str(r + 1) for r in range(len(rows))])
        for r, row in enumerate(rows):
            for c, value in enumerate(row[:width]):
                text = cell_text(value)
                if text:
                    table.setItem(r, c, table_item(text))
        for block in sheet.merged if sheet is not None else ():
            if block.first_row >= len(rows) or block.first_col >= width:
                continue
            down = min(block.last_row, len(rows) - 1) - block.first_row + 1
            across = min(block.last_col, width - 1) - block.first_col + 1
            if down > 1 or across > 1:
                table.setSpan(block.first_row, block.first_col, down, across)
        table.resizeColumnsToContents()
        for c in range(width):
            table.setColumnWidth(c, min(table.columnWidth(c), MAX_RAW_COLUMN_WIDTH))
        table.resizeRowsToContents()
        header = range(first, (last or first) + 1) if first is not None else range(0)
        for number in header:
            self._highlight(number - 1)
        self.rows_label.setText(
            self.tr("工作表前 {n} 行（原样显示，底色为表头行；点击某一行即设为表头行）：").format(
                n=len(rows)
            )
            if rows
            else self.tr("这个工作表是空的。")
        )

    def _highlight(self, r: int) -> None:
        table = self.rows_table
        if not 0 <= r < table.rowCount():
            return
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                table.setItem(r, c, item)
            item.setBackground(QBrush(HEADER_ROW_COLOUR))
            font = item.font()
            font.setBold(True)
            item.setFont(font)

    def header_rows(self) -> list[int]:
        """The rows highlighted as the header, as Excel numbers them."""
        table = self.rows_table
        return [
            r + 1
            for r in range(table.rowCount())
            if (item := table.item(r, 0)) is not None and item.font().bold()
        ]

    def _row_clicked(self, row: int, _column: int = 0) -> None:
        self.header_spin.setValue(row + 1)

    # ------------------------------------------------------------ previewing another choice

    def _reload(self, header_row: int | None) -> None:
        assert self._path is not None
        sheet = self.sheet_combo.currentText()
        self._show_rows(sheet, header_row)
        self.headers_label.clear()
        show_error(self.error_label, "")
        self.loader.load(
            PreviewRequest(
                self.state.kind, self._path, sheet=sheet, header_row=header_row, book=self.book
            ),
            self.tr("正在查找表头……") if header_row is None else self.tr("正在读取表头……"),
        )
        self.completeChanged.emit()

    def _loaded(self, preview: ImportPreview) -> None:
        self.state.preview = preview
        self._show(preview)
        self.completeChanged.emit()

    def _failed(self, reason: str) -> None:
        self.state.preview = None
        show_error(self.error_label, reason)
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        """Back to the choice previewed before (if any)."""
        if self.state.preview is not None:
            self._show(self.state.preview)
        self.completeChanged.emit()

    def _sheet_changed(self) -> None:
        self._reload(None)  # a new sheet: find its header again

    def _row_changed(self) -> None:
        self._reload(self.header_spin.value())

    def isComplete(self) -> bool:
        return not self.loader.busy and self.state.preview is not None


# ------------------------------------------------------------------ 3. columns


class MappingPage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(self.tr("列对应"))
        self.setSubTitle(
            self.tr(
                "为文件的每一列选择对应的字段；不需要的列选“（不导入）”。确认后的对应关系会被记住。"
            )
        )
        self.specs = [s for s in field_map(state.kind).values() if not s.read_only]
        self.remembered_label = QLabel(self)
        self.columns_table = read_only_table(
            self, [self.tr("文件中的列"), self.tr("导入为"), self.tr("说明")]
        )
        header = self.columns_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.rows_table = read_only_table(self, [])
        self.rows_label = QLabel(self)
        self.policy_combo = QComboBox(self)
        for key, text in POLICIES:
            self.policy_combo.addItem(tr(text), key)
        self.policy_combo.setCurrentIndex(2)
        self.all_uses_check = QCheckBox(self.tr("全部用途（不只工业用地）"), self)
        self.all_uses_check.toggled.connect(lambda _checked: self._mapping_changed())
        self.error_label = error_label(self)
        with state.ctx.session() as session:
            regions = sorted(load_names(session).regions.values())
        self.defaults_panel = DefaultsPanel(state.kind, regions, self)
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("遇到重复："), self))
        options.addWidget(self.policy_combo)
        options.addSpacing(24)
        options.addWidget(self.all_uses_check)
        options.addStretch(1)
        tables = QHBoxLayout()
        tables.addWidget(self.columns_table, 2)
        right = QVBoxLayout()
        right.addWidget(self.rows_label)
        right.addWidget(self.rows_table, 1)
        tables.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.remembered_label)
        layout.addLayout(tables, 1)
        layout.addWidget(self.defaults_panel)
        layout.addLayout(options)
        layout.addWidget(self.error_label)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        preview = self.state.preview
        assert preview is not None
        self.remembered_label.setText(
            self.tr("已按上次确认的对应关系填好。")
            if preview.remembered
            else self.tr("已按表头自动对应，请核对。")
        )
        self.combos = []
        self.columns_table.setRowCount(len(preview.columns.columns))
        for row, column in enumerate(preview.columns.columns):
            self.columns_table.setItem(row, 0, table_item(column.header or self.tr("（无表头）")))
            combo = QComboBox(self.columns_table)
            combo.addItem(tr(NOT_IMPORTED), None)
            for spec in self.specs:
                combo.addItem(tr(spec.header), spec.key)
            found = combo.findData(column.key) if column.key is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.columns_table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
        self.columns_table.resizeRowsToContents()
        landchina = preview.layout is not None
        self.all_uses_check.setVisible(landchina)
        self.all_uses_check.setChecked(self.state.all_land_uses)
        show_error(self.error_label, "")
        self._mapping_changed()

    def _all_land_uses(self) -> bool:
        """全部用途 ticked, for a 中国土地市场网 file (the only one that offers it)."""
        preview = self.state.preview
        return preview is not None and preview.layout is not None and self.all_uses_check.isChecked()

    def keys(self) -> list[str | None]:
        keys: list[str | None] = []
        for combo in self.combos:
            data = combo.currentData()
            keys.append(data if isinstance(data, str) else None)
        return keys

    def _mapping_changed(self) -> None:
        """The first rows as the import will read them under the mapping chosen: what a
        中国土地市场网 file derives (县区 from 地区, 代码 from 链接 …) shown too."""
        preview = self.state.preview
        assert preview is not None
        keys = self.keys()
        shown = preview_table(preview, keys, limit=PREVIEW_ROWS, all_land_uses=self._all_land_uses())
        specs = field_map(self.state.kind)
        table = self.rows_table
        table.clear()
        table.setColumnCount(1 + len(shown.keys))
        table.setHorizontalHeaderLabels([self.tr("行"), *(tr(specs[k].header) for k in shown.keys)])
        for c, key in enumerate(shown.keys, start=1):
            item = table.horizontalHeaderItem(c)
            if item is not None and key in shown.derived:
                item.setToolTip(self.tr("不是文件中的某一列，由文件的其他列得出"))
        table.setRowCount(len(shown.rows))
        for r, (number, texts) in enumerate(shown.rows):
            table.setItem(r, 0, table_item(str(number)))
            for c, text in enumerate(texts, start=1):
                table.setItem(r, c, table_item(text))
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):  # long text (坐落) keeps the others in view
            table.setColumnWidth(c, min(table.columnWidth(c), MAX_PREVIEW_COLUMN_WIDTH))
        if shown.other_uses:
            text = self.tr("前 {shown} 行（共 {n} 行工业用地；另有 {other} 行其他用途，不导入）将这样读取：")
        else:
            text = self.tr("前 {shown} 行（共 {n} 行）将这样读取：")
        self.rows_label.setText(
            text.format(shown=len(shown.rows), n=shown.total, other=shown.other_uses)
        )
        self._show_notes(preview)
        self.defaults_panel.show_preview(preview, keys)
        chosen = any(key is not None for key in keys)
        show_error(self.error_label, "" if chosen else self.tr("请至少为一列选择字段。"))
        self.completeChanged.emit()

    def _show_notes(self, preview: ImportPreview) -> None:
        """Units converted, repeated fields, and the columns a 中国土地市场网 file's rules read
        whatever the mapping says — so the columns left “（不导入）” without a note are exactly
        those the check page lists as not imported."""
        columns = map_columns(self.state.kind, preview.headers, self.keys())
        repeated = set(columns.duplicates)
        specs = field_map(self.state.kind)
        read = preview.layout.read_columns() if preview.layout is not None else frozenset()
        for row, column in enumerate(columns.columns):
            note = ""
            if column.key is None and column.index in read:
                note = self.tr("按中国土地市场网规则读取（县区、编号、备注等）")
            elif column.header in repeated and self.keys()[row] is not None:
                note = self.tr("与后面的列重复，不导入")
            elif column.key is not None and column.unit and column.unit != specs[column.key].unit:
                note = self.tr("按{unit}换算为{target}").format(
                    unit=column.unit, target=specs[column.key].unit
                )
            self.columns_table.setItem(row, 2, table_item(note))

    def isComplete(self) -> bool:
        return any(key is not None for key in self.keys()) or (
            self.state.preview is not None and self.state.preview.layout is not None
        )

    def validatePage(self) -> bool:
        preview = self.state.preview
        assert preview is not None
        keys = self.keys()
        self.state.mapping = tuple(keys)
        data = self.policy_combo.currentData()
        self.state.on_duplicate = data if data in ("update", "skip", "stop") else "stop"
        self.state.all_land_uses = self._all_land_uses()
        self.state.defaults = self.defaults_panel.values()
        self.state.region = self.defaults_panel.region()
        self.state.create_regions = self.defaults_panel.create_regions()
        try:
            remember_mapping(self.state.kind, preview.headers, keys)
        except OSError as exc:  # not remembered: the import itself still works
            show_error(
                self.error_label,
                self.tr("无法记住列对应：{reason}").format(reason=exc.strerror or exc),
            )
        return True
