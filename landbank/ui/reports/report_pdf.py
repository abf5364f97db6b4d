"""A report's parts laid out on A4 pages and written as a PDF, with a footer on every page.

landbank breaks the pages itself rather than let QTextDocument do it: QTextDocument splits a
table row whose cells run over the bottom of a page, leaving the end of a name alone at the
top of the next. Each page is its own :class:`QTextDocument`, filled part by part while its
laid-out height fits the page (the documents are laid out for the printer —
``documentLayout().setPaintDevice`` — so what is measured is what is painted):

- a :class:`~landbank.ui.reports.html_parts.Block` goes whole onto the page, or onto the next;
  one marked ``keep_with_next`` (a heading) goes with the first piece of what follows it, one
  marked ``keep_with_previous`` (the 落款) with the last piece of what precedes it — the
  report's last paragraph, entry or table row — so it never stands alone on a page;
- a :class:`~landbank.ui.reports.html_parts.Table` is fitted once (:mod:`.table_fit`: column
  widths from its content, names broken at sensible points) and cut between rows: as many rows
  as fit, then the next page opens with its header rows again. A row is never cut; a table
  marked ``whole`` is kept on one page when it fits on one.

Each page is then painted with its footer (the report's title on the left, “第 N 页 共 M 页”
on the right).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from functools import partial

from PySide6.QtCore import QRectF, QUrl
from PySide6.QtGui import QImage, QPaintDevice, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from landbank.ui.printing import PageFrame, begin, page_font, write_pdf_file
from landbank.ui.reports.html_parts import Block, Part, Table
from landbank.ui.reports.table_fit import Measure, fit_table

BODY_POINTS = 9.5
_RULE = '<p style="margin:0; font-size:1pt">&nbsp;</p>'  # a line with no margins


class PageBuilder:
    """Pages of ``height`` device pixels filled with HTML fragments, each page checked by
    laying it out as the painter will."""

    def __init__(self, device: QPaintDevice, width: float, height: float,
                 images: Mapping[str, QImage] | None = None, *,
                 points: float = BODY_POINTS) -> None:  # fmt: skip
        self.device = device
        self.width = width
        self.height = height
        self.images = dict(images or {})
        self.points = points
        self.measure = Measure(device, points)
        self.pages: list[str] = []
        self.current: list[str] = []
        self.used = 0.0  # the height of the current page (or an upper bound of it)
        self._alone: dict[str, float] = {}
        self._rules: float | None = None

    def document(self, html: str) -> QTextDocument:
        """``html`` laid out one page wide, as tall as it needs."""
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.device)
        doc.setDefaultFont(page_font(self.points))
        doc.setDocumentMargin(0)
        for name, image in self.images.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        doc.setHtml(html)
        doc.setTextWidth(self.width)
        return doc

    def height_of(self, fragments: Sequence[str]) -> float:
        return self.document("".join(fragments)).size().height()

    def alone(self, fragment: str) -> float:
        """The height ``fragment`` takes between two others, its margins included (cached):
        laid out between two lines without margins, less those lines."""
        found = self._alone.get(fragment)
        if found is None:
            if self._rules is None:
                self._rules = self.height_of([_RULE, _RULE])
            found = self.height_of([_RULE, fragment, _RULE]) - self._rules
            self._alone[fragment] = found
        return found

    def _height_with(self, fragments: Sequence[str]) -> float:
        """The height of this page with ``fragments`` added, or an upper bound of it that fits:
        fragments laid out together never take more than the sum of what each takes between
        two others (the margins between them collapse), so the page is laid out again only
        near its bottom."""
        bound = self.used + sum(self.alone(f) for f in fragments)
        if bound <= self.height:
            return bound
        return self.height_of([*self.current, *fragments])

    def fits(self, fragments: Sequence[str]) -> bool:
        return self._height_with(fragments) <= self.height

    def add(self, fragments: Sequence[str]) -> None:
        self.used = self._height_with(fragments) if self.current else self.height_of(fragments)
        self.current.extend(fragments)

    def new_page(self) -> None:
        if self.current:
            self.pages.append("".join(self.current))
            self.current = []
            self.used = 0.0

    def place(self, fragments: Sequence[str]) -> None:
        """Fragments kept together: on this page, or on the next."""
        if not self.fits(fragments):
            self.new_page()
        self.add(fragments)

    def place_rows(
        self,
        lead: Sequence[str],
        rows: int,
        piece: Callable[[int, int], str],
        trail: Sequence[str] = (),
    ) -> None:
        """``rows`` rows cut into pieces (``piece(start, stop)`` is the HTML of those rows with
        the header rows), as many on each page as fit; ``lead`` (a heading) goes with the
        first piece, ``trail`` (the 落款) with the last, which then takes at least one row."""
        start = 0
        lead = list(lead)
        while True:
            left = rows - start
            count = self._rows_that_fit(lead, left, partial(_slice, piece, start))
            if count == left and trail and not self.fits([*lead, piece(start, rows), *trail]):
                count -= 1  # the last row goes over with what must follow it
            if count == 0:
                if self.current:
                    self.new_page()
                    continue
                count = 1  # a row taller than a page: alone on its page
            chunk = [*lead, piece(start, start + count)]
            start += count
            if start >= rows and self.fits([*chunk, *trail]):
                self.add([*chunk, *trail])
                return
            self.add(chunk)
            lead = []
            if start >= rows:  # what follows does not fit even beside one row alone
                self.place(trail)
                return
            self.new_page()

    def _rows_that_fit(self, lead: Sequence[str], left: int, piece: Callable[[int], str]) -> int:
        """The most rows (of ``left``) that fit on this page after ``lead``: doubling, then
        halving the step."""
        good, bad = 0, left + 1
        step = 1
        while good + step < bad:  # find a count that does not fit
            if self.fits([*lead, piece(good + step)]):
                good += step
                step *= 2
            else:
                bad = good + step
                break
        while bad - good > 1:
            middle = (good + bad) // 2
            if self.fits([*lead, piece(middle)]):
                good = middle
            else:
                bad = middle
        return min(good, left)

    def finish(self) -> list[str]:
        self.new_page()
        return self.pages or [""]


def _slice(piece: Callable[[int, int], str], start: int, count: int) -> str:
    return piece(start, start + count)


def paginate(
    parts: Sequence[Part],
    device: QPaintDevice,
    width: float,
    height: float,
    images: Mapping[str, QImage] | None = None,
    *,
    points: float = BODY_POINTS,
) -> list[str]:
    """The HTML of each page of ``parts`` laid out ``width`` × ``height`` device pixels."""
    pages = PageBuilder(device, width, height, images, points=points)
    lead: list[str] = []  # blocks kept with what follows
    for part, trail in _with_followers(parts):
        if isinstance(part, Block):
            if part.keep_with_next and not trail:
                lead.append(part.html)
                continue
            pages.place([*lead, part.html, *trail])
        else:
            _place_table(pages, part, lead, trail)
        lead = []
    if lead:
        pages.place(lead)
    return pages.finish()


def _with_followers(parts: Sequence[Part]) -> list[tuple[Part, list[str]]]:
    """Each part with the blocks after it marked ``keep_with_previous`` (their HTML)."""
    grouped: list[tuple[Part, list[str]]] = []
    for part in parts:
        if isinstance(part, Block) and part.keep_with_previous and grouped:
            grouped[-1][1].append(part.html)
        else:
            grouped.append((part, []))
    return grouped


def _place_table(pages: PageBuilder, table: Table, lead: list[str], trail: list[str]) -> None:
    fitted = fit_table(table, pages.measure, pages.width)
    if table.whole or not table.rows:
        pages.place([*lead, fitted.html(), *trail])
        return
    pages.place_rows(lead, len(fitted.rows), fitted.html, trail)


def paint_pages(printer: QPrinter, pages_of: Callable[[QPaintDevice, float, float], list[str]],
                *, title: str, images: Mapping[str, QImage] | None = None) -> int:  # fmt: skip
    """Paint the pages ``pages_of(printer, width, height)`` gives, each with its footer;
    returns the pages painted. Raises :class:`OSError` when the printer (or the PDF file)
    cannot be opened."""
    painter = QPainter()
    begin(painter, printer)
    try:
        frame = PageFrame(painter, printer)
        width, body = frame.width, frame.body_height
        pages = pages_of(printer, width, body)
        builder = PageBuilder(printer, width, body, images)
        for index, html in enumerate(pages):
            if index:
                printer.newPage()
            doc = builder.document(html)
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, body))
            doc.drawContents(painter, QRectF(0, 0, width, body))
            painter.restore()
            frame.draw_footer(title, index + 1, len(pages))
    finally:
        painter.end()
    return len(pages)


def paint_report(printer: QPrinter, parts: Sequence[Part], *, title: str,
                 images: Mapping[str, QImage] | None = None) -> int:  # fmt: skip
    """Paint the report on ``printer``; returns the pages painted. Raises :class:`OSError`
    when the printer (or the PDF file) cannot be opened."""
    return paint_pages(
        printer,
        lambda device, width, height: paginate(parts, device, width, height, images),
        title=title,
        images=images,
    )


def write_report_pdf(
    path: str | os.PathLike[str],
    parts: Sequence[Part],
    *,
    title: str,
    images: Mapping[str, QImage] | None = None,
) -> int:
    """The report as an A4 PDF at ``path`` (replaced only once complete); returns its pages.
    Raises :class:`OSError` when it cannot be written."""
    return write_pdf_file(
        path, title, lambda printer: paint_report(printer, parts, title=title, images=images)
    )
