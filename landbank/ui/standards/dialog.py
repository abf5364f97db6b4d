"""数据 → 标准地指标…: the indicator table of 标准地 (issue 16).

One line a row: 县区, 园区, 产业, then each bound with its unit in the header; a bound the row
leaves blank shows the national floor greyed where one applies (建筑系数 ≥30 %, 绿地率 ≤20 %,
行政办公 ≤7 %), else stays empty. 新增…/修改… open :class:`StandardRowDialog`, 删除 asks first,
历史… (Ctrl+H) shows the selected row's audit entries (none selected: the table's), 全部历史…
the table's with the rows deleted since (:class:`StandardHistoryDialog`),
导入… opens :class:`StandardsImportDialog`, 导出… writes the rows shown as .xlsx; the
查看适用指标 panel resolves the standard of a place. A login without write rights sees the table
read-only (the buttons disabled, saying why); a county login changes its own county's rows only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from landbank.services.errors import describe_error
from landbank.services.identity import ledger_identity
from landbank.services.records.saving import RecordError
from landbank.services.standards.exporting import export_standards
from landbank.services.standards.history import StandardChange, row_history, table_history
from landbank.services.standards.rows import (
    BOUND_COLUMNS,
    StandardEntry,
    bound_header,
    load_entries,
    national_bound,
)
from landbank.services.standards.saving import delete_standard
from landbank.store.models import Region
from landbank.ui.context import AppContext
from landbank.ui.standards.history_dialog import StandardHistoryDialog
from landbank.ui.standards.import_dialog import StandardsImportDialog
from landbank.ui.standards.resolve_panel import StandardResolvePanel
from landbank.ui.standards.row_editor import StandardRowDialog

PLACE_COLUMNS = 3  # 县区, 园区, 产业
GREY = QColor("#9a9a9a")


def _tr(text: str) -> str:
    return QCoreApplication.translate("StandardsDialog", text)


def _header(text: str) -> str:
    """A header over two lines: the label, then the bound and unit."""
    return text.replace("≥", "\n≥").replace("≤", "\n≤").replace("下限", "\n下限").replace(
        "上限", "\n上限"
    )


class StandardsDialog(QDialog):
    """The 标准地指标 table: list, add, change, delete, import, export, resolve."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("标准地指标"))
        self.resize(1280, 720)
        self.entries: list[StandardEntry] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("县区"), self))
        self.filter = QComboBox(self)
        top.addWidget(self.filter)
        self.hint = QLabel(
            _tr("空白：未设定；灰色数值为国家标准（《工业项目建设用地控制指标》），未另设时按其执行。"),
            self,
        )
        self.hint.setStyleSheet("color:#606060")
        top.addWidget(self.hint, 1)
        layout.addLayout(top)
        headers = [_tr("县区"), _tr("园区"), _tr("产业")]
        headers += [_header(bound_header(i, b)) for i, b in BOUND_COLUMNS]
        headers.append(_tr("备注"))
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setMinimumHeight(48)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_tr("新增…"), self)
        self.edit_button = QPushButton(_tr("修改…"), self)
        self.delete_button = QPushButton(_tr("删除"), self)
        self.import_button = QPushButton(_tr("导入…"), self)
        self.export_button = QPushButton(_tr("导出…"), self)
        self.history_button = QPushButton(_tr("历史…"), self)
        self.history_button.setToolTip(
            _tr("选中行的修改记录；未选中时为整张表的（含已删除的行）（Ctrl+H）")
        )
        self.all_history_button = QPushButton(_tr("全部历史…"), self)
        self.all_history_button.setToolTip(_tr("整张表的修改记录，含已删除的行"))
        close = QPushButton(_tr("关闭"), self)
        for button in (self.add_button, self.edit_button, self.delete_button,
                       self.history_button, self.all_history_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.import_button, self.export_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resolver = StandardResolvePanel(ctx, self)
        layout.addWidget(self.resolver, 1)
        self.add_button.clicked.connect(self.add_row)
        self.edit_button.clicked.connect(self.edit_row)
        self.delete_button.clicked.connect(lambda: self.delete_row())
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.export)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.all_history_button.clicked.connect(lambda: self.show_history(whole=True))
        self.history_shortcut = QShortcut(QKeySequence("Ctrl+H"), self)
        self.history_shortcut.activated.connect(lambda: self.show_history())
        close.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self.follow_rights)
        self.table.doubleClicked.connect(lambda _index: self.edit_row())
        self._load_filter()
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    # ------------------------------------------------------------------ rows

    def _load_filter(self) -> None:
        with self.ctx.session() as session:
            regions = session.execute(
                select(col(Region.id), col(Region.name)).order_by(col(Region.id))
            ).all()
        self.filter.addItem(_tr("全部县区"), None)
        for region_id, name in regions:
            self.filter.addItem(name, region_id)

    def reload(self) -> None:
        region_id = self.filter.currentData()
        with self.ctx.session() as session:
            self.entries = load_entries(session, region_id)
        self.table.setRowCount(len(self.entries))
        italic = QFont(self.table.font())
        italic.setItalic(True)
        for n, entry in enumerate(self.entries):
            places = (entry.region, entry.park or _tr("全部园区"), entry.industry_shown)
            for column, text in enumerate(places):
                item = QTableWidgetItem(text)
                if (column == 1 and entry.park is None) or (column == 2 and not entry.industry):
                    item.setForeground(GREY)  # 全部园区 / 全部产业
                self.table.setItem(n, column, item)
            for column, (indicator, bound) in enumerate(BOUND_COLUMNS, start=PLACE_COLUMNS):
                figure = entry.figure(indicator, bound)
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if figure is not None:
                    item.setText(indicator.format(figure))
                else:
                    floor = national_bound(indicator, bound)
                    if floor is not None:
                        item.setText(indicator.format(floor))
                        item.setForeground(GREY)
                        item.setFont(italic)
                        item.setToolTip(
                            _tr("未设定，按国家标准 {value}").format(
                                value=indicator.with_unit(floor)
                            )
                        )
                self.table.setItem(n, column, item)
            self.table.setItem(n, self.table.columnCount() - 1, QTableWidgetItem(entry.notes or ""))
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 180))
        self.follow_rights()

    def selected(self) -> StandardEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def select_title(self, title: str) -> None:
        for n, entry in enumerate(self.entries):
            if entry.title == title:
                self.table.selectRow(n)
                return

    # ------------------------------------------------------------------ rights

    def row_refusal(self, entry: StandardEntry | None) -> str | None:
        rights = self.ctx.rights
        refused = rights.can_write_any()
        if refused or entry is None:
            return refused
        if rights.scope == "county" and rights.region_id != entry.region_id:
            return rights.other_county(entry.region)
        return None

    def follow_rights(self) -> None:
        general = self.ctx.rights.can_write_any()
        entry = self.selected()
        row = self.row_refusal(entry)
        for button, enabled, reason in (
            (self.add_button, True, general),
            (self.import_button, True, general),
            (self.edit_button, entry is not None, row),
            (self.delete_button, entry is not None, row),
        ):
            button.setEnabled(enabled and not reason)
            button.setToolTip(reason or "")
        if general:
            self.hint.setText(_tr("只读：{reason}").format(reason=general))

    # ------------------------------------------------------------------ commands

    def add_row(self) -> None:
        editor = StandardRowDialog(self.ctx, None, self)
        if editor.exec():
            self._after_save(editor)
        editor.deleteLater()

    def edit_row(self) -> None:
        entry = self.selected()
        if entry is None or self.row_refusal(entry):
            return
        editor = StandardRowDialog(self.ctx, entry, self)
        if editor.exec():
            self._after_save(editor)
        editor.deleteLater()

    def _after_save(self, editor: StandardRowDialog) -> None:
        self.reload()
        self.resolver.reload()
        warnings = getattr(editor, "warnings", [])
        if warnings:
            QMessageBox.information(self, self.windowTitle(), "\n".join(warnings))

    def delete_row(self, *, confirm: bool = True) -> bool:
        entry = self.selected()
        if entry is None or self.row_refusal(entry):
            return False
        if confirm:
            answer = QMessageBox.question(
                self, _tr("删除标准地指标"),
                _tr("删除“{title}”这一行指标？删除后该处按上一级指标或国家标准执行。").format(
                    title=entry.title
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            with self.ctx.write_session() as session:
                delete_standard(
                    session, entry.id, expected_version=entry.version, user=self.ctx.user
                )
        except RecordError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        except SQLAlchemyError as exc:
            QMessageBox.warning(self, self.windowTitle(), describe_error(exc))
            return False
        self.reload()
        return True

    def history_dialog(self, *, whole: bool = False) -> StandardHistoryDialog:
        """The history of the selected row, or (none selected, or ``whole``) of the table —
        of the county the filter shows — with the rows deleted since."""
        entry = None if whole else self.selected()
        county = self.filter.currentText() if self.filter.currentData() is not None else None
        with self.ctx.session() as session:
            if entry is not None:
                changes = row_history(session, entry.id)
            else:
                changes = table_history(session, county)
        if entry is not None:
            title = _tr("修改记录 — 标准地指标 {title}").format(title=entry.title)
            return StandardHistoryDialog(title, changes, self)

        def load(deleted_only: bool) -> list[StandardChange]:
            with self.ctx.session() as session:
                return table_history(session, county, deleted_only=deleted_only)

        title = _tr("修改记录 — {place}标准地指标表（含已删除的行）").format(place=county or "")
        return StandardHistoryDialog(title, changes, self, load_deleted=load)

    def show_history(self, *, whole: bool = False) -> None:
        try:
            dialog = self.history_dialog(whole=whole)
        except SQLAlchemyError as exc:
            QMessageBox.warning(self, self.windowTitle(), describe_error(exc))
            return
        dialog.exec()
        dialog.deleteLater()

    def open_import(self) -> None:
        dialog = StandardsImportDialog(self.ctx, self)
        dialog.imported.connect(self.reload)
        dialog.exec()
        dialog.deleteLater()

    def export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _tr("导出标准地指标"), str(Path.home() / "标准地指标.xlsx"),
            _tr("Excel 文件 (*.xlsx)"),
        )
        if name:
            self.export_to(name if name.lower().endswith(".xlsx") else f"{name}.xlsx")

    def export_to(self, path: str) -> Path | None:
        if self.filter.currentData() is not None:
            place = self.filter.currentText()
        else:
            with self.ctx.session() as session:
                place = ledger_identity(session, self.ctx.settings).place
        try:
            written = export_standards(self.entries, path, title=f"{place}标准地指标表")
        except OSError as exc:
            QMessageBox.warning(
                self, self.windowTitle(),
                _tr("无法保存“{path}”：{reason}").format(path=path, reason=exc.strerror or exc),
            )
            return None
        self.hint.setText(_tr("已导出 {n} 行到 {path}").format(n=len(self.entries), path=written))
        return written
