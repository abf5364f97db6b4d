"""The 土地利用状况 tab of a parcel's dialog (issue 16 item 4): its state under 国土资源部令第53号
(“闲置（自 2025-03-02；土地闲置费 20 % 即 60.00 万元）”, “应收回（满两年未动工，自 …）”), its
低效 class with the reason, what the figures rest on, and the yearly figures of its firm in a
small table with 添加…, 编辑… and 删除.

The state is judged on today by :func:`landbank.services.land_life.status.parcel_life_status`
from the stored record (a change typed in the dialog counts once it is saved). Each change of
the yearly figures is its own write, audited on the parcel, whatever the dialog's 保存/取消
does; read-only, with the reason shown, when the login may not change the parcel.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.domain.land_life.idle import IdleState
from landbank.services.errors import describe_error
from landbank.services.land_life.status import ParcelLifeStatus, parcel_life_status
from landbank.services.land_life.yields import (
    FIGURES,
    YieldRow,
    add_yield,
    delete_yield,
    list_yields,
    update_yield,
)
from landbank.services.records.saving import RecordError
from landbank.store.models import LandParcel
from landbank.ui.context import AppContext
from landbank.ui.records.yield_dialog import YieldDialog

_CTX = "LandLifePanel"
_ALERT = {IdleState.IDLE: "#c62828", IdleState.TAKE_BACK: "#8e0000", IdleState.UNKNOWN: "#a36b00"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


class LandLifePanel(QWidget):
    """One parcel's 土地利用状况 (see the module doc)."""

    def __init__(self, ctx: AppContext, parcel_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._parcel_id = ctx, parcel_id
        self.rows: list[YieldRow] = []
        self.status: ParcelLifeStatus | None = None
        layout = QVBoxLayout(self)
        self.idle = QLabel(self)
        self.idle_reason = self._wrapped()
        self.low = QLabel(self)
        self.low_reason = self._wrapped()
        self.notes = self._wrapped("color: #666;")
        for widget in (self.idle, self.idle_reason, self.low, self.low_reason, self.notes):
            layout.addWidget(widget)
        layout.addWidget(QLabel(self.tr("年度经营数据"), self))
        self.table = QTableWidget(0, len(FIGURES) + 2, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("年度"), *(f"{label}({unit})" for label, unit in FIGURES.values()),
             self.tr("备注")]
        )  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _index: self._edit())
        layout.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加…"), self)
        self.edit_button = QPushButton(self.tr("编辑…"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.add_button.clicked.connect(self._add)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        for button in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.refusal = self._refusal()
        self.reload()

    def _wrapped(self, style: str = "") -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setContentsMargins(16, 0, 0, 4)
        label.setStyleSheet(style)
        return label

    def _refusal(self) -> str | None:
        try:
            with self._ctx.session() as session:
                parcel = session.get(LandParcel, self._parcel_id)
                if parcel is None:
                    return self.tr("地块已被删除")
                from landbank.store.queries import load_names

                names = dict(load_names(session).regions)
                region = {"region_id": parcel.region_id}
        except SQLAlchemyError as exc:
            return describe_error(exc)
        return self._ctx.rights.can_write(RecordKind.PARCEL, region, names)

    def reload(self) -> None:
        """Judge the parcel again and read its yearly figures."""
        try:
            with self._ctx.session() as session:
                self.status = parcel_life_status(session, self._parcel_id, date.today())
                self.rows = list_yields(session, parcel_id=self._parcel_id)
        except (SQLAlchemyError, LookupError) as exc:
            text = describe_error(exc) if isinstance(exc, SQLAlchemyError) else str(exc)
            self.idle.setText(text)
            return
        status = self.status
        colour = _ALERT.get(status.idle.state, "#2e7d32")
        self.idle.setText(
            self.tr("闲置土地认定（国土资源部令第53号）：")
            + f"<b style='color:{colour}'>{status.idle_text}</b>"
        )
        self.idle_reason.setText(status.idle.reason)
        low_colour = "#c62828" if status.low is not None else "#2e7d32"
        self.low.setText(self.tr("低效用地：") + f"<b style='color:{low_colour}'>{status.low_text}</b>")
        self.low_reason.setText(status.low.reason if status.low is not None else "")
        self.low_reason.setVisible(status.low is not None)
        self.notes.setText("\n".join(status.notes))
        self.notes.setVisible(bool(status.notes))
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = row.values
            cells = [str(values.year)]
            for key in FIGURES:
                value = getattr(values, key)
                cells.append("" if value is None else f"{value:,.0f}" if key == "employees"
                             else f"{value:,.2f}")  # fmt: skip
            cells.append(values.notes or "")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 0 < c <= len(FIGURES):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self._enable()

    def _enable(self) -> None:
        chosen = self._chosen() is not None
        writable = self.refusal is None
        self.add_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and chosen)
        self.delete_button.setEnabled(writable and chosen)
        for button in (self.add_button, self.edit_button, self.delete_button):
            button.setToolTip(self.refusal or "")

    def _chosen(self) -> YieldRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _write(self, title: str, action: object) -> bool:
        try:
            with self._ctx.write_session() as session:
                action(session)  # type: ignore[operator]
        except (RecordError, SQLAlchemyError) as exc:
            text = describe_error(exc) if isinstance(exc, SQLAlchemyError) else str(exc)
            QMessageBox.warning(self, title, text)
            self.reload()
            return False
        self.reload()
        return True

    def _add(self) -> None:
        dialog = YieldDialog(self.tr("添加年度经营数据"), None, self)
        if dialog.exec() != YieldDialog.DialogCode.Accepted or dialog.result_input is None:
            return
        given, user = dialog.result_input, self._ctx.user
        self._write(
            self.tr("未能添加"),
            lambda s: add_yield(s, self._parcel_id, given, user=user),
        )

    def _edit(self) -> None:
        row = self._chosen()
        if row is None or self.refusal is not None:
            return
        title = self.tr("编辑 {0} 年经营数据").format(row.values.year)
        dialog = YieldDialog(title, row.values, self)
        if dialog.exec() != YieldDialog.DialogCode.Accepted or dialog.result_input is None:
            return
        given, user = dialog.result_input, self._ctx.user
        self._write(
            self.tr("未能保存"),
            lambda s: update_yield(s, row.id, given, expected_version=row.version, user=user),
        )

    def _delete(self) -> None:
        row = self._chosen()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除年度经营数据"),
            self.tr("删除 {0} 年的经营数据？（修改记录中保留其数值）").format(row.values.year),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        user = self._ctx.user
        self._write(
            self.tr("未能删除"),
            lambda s: delete_yield(s, row.id, expected_version=row.version, user=user),
        )


def add_land_life(
    ctx: AppContext, kind: RecordKind, record_id: int | None, tabs: QTabWidget | None
) -> LandLifePanel | None:
    """The 土地利用状况 tab of a saved parcel's dialog (a parcel's form has tabs); None for
    another kind or a new parcel."""
    if kind is not RecordKind.PARCEL or record_id is None or tabs is None:
        return None
    panel = LandLifePanel(ctx, record_id, tabs)
    tabs.addTab(panel, _tr("土地利用状况"))
    return panel
