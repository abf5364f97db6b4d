"""文件 → 打印当前列表 (Ctrl+P): the list on screen on paper, through a print preview that can
also save it as a PDF.

What is printed is what the table shows: the filter bar's filter, the header's sort order, the
visible columns in their on-screen order — and every row, not just the pages the table has
loaded, read from SQL page by page (:func:`landbank.store.queries.fetch_page`). A 序号 column
comes first and a 合计 row last, with the sums of the quantity columns shown (the catalogue's
``summed`` fields, read in one SQL aggregate like the status bar's); quantities are shown as
:func:`landbank.domain.units.format_quantity` writes them (亩 and 万元 with two decimals, m²
whole, thousands separated). The title names the city and the filter (“新乡市 收储地块台账（辉县市，
供应状态：可供，共 12 条；打印于 2026-11-24）”, :func:`landbank.services.exporting.titles.list_title`).

Pages are A4 landscape (the preview may turn them), painted here cell by cell: the title on the
first page, the header row on every page, no row split across two pages (a cell wraps onto at
most :data:`MAX_CELL_LINES` lines, the rest cut with “…”), the shared footer of
:mod:`landbank.ui.printing` (title, 第 N 页 共 M 页). Columns get their natural width, the
text columns wrapping when the page is too narrow; numbers never wrap. When the columns do not
fit even so, the font shrinks (to :data:`SMALLEST_POINTS`), then the whole table is scaled.

Size: a list of more than :data:`MAX_PRINT_ROWS` records is refused with a message asking for a
filter (5,000 rows are about 170 pages: no one reads more on paper; 导出当前列表 takes the whole
ledger to Excel). So no print reads or lays out more than 5,000 rows — about a second — and the
window needs a busy cursor, not a progress dialog; the count is known before anything is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType, field_map
from landbank.domain.units import UNIT_DECIMALS, format_quantity
from landbank.services.errors import describe_error
from landbank.store.queries import Names, RecordFilter, SortOrder, fetch_page, load_names, summarise
from landbank.ui.context import AppContext
from landbank.ui.printing import (
    PageFrame,
    begin,
    new_printer,
    page_font,
    preview_with_pdf,
    save_pdf_as,
    write_pdf_file,
)
from landbank.ui.records.table_model import display_text, tr_field
from landbank.ui.records.view import RecordView

MAX_PRINT_ROWS = 5000
FETCH_ROWS = 1000  # rows read per query
BODY_POINTS = 8.5
SMALLEST_POINTS = 6.0
TITLE_POINTS = 13.0
MAX_CELL_LINES = 4
INDEX_HEADER = "序号"
TOTAL_LABEL = "合计"
STATUS_MESSAGE_MS = 8000
ELLIPSIS = "…"
# A text column may narrow to this many CJK characters (its text then wraps).
NARROWEST_TEXT = "四个汉字"
_HEADER_FILL = QColor(221, 235, 247)  # the export's header shade
_TOTAL_FILL = QColor(242, 242, 242)
_WRAP = int(Qt.TextFlag.TextWrapAnywhere)
_NUMBERS = (FieldType.INT, FieldType.FLOAT)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListPrint", text)


class TooManyRows(Exception):
    """The list holds more than can be printed; ``count`` says how many."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def too_many_text(count: int) -> str:
    return _tr("列表共 {n} 条，请先筛选（最多打印 {limit} 条）。").format(
        n=f"{count:,}", limit=f"{MAX_PRINT_ROWS:,}"
    ) + _tr("整个列表可用“导出当前列表”（Ctrl+Shift+E）导出到 Excel。")


# ---------------------------------------------------------------- the rows


def print_text(spec: FieldSpec, value: object, names: Names) -> str:
    """A value as the printed list shows it: quantities in their unit's one format
    (:func:`format_quantity`), everything else as the table shows it."""
    if (
        spec.type is FieldType.FLOAT
        and isinstance(value, int | float)
        and spec.unit in UNIT_DECIMALS
    ):
        return format_quantity(float(value), spec.unit)
    return display_text(spec, value, names)


@dataclass(frozen=True)
class ListPrintout:
    """The list ready to lay out: 序号 first in every row, the 合计 row last."""

    title: str
    headers: tuple[str, ...]
    numeric: tuple[bool, ...]  # right-aligned columns (序号 is centred)
    whole: tuple[bool, ...]  # never wrapped: 序号, numbers, dates
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...]  # 合计, then the sums ("" under the columns not summed)

    def paint(self, printer: QPrinter) -> int:
        """Paint every page on ``printer``; returns the pages."""
        return paint_list(printer, self)


