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
import tempfile
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter

BODY_POINTS = 9.5
FOOTER_POINTS = 8.0
MARGINS_MM = QMarginsF(15, 14, 15, 12)


def page_footer(number: int, total: int) -> str:
    return f"第 {number} 页 共 {total} 页"


def new_printer() -> QPrinter:
    """An A4 portrait high-resolution printer with the reports' margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    return printer


def _font(points: float) -> QFont:
    font = QFont(QGuiApplication.font())  # the CJK family the application chose
    font.setPointSizeF(points)
    return font


def layout_document(
    html: str, printer: QPrinter, size: QSizeF, images: Mapping[str, QImage] | None = None
) -> QTextDocument:
    """``html`` laid out in pages of ``size`` (device pixels of ``printer``)."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    doc.setDefaultFont(_font(BODY_POINTS))
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
    if not painter.begin(printer):
        raise OSError("无法开始打印（打印机不可用，或文件无法写入）")
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        width, height = float(page.width()), float(page.height())
        painter.setFont(_font(FOOTER_POINTS))
        metrics = painter.fontMetrics()
        footer_height = metrics.height() * 2.2
        body = height - footer_height
        doc = layout_document(html, printer, QSizeF(width, body), images)
        total = doc.pageCount()
        for index in range(total):
            if index:
                printer.newPage()
            painter.save()
            painter.translate(0, -index * body)
            doc.drawContents(painter, QRectF(0, index * body, width, body))
            painter.restore()
            painter.setFont(_font(FOOTER_POINTS))
            painter.setPen(Qt.GlobalColor.darkGray)
            line_y = height - footer_height * 0.75
            painter.drawLine(0, int(line_y), int(width), int(line_y))
            text_rect = QRectF(0, line_y + metrics.height() * 0.3, width, metrics.height() * 1.5)
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft), title)
            painter.drawText(
                text_rect, int(Qt.AlignmentFlag.AlignRight), page_footer(index + 1, total)
            )
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
    target = Path(path)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem[:40]}-", suffix=".pdf.part", dir=target.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        printer = new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(temp))
        printer.setDocName(title)
        printer.setCreator("landbank")
        pages = paint_report(printer, html, title=title, images=images)
        mask = os.umask(0o022)
        os.umask(mask)
        temp.chmod(0o666 & ~mask)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return pages
