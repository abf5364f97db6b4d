"""历史… of the 标准地指标 dialog: the audit entries of one row (Ctrl+H on it) or of the whole
table (no row selected, or 全部历史…) — who, when, 新建/修改/删除, the row, the bound changed,
old → new, 来源. The whole table's history also lists the rows deleted since (marked
“（已删除）”; 只看已删除的行 narrows to them): a deleted row has no line left to select.
Snapshots read as the records' history does (“指标行=…；固定资产投资强度≥…=250”); Ctrl+C copies
the selected cells tab-separated."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from landbank.services.standards.history import StandardChange
from landbank.store.models import AuditAction, as_utc
from landbank.ui.records.history_dialog import readable_snapshot, selection_text

_ACTIONS = {AuditAction.CREATE: "新建", AuditAction.UPDATE: "修改", AuditAction.DELETE: "删除"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("StandardHistoryDialog", text)


def change_cells(change: StandardChange) -> tuple[str, ...]:
    """时间, 用户, 操作, 指标行, 字段, 原值, 新值, 来源 of one change."""
    whole = not change.field
    row = change.row + (_tr("（已删除）") if change.deleted else "")
    return (
        as_utc(change.at).astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        change.user,
        _tr(_ACTIONS.get(change.action, change.action)),
        row,
        _tr("（整行）") if whole else change.field,
        readable_snapshot(change.old) if whole else change.old,
        readable_snapshot(change.new) if whole else change.new,
        change.source,
    )


class StandardHistoryDialog(QDialog):
    """The changes given, newest first; ``load_deleted`` (the whole table's view) offers
    只看已删除的行, calling it for the rows deleted since."""

    HEADERS = ("时间", "用户", "操作", "指标行", "字段", "原值", "新值", "来源")

    def __init__(
        self,
        title: str,
        changes: list[StandardChange],
        parent: QWidget | None = None,
        *,
        load_deleted: Callable[[bool], list[StandardChange]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel(self)
        top.addWidget(self.heading, 1)
        self.deleted_only = QCheckBox(_tr("只看已删除的行"), self)
        self.deleted_only.setVisible(load_deleted is not None)
        top.addWidget(self.deleted_only)
        layout.addLayout(top)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setHorizontalHeaderLabels([_tr(h) for h in self.HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if load_deleted is not None:
            self.deleted_only.toggled.connect(lambda on: self.show_changes(load_deleted(on)))
        self.show_changes(changes)
        self.resize(1080, 440)

    def show_changes(self, changes: list[StandardChange]) -> None:
        self.changes = changes
        self.table.setRowCount(len(changes))
        for n, change in enumerate(changes):
            for column, text in enumerate(change_cells(change)):
                item = QTableWidgetItem(text)
                if len(text) > 30:
                    item.setToolTip(text.replace("；", "\n"))
                if column == 3 and change.deleted:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(n, column, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in (5, 6):  # long snapshots: wide, not endless
            header.resizeSection(column, min(max(header.sectionSize(column), 120), 260))
        header.setStretchLastSection(True)
        self.heading.setText(
            _tr("共 {n} 条记录，最新的在上。选中单元格后按 Ctrl+C 复制。").format(n=len(changes))
            if changes
            else _tr("没有修改记录。")
        )

    def copy(self) -> None:
        text = selection_text(self.table)
        if text:
            QGuiApplication.clipboard().setText(text)
