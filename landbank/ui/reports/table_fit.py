"""A report :class:`~landbank.ui.reports.html_parts.Table` fitted to the page: column widths
from the content, every cell broken into lines at the points its :class:`Wrap` allows, as HTML
for a :class:`QTextDocument`.

Text is measured with the fonts of the printer the report is painted on. A column is as wide
as its widest line needs when the page has room for every column so; otherwise the columns
that may wrap give way, down to their longest unbreakable piece — a figure with its unit, a
date, a code, a word of a name — in one of two ways, whichever gives the shorter table (the
one that breaks fewer cells when both are as tall): each by the same share of what its text
would take more, as a browser does; or the widest first, all held to one common width, so that
a column narrower than that keeps its text whole (a park's name stays on one line while a long
parcel name beside it takes two). Every cell is ``white-space:nowrap`` with the
line breaks put in here, so QTextDocument never breaks a name inside a word (“…产业\\n园”) nor a
figure from its unit (“24\\nm”). Only when even that does not fit (a name of no sensible break
points in a crowded table) may a name break between any two characters.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtGui import QFont, QFontMetricsF, QPaintDevice

from landbank.ui.printing import page_font
from landbank.ui.reports.html_parts import BORDER, NOTE_POINTS, Cell, Row, Table, Wrap, segments

CELL_PADDING = 3  # CSS px
# What a column and the table take besides the text (padding and borders), in CSS px; a
# little more than QTextDocument takes, so that a measured line always fits its column.
COLUMN_EXTRA = 8.0
TABLE_EXTRA = 5.0
MIN_TEXT_CHARS = 6  # a prose column is never narrower than this many characters
# A word of a name longer than this many characters (“双江拉祜族佤族布朗族傣族自治县”) is
# split in two rather than starve the other columns of a crowded table.
LONGEST_WORD_CHARS = 8


class Measure:
    """Text widths in device pixels of one paint device, cached."""

    def __init__(self, device: QPaintDevice, points: float) -> None:
        self.unit = device.logicalDpiX() / 96.0  # device pixels per CSS px
        body = page_font(points)
        bold = QFont(body)
        bold.setBold(True)
        small = page_font(NOTE_POINTS)
        self._metrics = {
            (False, False): QFontMetricsF(body, device),
            (True, False): QFontMetricsF(bold, device),
            (False, True): QFontMetricsF(small, device),
        }
        self._cache: dict[tuple[str, bool, bool], float] = {}

    def width(self, text: str, *, bold: bool = False, small: bool = False) -> float:
        key = (text, bold, small)
        found = self._cache.get(key)
        if found is None:
            found = self._metrics[(bold, small)].horizontalAdvance(text.strip())
            self._cache[key] = found
        return found


@dataclass(frozen=True)
class FittedTable:
    """A table's rows as HTML, ready to be laid out in slices: the header rows open every
    slice."""

    opening: str
    head: str
    rows: tuple[str, ...]

    def html(self, start: int = 0, stop: int | None = None) -> str:
        body = "".join(self.rows[start:stop])
        return f"{self.opening}{self.head}{body}</table>"


def _placed(rows: Sequence[Row]) -> Iterator[tuple[int, int, Cell]]:
    """Each cell of ``rows`` with its row and first column (the columns a cell spans from a
    row above skipped)."""
    taken: set[tuple[int, int]] = set()
    for r, line in enumerate(rows):
        column = 0
        for c in line.cells:
            while (r, column) in taken:
                column += 1
            taken.update(
                (r + dr, column + dc) for dr in range(c.rowspan) for dc in range(c.colspan)
            )
            yield r, column, c
            column += c.colspan


def _cell_lines(c: Cell) -> list[str]:
    return c.text.split("\n") if c.text else []


def _is_bold(c: Cell) -> bool:
    return c.bold or c.header


def _pieces(measure: Measure, c: Cell, wrap: Wrap) -> list[float]:
    """Widths of the unbreakable pieces of ``c`` (its notes in small print included); a word
    of a name counts as no wider than :data:`LONGEST_WORD_CHARS` characters."""
    bold = _is_bold(c)
    cap = measure.width("字" * LONGEST_WORD_CHARS, bold=bold) if wrap is Wrap.NAME else math.inf
    widths = [
        min(cap, measure.width(s, bold=bold))
        for line in _cell_lines(c)
        for s in segments(line, wrap)
    ]
    widths += [measure.width(s, small=True) for line in c.notes for s in segments(line, Wrap.TEXT)]
    return widths


def _natural(measure: Measure, c: Cell) -> float:
    bold = _is_bold(c)
    widths = [measure.width(line, bold=bold) for line in _cell_lines(c)]
    widths += [measure.width(line, small=True) for line in c.notes]
    return max(widths, default=0.0)


def column_widths(table: Table, measure: Measure, width: float) -> list[float]:
    """The text width of each column of ``table`` on a page ``width`` wide (device pixels)."""
    columns = table.column_count()
    extra = COLUMN_EXTRA * measure.unit
    inner = width - TABLE_EXTRA * measure.unit
    if table.widths:
        return [inner * w / 100.0 - extra for w in table.widths]
    avail = inner - columns * extra
    rows = (*table.head, *table.rows)
    natural = [0.0] * columns
    least = [0.0] * columns
    loose = [0.0] * columns  # the least when names may break anywhere
    floor = measure.width("字" * MIN_TEXT_CHARS)
    for _r, column, c in _placed(rows):
        if c.colspan != 1 or column >= columns:
            continue
        natural[column] = max(natural[column], _natural(measure, c))
        pieces = _pieces(measure, c, c.wrap)
        at_least = max(pieces, default=0.0)
        if c.wrap is Wrap.TEXT or c.notes:
            at_least = max(at_least, min(floor, _natural(measure, c)))
        least[column] = max(least[column], at_least)
        any_break = Wrap.TEXT if c.wrap is Wrap.NAME else c.wrap
        loose[column] = max(loose[column], max(_pieces(measure, c, any_break), default=0.0))
    if sum(natural) <= avail:
        spare = avail - sum(natural)
        total = sum(natural) or 1.0
        return [w + spare * w / total for w in natural]
    if sum(least) > avail:  # names whole cannot fit: they may break between characters
        least = loose
        if sum(least) > avail:  # nor so: as little as each column needs
            return least
    return _shorter(
        table, measure, [_share_out(natural, least, avail), _capped(natural, least, avail)]
    )


def _share_out(natural: list[float], least: list[float], avail: float) -> list[float]:
    """Widths between ``least`` and ``natural`` summing to ``avail``, as a browser lays out a
    table: each column gets its least and the same share of what its text would take more
    (a long name's column keeps more than a short one's)."""
    more = [max(0.0, n - m) for n, m in zip(natural, least, strict=True)]
    share = (avail - sum(least)) / (sum(more) or 1.0)
    return [m + x * share for m, x in zip(least, more, strict=True)]


def _capped(natural: list[float], least: list[float], avail: float) -> list[float]:
    """Widths between ``least`` and ``natural`` summing to ``avail`` (which lies between their
    sums), the widest texts giving way first: every column is held to one common cap, never
    below its least. A column whose text is narrower than the cap keeps it whole."""

    def total(cap: float) -> float:
        return sum(max(m, min(n, cap)) for n, m in zip(natural, least, strict=True))

    low, high = 0.0, max(natural)
    for point in sorted({*natural, *least}):
        if total(point) > avail:
            high = point
            break
        low = point
    # Between two neighbouring break points the total grows linearly, by the columns held there.
    growing = sum(1 for n, m in zip(natural, least, strict=True) if m <= low and n >= high)
    cap = low + (avail - total(low)) / growing if growing else low
    return [max(m, min(n, cap)) for n, m in zip(natural, least, strict=True)]


def _shorter(table: Table, measure: Measure, choices: Sequence[list[float]]) -> list[float]:
    """Of the column widths ``choices``, the one whose rows take the fewest lines in all, then
    the one that breaks the fewest cells (the first of equals)."""

    extra = COLUMN_EXTRA * measure.unit
    rows = (*table.head, *table.rows)

    def cost(widths: list[float]) -> tuple[int, int]:
        tallest = [1] * len(rows)
        broken = 0
        for r, column, c in _placed(rows):
            span = range(column, min(column + c.colspan, len(widths)))
            width = sum(widths[i] for i in span) + extra * (len(span) - 1)
            lines = len(_printed_lines(c, measure, width))
            broken += lines > len(_cell_lines(c)) + len(c.notes)
            tallest[r] = max(tallest[r], lines)
        return sum(tallest), broken

    return min(choices, key=cost)


def break_lines(
    measure: Measure,
    text: str,
    wrap: Wrap,
    width: float,
    *,
    bold: bool = False,
    small: bool = False,
) -> list[str]:
    """``text`` (one line) broken into lines no wider than ``width`` where ``wrap`` allows; a
    piece wider than the line is broken between characters into lines of even length (never
    inside a figure)."""
    lines = _greedy(measure, segments(text, wrap), width, bold=bold, small=small)
    if wrap is Wrap.TEXT:
        return lines
    out: list[str] = []
    for line in lines:
        if measure.width(line, bold=bold, small=small) <= width:
            out.append(line)
            continue
        pieces = segments(line, Wrap.TEXT)
        count = math.ceil(measure.width(line, bold=bold, small=small) / width)
        target = measure.width(line, bold=bold, small=small) / count
        while True:  # the narrowest lines that still need no more than ``count`` of them
            even = _greedy(measure, pieces, min(target, width), bold=bold, small=small)
            if len(even) <= count or target >= width:
                break
            target *= 1.04
        out.extend(even)
    return out


def _greedy(
    measure: Measure, pieces: Sequence[str], width: float, *, bold: bool, small: bool
) -> list[str]:
    """As many pieces on each line as fit in ``width`` (at least one)."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        candidate = line + piece
        if not line.strip() or measure.width(candidate, bold=bold, small=small) <= width:
            line = candidate
            continue
        lines.append(line.strip())
        line = piece
    if line.strip():
        lines.append(line.strip())
    return lines


