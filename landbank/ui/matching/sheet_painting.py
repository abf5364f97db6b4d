"""The 推介 sheets on paper: one A4 page per sheet, for the print preview, the printer and the
PDF export alike.

Each page is its own :class:`QTextDocument` (HTML), laid out for the printer
(``documentLayout().setPaintDevice(printer)``: without it a 1200 dpi printer renders tiny text)
and painted onto the page; a sheet too long for the page is scaled down to fit, never split.
The footer (date, page n of N) is painted under it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from landbank.ui.matching.sheets import BODY_POINTS
from landbank.ui.printing import PageFrame, begin, new_printer, page_font, write_pdf_file

_CTX = "MatchPrint"
MIN_SCALE = 0.55  # below this a sheet would be unreadable; it is clipped instead


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _layout(html: str, printer: QPrinter, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    doc.setDefaultFont(page_font(BODY_POINTS))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    return doc


def paint_sheets(printer: QPrinter, sheets: Sequence[str], *, footer: str) -> int:
    """Paint one sheet per page; returns the pages painted. Raises :class:`OSError` when the
    printer (or the PDF file) cannot be opened."""
    painter = QPainter()
    begin(painter, printer)
    try:
        frame = PageFrame(painter, printer)
        width, available = frame.width, frame.body_height
        total = len(sheets)
        for number, html in enumerate(sheets, 1):
            if number > 1:
                printer.newPage()
            doc = _layout(html, printer, width)
            scale = 1.0
            for _attempt in range(3):  # narrower text wraps into more lines: settle the scale
                needed = doc.size().height() * scale
                if needed <= available or scale <= MIN_SCALE:
                    break
                scale = max(MIN_SCALE, scale * available / needed)
                doc.setTextWidth(width / scale)
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, available))
            painter.scale(scale, scale)
            doc.drawContents(painter, QRectF(0, 0, width / scale, available / scale))
            painter.restore()
            frame.draw_footer(footer, number, total)
    finally:
        painter.end()
    return len(sheets)


def write_pdf(
    path: str | os.PathLike[str], sheets: Sequence[str], *, footer: str, title: str
) -> Path:
    """The sheets as an A4 PDF at ``path`` (replaced only once complete). Raises
    :class:`OSError` when it cannot be written."""
    write_pdf_file(path, title, lambda printer: paint_sheets(printer, sheets, footer=footer))
    return Path(path)


def preview_dialog(
    parent: QWidget | None, sheets: Sequence[str], *, footer: str, title: str
) -> QPrintPreviewDialog:
    """The print preview of the sheets (the clerk prints from it); not yet shown."""
    printer = new_printer()
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("打印预览 — {t}").format(t=title))
    pages = list(sheets)
    dialog.paintRequested.connect(lambda p: paint_sheets(p, pages, footer=footer))
    dialog.resize(900, 1000)
    dialog._printer = printer  # type: ignore[attr-defined]  # must live as long as the dialog
    return dialog
