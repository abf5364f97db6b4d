"""The printed list painted cell by cell on A4 landscape pages: the title on the first page,
the header row on every page, the 合计 row shaded, the rules, and the shared footer of
:mod:`landbank.ui.printing` (title, 第 N 页 共 M 页); also written as a PDF."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter

from landbank.ui.printing import PageFrame, begin, write_pdf_file
from landbank.ui.reports.list_layout import WRAP, ListLayout, layout_list

if TYPE_CHECKING:
    from landbank.ui.reports.list_rows import ListPrintout

_HEADER_FILL = QColor(221, 235, 247)  # the export's header shade
_TOTAL_FILL = QColor(242, 242, 242)


def paint_list(printer: QPrinter, printout: ListPrintout) -> int:
    """Paint the list on ``printer`` (its page size and orientation as set); returns the pages.
    Raises :class:`OSError` when the printer (or the PDF file) cannot be opened."""
    painter = QPainter()
    begin(painter, printer)
    try:
        frame = PageFrame(painter, printer)
        layout = layout_list(printout, frame, float(printer.resolution()))
        pen = QPen(QColor(96, 96, 96))
        pen.setWidthF(max(1.0, printer.resolution() / 72.0 * 0.5))
        total = len(layout.pages)
        for number, lines in enumerate(layout.pages, start=1):
            if number > 1:
                printer.newPage()
            painter.save()
            painter.scale(layout.scale, layout.scale)
            _paint_page(painter, layout, printout, lines, first=number == 1, pen=pen)
            painter.restore()
            frame.draw_footer(printout.title, number, total)
    finally:
        painter.end()
    return total


def _paint_page(
    painter: QPainter,
    layout: ListLayout,
    printout: ListPrintout,
    lines: range,
    *,
    first: bool,
    pen: QPen,
) -> None:
    y = 0.0
    if first:
        painter.setFont(layout.title_font)
        painter.setPen(Qt.GlobalColor.black)
        title = QRectF(0, 0, layout.width, layout.title_height)
        painter.drawText(title, WRAP | int(Qt.AlignmentFlag.AlignHCenter), printout.title)
        y = layout.title_height
    top = y
    table_width = sum(layout.widths)
    lefts = [sum(layout.widths[:c]) for c in range(len(layout.widths))]
    # the header row
    painter.fillRect(QRectF(0, y, table_width, layout.header_height), _HEADER_FILL)
    painter.setFont(layout.bold)
    painter.setPen(Qt.GlobalColor.black)
    center = int(Qt.AlignmentFlag.AlignCenter)
    for left, width, text in zip(lefts, layout.widths, layout.headers, strict=True):
        painter.drawText(_inner(layout, left, y, width, layout.header_height), WRAP | center, text)
    y += layout.header_height
    rules = [top, y]
    last = len(layout.lines) - 1
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    left_align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.setFont(layout.body)
    for index in lines:
        height = layout.heights[index]
        if index == last:  # the 合计 row
            painter.fillRect(QRectF(0, y, table_width, height), _TOTAL_FILL)
            painter.setFont(layout.bold)
        for c, (left, width, text) in enumerate(
            zip(lefts, layout.widths, layout.lines[index], strict=True)
        ):
            if not text:
                continue
            align = center if c == 0 else right if printout.numeric[c] else left_align
            flags = WRAP | align if layout.wraps[c] else align
            painter.drawText(_inner(layout, left, y, width, height), flags, text)
        y += height
        rules.append(y)
    painter.setPen(pen)
    for rule in rules:
        painter.drawLine(QLineF(0, rule, table_width, rule))
    for left in [*lefts, table_width]:
        painter.drawLine(QLineF(left, top, left, y))


def _inner(layout: ListLayout, left: float, top: float, width: float, height: float) -> QRectF:
    return QRectF(
        left + layout.pad_x,
        top + layout.pad_y,
        width - 2 * layout.pad_x,
        height - 2 * layout.pad_y,
    )


def landscape(printer: QPrinter) -> QPrinter:
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    return printer


def write_list_pdf(path: str | os.PathLike[str], printout: ListPrintout) -> int:
    """The list as an A4 landscape PDF at ``path`` (replaced only once complete); returns its
    pages. Raises :class:`OSError` when it cannot be written."""
    return write_pdf_file(path, printout.title, lambda printer: printout.paint(landscape(printer)))
