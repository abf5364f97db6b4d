"""The monthly cumulative charts of the 年度指标 dashboard (QtCharts): what was done, month by
month, against what the calendar's pace expects — one chart for land (亩), one for factory
floor space (m²). A click on a point of the done line asks for the records counted up to that
month.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from landbank.domain.enums import RecordKind
from landbank.domain.quota.progress import MonthlyPoint

DONE_COLOUR = "#1565c0"
EXPECTED_COLOUR = "#9e9e9e"


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuotaChart", text)


def _nice_max(value: float) -> float:
    """A round upper bound for the value axis (1, 2, 2.5 or 5 × 10ⁿ above ``value``)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


class MonthlyChart(QChartView):
    """Cumulative done vs expected for one indicator, January to December."""

    monthClicked = Signal(object, list)  # RecordKind, ids counted up to the month

    def __init__(self, kind: RecordKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind  # PARCEL (亩) or FACTORY (m²)
        self.unit = _tr("亩") if kind is RecordKind.PARCEL else "m²"
        title = (
            _tr("累计收储面积（亩）") if kind is RecordKind.PARCEL else _tr("累计竣工厂房（m²）")
        )
        self._points: tuple[MonthlyPoint, ...] = ()
        chart = QChart()
        chart.setTitle(title)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.done = QLineSeries()
        self.done.setName(_tr("累计完成"))
        self.done.setPen(QPen(QColor(DONE_COLOUR), 2.5))
        self.done.setPointsVisible(True)
        self.expected = QLineSeries()
        self.expected.setName(_tr("时序进度"))
        pen = QPen(QColor(EXPECTED_COLOUR), 1.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.expected.setPen(pen)
        chart.addSeries(self.expected)
        chart.addSeries(self.done)
        # QValueAxis's printf label format cannot carry 月 (it shows "?"): label each month.
        self.axis_x = QCategoryAxis()
        self.axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for month in range(1, 13):
            self.axis_x.append(_tr("{m}月").format(m=month), month)
        self.axis_x.setRange(1, 12)
        self.axis_y = QValueAxis()
        self.axis_y.setLabelFormat("%.0f")
        chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in (self.done, self.expected):
            series.attachAxis(self.axis_x)
            series.attachAxis(self.axis_y)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(170)
        self.done.clicked.connect(self._clicked)
        self.setToolTip(_tr("点击实线上的点查看截至该月计入的记录"))

    def set_points(self, points: Sequence[MonthlyPoint]) -> None:
        self._points = tuple(points)
        land = self.kind is RecordKind.PARCEL
        done = [p.land_cumulative_mu if land else p.factory_cumulative_m2 for p in points]
        expected = [p.land_expected_mu if land else p.factory_expected_m2 for p in points]
        self.done.replace([QPointF(p.month, v) for p, v in zip(points, done, strict=True)])
        self.expected.replace([QPointF(p.month, v) for p, v in zip(points, expected, strict=True)])
        self.axis_y.setRange(0, _nice_max(max([*done, *expected, 0.0])))
        self.axis_y.setTickCount(3)  # 0, half, top: readable in a chart of 170 px

    def ids_up_to(self, month: int) -> list[int]:
        """The records counted from January to ``month``."""
        land = self.kind is RecordKind.PARCEL
        ids: list[int] = []
        for p in self._points:
            if p.month <= month:
                ids.extend(p.parcel_ids if land else p.factory_ids)
        return ids

    def _clicked(self, point: QPointF) -> None:
        month = max(1, min(12, round(point.x())))
        self.monthClicked.emit(self.kind, self.ids_up_to(month))
