"""The first pages of the import wizard: file, sheet and header row, columns.

Pages read and change the state the wizard keeps (:class:`ImportState`: the preview and the
choices); reading the file goes through :func:`landbank.services.import_preview.preview_import`,
the dry run and the import (:mod:`landbank.ui.import_run`) through
:class:`landbank.ui.import_worker.ImportJob`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from PySide6.QtGui import QGuiApplication
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
from landbank.services.columns import map_columns, remember_mapping
from landbank.services.errors import describe_error
from landbank.services.import_preview import ImportPreview, preview_import
from landbank.services.import_report import ImportReport
from landbank.services.importer import DuplicatePolicy
from landbank.services.spreadsheet import SpreadsheetError, cell_text
from landbank.ui.context import AppContext
from landbank.ui.import_worker import ImportOptions

FILE_FILTER = QCoreApplication.translate(
    "ImportWizard", "表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv)"
)
PREVIEW_ROWS = 20
MAX_PREVIEW_COLUMN_WIDTH = 240  # px
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
    pool: QThreadPool

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
    table.setWordWrap(False)
    return table


def table_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def load_preview(
    state: ImportState,
    path: Path,
    error: QLabel,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
) -> bool:
    """Re-read the file into ``state.preview``; an unreadable file shows its reason."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        state.preview = preview_import(state.kind, path, sheet=sheet, header_row=header_row)
    except SpreadsheetError as exc:
        state.preview = None
        show_error(error, str(exc))
        return False
    except (OSError, ValueError) as exc:
        state.preview = None
        show_error(error, describe_error(exc))
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    show_error(error, "")
    return True


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
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("导入到："), self.kind_label)
        form.addRow(self.tr("文件："), row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
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
        self.path_edit.setText(str(path))
        self._load(path)

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip()
        preview = self.state.preview
        if text and (preview is None or Path(text) != preview.path):
            self._load(Path(text))

    def _load(self, path: Path) -> None:
        if load_preview(self.state, path, self.error_label):
            preview = self.state.preview
            assert preview is not None
            text = self.tr("工作表“{sheet}”，表头在第 {row} 行，{n} 行数据").format(
                sheet=preview.sheet, row=preview.header_row, n=len(preview.rows)
            )
            if preview.profile:
                text += self.tr("；识别为{profile}文件").format(profile=preview.profile)
            self.info_label.setText(text)
        else:
            self.info_label.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        preview = self.state.preview
        return preview is not None and str(preview.path) == self.path_edit.text().strip()


# ------------------------------------------------------------------ 2. sheet and header row


class SheetPage(QWizardPage):
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
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("工作表："), self.sheet_combo)
        form.addRow(self.tr("表头所在行："), self.header_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.headers_label)
        layout.addStretch(1)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)
        self.header_spin.valueChanged.connect(self._row_changed)
        self._path: Path | None = None

    def initializePage(self) -> None:
        preview = self.state.preview
        assert preview is not None
        self._path = preview.path
        self._show(preview)
        show_error(self.error_label, "")

    def _show(self, preview: ImportPreview) -> None:
        self.sheet_combo.blockSignals(True)
        self.header_spin.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheet_names)
        self.sheet_combo.setCurrentText(preview.sheet)
        self.header_spin.setValue(preview.header_row)
        self.sheet_combo.blockSignals(False)
        self.header_spin.blockSignals(False)
        shown = [h for h in preview.headers if h]
        self.headers_label.setText(
            self.tr("表头：{headers}\n数据：{n} 行").format(
                headers="、".join(shown), n=len(preview.rows)
            )
        )

    def _reload(self, header_row: int | None) -> None:
        assert self._path is not None
        sheet = self.sheet_combo.currentText()
        if load_preview(
            self.state, self._path, self.error_label, sheet=sheet, header_row=header_row
        ):
            assert self.state.preview is not None
            self._show(self.state.preview)
        else:
            self.headers_label.clear()
        self.completeChanged.emit()

    def _sheet_changed(self) -> None:
        self._reload(None)  # a new sheet: find its header again

    def _row_changed(self) -> None:
        self._reload(self.header_spin.value())

    def isComplete(self) -> bool:
        return self.state.preview is not None


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
        self.error_label = error_label(self)
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

    def keys(self) -> list[str | None]:
        keys: list[str | None] = []
        for combo in self.combos:
            data = combo.currentData()
            keys.append(data if isinstance(data, str) else None)
        return keys

    def _mapping_changed(self) -> None:
        preview = self.state.preview
        assert preview is not None
        chosen = [(i, key) for i, key in enumerate(self.keys()) if key is not None]
        specs = field_map(self.state.kind)
        table = self.rows_table
        table.clear()
        table.setColumnCount(1 + len(chosen))
        table.setHorizontalHeaderLabels([self.tr("行"), *(tr(specs[k].header) for _i, k in chosen)])
        shown = preview.rows[:PREVIEW_ROWS]
        table.setRowCount(len(shown))
        for r, data in enumerate(shown):
            table.setItem(r, 0, table_item(str(data.number)))
            for c, (index, _key) in enumerate(chosen, start=1):
                value = data.cells[index] if index < len(data.cells) else None
                table.setItem(r, c, table_item(cell_text(value)))
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):  # long text (坐落) keeps the others in view
            table.setColumnWidth(c, min(table.columnWidth(c), MAX_PREVIEW_COLUMN_WIDTH))
        self.rows_label.setText(
            self.tr("前 {shown} 行（共 {n} 行）将这样读取：").format(
                shown=len(shown), n=len(preview.rows)
            )
        )
        self._show_notes(preview)
        show_error(self.error_label, "" if chosen else self.tr("请至少为一列选择字段。"))
        self.completeChanged.emit()

    def _show_notes(self, preview: ImportPreview) -> None:
        """Units converted and repeated fields, as the import will read the mapping."""
        columns = map_columns(self.state.kind, preview.headers, self.keys())
        repeated = set(columns.duplicates)
        specs = field_map(self.state.kind)
        for row, column in enumerate(columns.columns):
            note = ""
            if column.header in repeated and self.keys()[row] is not None:
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
        self.state.all_land_uses = (
            self.all_uses_check.isVisible() and self.all_uses_check.isChecked()
        )
        try:
            remember_mapping(self.state.kind, preview.headers, keys)
        except OSError as exc:  # not remembered: the import itself still works
            show_error(
                self.error_label,
                self.tr("无法记住列对应：{reason}").format(reason=exc.strerror or exc),
            )
        return True
