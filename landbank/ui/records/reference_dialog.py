"""Reference data: the regions (县/区/市) and the parks every record points at.

Two small tables side by side, each with 新增/编辑/删除. Adding and editing open the
:class:`~landbank.ui.records.dialog.RecordDialog`; deleting goes through
:func:`landbank.services.records.saving.delete_record`, which refuses a region or park still in use
and says how many records use it.
"""

from __future__ import annotations

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
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind, RegionKind
from landbank.services.errors import describe_error
from landbank.services.records.saving import RecordError, delete_record
from landbank.store.queries import fetch_page
from landbank.ui.context import AppContext
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.references import pinyin_key

_CTX = "ReferenceDataDialog"
_HEADERS = {
    RecordKind.REGION: (
        QT_TRANSLATE_NOOP(_CTX, "名称"),
        QT_TRANSLATE_NOOP(_CTX, "类型"),
        QT_TRANSLATE_NOOP(_CTX, "所属市"),
    ),
    RecordKind.PARK: (QT_TRANSLATE_NOOP(_CTX, "名称"), QT_TRANSLATE_NOOP(_CTX, "所属县区")),
}


@dataclass(frozen=True)
class RefRow:
    id: int
    version: int
    cells: tuple[str, ...]
    region_id: int | None = None


class RefModel(QAbstractTableModel):
    """Rows of one reference table, read-only."""

    def __init__(self, kind: RecordKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.rows: list[RefRow] = []

    def set_rows(self, rows: Sequence[RefRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS[self.kind])

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()].cells[index.column()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = _HEADERS[self.kind]
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(headers)
        ):
            return QCoreApplication.translate(_CTX, str(headers[section]))
        return None


class ReferenceDataDialog(QDialog):
    """Regions and parks; ``changed`` is emitted after any of them was added, edited or
    deleted (the main window then reloads its region and park lists)."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(self.tr("行政区与园区"))
        self.setSizeGripEnabled(True)
        self.models = {kind: RefModel(kind, self) for kind in (RecordKind.REGION, RecordKind.PARK)}
        self.views: dict[RecordKind, QTableView] = {}
        self.buttons: dict[tuple[RecordKind, str], QPushButton] = {}
        layout = QVBoxLayout(self)
        sides = QHBoxLayout()
        sides.addWidget(self._side(RecordKind.REGION, self.tr("行政区（县/区/市）")), 1)
        sides.addWidget(self._side(RecordKind.PARK, self.tr("园区")), 1)
        layout.addLayout(sides, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.refresh()
        self.resize(860, 480)

    def _side(self, kind: RecordKind, title: str) -> QWidget:
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        view = QTableView(box)
        view.setModel(self.models[kind])
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.doubleClicked.connect(lambda _i, k=kind: self.edit(k))
        view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.views[kind] = view
        layout.addWidget(view, 1)
        row = QHBoxLayout()
        for action, text, slot in (
            ("add", self.tr("新增…"), self.add),
            ("edit", self.tr("编辑…"), self.edit),
            ("delete", self.tr("删除"), self.delete),
        ):
            button = QPushButton(text, box)
            button.clicked.connect(lambda _c=False, k=kind, s=slot: s(k))
            row.addWidget(button)
            self.buttons[(kind, action)] = button
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        selected = {kind: self.selected(kind) for kind in self.models}
        with self._ctx.session() as session:
            regions = fetch_page(session, RecordKind.REGION, limit=1_000_000)
            parks = fetch_page(session, RecordKind.PARK, limit=1_000_000)
        names = {r["id"]: r["name"] for r in regions}
        kinds = {k.value: k.label for k in RegionKind}
        region_rows = [
            RefRow(
                r["id"], r["version"], (r["name"], kinds.get(r["kind"], r["kind"]), r["city"] or "")
            )
            for r in sorted(regions, key=lambda r: pinyin_key(r["name"]))
        ]
        park_rows = [
            RefRow(
                p["id"], p["version"], (p["name"], names.get(p["region_id"], "")), p["region_id"]
            )
            for p in sorted(
                parks,
                key=lambda p: (pinyin_key(names.get(p["region_id"], "")), pinyin_key(p["name"])),
            )
        ]
        self.models[RecordKind.REGION].set_rows(region_rows)
        self.models[RecordKind.PARK].set_rows(park_rows)
        for kind, row in selected.items():
            if row is not None:
                self.select(kind, row.id)
        for view in self.views.values():
            view.resizeColumnsToContents()
            view.horizontalHeader().setStretchLastSection(True)
        self._update_buttons()

    def selected(self, kind: RecordKind) -> RefRow | None:
        rows = self.views[kind].selectionModel().selectedRows()
        return self.models[kind].rows[rows[0].row()] if rows else None

    def select(self, kind: RecordKind, record_id: int) -> None:
        for i, row in enumerate(self.models[kind].rows):
            if row.id == record_id:
                self.views[kind].selectRow(i)
                return

    def _update_buttons(self) -> None:
        """The buttons the login may use (issue 14): counties are the city's, a county
        clerk's parks its own county's, a viewer's nothing — disabled saying why."""
        rights = self._ctx.rights
        for kind in self.models:
            row = self.selected(kind)
            add = rights.can_create(kind)
            change = add
            if row is not None:
                names = {row.region_id: row.cells[1]} if row.region_id is not None else None
                change = rights.can_write(kind, {"region_id": row.region_id}, names)
            for action, reason in (("add", add), ("edit", change), ("delete", change)):
                button = self.buttons[(kind, action)]
                button.setEnabled(not reason and (action == "add" or row is not None))
                button.setToolTip(reason or "")

    # ------------------------------------------------------------------ actions

    def _open(self, kind: RecordKind, record_id: int | None, defaults: dict[str, Any]) -> None:
        try:
            dialog = RecordDialog(self._ctx, kind, record_id, self, defaults=defaults)
        except RecordError as exc:  # deleted by someone else meanwhile
            QMessageBox.warning(self, self.tr("无法打开"), str(exc))
            self.refresh()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            self.select(kind, dialog.saved_id)
            self.changed.emit()

    def add(self, kind: RecordKind) -> None:
        defaults: dict[str, Any] = {}
        region = self.selected(RecordKind.REGION)
        if kind is RecordKind.PARK and region is not None:
            defaults["region_id"] = region.id
        self._open(kind, None, defaults)

    def edit(self, kind: RecordKind) -> None:
        row = self.selected(kind)
        if row is not None:
            self._open(kind, row.id, {})

    def delete(self, kind: RecordKind) -> None:
        row = self.selected(kind)
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除"),
            self.tr("删除“{0}”？此操作会记入修改记录。").format(row.cells[0]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._ctx.write_session() as session:
                delete_record(
                    session,
                    kind,
                    row.id,
                    expected_version=row.version,
                    user=self._ctx.user,
                    source="界面",
                )
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("不能删除"), describe_error(exc))
            self.refresh()
            return
        self.refresh()
        self.changed.emit()
