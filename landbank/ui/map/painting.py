"""Features as painter paths, and a map painted straight onto a device (the printout and the
site excerpt; the 地图 tab uses :mod:`landbank.ui.map.scene` with the same paths and colours).

Map coordinates (“scene” coordinates) are metres east and metres *south* (y = −northing), so
that Qt's y-down devices show north up with a plain scale and translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from landbank.domain.enums import RecordKind
from landbank.services.mapping.shapes import Bounds, MapFeature
from landbank.ui.map.style import (
    HIGHLIGHT,
    NEIGHBOUR_ALPHA,
    PARK_FILL,
    PARK_LINE,
    LabelPlacer,
    fill_colour,
    line_colour,
    status_colour,
)

HALO_OFFSETS = ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1))


def feature_path(feature: MapFeature) -> QPainterPath:
    """The outline as one path in scene coordinates; holes stay empty (odd-even fill)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for polygon in feature.polygons:
        for ring in polygon:
            path.addPolygon(QPolygonF([QPointF(float(x), -float(y)) for x, y in ring]))
            path.closeSubpath()
    return path


def scene_rect(bounds: Bounds) -> QRectF:
    """A box in metres (min x, min y, max x, max y) as a scene rectangle."""
    x0, y0, x1, y1 = bounds
    return QRectF(QPointF(x0, -y1), QPointF(x1, -y0))


def anchor_point(feature: MapFeature) -> QPointF:
    return QPointF(feature.anchor[0], -feature.anchor[1])


def fit_transform(source: QRectF, target: QRectF) -> QTransform:
    """Scene → device: ``source`` shown whole and centred in ``target``, the same scale both ways."""
    width = max(source.width(), 1.0)
    height = max(source.height(), 1.0)
    scale = min(target.width() / width, target.height() / height)
    transform = QTransform()
    transform.translate(target.center().x(), target.center().y())
    transform.scale(scale, scale)
    transform.translate(-source.center().x(), -source.center().y())
    return transform


@dataclass(frozen=True)
class Sizes:
    """Device units of the drawing: a line's width, a building's dot, the label font."""

    line: float
    marker: float
    font: QFont


