"""The printed list fitted to the page: fonts, column widths, row heights and page breaks.

Columns get their natural width, the text columns wrapping when the page is too narrow; numbers
never wrap. When the columns do not fit even so, the font shrinks (to :data:`SMALLEST_POINTS`),
then the whole table is scaled. A cell wraps onto at most :data:`MAX_CELL_LINES` lines, the
rest cut with “…”; no row is split across two pages, and the title takes the first page's top.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from landbank.ui.printing import PageFrame, page_font

if TYPE_CHECKING:
    from landbank.ui.reports.list_rows import ListPrintout

BODY_POINTS = 8.5
SMALLEST_POINTS = 6.0
TITLE_POINTS = 13.0
MAX_CELL_LINES = 4
ELLIPSIS = "…"
# A text column may narrow to this many CJK characters (its text then wraps).
NARROWEST_TEXT = "四个汉字"
WRAP = int(Qt.TextFlag.TextWrapAnywhere)


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
class ListLayout:
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
    rect = metrics.boundingRect(QRectF(0, 0, width, 1e9), WRAP, text)
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


def layout_list(printout: ListPrintout, frame: PageFrame, dpi: float) -> ListLayout:
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
    title_rect = title_metrics.boundingRect(QRectF(0, 0, width, 1e9), WRAP, printout.title)
    title_height = title_rect.height() + title_metrics.lineSpacing() * 0.6

    pages: list[range] = []
    start, y = 0, title_height + header_height
    for index, row_height in enumerate(heights):
        if y + row_height > height and index > start:  # a row never splits: it starts a page
            pages.append(range(start, index))
            start, y = index, header_height
        y += row_height
    pages.append(range(start, len(heights)))
    return ListLayout(
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