def list_printout(
    session: Session,
    kind: RecordKind,
    columns: Sequence[str],
    *,
    flt: RecordFilter = RecordFilter(),
    sort: SortOrder = SortOrder(),
    limit: int = MAX_PRINT_ROWS,
    today: date | None = None,
) -> ListPrintout:
    """Read the list (every row, page by page) and format it. Raises :class:`TooManyRows`
    (before reading any row) when it holds more than ``limit``, :class:`KeyError` for an
    unknown column, :class:`SQLAlchemyError`."""
    # services.export brings openpyxl: loaded with the first print, not at start.
    from landbank.services.exporting.ledger import one_snapshot
    from landbank.services.exporting.titles import list_title

    fields = field_map(kind)
    specs = [fields[key] for key in columns]
    one_snapshot(session)  # count, sums and rows agree
    summary = summarise(session, kind, flt)
    if summary.count > limit:
        raise TooManyRows(summary.count)
    names = load_names(session)
    rows: list[tuple[str, ...]] = []
    while True:
        page = fetch_page(session, kind, flt, sort, offset=len(rows), limit=FETCH_ROWS)
        for values in page:
            cells = [print_text(spec, values.get(spec.key), names) for spec in specs]
            rows.append((str(len(rows) + 1), *cells))
        if len(rows) > limit:  # records were added meanwhile (no snapshot)
            raise TooManyRows(len(rows))
        if len(page) < FETCH_ROWS:
            break
    totals = [TOTAL_LABEL]
    for spec in specs:
        value = summary.sums.get(spec.key) if spec.summed else None
        totals.append("" if value is None else format_quantity(value, spec.unit))
    title = list_title(session, kind, flt, len(rows), names=names, action="打印", today=today)
    return ListPrintout(
        title=title,
        headers=(_tr(INDEX_HEADER), *(tr_field(spec.header) for spec in specs)),
        numeric=(False, *(spec.type in _NUMBERS for spec in specs)),
        whole=(True, *(spec.type in (*_NUMBERS, FieldType.DATE) for spec in specs)),
        rows=tuple(rows),
        totals=tuple(totals),
    )


# ---------------------------------------------------------------- layout


def _fit_widths(minimum: list[float], natural: list[float], width: float) -> list[float]:
    """Column widths summing to ``width``: every column its natural width and the extra shared
    in proportion, or — when they do not fit — the widest columns cut to one common width
    (never below their minimum)."""
    total = sum(natural)
    if total <= width:
        return [n * width / total for n in natural] if total > 0 else natural
    low, high = 0.0, max(natural)
    for _ in range(60):  # the common width: sum(clamp(cap, min, natural)) == width
        cap = (low + high) / 2
        if sum(max(m, min(n, cap)) for m, n in zip(minimum, natural, strict=True)) > width:
            high = cap
        else:
            low = cap
    return [max(m, min(n, low)) for m, n in zip(minimum, natural, strict=True)]


@dataclass
class _Layout:
    """Fonts, column widths and row heights in the painter's units (device pixels of the
    printer, divided by ``scale``), and the pages as ranges of lines (rows, then 合计)."""

    scale: float
    width: float
    height: float
    body: QFont
    bold: QFont
    title_font: QFont
    pad_x: float
    pad_y: float
    widths: list[float]
    wraps: list[bool]  # text columns wrap; 序号 and numbers never do
    headers: list[str]  # as drawn (a unit moved to its own line where the column is narrow)
    header_height: float
    title_height: float
    lines: list[tuple[str, ...]]  # the rows and the 合计 row, cut to MAX_CELL_LINES
    heights: list[float]
    pages: list[range]


def _lines_of(metrics: QFontMetricsF, text: str, width: float) -> int:
    if not text or metrics.horizontalAdvance(text) <= width:
        return 1 if "\n" not in text else text.count("\n") + 1
    rect = metrics.boundingRect(QRectF(0, 0, width, 1e9), _WRAP, text)
    return max(1, round(rect.height() / metrics.lineSpacing()))


