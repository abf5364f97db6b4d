"""The site's map excerpt for the 推介单 and the 招商手册: the parcel's outline (or the building's
dot) highlighted with its code, its neighbours within a margin faint, the parks behind, a scale
bar and a north arrow — an image of the size asked, painted with the printouts' font, the same
for the same ledger every time."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.mapping.site import MARGIN_M, load_site
from landbank.ui.fonts import print_font
from landbank.ui.map.decor import draw_north_arrow, draw_scale_bar
from landbank.ui.map.painting import Sizes, fit_transform, paint_features, scene_rect

MIN_SIDE_M = 400.0  # a building alone is shown with 400 m around it at least


def site_map_image(
    session: Session,
    kind: RecordKind,
    record_id: int,
    width_px: int,
    height_px: int,
    *,
    margin_m: float = MARGIN_M,
) -> QImage | None:
    """The excerpt of a parcel or a building, ``width_px`` × ``height_px``; None when it has no
    outline (parcel) or position (building), or is not in the ledger."""
    if width_px <= 0 or height_px <= 0:
        raise ValueError("width_px and height_px must be positive")
    site = load_site(session, kind, record_id, margin_m)
    if site is None:
        return None
    image = QImage(width_px, height_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(3780)  # 96 dpi, so fonts given in points have a known size
    image.setDotsPerMeterY(3780)
    image.fill(QColor("#ffffff"))
    unit = max(1.0, min(width_px, height_px) / 300)  # line widths grow with the image
    x0, y0, x1, y1 = site.frame(margin_m)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0, MIN_SIDE_M) / 2
    source = scene_rect((cx - half, cy - half, cx + half, cy + half))
    target = QRectF(0, 0, width_px, height_px)
    transform = fit_transform(source, target)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = print_font(max(6.0, min(width_px, height_px) / 40))
        small = print_font(max(5.5, min(width_px, height_px) / 48))
        line = QFontMetricsF(small, image).height()
        bar_at = QPointF(10 * unit, height_px - 8 * unit)
        max_bar = width_px / 3
        arrow = max(16.0, min(width_px, height_px) / 10)
        arrow_at = QPointF(width_px - arrow * 0.9, arrow * 1.2)
        # Where the scale bar and the north arrow go: no code is written under them.
        reserved = (
            QRectF(
                0,
                bar_at.y() - line - 16 * unit,
                max_bar + 14 * unit + line * 3,
                line + 16 * unit + 8 * unit,
            ),
            QRectF(
                arrow_at.x() - arrow * 0.6,
                arrow_at.y() - arrow / 2 - line * 1.3,
                arrow * 1.2,
                arrow + line * 1.3,
            ),
        )
        sizes = Sizes(line=unit, marker=7 * unit, font=font)
        paint_features(
            painter,
            transform,
            site.neighbours,
            site.parks,
            sizes,
            highlight=site.site,
            faint=True,
            reserved=reserved,
        )
        draw_scale_bar(painter, transform.m11(), bar_at, max_bar, small, unit)
        draw_north_arrow(painter, arrow_at, arrow, small)
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0.5, 0.5, width_px - 1, height_px - 1))
    finally:
        painter.end()
    return image
