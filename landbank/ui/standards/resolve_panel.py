"""查看适用指标: pick a county, a park (or none) and an industry (or none); the standard that
applies there, each indicator with its requirement and the row it comes from
(:func:`~landbank.services.standards.rows.standard_for`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import col, select

from landbank.domain.standards.indicators import NATIONAL_SOURCE
from landbank.services.standards.rows import standard_for, standard_title
from landbank.store.models import Park, Region
from landbank.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("StandardResolvePanel", text)


class StandardResolvePanel(QGroupBox):
    """The 查看适用指标 panel of the 标准地指标 dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_tr("查看适用指标"), parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.county = QComboBox(self)
        self.park = QComboBox(self)
        self.industry = QLineEdit(self)
        self.industry.setPlaceholderText(_tr("项目产业，如 新材料"))
        self.show_button = QPushButton(_tr("查看"), self)
        for label, widget in (
            (_tr("县区"), self.county), (_tr("园区"), self.park), (_tr("产业"), self.industry)
        ):
            row.addWidget(QLabel(label, self))
            row.addWidget(widget, 1)
        row.addWidget(self.show_button)
        layout.addLayout(row)
        self.heading = QLabel(self)
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_tr("指标"), _tr("要求"), _tr("来源")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.county.currentIndexChanged.connect(self._load_parks)
        self.show_button.clicked.connect(self.resolve)
        self.reload()

    def reload(self) -> None:
        """Counties and parks again (after rows or places changed elsewhere)."""
        current = self.county.currentData()
        with self.ctx.session() as session:
            regions = session.execute(
                select(col(Region.id), col(Region.name)).order_by(col(Region.id))
            ).all()
            self._parks = session.execute(
                select(col(Park.id), col(Park.name), col(Park.region_id)).order_by(col(Park.id))
            ).all()
        self.county.blockSignals(True)
        self.county.clear()
        for region_id, name in regions:
            self.county.addItem(name, region_id)
        self.county.setCurrentIndex(max(self.county.findData(current), 0))
        self.county.blockSignals(False)
        self._load_parks()

    def _load_parks(self) -> None:
        region_id = self.county.currentData()
        self.park.clear()
        self.park.addItem(_tr("（不在园区）"), None)
        for park_id, name, park_region in self._parks:
            if park_region == region_id:
                self.park.addItem(name, park_id)

    def choose(self, county: str, park: str | None = None, industry: str = "") -> None:
        """Pick a place by name (as a clerk would) and show its standard."""
        self.county.setCurrentIndex(max(self.county.findText(county), 0))
        self.park.setCurrentIndex(max(self.park.findText(park), 0) if park else 0)
        self.industry.setText(industry)
        self.resolve()

    def resolve(self) -> None:
        region_id = self.county.currentData()
        if region_id is None:
            self.heading.setText(_tr("台账中还没有县区"))
            self.table.setRowCount(0)
            return
        park_id = self.park.currentData()
        industry = self.industry.text().strip() or None
        with self.ctx.session() as session:
            standard = standard_for(session, int(region_id), park_id, industry)
        park = self.park.currentText() if park_id is not None else None
        site = standard_title(self.county.currentText(), park, industry)
        self.heading.setText(_tr("{site} 适用的指标：").format(site=site))
        resolved = list(standard)
        self.table.setRowCount(len(resolved))
        grey = QColor("#808080")
        for n, item in enumerate(resolved):
            source = _tr("来自 {source}").format(source=item.source)
            cells = (item.indicator.label, item.requirement, source)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if item.low_source == NATIONAL_SOURCE or item.high_source == NATIONAL_SOURCE:
                    cell.setForeground(grey)
                if item.notes:
                    cell.setToolTip("\n".join(item.notes))
                self.table.setItem(n, column, cell)
        self.table.resizeColumnsToContents()
