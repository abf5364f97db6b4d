"""What every map carries, drawn with a painter in device units (the screen's pixels, the
printer's dots or an image's pixels): the scale bar, the north arrow and the legend."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPaintDevice,
    QPainter,
    QPen,
    QPolygonF,
)

from landbank.domain.enums import RecordKind
from landbank.services.mapping.scale import ScaleBar, scale_bar
from landbank.ui.map.style import legend_sections


def draw_scale_bar(
    painter: QPainter,
    pixels_per_metre: float,
    bottom_left: QPointF,
    max_pixels: float,
    font: QFont,
    unit: float = 1.0,
) -> ScaleBar | None:
    """A bar of a round length (0–500 m) whose left end is at ``bottom_left``; ``unit`` is a
    device's pixels per screen pixel (line widths and gaps). Returns the bar drawn."""
    bar = scale_bar(pixels_per_metre, max_pixels)
    if bar is None:
        return None
    painter.save()
    painter.setFont(font)
    metrics = QFontMetricsF(font, painter.device())
    height = 6 * unit
    x, y = bottom_left.x(), bottom_left.y() - height
    # A white box behind it, so it reads over any outline.
    box = QRectF(
        x - 4 * unit,
        y - metrics.height() - 4 * unit,
        bar.pixels + 8 * unit + metrics.horizontalAdvance(bar.label) / 2,
        metrics.height() + height + 8 * unit,
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 210))
    painter.drawRect(box)
    painter.setPen(QPen(QColor("#222222"), max(1.0, unit)))
    half = bar.pixels / 2
    painter.setBrush(QColor("#222222"))
    painter.drawRect(QRectF(x, y, half, height))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(QRectF(x + half, y, half, height))
    baseline = y - 2 * unit - metrics.descent()
    painter.drawText(QPointF(x - metrics.horizontalAdvance("0") / 2, baseline), "0")
    label = bar.label
    painter.drawText(
        QPointF(x + bar.pixels - metrics.horizontalAdvance(label) / 2, baseline), label
    )
    painter.restore()
    return bar


def draw_north_arrow(painter: QPainter, centre: QPointF, size: float, font: QFont) -> None:
    """An arrow pointing up (the maps are drawn north up) with “北” above it."""
    painter.save()
    half = size / 2
    cx, cy = centre.x(), centre.y()
    left = QPolygonF(
        [
            QPointF(cx, cy - half),
            QPointF(cx - half * 0.45, cy + half),
            QPointF(cx, cy + half * 0.55),
        ]
    )
    right = QPolygonF(
        [
            QPointF(cx, cy - half),
            QPointF(cx + half * 0.45, cy + half),
            QPointF(cx, cy + half * 0.55),
        ]
    )
    pen = QPen(QColor("#222222"), max(1.0, size / 30))
    painter.setPen(pen)
    painter.setBrush(QColor("#222222"))
    painter.drawPolygon(left)
    painter.setBrush(QColor("#ffffff"))
    painter.drawPolygon(right)
    painter.setFont(font)
    metrics = QFontMetricsF(font, painter.device())
    text = "北"
    painter.drawText(
        QPointF(
            cx - metrics.horizontalAdvance(text) / 2, cy - half - metrics.descent() - size * 0.05
        ),
        text,
    )
    painter.restore()


def legend_size(
    font: QFont,
    kinds: tuple[RecordKind, ...],
    unit: float = 1.0,
    device: QPaintDevice | None = None,
) -> tuple[float, float]:
    metrics = QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)
    line = metrics.height() * 1.25
    width = 0.0
    rows = 0
    for heading, kind, entries in legend_sections():
        if kind not in kinds:
            continue
        width = max(width, metrics.horizontalAdvance(heading))
        for status, _colour in entries:
            width = max(width, line * 1.3 + metrics.horizontalAdvance(status))
        rows += 1 + len(entries)
    return width + 12 * unit, rows * line + 10 * unit


def draw_legend(
    painter: QPainter,
    top_left: QPointF,
    font: QFont,
    kinds: tuple[RecordKind, ...] = (RecordKind.PARCEL, RecordKind.FACTORY),
    unit: float = 1.0,
) -> QRectF:
    """The colours of the statuses (a square for parcels, a dot for buildings)."""
    metrics = QFontMetricsF(font, painter.device())
    line = metrics.height() * 1.25
    width, height = legend_size(font, kinds, unit, painter.device())
    rect = QRectF(top_left, QPointF(top_left.x() + width, top_left.y() + height))
    painter.save()
    painter.setFont(font)
    painter.setPen(QPen(QColor(0, 0, 0, 60), max(1.0, unit * 0.7)))
    painter.setBrush(QBrush(QColor(255, 255, 255, 225)))
    painter.drawRect(rect)
    x = top_left.x() + 6 * unit
    y = top_left.y() + 5 * unit
    swatch = metrics.height() * 0.75
    for heading, kind, entries in legend_sections():
        if kind not in kinds:
            continue
        painter.setPen(QColor("#222222"))
        painter.drawText(QPointF(x, y + metrics.ascent()), heading)
        y += line
        for status, colour in entries:
            box = QRectF(x, y + (metrics.height() - swatch) / 2, swatch, swatch)
            painter.setPen(QPen(colour.darker(150), max(1.0, unit * 0.7)))
            fill = QColor(colour)
            if kind is RecordKind.PARCEL:
                fill.setAlpha(170)
                painter.setBrush(fill)
                painter.drawRect(box)
            else:
                painter.setBrush(fill)
                painter.drawEllipse(box)
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QPointF(x + line * 1.3 - 6 * unit + swatch * 0.2, y + metrics.ascent()), status
            )
            y += line
    painter.restore()
    return rect