def _broken(c: Cell, measure: Measure, width: float) -> tuple[list[str], list[str]]:
    """The lines ``c`` is printed in at ``width``: its text's, then its notes' in small print
    (broken at the points a name breaks, after “，”, else evenly)."""
    bold = _is_bold(c)
    lines = [
        piece
        for line in _cell_lines(c)
        for piece in (
            [line.strip()]
            if c.wrap is Wrap.NONE
            else break_lines(measure, line, c.wrap, width, bold=bold)
        )
    ]
    notes = [
        piece
        for line in c.notes
        for piece in break_lines(measure, line, Wrap.NAME, width, small=True)
    ]
    return lines, notes


def _printed_lines(c: Cell, measure: Measure, width: float) -> list[str]:
    lines, notes = _broken(c, measure, width)
    return lines + notes


def _cell_html(c: Cell, measure: Measure, width: float, percent: float | None) -> str:
    tag = "th" if c.header else "td"
    attrs = ' align="right"' if c.right else (' align="center"' if c.center else "")
    if c.bg:
        attrs += f' bgcolor="{c.bg}"'
    if c.colspan > 1:
        attrs += f' colspan="{c.colspan}"'
    if c.rowspan > 1:
        attrs += f' rowspan="{c.rowspan}"'
    if percent is not None:
        attrs += f' width="{percent:.2f}%"'
    if c.header or c.rowspan > 1:
        attrs += ' valign="middle"'
    lines, notes = _broken(c, measure, width)
    body = "<br>".join(escape(s) for s in lines)
    if c.fg:
        body = f'<span style="color:{c.fg}">{body}</span>'
    if c.bold and not c.header:
        body = f"<b>{body}</b>"
    for piece in notes:
        body += f'<br><span style="font-size:{NOTE_POINTS}pt">{escape(piece)}</span>'
    # A cell spanning columns is not held to its widest line: QTextDocument would share that
    # width out equally among the columns it spans, widening a narrow one past its share.
    nowrap = ' style="white-space:nowrap"' if c.colspan == 1 else ""
    return f"<{tag}{attrs}{nowrap}>{body}</{tag}>"


