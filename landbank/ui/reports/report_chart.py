"""Charts of the printed reports, rendered to images with QtCharts.

A :class:`QChart` is put in a :class:`QGraphicsScene` and the scene rendered onto a
:class:`QImage` (a QChartView never shown renders collapsed). The image is drawn at
``scale`` × its logical size so it stays sharp when printed at ≈ 175 mm wide.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from landbank.domain.quota.city_report import CityQuotaReport
from landbank.ui.fonts import print_font
from landbank.ui.reports.html_parts import Wrap, segments

LAND_COLOUR = "#4472c4"
FACTORY_COLOUR = "#ed7d31"
PACE_COLOUR = "#c00000"


def _font(points: float, *, bold: bool = False) -> QFont:
    font = print_font(points)  # the CJK font landbank ships, as in the report's text
    font.setBold(bold)
    return font


LABEL_ROOM = 60  # the characters of axis labels across the chart's width


def _label(name: str, room: int) -> str:
    """A region's name as its bars' label: on two lines, broken where a name may break (or in
    the middle), when longer than ``room`` characters."""
    if len(name) <= room:
        return name
    pieces = segments(name, Wrap.NAME)
    best = min(
        range(1, len(pieces)),
        key=lambda i: abs(len("".join(pieces[:i])) - len(name) / 2),
        default=0,
    )
    cut = len("".join(pieces[:best])) if best else len(name) // 2
    if not 0 < cut < len(name) or max(cut, len(name) - cut) > room:
        cut = (len(name) + 1) // 2
    return f"{name[:cut]}<br>{name[cut:]}"


def render_chart(chart: QChart, width: int, height: int, scale: float = 3.0) -> QImage:
    """``chart`` laid out at ``width`` × ``height`` and painted on a white image ``scale``
    times that size."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.resize(width, height)
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scene.render(painter, QRectF(0, 0, image.width(), image.height()),
                     QRectF(0, 0, width, height))  # fmt: skip
    finally:
        painter.end()
    scene.removeItem(chart)
    return image


def quota_chart(report: CityQuotaReport, width: int = 660, height: int = 330) -> QImage:
    """Bars of each ranked region's 收储 and 厂房 完成率 (%), with the calendar pace as a
    line across them."""
    regions = [p for p in report.regions if p.land.target > 0 or p.factory.target > 0]
    land = QBarSet("收储完成率")
    factory = QBarSet("厂房完成率")
    land.setColor(QColor(LAND_COLOUR))
    factory.setColor(QColor(FACTORY_COLOUR))
    top = 100.0
    for p in regions:
        land_pct = p.land.percent or 0.0
        factory_pct = p.factory.percent or 0.0
        land.append(land_pct)
        factory.append(factory_pct)
        top = max(top, land_pct, factory_pct)
    bars = QBarSeries()
    bars.append(land)
    bars.append(factory)
    bars.setLabelsVisible(False)

    chart = QChart()
    chart.setTitle(f"各县区指标完成率（时序进度 {report.pace.percent:.1f}%）")
    chart.setTitleFont(_font(10, bold=True))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMarginsF(4, 4, 4, 4).toMargins())
    chart.addSeries(bars)

    pace = QLineSeries()
    pace.setName(f"时序进度 {report.pace.percent:.1f}%")
    pen = QPen(QColor(PACE_COLOUR))
    pen.setWidthF(1.5)
    pen.setStyle(Qt.PenStyle.DashLine)
    pace.setPen(pen)
    pace.append(QPointF(-0.5, report.pace.percent))
    pace.append(QPointF(len(regions) - 0.5, report.pace.percent))
    chart.addSeries(pace)

    axis_x = QBarCategoryAxis()
    room = max(4, LABEL_ROOM // max(1, len(regions)))
    axis_x.append([_label(p.name, room) for p in regions] or ["—"])
    axis_x.setLabelsFont(_font(7.5))
    axis_y = QValueAxis()
    ceiling = 100 if top <= 100 else (int(top) // 20 + 1) * 20
    axis_y.setRange(0, ceiling)
    axis_y.setLabelFormat("%d%%")
    axis_y.setTickCount(ceiling // 20 + 1)
    axis_y.setLabelsFont(_font(7.5))
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    for series in (bars, pace):
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
    chart.legend().setFont(_font(8))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    return render_chart(chart, width, height)
