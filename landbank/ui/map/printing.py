"""文件 → 打印地图: the map as it is in view, on one A4 landscape page — the title naming the
ledger's city, the 制表 line, the map in a frame with its legend, north arrow, scale bar (true
at the printed scale, with 1:N) and the projection, what is not drawn, and the page footer."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPageLayout, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.exporting.titles import describe_filter
from landbank.services.identity import BureauIdentity, ledger_identity
from landbank.services.mapping.features import MapData, describe_missing
from landbank.services.mapping.scale import ScaleBar, representative_fraction
from landbank.store.queries import Names, RecordFilter, load_names
from landbank.ui.context import AppContext
from landbank.ui.map.decor import draw_legend, draw_north_arrow, draw_scale_bar, legend_size
from landbank.ui.map.painting import Sizes, fit_transform, kinds_of, paint_features, scene_rect
from landbank.ui.printing import (
    PageFrame,
    begin,
    new_printer,
    page_font,
    preview_with_pdf,
    save_pdf_as,
    write_pdf_file,
)

if TYPE_CHECKING:
    from landbank.ui.map.tab import MapTab


def _tr(text: str) -> str:
    return QCoreApplication.translate("MapPrint", text)


def landscape(printer: QPrinter) -> QPrinter:
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer


@dataclass
class MapPrintout:
    """One printed map: ``frame`` (scene coordinates, metres) of ``data``."""

    data: MapData
    frame: QRectF
    identity: BureauIdentity
    when: date
    scale_bar: ScaleBar | None = None  # as last painted
    conditions: str = ""  # the lists' filters in words (“筛选：辉县市，供应状态：可供”)

    @property
    def title(self) -> str:
        return _tr("{place}收储地块与标准厂房分布图").format(place=self.identity.place)

    def paint(self, printer: QPrinter) -> int:
        painter = QPainter()
        begin(painter, printer)
        try:
            self._paint_page(painter, printer)
        finally:
            painter.end()
        return 1

    def _paint_page(self, painter: QPainter, printer: QPrinter) -> None:
        page = PageFrame(painter, printer)
        dpi = printer.resolution()
        unit = dpi / 96  # device dots per screen pixel
        mm = dpi / 25.4
        title_font = page_font(15)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#111111"))
        title_metrics = QFontMetricsF(title_font, printer)
        title_rect = QRectF(0, 0, page.width, title_metrics.height() * 1.3)
        painter.drawText(
            title_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), self.title
        )
        small = page_font(8)
        small_metrics = QFontMetricsF(small, printer)
        painter.setFont(small)
        day = f"{self.when.year}年{self.when.month}月{self.when.day}日"
        compiled = "　".join(
            p for p in (self.identity.compiled_by(), _tr("制表日期：{d}").format(d=day)) if p
        )
        line_rect = QRectF(0, title_rect.bottom(), page.width, small_metrics.height() * 1.6)
        painter.drawText(
            line_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), compiled
        )
        if self.conditions:
            painter.drawText(
                line_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                self.conditions,
            )
        note = describe_missing(self.data)
        note_height = small_metrics.height() * 1.6
        top = line_rect.bottom() + 1 * mm
        map_rect = QRectF(0, top, page.width, page.body_height - top - note_height)
        decor = page_font(8)
        kinds = kinds_of(self.data.features)
        legend_at = map_rect.topLeft() + QPointF(3 * mm, 3 * mm)
        legend_width, legend_height = legend_size(decor, kinds, unit, printer)
        arrow = 12 * mm
        arrow_at = QPointF(map_rect.right() - 10 * mm, map_rect.top() + 12 * mm)
        bar_at = QPointF(map_rect.left() + 5 * mm, map_rect.bottom() - 4 * mm)
        # The frame fits between the legend's column, the arrow's and the scale bar's strip;
        # outlines beyond it still fill the page up to the border.
        target = map_rect.adjusted(legend_width + 8 * mm, 4 * mm, -22 * mm, -14 * mm)
        transform = fit_transform(self.frame, target)
        reserved = (
            QRectF(legend_at, QPointF(legend_at.x() + legend_width, legend_at.y() + legend_height)),
            QRectF(arrow_at.x() - arrow, map_rect.top(), arrow * 2, arrow * 2),
            QRectF(map_rect.left(), bar_at.y() - 10 * mm, 60 * mm, 10 * mm),
        )
        painter.save()
        painter.setClipRect(map_rect)
        painter.fillRect(map_rect, QColor("#ffffff"))
        sizes = Sizes(line=0.2 * mm, marker=2.2 * mm, font=page_font(7))
        paint_features(
            painter,
            transform,
            self.data.features,
            self.data.parks,
            sizes,
            area=map_rect,
            reserved=reserved,
        )
        painter.restore()
        painter.setPen(QPen(QColor("#333333"), 0.3 * mm))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(map_rect)
        draw_legend(painter, legend_at, decor, kinds, unit)
        draw_north_arrow(painter, arrow_at, arrow, decor)
        ppm = transform.m11()
        bar = draw_scale_bar(painter, ppm, bar_at, 50 * mm, decor, unit)
        painter.setFont(small)
        painter.setPen(QColor("#333333"))
        fraction = representative_fraction(ppm, dpi)
        projection = self.data.projection.label if self.data.projection is not None else ""
        scale_text = _tr("比例尺 1:{n}").format(n=f"{fraction:,}") if fraction else ""
        below = QRectF(0, map_rect.bottom(), page.width, note_height)
        painter.drawText(
            below, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), note
        )
        painter.drawText(
            below,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            "　".join(t for t in (scale_text, projection) if t),
        )
        self.scale_bar = bar
        page.draw_footer(self.title, 1, 1)


def map_printout(
    ctx: AppContext,
    data: MapData,
    frame: QRectF | None = None,
    filters: tuple[RecordFilter | None, RecordFilter | None] = (None, None),
) -> MapPrintout:
    """The printout of ``data`` showing ``frame`` (scene coordinates; all of it by default);
    ``filters`` (the parcels' and the buildings' lists', None for a kind not shown) are
    written in words beside the 制表 line."""
    bounds = data.bounds()
    if frame is None:
        if bounds is None:
            raise ValueError("nothing to print")
        frame = scene_rect(bounds)
        frame = frame.adjusted(
            -frame.width() * 0.05 - 50,
            -frame.height() * 0.05 - 50,
            frame.width() * 0.05 + 50,
            frame.height() * 0.05 + 50,
        )
    with ctx.session() as session:
        identity = ledger_identity(session)
        names = load_names(session)
    printout = MapPrintout(data, frame, identity, date.today())
    printout.conditions = _conditions(names, *filters)
    return printout


def _conditions(names: Names, parcels: RecordFilter | None, factories: RecordFilter | None) -> str:
    said = {
        kind: "，".join(describe_filter(kind, names, flt)) or _tr("全部")
        for kind, flt in ((RecordKind.PARCEL, parcels), (RecordKind.FACTORY, factories))
        if flt is not None
    }
    if not said or all(text == _tr("全部") for text in said.values()):
        return ""
    if len(said) == 2 and said[RecordKind.PARCEL] == said[RecordKind.FACTORY]:
        return _tr("筛选：{c}").format(c=said[RecordKind.PARCEL])
    parts = [
        _tr("{kind}：{c}").format(
            kind=_tr("地块") if kind is RecordKind.PARCEL else _tr("厂房"), c=c
        )
        for kind, c in said.items()
    ]
    return _tr("筛选 — {c}").format(c="；".join(parts))


def write_map_pdf(path: str | os.PathLike[str], printout: MapPrintout) -> int:
    """The map as an A4 landscape PDF at ``path`` (replaced only once complete)."""
    return write_pdf_file(path, printout.title, lambda printer: printout.paint(landscape(printer)))


def print_map(
    parent: QWidget, ctx: AppContext, tab: MapTab, on_saved: Callable[[str], None] | None = None
) -> MapPrintout | None:
    """The map in view through the print preview (with 导出 PDF…); None when there is nothing
    to print or the ledger could not be read (the clerk was told)."""
    caption = _tr("打印地图")
    if tab.stale or tab.view.map_scene() is None:
        tab.reload()
    if tab.data.empty:
        QMessageBox.information(parent, caption, _tr("地图上没有地块或厂房，无需打印。"))
        return None
    try:
        parcels, factories = tab.filters()
        shown = (
            parcels if tab.show_parcels.isChecked() else None,
            factories if tab.show_factories.isChecked() else None,
        )
        printout = map_printout(ctx, tab.data, tab.view.visible_scene_rect(), shown)
    except SQLAlchemyError as exc:
        QMessageBox.warning(parent, caption, describe_error(exc))
        return None
    dialog = preview_with_pdf(
        parent,
        landscape(new_printer()),
        printout.title,
        printout.paint,
        lambda d: save_pdf_as(
            d,
            printout.title,
            lambda path: write_map_pdf(path, printout),
            _tr("已导出地图（{n} 页）到 {path}"),
            on_saved=on_saved,
        ),
        tooltip=_tr("把地图保存为 PDF 文件"),
        size=(1200, 860),
    )
    dialog.exec()
    dialog.deleteLater()
    return printout