def paint_features(
    painter: QPainter,
    transform: QTransform,
    features: list[MapFeature],
    parks: list[MapFeature],
    sizes: Sizes,
    *,
    highlight: MapFeature | None = None,
    faint: bool = False,
    area: QRectF | None = None,
    reserved: tuple[QRectF, ...] = (),
) -> None:
    """Parks, outlines, dots and code labels under ``transform`` (scene → device); ``faint``
    draws ``features`` pale (the neighbours of a highlighted site); labels only inside ``area``
    (the painter's viewport by default), whole, and clear of the ``reserved`` boxes (the
    legend, the scale bar, the north arrow: device units)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for park in parks:
        path = transform.map(feature_path(park))
        painter.setPen(QPen(PARK_LINE, sizes.line, Qt.PenStyle.DashLine))
        painter.setBrush(PARK_FILL)
        painter.drawPath(path)
    alpha = NEIGHBOUR_ALPHA if faint else 150
    for feature in features:
        if feature.is_point:
            continue
        painter.setPen(QPen(line_colour(feature.kind, feature.status), sizes.line))
        painter.setBrush(fill_colour(feature.kind, feature.status, alpha))
        painter.drawPath(transform.map(feature_path(feature)))
    for feature in features:
        if feature.is_point:
            _dot(
                painter,
                transform.map(anchor_point(feature)),
                feature,
                sizes,
                alpha if faint else 255,
            )
    if highlight is not None:
        if highlight.is_point:
            _dot(painter, transform.map(anchor_point(highlight)), highlight, sizes, 255, ring=True)
        else:
            painter.setPen(QPen(HIGHLIGHT, sizes.line * 3))
            painter.setBrush(fill_colour(highlight.kind, highlight.status, 200))
            painter.drawPath(transform.map(feature_path(highlight)))
    _labels(
        painter,
        transform,
        features,
        sizes,
        highlight,
        faint,
        area or QRectF(painter.viewport()),
        reserved,
    )
    painter.restore()


def _dot(
    painter: QPainter,
    at: QPointF,
    feature: MapFeature,
    sizes: Sizes,
    alpha: int,
    ring: bool = False,
) -> None:
    colour = status_colour(feature.kind, feature.status)
    colour.setAlpha(alpha)
    radius = sizes.marker / 2
    if ring:
        painter.setPen(QPen(HIGHLIGHT, sizes.line * 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(at, radius * 1.9, radius * 1.9)
    painter.setPen(QPen(QColor(255, 255, 255, alpha), sizes.line * 1.2))
    painter.setBrush(colour)
    painter.drawEllipse(at, radius, radius)


def _labels(
    painter: QPainter,
    transform: QTransform,
    features: list[MapFeature],
    sizes: Sizes,
    highlight: MapFeature | None,
    faint: bool,
    area: QRectF,
    reserved: tuple[QRectF, ...],
) -> None:
    metrics = QFontMetricsF(sizes.font, painter.device())
    placer = LabelPlacer(cell=metrics.height() * 4, limit=2000)
    for box in reserved:
        placer.reserve(box)
    ordered = ([highlight] if highlight is not None else []) + features
    bold = QFont(sizes.font)
    bold.setBold(True)
    for feature in ordered:
        if not feature.code:
            continue
        at = transform.map(anchor_point(feature))
        if not area.contains(at):
            continue
        font = bold if feature is highlight else sizes.font
        width = QFontMetricsF(font, painter.device()).horizontalAdvance(feature.code)
        offset = sizes.marker * 0.8 if feature.is_point else 0.0
        box = QRectF(
            at.x() - width / 2, at.y() + offset - metrics.height() / 2, width, metrics.height()
        )
        if feature.is_point:
            box.moveTop(at.y() + offset)
        if feature is not highlight and not area.contains(box):
            continue  # a code cut by the edge of the map
        if not placer.place(box.adjusted(-2, -1, 2, 1)) and feature is not highlight:
            continue
        painter.setFont(font)
        _halo_text(
            painter,
            box,
            feature.code,
            QColor("#555555") if faint and feature is not highlight else QColor("#111111"),
        )


def _halo_text(painter: QPainter, box: QRectF, text: str, colour: QColor) -> None:
    """Text with a white halo (the text drawn white around it), readable over any fill; text,
    not outlines, so a PDF keeps the codes searchable."""
    metrics = QFontMetricsF(painter.font(), painter.device())
    origin = QPointF(box.left(), box.top() + metrics.ascent())
    if isinstance(painter.device(), QImage):
        # Copies around it: an image comes out the same every time (a stroked outline of the
        # letters differed by a few pixels the first time a font was used).
        step = max(1.0, metrics.height() / 14)
        painter.setPen(QColor(255, 255, 255, 235))
        for dx, dy in HALO_OFFSETS:
            painter.drawText(origin + QPointF(dx * step, dy * step), text)
    else:  # a printer: one outline, so the PDF holds each code once as text
        path = QPainterPath()
        path.addText(origin, painter.font(), text)
        width = max(1.0, metrics.height() / 12)
        round_cap, round_join = Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        halo = QPen(QColor(255, 255, 255, 235), width, Qt.PenStyle.SolidLine, round_cap, round_join)
        painter.strokePath(path, halo)
    painter.setPen(colour)
    painter.drawText(origin, text)


def kinds_of(features: list[MapFeature]) -> tuple[RecordKind, ...]:
    """The record kinds among ``features`` (what the legend lists), parcels first."""
    present = {f.kind for f in features}
    return tuple(k for k in (RecordKind.PARCEL, RecordKind.FACTORY) if k in present)