def _cut(metrics: QFontMetricsF, text: str, width: float, lines: int) -> str:
    """``text`` cut (with “…”) to fit ``lines`` lines of ``width``."""
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if _lines_of(metrics, text[:middle] + ELLIPSIS, width) <= lines:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS


def _layout(printout: ListPrintout, frame: PageFrame, dpi: float) -> _Layout:
    px_per_point = dpi / 72.0
    pad_x, pad_y = 2.0 * px_per_point, 1.6 * px_per_point
    device_width, device_height = frame.width, frame.body_height
    columns = len(printout.headers)
    lines = [*printout.rows, printout.totals]
    # Natural widths measured once at the body size; other sizes scale with the points.
    base = QFontMetricsF(page_font(BODY_POINTS), frame.painter.device())
    base_bold = QFontMetricsF(_bold(BODY_POINTS), frame.painter.device())
    content = [0.0] * columns
    for line in lines:
        for c, text in enumerate(line):
            if text:
                content[c] = max(content[c], base.horizontalAdvance(text))
    content = [
        max(w, base_bold.horizontalAdvance(t)) for w, t in zip(content, lines[-1], strict=True)
    ]
    header_whole = [base_bold.horizontalAdvance(h) for h in printout.headers]
    header_part = [
        max(base_bold.horizontalAdvance(p) for p in _header_parts(h)) for h in printout.headers
    ]
    narrowest = base.horizontalAdvance(NARROWEST_TEXT)
    wraps = [not whole for whole in printout.whole]

    def widths_at(points: float) -> tuple[list[float], list[float]]:
        k = points / BODY_POINTS
        natural = [(max(content[c], header_whole[c]) * k) + 2 * pad_x for c in range(columns)]
        minimum = []
        for c in range(columns):
            floor = max(header_part[c] * k, content[c] * k if not wraps[c] else 0.0)
            if wraps[c]:
                floor = max(floor, min(content[c], narrowest) * k)
            minimum.append(min(natural[c], floor + 2 * pad_x))
        return minimum, natural

    points = BODY_POINTS
    minimum, natural = widths_at(points)
    while sum(minimum) > device_width and points > SMALLEST_POINTS:
        points = max(SMALLEST_POINTS, points - 0.5)
        minimum, natural = widths_at(points)
    scale = min(1.0, device_width / sum(minimum))  # still too wide: the table shrinks whole
    width, height = device_width / scale, device_height / scale
    widths = _fit_widths(minimum, natural, width)

    body, bold, title_font = page_font(points), _bold(points), _bold(TITLE_POINTS)
    device = frame.painter.device()
    metrics, bold_metrics = QFontMetricsF(body, device), QFontMetricsF(bold, device)
    inner = [w - 2 * pad_x for w in widths]
    headers = []
    header_lines = 1
    for c, header in enumerate(printout.headers):
        shown = header
        if bold_metrics.horizontalAdvance(header) > inner[c] and "(" in header:
            shown = header.replace("(", "\n(", 1)
        headers.append(shown)
        header_lines = max(header_lines, _lines_of(bold_metrics, shown, inner[c]))
    header_height = header_lines * bold_metrics.lineSpacing() + 2 * pad_y

    cut_lines: list[tuple[str, ...]] = []
    heights: list[float] = []
    for index, line in enumerate(lines):
        fm = bold_metrics if index == len(lines) - 1 else metrics
        most = 1
        cells = list(line)
        for c, text in enumerate(cells):
            if not wraps[c]:
                continue
            count = _lines_of(fm, text, inner[c])
            if count > MAX_CELL_LINES:
                cells[c] = _cut(fm, text, inner[c], MAX_CELL_LINES)
                count = MAX_CELL_LINES
            most = max(most, count)
        cut_lines.append(tuple(cells))
        heights.append(most * fm.lineSpacing() + 2 * pad_y)

    title_metrics = QFontMetricsF(title_font, device)
    title_rect = title_metrics.boundingRect(QRectF(0, 0, width, 1e9), _WRAP, printout.title)
    title_height = title_rect.height() + title_metrics.lineSpacing() * 0.6

    pages: list[range] = []
    start, y = 0, title_height + header_height
    for index, row_height in enumerate(heights):
        if y + row_height > height and index > start:  # a row never splits: it starts a page
            pages.append(range(start, index))
            start, y = index, header_height
        y += row_height
    pages.append(range(start, len(heights)))
    return _Layout(
        scale, width, height, body, bold, title_font, pad_x, pad_y, widths, wraps, headers,
        header_height, title_height, cut_lines, heights, pages,
    )  # fmt: skip


