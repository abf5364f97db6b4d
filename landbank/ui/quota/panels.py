"""The lower panels of the 年度指标 dashboard: stock waiting for projects, the project pipeline
by stage, the 三率 with their formulas, and the alerts list.

Each panel shows figures from :mod:`landbank.services.quota.report` and emits
``recordsRequested(kind, ids)`` when a figure is clicked, with the ids of the records behind it.
These are small derived lists (tens of rows), not database tables, so plain QTableWidgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.domain.quota.alerts import Alert, AlertSeverity, Stock
from landbank.domain.quota.pace import format_pct
from landbank.domain.quota.projects import PipelineStage, ThreeRates
from landbank.domain.units import format_quantity

STOCK_ROWS = 8  # longest-waiting sites shown
SEVERITY_COLOURS = {
    AlertSeverity.CRITICAL: "#c62828",
    AlertSeverity.WARNING: "#b26a00",
    AlertSeverity.NOTICE: "#546e7a",
}
IDS_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuotaDashboard", text)


def number(value: float, decimals: int = 1) -> str:
    """1430.0 → "1,430"; 56.25 → "56.3" (decimals only when there is a fraction)."""
    if abs(value - round(value)) < 10 ** (-decimals) / 2:
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


def figure_button(tooltip: str = "") -> QPushButton:
    """A figure that opens its records: flat, bold, pointing hand."""
    button = QPushButton()
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet("QPushButton { font-weight: bold; text-align: left; padding: 2px 4px; }")
    if tooltip:
        button.setToolTip(tooltip)
    return button


def small_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(22)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _item(
    text: str, kind: RecordKind, ids: Sequence[int], *, right: bool = False
) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(IDS_ROLE, list(ids))
    item.setData(KIND_ROLE, kind.value)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _emit_row(table: QTableWidget, emit: Callable[[RecordKind, list[int]], None]) -> None:
    item = table.item(table.currentRow(), 0)
    if item is not None:
        emit(RecordKind(item.data(KIND_ROLE)), list(item.data(IDS_ROLE)))


def _days(days: int | None) -> str:
    return "—" if days is None else _tr("{n} 天").format(n=f"{days:,}")


class StockPanel(QGroupBox):
    """净地 亩 and idle m² waiting for projects, and the longest-waiting sites."""

    recordsRequested = Signal(object, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("待落地存量"), parent)
        self.land_button = figure_button(_tr("点击查看全部可供净地"))
        self.idle_button = figure_button(_tr("点击查看全部闲置厂房"))
        self.table = small_table([_tr("类型"), _tr("编号"), _tr("面积"), _tr("已等待")])
        self.table.setToolTip(_tr("双击查看该记录"))
        figures = QHBoxLayout()
        figures.addWidget(self.land_button)
        figures.addWidget(self.idle_button)
        figures.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(figures)
        layout.addWidget(QLabel(_tr("等待最久的场地：")))
        layout.addWidget(self.table)
        self._stock = Stock()
        self.land_button.clicked.connect(
            lambda: self.recordsRequested.emit(
                RecordKind.PARCEL, [p.id for p in self._stock.parcels]
            )
        )
        self.idle_button.clicked.connect(
            lambda: self.recordsRequested.emit(
                RecordKind.FACTORY, [f.id for f in self._stock.factories]
            )
        )
        self.table.itemDoubleClicked.connect(
            lambda _item: _emit_row(self.table, self.recordsRequested.emit)
        )

    def set_stock(self, stock: Stock) -> None:
        self._stock = stock
        self.land_button.setText(
            _tr("净地 {mu} 亩（{n} 宗）").format(
                mu=format_quantity(stock.land_mu, "亩"), n=len(stock.parcels)
            )
        )
        self.idle_button.setText(
            _tr("闲置厂房 {m2} m²（{n} 栋）").format(
                m2=number(stock.idle_m2, 0), n=len(stock.factories)
            )
        )
        rows: list[
            tuple[int, QTableWidgetItem, QTableWidgetItem, QTableWidgetItem, QTableWidgetItem]
        ] = []
        for p in stock.parcels:
            rows.append(
                (
                    p.days_waiting or 0,
                    _item(_tr("净地"), RecordKind.PARCEL, [p.id]),
                    QTableWidgetItem(p.code),
                    _item(
                        _tr("{v} 亩").format(v=format_quantity(p.area_mu, "亩")),
                        RecordKind.PARCEL,
                        [p.id],
                        right=True,
                    ),
                    _item(_days(p.days_waiting), RecordKind.PARCEL, [p.id], right=True),
                )
            )
        for f in stock.factories:
            rows.append(
                (
                    f.days_idle or 0,
                    _item(_tr("厂房"), RecordKind.FACTORY, [f.id]),
                    QTableWidgetItem(f.code),
                    _item(
                        f"{number(f.idle_area_m2, 0)} m²", RecordKind.FACTORY, [f.id], right=True
                    ),
                    _item(_days(f.days_idle), RecordKind.FACTORY, [f.id], right=True),
                )
            )
        rows.sort(key=lambda row: -row[0])
        self.table.setRowCount(0)
        for r, (_days_waited, *items) in enumerate(rows[:STOCK_ROWS]):
            self.table.insertRow(r)
            for c, item in enumerate(items):
                self.table.setItem(r, c, item)


class PipelinePanel(QGroupBox):
    """Projects by stage: count and total investment (万元); a click opens the stage's projects."""

    recordsRequested = Signal(object, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("项目进展（按阶段）"), parent)
        self.table = small_table([_tr("阶段"), _tr("项目数"), _tr("总投资(万元)")])
        self.table.setToolTip(_tr("点击查看该阶段的项目"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.table.cellClicked.connect(
            lambda _r, _c: _emit_row(self.table, self.recordsRequested.emit)
        )

    def set_pipeline(self, stages: Sequence[PipelineStage]) -> None:
        self.table.setRowCount(len(stages))
        for r, stage in enumerate(stages):
            ids = stage.project_ids
            self.table.setItem(r, 0, _item(stage.stage, RecordKind.PROJECT, ids))
            self.table.setItem(r, 1, _item(f"{stage.count:,}", RecordKind.PROJECT, ids, right=True))
            money = number(stage.total_investment_wan, 0)
            self.table.setItem(r, 2, _item(money, RecordKind.PROJECT, ids, right=True))


RATE_FORMULAS = (
    ("履约率", "合同履约率 = 履约项目数 / 新签合同项目数"),
    ("开工率", "项目开工率 = (开工 + 竣工投产) 项目数 / 新签合同项目数"),
    ("资金到位率", "资金到位率 = 到位资金 / 合同投资总额"),
)


class RatesPanel(QGroupBox):
    """三率, each with its formula and the counts it is made of; a click opens its projects."""

    recordsRequested = Signal(object, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("三率"), parent)
        grid = QGridLayout(self)
        self.buttons: list[QPushButton] = []
        self.details: list[QLabel] = []
        self._ids: list[list[int]] = [[], [], []]
        for r, (_name, formula) in enumerate(RATE_FORMULAS):
            button = figure_button(_tr(formula) + "\n" + _tr("点击查看相关项目"))
            detail = QLabel()
            detail.setToolTip(_tr(formula))
            detail.setStyleSheet("color: #555;")
            grid.addWidget(button, r, 0)
            grid.addWidget(detail, r, 1)
            button.clicked.connect(
                lambda _checked=False, r=r: self.recordsRequested.emit(
                    RecordKind.PROJECT, list(self._ids[r])
                )
            )
            self.buttons.append(button)
            self.details.append(detail)
        grid.setColumnStretch(1, 1)

    def set_rates(self, rates: ThreeRates) -> None:
        names = [_tr(name) for name, _formula in RATE_FORMULAS]
        values = (rates.performance_pct, rates.start_pct, rates.funds_pct)
        details = (
            _tr("履约 {a} / 新签合同 {b} 个").format(
                a=len(rates.performing_ids), b=rates.contracts
            ),
            _tr("开工+竣工 {a} / 新签合同 {b} 个").format(
                a=len(rates.started_ids), b=rates.contracts
            ),
            _tr("到位 {a} / 合同投资 {b} 万元").format(
                a=number(rates.funds_in_place_wan, 0), b=number(rates.contract_investment_wan, 0)
            ),
        )
        self._ids = [list(rates.performing_ids), list(rates.started_ids), list(rates.funded_ids)]
        for button, detail, name, value, text in zip(
            self.buttons, self.details, names, values, details, strict=True
        ):
            button.setText(f"{name} {format_pct(value)}")
            detail.setText(text)


class AlertsPanel(QGroupBox):
    """Alerts, most severe first; a double-click opens the record."""

    recordsRequested = Signal(object, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("预警"), parent)
        self.table = small_table([_tr("级别"), _tr("类型"), _tr("内容")])
        self.table.setToolTip(_tr("双击查看该记录"))
        self.table.setWordWrap(True)  # an alert's text is read whole, not cut with …
        # Rows as tall as their text at the width the column has (after every layout change).
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_args: QTimer.singleShot(0, self.table.resizeRowsToContents)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.table.itemDoubleClicked.connect(
            lambda _item: _emit_row(self.table, self.recordsRequested.emit)
        )

    def set_alerts(self, alerts: Sequence[Alert], region_names: Mapping[int, str]) -> None:
        self.setTitle(_tr("预警（{n} 条）").format(n=len(alerts)))
        self.table.setRowCount(len(alerts))
        for r, alert in enumerate(alerts):
            ids = [alert.record_id]
            severity = _item(alert.severity.value, alert.record_kind, ids)
            severity.setForeground(QColor(SEVERITY_COLOURS[alert.severity]))
            self.table.setItem(r, 0, severity)
            self.table.setItem(r, 1, _item(alert.kind.value, alert.record_kind, ids))
            region = region_names.get(alert.region_id, "")
            message = f"{region} {alert.message}".strip()
            item = _item(message, alert.record_kind, ids)
            item.setToolTip(message)
            self.table.setItem(r, 2, item)
        QTimer.singleShot(0, self.table.resizeRowsToContents)
