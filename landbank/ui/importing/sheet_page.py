"""The import wizard's sheet page: the sheet and header row, the top of the sheet as it is in
the file (a click picks the header row), and the sheets of the same layout to import together."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from landbank.services.importing.preview import ImportPreview, same_layout
from landbank.services.importing.spreadsheet import Sheet, Workbook, cell_text
from landbank.ui.importing.pages import (
    HEADER_ROW_COLOUR,
    MAX_RAW_COLUMN_WIDTH,
    RAW_COLUMNS,
    RAW_ROWS,
    ImportState,
    PreviewLoader,
    column_letter,
    error_label,
    show_error,
    table_item,
)
from landbank.ui.importing.worker import PreviewRequest


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