def fit_table(table: Table, measure: Measure, width: float) -> FittedTable:
    """``table`` with its column widths and line breaks for a page ``width`` device pixels
    wide."""
    columns = table.column_count()
    widths = column_widths(table, measure, width)
    extra = COLUMN_EXTRA * measure.unit
    inner = width - TABLE_EXTRA * measure.unit
    percents = [(w + extra) * 100.0 / inner for w in widths]

    def render(rows: Sequence[Row]) -> list[str]:
        cells: list[list[str]] = [[] for _ in rows]
        for r, column, c in _placed(rows):
            span = range(column, min(column + c.colspan, columns))
            text_width = sum(widths[i] for i in span) + extra * (len(span) - 1)
            percent = percents[column] if c.colspan == 1 and column < columns else None
            cells[r].append(_cell_html(c, measure, text_width, percent))
        return [
            (f'<tr bgcolor="{line.bg}">' if line.bg else "<tr>") + "".join(cells[i]) + "</tr>"
            for i, line in enumerate(rows)
        ]

    opening = (
        f'<table width="100%" border="1" cellspacing="0" cellpadding="{CELL_PADDING}" '
        f'style="border-collapse:collapse; border-color:{BORDER}">'
    )
    return FittedTable(opening, "".join(render(table.head)), tuple(render(table.rows)))
