"""The map's view: zoom with the wheel (or Ctrl+ +/−), pan by dragging, fit the window; a click
on an outline or a dot says which record it is; the scale bar, the north arrow and the legend
are drawn over the map in screen pixels.

The view's scale is pixels per metre (the scene is in metres), so the scale bar is the
projection's true length.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from landbank.domain.enums import RecordKind
from landbank.services.mapping.scale import ScaleBar
from landbank.ui.map.decor import draw_legend, draw_north_arrow, draw_scale_bar, legend_size
from landbank.ui.map.painting import kinds_of, scene_rect
from landbank.ui.map.scene import MapScene

ZOOM_STEP = 1.25
MIN_PIXELS_PER_METRE = 1e-4  # about 1:4,000,000 on a screen: a whole province
MAX_PIXELS_PER_METRE = 20.0  # 5 cm a pixel
CLICK_SLOP_PX = 4
FIT_MARGIN_PX = 24
SCALE_BAR_MAX_PX = 160
LEGEND_AT = 10  # px from the top left corner
NORTH_ARROW_COLUMN_PX = 60


class MapView(QGraphicsView):
    """Shows a :class:`MapScene`; ``featureClicked(kind, id)`` and ``featureActivated`` (a
    double click) name the record under the mouse."""

    featureClicked = Signal(object, int)
    featureActivated = Signal(object, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # The decor sits on the viewport: every update repaints it whole (no scrolled copies).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setBackgroundBrush(QColor("#f7f7f4"))
        # A map pans by dragging; scroll bars would only take room from it.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._press: QPoint | None = None
        self._labels = QTimer(self)
        self._labels.setSingleShot(True)
        self._labels.setInterval(40)
        self._labels.timeout.connect(self.update_labels)
        # Not connected to start directly: the signal's value would become the interval.
        self.horizontalScrollBar().valueChanged.connect(lambda _value: self._labels.start())
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._labels.start())
        self.last_scale_bar: ScaleBar | None = None
        self.decor_font = QFont(self.font())

    def map_scene(self) -> MapScene | None:
        scene = self.scene()
        return scene if isinstance(scene, MapScene) else None

    def set_map(self, scene: MapScene) -> None:
        old = self.scene()
        self.setScene(scene)
        bounds = scene.data.bounds()
        if bounds is not None:
            # Room to pan past the edges: the features' box and as much again around it.
            rect = scene_rect(bounds)
            pad = max(rect.width(), rect.height(), 500.0)
            self.setSceneRect(rect.adjusted(-pad, -pad, pad, pad))
        if old is not None:
            old.deleteLater()
        self.fit()

    # -------------------------------------------------------------- scale

    def pixels_per_metre(self) -> float:
        return float(self.transform().m11())

    def _set_scale(self, pixels_per_metre: float) -> None:
        scale = min(MAX_PIXELS_PER_METRE, max(MIN_PIXELS_PER_METRE, pixels_per_metre))
        centre = self.mapToScene(self.viewport().rect().center())
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(centre)
        self._labels.start()

    def zoom_in(self) -> None:
        self._zoom_about_centre(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_about_centre(1 / ZOOM_STEP)

    def _zoom_about_centre(self, factor: float) -> None:
        """Ctrl+ +/− and the buttons: zoom about the middle of the view, within the limits."""
        if not MIN_PIXELS_PER_METRE <= self.pixels_per_metre() * factor <= MAX_PIXELS_PER_METRE:
            return
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(anchor)
        self._labels.start()

    def fit(self) -> None:
        """适合窗口: every parcel and building in view."""
        scene = self.map_scene()
        if scene is None:
            return
        bounds = scene.data.bounds()
        if bounds is None:
            return
        rect = scene_rect(bounds)
        # A single building, or a tiny parcel, is shown with 200 m around it.
        if rect.width() < 200 and rect.height() < 200:
            rect = QRectF(rect.center() - QPointF(100, 100), rect.center() + QPointF(100, 100))
        # The legend (and the scale bar under it) keep the left column, the north arrow the
        # right one: the features fit between them.
        legend_width, _ = legend_size(self.decor_font, kinds_of(scene.data.features))
        left = LEGEND_AT + round(legend_width) + FIT_MARGIN_PX
        right = NORTH_ARROW_COLUMN_PX
        area = self.viewport().rect().adjusted(left, FIT_MARGIN_PX, -right, -FIT_MARGIN_PX)
        if area.width() < 100:  # a narrow window: the legend may cover the map
            area = (
                self.viewport()
                .rect()
                .adjusted(FIT_MARGIN_PX, FIT_MARGIN_PX, -FIT_MARGIN_PX, -FIT_MARGIN_PX)
            )
        scale = min(area.width() / rect.width(), area.height() / rect.height())
        self._set_scale(scale)
        shift = (area.center().x() - self.viewport().rect().center().x()) / self.pixels_per_metre()
        self.centerOn(rect.center() - QPointF(shift, 0))
        self._labels.start()

    def centre_on_item(self, kind: RecordKind, record_id: int) -> bool:
        scene = self.map_scene()
        item = scene.items_of.get((kind, record_id)) if scene is not None else None
        if item is None:
            return False
        box = item.sceneBoundingRect()
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if box.width() > visible.width() * 0.8 or box.height() > visible.height() * 0.8:
            self.fitInView(
                box.adjusted(
                    -box.width() * 0.3, -box.height() * 0.3, box.width() * 0.3, box.height() * 0.3
                ),
                Qt.AspectRatioMode.KeepAspectRatio,
            )
        self.centerOn(box.center())
        self._labels.start()
        return True

    # -------------------------------------------------------------- labels

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def update_labels(self) -> int:
        scene = self.map_scene()
        if scene is None:
            return 0
        return scene.place_labels(
            self.visible_scene_rect(), self.viewportTransform().map, self.decor_boxes()
        )

    def decor_boxes(self) -> tuple[QRectF, ...]:
        """Where the legend, the north arrow and the scale bar are drawn (viewport pixels):
        no label is placed under them."""
        scene = self.map_scene()
        kinds = kinds_of(scene.data.features) if scene is not None else ()
        width, height = legend_size(self.decor_font, kinds)
        size = self.viewport().size()
        return (
            QRectF(LEGEND_AT, LEGEND_AT, width, height),
            QRectF(size.width() - 60, 0, 60, 80),
            QRectF(0, size.height() - 44, SCALE_BAR_MAX_PX + 50, 44),
        )

    # -------------------------------------------------------------- mouse

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            factor = ZOOM_STEP**steps
            target = self.pixels_per_metre() * factor
            if MIN_PIXELS_PER_METRE <= target <= MAX_PIXELS_PER_METRE:
                self.scale(factor, factor)
                self._labels.start()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() is not Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - press).manhattanLength() > CLICK_SLOP_PX:
            return  # a drag (pan), not a click
        found = self.feature_at(press)
        if found is not None:
            self.featureClicked.emit(*found)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        found = self.feature_at(event.position().toPoint())
        if found is not None:
            self.featureActivated.emit(*found)
        event.accept()

    def feature_at(self, point: QPoint) -> tuple[RecordKind, int] | None:
        """The record drawn at ``point`` (view pixels): a dot before an outline, the smallest
        outline of those overlapping (a parcel inside a larger one is still reachable)."""
        scene = self.map_scene()
        if scene is None:
            return None
        found = [(item, scene.feature_of(item)) for item in self.items(point)]
        hits = [(item, f) for item, f in found if f is not None]
        if not hits:
            return None
        dots = [f for item, f in hits if f[0] is RecordKind.FACTORY]
        if dots:
            return dots[0]
        smallest = min(
            hits, key=lambda h: h[0].boundingRect().width() * h[0].boundingRect().height()
        )
        return smallest[1]

    # -------------------------------------------------------------- the decor

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._labels.start()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        scene = self.map_scene()
        if scene is None or scene.data.empty:
            return
        painter.save()
        painter.setWorldMatrixEnabled(False)  # viewport pixels from here
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        size = self.viewport().size()
        self.last_scale_bar = draw_scale_bar(
            painter,
            self.pixels_per_metre(),
            QPointF(14, size.height() - 12),
            SCALE_BAR_MAX_PX,
            self.decor_font,
        )
        draw_north_arrow(painter, QPointF(size.width() - 30, 46), 34, self.decor_font)
        draw_legend(
            painter, QPointF(LEGEND_AT, LEGEND_AT), self.decor_font, kinds_of(scene.data.features)
        )
        painter.restore()