def _bold(points: float) -> QFont:
    font = page_font(points)
    font.setBold(True)
    return font


def _header_parts(header: str) -> list[str]:
    """“收储面积(亩)” → [“收储面积”, “(亩)”]: the header may put its unit on a line of its own."""
    label, bracket, unit = header.partition("(")
    return [label, bracket + unit] if bracket else [header]


# ---------------------------------------------------------------- painting


def paint_list(printer: QPrinter, printout: ListPrintout) -> int:
    """Paint the list on ``printer`` (its page size and orientation as set); returns the pages.
    Raises :class:`OSError` when the printer (or the PDF file) cannot be opened."""
    painter = QPainter()
    begin(painter, printer)
    try:
        frame = PageFrame(painter, printer)
        layout = _layout(printout, frame, float(printer.resolution()))
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
    layout: _Layout,
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
        painter.drawText(title, _WRAP | int(Qt.AlignmentFlag.AlignHCenter), printout.title)
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
        painter.drawText(_inner(layout, left, y, width, layout.header_height), _WRAP | center, text)
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
            flags = _WRAP | align if layout.wraps[c] else align
            painter.drawText(_inner(layout, left, y, width, height), flags, text)
        y += height
        rules.append(y)
    painter.setPen(pen)
    for rule in rules:
        painter.drawLine(QLineF(0, rule, table_width, rule))
    for left in [*lefts, table_width]:
        painter.drawLine(QLineF(left, top, left, y))


def _inner(layout: _Layout, left: float, top: float, width: float, height: float) -> QRectF:
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


# ---------------------------------------------------------------- the window's command


def preview_dialog(
    parent: QWidget | None,
    printout: ListPrintout,
    *,
    on_saved: Callable[[str], None] | None = None,
) -> QPrintPreviewDialog:
    """The print preview of ``printout`` on A4 landscape (not yet shown), with “导出 PDF…” on
    its toolbar."""
    return preview_with_pdf(
        parent,
        landscape(new_printer()),
        printout.title,
        printout.paint,
        lambda dialog: export_pdf(dialog, printout, on_saved=on_saved),
        tooltip=_tr("把列表保存为 PDF 文件"),
        size=(1200, 860),
    )


def export_pdf(
    parent: QWidget,
    printout: ListPrintout,
    *,
    folder: Path | None = None,
    on_saved: Callable[[str], None] | None = None,
) -> Path | None:
    """Ask where, then write the PDF; ``None`` when cancelled or it failed (the clerk was
    told why)."""
    return save_pdf_as(
        parent,
        printout.title.split("（")[0],
        lambda path: write_list_pdf(path, printout),
        _tr("已导出列表（{n} 页）到 {path}"),
        folder=folder,
        on_saved=on_saved,
    )


def print_view(
    parent: QWidget,
    ctx: AppContext,
    view: RecordView,
    *,
    on_saved: Callable[[str], None] | None = None,
) -> ListPrintout | None:
    """Print what ``view`` shows, through the print preview; ``None`` when there was nothing to
    print, too much, or the database failed (the clerk was told)."""
    caption = _tr("打印当前列表")
    view.apply_filter()  # a filter typed in the last instant counts too
    model = view.model
    if model.total > MAX_PRINT_ROWS:  # known without a query: refuse at once
        QMessageBox.information(parent, caption, too_many_text(model.total))
        return None
    if model.total == 0:
        QMessageBox.information(parent, caption, _tr("列表中没有记录，无需打印。"))
        return None
    columns = [model.columns[c].key for c in view.visible_columns()]
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with ctx.session() as session:
            printout = list_printout(
                session, view.kind, columns, flt=model.record_filter, sort=model.sort_order
            )
    except TooManyRows as exc:  # records were added since the table counted
        QApplication.restoreOverrideCursor()
        QMessageBox.information(parent, caption, too_many_text(exc.count))
        return None
    except SQLAlchemyError as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, caption, describe_error(exc))
        return None
    QApplication.restoreOverrideCursor()
    dialog = preview_dialog(parent, printout, on_saved=on_saved)
    dialog.exec()
    dialog.deleteLater()
    return printout
