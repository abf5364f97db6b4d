"""The 年度指标 dashboard (issue 5): each region's progress against its land and factory targets,
the monthly cumulative charts, the stock waiting for projects, the pipeline, the 三率 and the
alerts — all from :func:`landbank.services.quota.report.city_report`.

Every figure keeps the ids of its records; a click on one emits
``show_records(kind, ids)``, which the main window answers by showing those records.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.domain.quota.city_report import CityQuotaReport
from landbank.domain.quota.progress import IndicatorProgress, RegionProgress
from landbank.domain.quota.projects import PipelineStage
from landbank.domain.units import format_quantity
from landbank.services.errors import describe_error
from landbank.services.quota.projects import projects_report
from landbank.services.quota.report import city_report
from landbank.ui.context import AppContext
from landbank.ui.efficiency.action import open_efficiency
from landbank.ui.quota.charts import MonthlyChart
from landbank.ui.quota.defaults_dialog import QuotaDefaultsDialog
from landbank.ui.quota.land_life_panel import LandLifePanel
from landbank.ui.quota.panels import AlertsPanel, PipelinePanel, RatesPanel, StockPanel, number

LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#e08a00", "red": "#c62828"}
BAR_COLOURS = {"green": "#81c784", "amber": "#ffb74d", "red": "#ef9a9a"}  # text stays legible
NEUTRAL_COLOUR = "#78909c"
BAR_SCALE = 1000  # progress bars count in ‰


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuotaDashboard", text)


def progress_text(indicator: IndicatorProgress, unit: str) -> str:
    """ "1,430.00 / 2,000.00 亩 (71.5%)"; without a target "1,430.00 亩 (无指标)" — in the
    one format of each unit (亩 two decimals, m² whole)."""
    canonical = "亩" if unit == _tr("亩") else unit
    done = format_quantity(indicator.done, canonical)
    if indicator.percent is None:
        return _tr("{done} {unit}（无指标）").format(done=done, unit=unit)
    target = format_quantity(indicator.target, canonical)
    return f"{done} / {target} {unit} ({indicator.percent:.1f}%)"


CHART_HEIGHT = 170  # each monthly chart's minimum (quota_charts)
MIN_PANELS_HEIGHT = 260  # the panels below keep at least this much
BODY_MIN_HEIGHT = 2 * CHART_HEIGHT + 50 + MIN_PANELS_HEIGHT + 200


class IndicatorBar(QProgressBar):
    """A progress bar that is a figure: a click asks for the records counted."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, BAR_SCALE)
        self.setTextVisible(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(150)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_indicator(self, indicator: IndicatorProgress, unit: str) -> None:
        pct = indicator.percent or 0.0
        self.setValue(max(0, min(BAR_SCALE, round(pct * BAR_SCALE / 100))))
        self.setFormat(progress_text(indicator, unit))
        colour = BAR_COLOURS.get(indicator.status.light or "", "#cfd8dc")
        self.setStyleSheet(
            "QProgressBar { border: 1px solid #b0b0b0; border-radius: 3px; background: #f4f4f4;"
            " text-align: center; min-height: 20px; }"
            f" QProgressBar::chunk {{ background: {colour}; }}"
        )
        self.setToolTip(
            _tr("{status}；时序应完成 {expected} {unit}；点击查看计入的 {n} 条记录").format(
                status=indicator.status.value,
                expected=number(indicator.expected),
                unit=unit,
                n=len(indicator.record_ids),
            )
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class RegionRow:
    """The widgets of one region's row in the progress grid."""

    def __init__(self, grid: QGridLayout, row: int, parent: QWidget) -> None:
        self.name = QLabel(parent)
        self.land = IndicatorBar(parent)
        self.factory = IndicatorBar(parent)
        self.status = QLabel(parent)
        self.rank = QLabel(parent)
        self.rank.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress: RegionProgress | None = None
        for column, widget in enumerate(
            (self.name, self.land, self.factory, self.status, self.rank)
        ):
            grid.addWidget(widget, row, column)

    def set_progress(self, progress: RegionProgress) -> None:
        self.progress = progress
        self.name.setText(progress.name)
        self.land.set_indicator(progress.land, _tr("亩"))
        self.factory.set_indicator(progress.factory, "m²")
        status = progress.status
        colour = LIGHT_COLOURS.get(status.light or "", NEUTRAL_COLOUR)
        self.status.setText(status.value)
        self.status.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.rank.setText(
            "—" if progress.rank is None else _tr("第 {n} 名").format(n=progress.rank)
        )


class QuotaDashboard(QWidget):
    """年度指标 progress for the city or one region. ``refresh()`` re-reads the database."""

    show_records = Signal(object, list)  # RecordKind, list of record ids

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        year: int | None = None,
        as_of: date | None = None,
        refresh_shortcut: bool = True,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._as_of = as_of  # None: today, at each refresh
        self.report: CityQuotaReport | None = None
        self._pipeline: tuple[PipelineStage, ...] = ()
        self.rows: list[RegionRow] = []
        self.year_box = QSpinBox(self)
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(year or (as_of or date.today()).year)
        self.year_box.setSuffix(_tr(" 年"))
        self.region_box = QComboBox(self)
        self.region_box.addItem(_tr("全市"), None)
        self.region_box.setMinimumContentsLength(8)
        self.pace_label = QLabel(self)
        self.refresh_button = QPushButton(_tr("刷新 (F5)"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.defaults_button = QPushButton(_tr("默认指标…"), self)
        self.defaults_button.setToolTip(_tr("未单独设定年度指标的县区按本市默认指标计算"))
        self.defaults_button.clicked.connect(self.edit_defaults)
        if refresh_shortcut:  # in the main window, its own F5 refreshes everything
            action = QAction(self)
            action.setShortcut(QKeySequence(Qt.Key.Key_F5))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(self.refresh)
            self.addAction(action)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("年度："), self))
        bar.addWidget(self.year_box)
        bar.addSpacing(12)
        bar.addWidget(QLabel(_tr("区域："), self))
        bar.addWidget(self.region_box)
        bar.addSpacing(12)
        bar.addWidget(self.pace_label, 1)
        bar.addWidget(self.defaults_button)
        self.efficiency_button = QPushButton(_tr("亩均效益评价…"), self)  # issue 16
        self.efficiency_button.clicked.connect(lambda: open_efficiency(self.ctx, self))
        bar.addWidget(self.efficiency_button)
        bar.addWidget(self.refresh_button)

        self.progress_box = QGroupBox(_tr("各地完成情况"), self)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        headers = (
            _tr("区域"),
            _tr("收储土地（亩）"),
            _tr("标准厂房（m²）"),
            _tr("进度"),
            _tr("排名"),
        )
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            self.grid.addWidget(label, 0, column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        QVBoxLayout(self.progress_box).addWidget(scroll)

        self.land_chart = MonthlyChart(RecordKind.PARCEL)
        self.factory_chart = MonthlyChart(RecordKind.FACTORY)
        charts = QGroupBox(_tr("月度累计进度"), self)
        chart_layout = QVBoxLayout(charts)
        chart_layout.addWidget(self.land_chart)
        chart_layout.addWidget(self.factory_chart)

        self.stock_panel = StockPanel(self)
        self.pipeline_panel = PipelinePanel(self)
        self.rates_panel = RatesPanel(self)
        self.alerts_panel = AlertsPanel(self)
        self.land_life_panel = LandLifePanel(self)  # 闲置与低效用地 (issue 16)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.rates_panel)
        middle_layout.addWidget(self.pipeline_panel, 1)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.progress_box)
        top.addWidget(charts)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.stock_panel)
        bottom.addWidget(middle)
        bottom.addWidget(self.alerts_panel)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 2)
        bottom.setStretchFactor(2, 3)
        body = self.body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(bottom)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([470, 400])
        top.setSizes([760, 620])
        # Scrolls rather than forcing its minimum size on the main window (small screens).
        page = QScrollArea(self)
        page.setWidgetResizable(True)
        page.setFrameShape(QScrollArea.Shape.NoFrame)
        body.setMinimumHeight(BODY_MIN_HEIGHT)  # the 闲置与低效用地 panel below: the page scrolls
        content = QWidget()
        stack = QVBoxLayout(content)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(body, 1)
        stack.addWidget(self.land_life_panel)
        page.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(page, 1)

        for source in (
            self.land_chart.monthClicked,
            self.factory_chart.monthClicked,
            self.stock_panel.recordsRequested,
            self.pipeline_panel.recordsRequested,
            self.rates_panel.recordsRequested,
            self.alerts_panel.recordsRequested,
            self.land_life_panel.recordsRequested,
        ):
            source.connect(self.show_records)
        self.year_box.valueChanged.connect(self.refresh)
        self.region_box.currentIndexChanged.connect(self.refresh)  # a region's pipeline is read

    # -------------------------------------------------------------- data

    def mark_stale(self) -> None:
        """The ledger changed: re-read now if shown, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self.report = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.report is None:
            self.refresh()
        else:
            count = sum(1 for row in self.rows if row.name.isVisibleTo(self.grid_host))
            QTimer.singleShot(0, lambda: self.fit_panels(count))

    def year(self) -> int:
        return self.year_box.value()

    def region_id(self) -> int | None:
        value = self.region_box.currentData()
        return value if isinstance(value, int) else None

    def edit_defaults(self) -> None:
        """The city's default targets; the figures are recomputed when they were saved."""
        dialog = QuotaDefaultsDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the report for the chosen year and show it."""
        as_of = self._as_of or date.today()
        try:
            with self.ctx.session() as session:
                self.report = city_report(session, self.year(), as_of=as_of)
                region = self.region_id()
                self._pipeline = (
                    self.report.pipeline
                    if region is None
                    else projects_report(
                        session, self.year(), region_id=region, as_of=as_of, report=self.report
                    ).pipeline
                )
        except SQLAlchemyError as exc:
            self.pace_label.setText(describe_error(exc))
            return
        self.land_life_panel.load(self.ctx, as_of)  # in the background: it may take seconds
        self._fill_regions()
        self._show_report()

    def _fill_regions(self) -> None:
        assert self.report is not None
        keep = self.region_id()
        self.region_box.blockSignals(True)
        self.region_box.clear()
        self.region_box.addItem(_tr("全市"), None)
        for progress in sorted(self.report.regions, key=lambda p: p.region_id or 0):
            self.region_box.addItem(progress.name, progress.region_id)
        index = self.region_box.findData(keep) if keep is not None else 0
        self.region_box.setCurrentIndex(max(0, index))
        self.region_box.blockSignals(False)

    def _show_report(self) -> None:
        report = self.report
        if report is None:
            return
        region = self.region_id()
        shown = report.regions if region is None else (report.region(region),)
        focus = report.total if region is None else report.region(region)
        self.pace_label.setText(report.pace.describe())
        self._show_rows(shown, report.total if region is None else None)
        self.land_chart.set_points(focus.monthly)
        self.factory_chart.set_points(focus.monthly)
        stock = report.stock if region is None else report.stock.for_region(region)
        self.stock_panel.set_stock(stock)
        self.pipeline_panel.set_pipeline(self._pipeline)
        self.rates_panel.set_rates(focus.rates)
        alerts = [a for a in report.alerts if region is None or a.region_id == region]
        self.alerts_panel.set_alerts(alerts, report.region_names)
        self.land_life_panel.show_region(region)

    def _show_rows(self, regions: tuple[RegionProgress, ...], total: RegionProgress | None) -> None:
        progresses = [*regions, *([total] if total is not None else [])]
        while len(self.rows) < len(progresses):
            row = RegionRow(self.grid, len(self.rows) + 1, self.grid_host)
            row.land.clicked.connect(lambda row=row: self._indicator_clicked(row, land=True))
            row.factory.clicked.connect(lambda row=row: self._indicator_clicked(row, land=False))
            self.rows.append(row)
        for i, row in enumerate(self.rows):
            visible = i < len(progresses)
            for widget in (row.name, row.land, row.factory, row.status, row.rank):
                widget.setVisible(visible)
            if visible:
                row.set_progress(progresses[i])
                bold = "font-weight: bold;" if progresses[i] is total else ""
                row.name.setStyleSheet(bold)
        self.grid.setRowStretch(len(self.rows) + 1, 1)
        count = len(progresses)
        QTimer.singleShot(0, lambda: self.fit_panels(count))  # once laid out

    def fit_panels(self, rows: int) -> None:
        """The top as tall as its content needs (the regions' bars, the two charts), the
        panels below — stock, 三率, pipeline, alerts — the rest: no empty space above while
        the tables below show two rows."""
        row_height = max(self.fontMetrics().height() + 14, 28)
        bars = (rows + 1) * row_height + 60
        charts = 2 * CHART_HEIGHT + 50
        top = max(bars, charts)
        total = sum(self.body.sizes()) or self.body.height()
        if total > top + MIN_PANELS_HEIGHT:
            self.body.setSizes([top, total - top])

    def _indicator_clicked(self, row: RegionRow, *, land: bool) -> None:
        if row.progress is None:
            return
        if land:
            self.show_records.emit(RecordKind.PARCEL, list(row.progress.land.record_ids))
        else:
            self.show_records.emit(RecordKind.FACTORY, list(row.progress.factory.record_ids))
