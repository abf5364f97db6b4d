"""The 地图 tab's scene: one item per park (faint), parcel outline and building dot, each
knowing its record; code labels that keep their size on screen; the selection's highlight.

Scene units are metres (x east, y south: :mod:`landbank.ui.map.painting`). Outlines are
path items with cosmetic pens (a hairline at any zoom); dots and labels ignore the view's
scale. Which labels show is decided by :meth:`MapScene.place_labels` for the area in view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.services.mapping.features import MapData
from landbank.services.mapping.shapes import MapFeature
from landbank.ui.map.painting import anchor_point, feature_path
from landbank.ui.map.style import (
    HIGHLIGHT,
    PARK_FILL,
    PARK_LINE,
    LabelPlacer,
    fill_colour,
    line_colour,
    status_colour,
)

MARKER_PX = 10.0
FEATURE_ROLE = 0  # item.data(FEATURE_ROLE): (kind value, record id)
MAX_LABELS = 400
MAX_DENSE = 3000  # more features than this in view: no labels but the highlighted one's


def _cosmetic(
    colour: QColor, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine
) -> QPen:
    pen = QPen(colour, width, style)
    pen.setCosmetic(True)
    return pen


class _Label(QGraphicsSimpleTextItem):
    """A code label, centred on its anchor, with a white halo; its size is in screen pixels."""

    def __init__(self, text: str, font: QFont, offset: QPointF, size: tuple[float, float]) -> None:
        super().__init__(text)
        self.setFont(font)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.size = size
        self._offset = offset
        self.setZValue(5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return super().boundingRect().translated(self._offset).adjusted(-2, -2, 2, 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        path = QPainterPath()
        path.addText(
            self._offset + QPointF(0, QFontMetricsF(self.font()).ascent()), self.font(), self.text()
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(
                QColor(255, 255, 255, 230),
                3.0,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor("#111111")))
        painter.drawPath(path)


class MapScene(QGraphicsScene):
    """The items of one :class:`MapData`."""

    def __init__(self, data: MapData, font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.items_of: dict[tuple[RecordKind, int], QGraphicsItem] = {}
        self.features_of: dict[tuple[RecordKind, int], MapFeature] = {}
        # Labels are made when first shown: a map of 20,000 parcels shows a few hundred.
        self._font = font
        self._metrics = QFontMetricsF(font)
        self._labels: dict[tuple[RecordKind, int], _Label] = {}
        self._shown: set[tuple[RecordKind, int]] = set()
        self._highlight: QGraphicsItem | None = None
        self.highlighted: tuple[RecordKind, int] | None = None
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        for park in data.parks:
            item = QGraphicsPathItem(feature_path(park))
            item.setPen(_cosmetic(PARK_LINE, 1.0, Qt.PenStyle.DashLine))
            item.setBrush(PARK_FILL)
            item.setZValue(0)
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            item.setToolTip(park.code)
            self.addItem(item)
        for feature in data.parcels:
            path_item = QGraphicsPathItem(feature_path(feature))
            path_item.setPen(_cosmetic(line_colour(feature.kind, feature.status)))
            path_item.setBrush(fill_colour(feature.kind, feature.status))
            path_item.setZValue(1)
            self._register(path_item, feature)
        for feature in data.factories:
            dot = QGraphicsEllipseItem(-MARKER_PX / 2, -MARKER_PX / 2, MARKER_PX, MARKER_PX)
            dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            dot.setPos(anchor_point(feature))
            dot.setPen(QPen(QColor("#ffffff"), 1.5))
            dot.setBrush(status_colour(feature.kind, feature.status))
            dot.setZValue(3)
            self._register(dot, feature)

    def _register(self, item: QGraphicsItem, feature: MapFeature) -> None:
        item.setData(FEATURE_ROLE, (feature.kind.value, feature.record_id))
        item.setToolTip(f"{feature.code}（{feature.status}）")
        item.setCursor(Qt.CursorShape.PointingHandCursor)
        self.addItem(item)
        self.items_of[(feature.kind, feature.record_id)] = item
        self.features_of[(feature.kind, feature.record_id)] = feature

    def _label_geometry(self, feature: MapFeature) -> tuple[QPointF, tuple[float, float]]:
        """A label's offset from its anchor (screen pixels) and its size: centred on an
        outline, below a dot."""
        size = (self._metrics.horizontalAdvance(feature.code), self._metrics.height())
        if feature.is_point:
            return QPointF(-size[0] / 2, MARKER_PX * 0.6), size
        return QPointF(-size[0] / 2, -size[1] / 2), size

    def _label(self, feature: MapFeature) -> _Label:
        key = (feature.kind, feature.record_id)
        label = self._labels.get(key)
        if label is None:
            label = _Label(feature.code, self._font, *self._label_geometry(feature))
            label.setPos(anchor_point(feature))
            self.addItem(label)
            self._labels[key] = label
        return label

    def place_labels(
        self,
        visible: QRectF,
        to_view: Callable[[QPointF], QPointF],
        reserved: tuple[QRectF, ...] = (),
    ) -> int:
        """Show the labels of the features in ``visible`` (scene) that fit without overlapping
        (the highlighted one first, then parcels, then buildings, by id, so the same view shows the same
        labels), none over the ``reserved`` boxes (view pixels); ``to_view`` maps a scene point to
        the view. Returns how many are shown."""
        placer = LabelPlacer(limit=MAX_LABELS)
        for box in reserved:
            placer.reserve(box)
        screen = QRectF(to_view(visible.topLeft()), to_view(visible.bottomRight())).normalized()
        keys = {self.feature_of(item) for item in self.items(visible)}
        keys.discard(None)
        if len(keys) > MAX_DENSE:  # a city at a glance: codes would only be a random few
            keys = {self.highlighted} & keys
        ordered = sorted(
            (k for k in keys if k is not None),
            key=lambda k: (k != self.highlighted, k[0] is not RecordKind.PARCEL, k[1]),
        )
        shown: set[tuple[RecordKind, int]] = set()
        for key in ordered:
            if placer.kept >= MAX_LABELS:
                break
            feature = self.features_of[key]
            at = anchor_point(feature)
            if not feature.code or not visible.contains(at):
                continue
            offset, size = self._label_geometry(feature)
            corner = to_view(at) + offset
            box = QRectF(corner, QPointF(corner.x() + size[0], corner.y() + size[1]))
            if not screen.contains(box) and key != self.highlighted:
                continue  # a code cut by the edge of the view
            if placer.place(box.adjusted(-3, -1, 3, 1)):
                shown.add(key)
        for key in self._shown - shown:
            self._labels[key].setVisible(False)
        for key in shown:
            self._label(self.features_of[key]).setVisible(True)
        self._shown = shown
        return len(shown)

    def feature_of(self, item: QGraphicsItem | None) -> tuple[RecordKind, int] | None:
        if item is None:
            return None
        data = item.data(FEATURE_ROLE)
        if not data:
            return None
        kind, record_id = data
        return RecordKind(kind), int(record_id)

    def highlight(self, kind: RecordKind, record_id: int) -> QGraphicsItem | None:
        """Outline the record in the highlight colour (None when it is not on the map)."""
        self.clear_highlight()
        item = self.items_of.get((kind, record_id))
        if item is None:
            return None
        if isinstance(item, QGraphicsPathItem):
            mark: QGraphicsItem = QGraphicsPathItem(item.path())
            mark.setPen(_cosmetic(HIGHLIGHT, 3.0))  # type: ignore[attr-defined]
        else:
            size = MARKER_PX * 2
            mark = QGraphicsEllipseItem(-size / 2, -size / 2, size, size)
            mark.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            mark.setPos(item.pos())
            mark.setPen(QPen(HIGHLIGHT, 3.0))
        mark.setZValue(4)
        mark.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.addItem(mark)
        self._highlight = mark
        self.highlighted = (kind, record_id)
        return item

    def clear_highlight(self) -> None:
        if self._highlight is not None:
            self.removeItem(self._highlight)
            self._highlight = None
        self.highlighted = None
