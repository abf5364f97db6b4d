"""A report's HTML laid out on A4 pages and written as a PDF, with a footer on every page.

The :class:`QTextDocument` is laid out for the printer (``documentLayout().setPaintDevice``:
without it a 1200 dpi printer renders tiny text) with a page height of the printable area
less the footer, so QTextDocument itself breaks the pages — and repeats each table's
``<thead>`` rows on the pages it runs onto. A table *without* a ``<thead>`` is a block (an entry
of the 招商手册): :func:`keep_blocks_whole` moves one that would straddle two pages to the next
page (with the heading just above it). Each page is then painted with its footer
(the report's title on the left, “第 N 页 共 M 页” on the right).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QImage,
    QPainter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter

from landbank.ui.printing import PageFrame, begin, page_font, write_pdf_file

BODY_POINTS = 9.5


def layout_document(
    html: str, printer: QPrinter, size: QSizeF, images: Mapping[str, QImage] | None = None
) -> QTextDocument:
    """``html`` laid out in pages of ``size`` (device pixels of ``printer``)."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    doc.setDefaultFont(page_font(BODY_POINTS))
    doc.setDocumentMargin(0)
    for name, image in (images or {}).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setHtml(html)
    doc.setPageSize(size)
    keep_blocks_whole(doc, size.height())
    return doc


def keep_blocks_whole(doc: QTextDocument, page_height: float) -> int:
    """Move each top-level table without header rows that would straddle a page break (and
    fits on one page) to the next page; a heading right above it moves with it. Returns the
    breaks added."""
    breaks = 0
    layout = doc.documentLayout()
    for frame in doc.rootFrame().childFrames():
        if not isinstance(frame, QTextTable) or frame.format().headerRowCount() > 0:
            continue
        rect = layout.frameBoundingRect(frame)  # lays the document out up to here
        if rect.height() >= page_height or rect.height() <= 0:
            continue
        if int(rect.top() // page_height) == int((rect.bottom() - 1) // page_height):
            continue
        above = frame.firstCursorPosition().block().previous()
        if above.isValid() and above.blockFormat().headingLevel() > 0:
            fmt = QTextBlockFormat(above.blockFormat())
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            cursor = QTextCursor(above)
            cursor.setBlockFormat(fmt)
        else:
            table_format = frame.format()
            table_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            frame.setFormat(table_format)
        breaks += 1
    return breaks


def paint_report(
    printer: QPrinter, html: str, *, title: str, images: Mapping[str, QImage] | None = None
) -> int:
    """Paint the report on ``printer``; returns the pages painted. Raises :class:`OSError`
    when the printer (or the PDF file) cannot be opened."""
    painter = QPainter()
    begin(painter, printer)
    try:
        frame = PageFrame(painter, printer)
        width, body = frame.width, frame.body_height
        doc = layout_document(html, printer, QSizeF(width, body), images)
        total = doc.pageCount()
        for index in range(total):
            if index:
                printer.newPage()
            painter.save()
            painter.translate(0, -index * body)
            doc.drawContents(painter, QRectF(0, index * body, width, body))
            painter.restore()
            frame.draw_footer(title, index + 1, total)
    finally:
        painter.end()
    return total


def write_report_pdf(
    path: str | os.PathLike[str],
    html: str,
    *,
    title: str,
    images: Mapping[str, QImage] | None = None,
) -> int:
    """The report as an A4 PDF at ``path`` (replaced only once complete); returns its pages.
    Raises :class:`OSError` when it cannot be written."""
    return write_pdf_file(
        path, title, lambda printer: paint_report(printer, html, title=title, images=images)
    )
