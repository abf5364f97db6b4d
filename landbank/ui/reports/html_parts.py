"""The pieces every printed report's HTML is made of: bordered tables (header rows in
``<thead>``, repeated on each page a table runs onto), cells, the title block with the unit and
the date, headings and paragraphs. No Qt: plain strings for a :class:`QTextDocument`.

A table without a ``<thead>`` is a *block* (:func:`block`): the PDF writer never splits one
across two pages when it fits on one (:func:`landbank.ui.reports.report_pdf.keep_blocks_whole`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from landbank.domain.quota_progress import PaceStatus
from landbank.domain.units import format_number

UNIT_LINE = "单位：亩、平方米、万元"

# Traffic-light cell colours (background, text): pale fills that print legibly in greyscale.
LIGHT_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("#c6efce", "#006100"),
    "amber": ("#ffeb9c", "#7f5f00"),
    "red": ("#ffc7ce", "#9c0006"),
}
BORDER = "#808080"
HEAD_BG = "#dde4ee"
TOTAL_BG = "#eeeeee"


def n(value: float, decimals: int = 2) -> str:
    """A figure as ``landbank quota`` prints it (thousands separated, trailing zeros dropped)."""
    return format_number(value, decimals) or "0"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for numbers below 100)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def cell(text: str, *, right: bool = False, bg: str | None = None, fg: str | None = None,
         bold: bool = False, colspan: int = 1, width: int | None = None) -> str:  # fmt: skip
    attrs = ' align="right"' if right else ""
    if bg:
        attrs += f' bgcolor="{bg}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if width:
        attrs += f' width="{width}%"'
    body = escape(text)
    if fg:
        body = f'<span style="color:{fg}">{body}</span>'
    if bold:
        body = f"<b>{body}</b>"
    return f"<td{attrs}>{body}</td>"


def status_cell(status: PaceStatus, text: str | None = None, *, right: bool = False) -> str:
    light = status.light
    bg, fg = LIGHT_COLOURS[light] if light else (None, None)
    return cell(text if text is not None else status.value, right=right, bg=bg, fg=fg)


def row(cells: Sequence[str], *, total: bool = False) -> str:
    """A ``<tr>`` of complete ``<td>`` strings; the total row is shaded."""
    body = "".join(cells)
    return f'<tr bgcolor="{TOTAL_BG}">{body}</tr>' if total else f"<tr>{body}</tr>"


def _open_table() -> str:
    return (
        f'<table width="100%" border="1" cellspacing="0" cellpadding="3" '
        f'style="border-collapse:collapse; border-color:{BORDER}">'
    )


def table(headers: Sequence[str], rows: Sequence[str], *, widths: Sequence[int] = ()) -> str:
    """A bordered table; ``rows`` are complete ``<tr>`` strings; ``widths`` in percent."""
    head = "".join(
        f'<th bgcolor="{HEAD_BG}"'
        + (f' width="{widths[i]}%"' if i < len(widths) else "")
        + f">{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    return f"{_open_table()}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def table_with_head(head_rows: Sequence[str], rows: Sequence[str]) -> str:
    """A bordered table whose header rows (complete ``<tr>`` strings of ``<th>``) are given."""
    return (
        f"{_open_table()}<thead>{''.join(head_rows)}</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def th(text: str, *, colspan: int = 1, rowspan: int = 1, width: int | None = None) -> str:
    attrs = f' bgcolor="{HEAD_BG}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if width:
        attrs += f' width="{width}%"'
    return f"<th{attrs}>{escape(text)}</th>"


def block(rows: Sequence[str]) -> str:
    """A bordered table with no header row: printed whole on one page (see the module notes)."""
    return f"{_open_table()}{''.join(rows)}</table>"


def title(text: str, as_of: date, subtitle: str, *, unit: str = UNIT_LINE,
          date_label: str = "统计日期") -> str:  # fmt: skip
    return (
        f'<h2 align="center" style="margin-bottom:4px">{escape(text)}</h2>'
        f'<p align="center" style="margin-top:0">{escape(subtitle)}</p>'
        f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f"<td>{escape(unit)}</td>"
        f'<td align="right">{escape(date_label)}：{as_of.isoformat()}</td></tr></table>'
    )


def heading(text: str, level: int = 3) -> str:
    return f'<h{level} style="margin-top:12px; margin-bottom:4px">{escape(text)}</h{level}>'


def para(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def note(text: str) -> str:
    """Small print under a table (its definitions)."""
    return f'<p style="font-size:small">{escape(text)}</p>'
