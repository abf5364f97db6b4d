"""The change history of one record: who changed which field when, from what to what.

Rows come from :func:`landbank.services.records.history.history` (the audit log), newest first. A
created or deleted record is logged as a JSON snapshot {label: value}; it is shown as
"地块编号=HX-001；收储面积=120.5". Cells can be copied (Ctrl+C) as tab-separated text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.services.records.history import field_label, history
from landbank.store.models import AuditAction, AuditEntry, as_utc
from landbank.ui.context import AppContext

_CTX = "HistoryModel"
COLUMNS = (
    QT_TRANSLATE_NOOP(_CTX, "时间"),
    QT_TRANSLATE_NOOP(_CTX, "用户"),
    QT_TRANSLATE_NOOP(_CTX, "操作"),
    QT_TRANSLATE_NOOP(_CTX, "字段"),
    QT_TRANSLATE_NOOP(_CTX, "原值"),
    QT_TRANSLATE_NOOP(_CTX, "新值"),
    QT_TRANSLATE_NOOP(_CTX, "来源"),
)
_ACTIONS = {
    AuditAction.CREATE: QT_TRANSLATE_NOOP(_CTX, "新建"),
    AuditAction.UPDATE: QT_TRANSLATE_NOOP(_CTX, "修改"),
    AuditAction.DELETE: QT_TRANSLATE_NOOP(_CTX, "删除"),
}


def readable_snapshot(text: str | None) -> str:
    """'{"地块编号": "HX-001", "收储面积": "120.5"}' → "地块编号=HX-001；收储面积=120.5"."""
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    return "；".join(f"{k}={'' if v is None else v}" for k, v in data.items())


@dataclass(frozen=True)
class HistoryRow:
    at: str
    user: str
    action: str
    field: str
    old: str
    new: str
    source: str

    def cells(self) -> tuple[str, ...]:
        return (self.at, self.user, self.action, self.field, self.old, self.new, self.source)


def history_rows(kind: RecordKind, entries: Sequence[AuditEntry]) -> list[HistoryRow]:
    """Audit entries as the dialog shows them, newest first."""
    rows = []
    for entry in reversed(entries):
        snapshot = entry.action in (AuditAction.CREATE, AuditAction.DELETE)
        action = _ACTIONS.get(entry.action)
        rows.append(
            HistoryRow(
                at=as_utc(entry.at).astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                user=entry.user,
                action=QCoreApplication.translate(_CTX, str(action)) if action else entry.action,
                field=(
                    QCoreApplication.translate(_CTX, "（整条记录）")
                    if snapshot
                    else QCoreApplication.translate("fields", field_label(kind, entry.field))
                ),
                old=readable_snapshot(entry.old_value) if snapshot else entry.old_value or "",
                new=readable_snapshot(entry.new_value) if snapshot else entry.new_value or "",
                source=entry.source,
            )
        )
    return rows


class HistoryModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[HistoryRow] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> HistoryRow:
        return self._rows[index]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        text = self._rows[index.row()].cells()[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > 30:
            return text.replace("；", "\n")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return QCoreApplication.translate(_CTX, str(COLUMNS[section]))
        return None


def selection_text(view: QTableView) -> str:
    """The selected cells as tab-separated lines (as Excel pastes them)."""
    indexes = view.selectionModel().selectedIndexes()
    if not indexes:
        return ""
    rows = sorted({i.row() for i in indexes})
    cols = sorted({i.column() for i in indexes})
    cells = {(i.row(), i.column()): str(i.data() or "") for i in indexes}
    return "\n".join(
        "\t".join(cells.get((r, c), "").replace("\t", " ").replace("\n", " ") for c in cols)
        for r in rows
    )


class HistoryDialog(QDialog):
    def __init__(
        self, ctx: AppContext, kind: RecordKind, record_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        with ctx.session() as session:
            entries = history(session, kind, record_id)
        label = entries[-1].record_label if entries else f"#{record_id}"
        kind_name = QCoreApplication.translate("kinds", kind.label)
        self.setWindowTitle(self.tr("修改记录 — {0} {1}").format(kind_name, label))
        self.setSizeGripEnabled(True)
        self.model = HistoryModel(history_rows(kind, entries), self)

        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("共 {0} 条记录，最新的在上。选中单元格后按 Ctrl+C 复制。").format(len(entries)),
            self,
        )
        layout.addWidget(heading)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.resizeColumnsToContents()
        for column in (4, 5):  # long snapshots: wide, not endless
            header.resizeSection(column, min(max(header.sectionSize(column), 120), 320))
        header.setStretchLastSection(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.view, 1)
        QShortcut(
            QKeySequence.StandardKey.Copy,
            self.view,
            self.copy,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(980, 420)

    def copy(self) -> None:
        text = selection_text(self.view)
        if text:
            QGuiApplication.clipboard().setText(text)

    def _menu(self, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("复制"), self.copy)
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()  # one menu per right-click: don't keep them all
