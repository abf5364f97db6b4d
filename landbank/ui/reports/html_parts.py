"""The pieces every printed report is made of, as data: a report is a *flow* of parts — a
:class:`Block` (a title, a heading, a paragraph, an image: HTML laid out whole) or a
:class:`Table` (header rows and body rows of :class:`Cell`). No Qt: the PDF writer
(:mod:`landbank.ui.reports.report_pdf`) gives each table its column widths from its content,
breaks long names at sensible points, and lays the parts out page by page — a body row is
never split across two pages, a table's header rows are repeated on each page it runs onto,
and a table marked ``whole`` (an entry of the 招商手册) is never split at all.

How a cell's text may break is its :class:`Wrap`: never (figures with their unit, dates,
codes, status words), at the sensible points of a name (:func:`segments`), or as prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from html import escape
from itertools import pairwise

from landbank.domain.quota.pace import PaceStatus
from landbank.domain.units import format_quantity
from landbank.services.identity import BureauIdentity

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
NOTE_POINTS = 8.0  # the small print of a cell's notes and of the notes under a table


class Wrap(Enum):
    """Where a cell's text may break into lines."""

    NONE = "none"  # never: 1,234.50 亩, 2026-01-04, HX2026-001, 净地(可供)
    NAME = "name"  # only at the sensible points of a name (辉县市|装备制造|产业园)
    TEXT = "text"  # prose: between any two characters, never inside a figure with its unit


class Audience(Enum):
    """Whom a printed document is for: an investor gets the facts of the sites and whom to
    call; the internal version adds what the bureau tracks (days waiting, scores, marks)."""

    INVESTOR = "investor"
    INTERNAL = "internal"

    @property
    def label(self) -> str:
        return "对外（投资者）" if self is Audience.INVESTOR else "内部"


@dataclass(frozen=True)
class Cell:
    """One table cell. ``text`` may hold "\\n" where the cell always breaks; ``notes`` are
    further lines in small print (prose) under it."""

    text: str
    right: bool = False
    center: bool = False
    bg: str | None = None
    fg: str | None = None
    bold: bool = False
    colspan: int = 1
    rowspan: int = 1
    wrap: Wrap = Wrap.NAME
    header: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    bg: str | None = None


@dataclass(frozen=True)
class Table:
    """Header rows (repeated on every page) and body rows (each kept on one page).
    ``widths``: percent of the page width per column, fixed; empty: from the content.
    ``whole``: the table is kept on one page (a 招商手册 entry)."""

    head: tuple[Row, ...]
    rows: tuple[Row, ...]
    widths: tuple[float, ...] = ()
    whole: bool = False
    columns: int = 0  # the grid's columns; 0: counted from the first row

    def column_count(self) -> int:
        if self.columns:
            return self.columns
        first = (self.head or self.rows or (Row(()),))[0]
        return sum(c.colspan for c in first.cells)


@dataclass(frozen=True)
class Block:
    """HTML laid out whole; ``keep_with_next`` keeps it on the page of what follows (a
    heading stays with the first rows of its table), ``keep_with_previous`` on the page of what
    precedes it (the 落款 never stands alone on the last page: the report's last line, or last
    row, goes over with it)."""

    html: str
    keep_with_next: bool = False
    keep_with_previous: bool = False


Part = Block | Table


# ---------------------------------------------------------------- figures


def q(value: float, unit: str) -> str:
    """A quantity in the one format of its unit, without the unit: "2,000.00" (亩)."""
    return format_quantity(value, unit) or "0"


def qu(value: float, unit: str) -> str:
    """A quantity with its unit: "1,708.29 亩", "13,850 m²"."""
    return f"{q(value, unit)} {unit}"


def chinese_ordinal(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for numbers below 100)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def chinese_day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# ---------------------------------------------------------------- where text may break

_UNITS = (
    "万元/亩|元/m²/月|kN/m²|kVA|m²|万元|亿元|万吨|亩|m|t|天|个|栋|宗|层|分|年|月|日|台|套|吨|"
    "户|家|名|条|件|辆|%"
)
# A figure with what belongs to it (a comparison sign before, its unit after), a run of
# Latin letters and digits (codes, dates), a run of spaces, or one character.
_TOKEN = re.compile(
    rf"[≥≤<>~±]?\s?[0-9A-Za-z][0-9A-Za-z#\-_./²×*,:%+–]*(?:\s?(?:{_UNITS})(?![A-Za-z]))?|\s+|.",
    re.S,
)
# A name may break after these …
_BREAK_AFTER = frozenset("市县区镇乡村路街道口角园期号楼·、，,；;：:）)/")
# … and before these and these words.
_BREAK_BEFORE = frozenset("与及（(")
_BREAK_BEFORE_WORDS = (
    "产业集聚区", "产业园", "产业区", "集聚区", "开发区", "工业园", "高新区", "园区", "经开区",
    "示范区", "有限公司", "集团", "地块", "项目", "管委会",
)  # fmt: skip
_CLOSING = frozenset("，。、；：！？）)」』”’%,.;:!?/")
_OPENING = frozenset("（(「『“‘")


def _words(text: str) -> tuple[set[int], set[int]]:
    """Where the words of :data:`_BREAK_BEFORE_WORDS` start in ``text``, and the positions
    inside them (longest word first, left to right)."""
    starts: set[int] = set()
    inside: set[int] = set()
    i = 0
    while i < len(text):
        word = next((w for w in _WORDS_LONGEST_FIRST if text.startswith(w, i)), None)
        if word is None:
            i += 1
            continue
        starts.add(i)
        inside.update(range(i + 1, i + len(word)))
        i += len(word)
    return starts, inside


_WORDS_LONGEST_FIRST = sorted(_BREAK_BEFORE_WORDS, key=len, reverse=True)


def segments(text: str, wrap: Wrap) -> list[str]:
    """``text`` (one line) cut into the pieces a line may not break inside, in order; joined
    they give ``text`` back. A name breaks only at sensible points (after 市/县/区/镇/路 …,
    before 与/（ and words like 产业园, 开发区, 地块); prose between any two characters; never
    inside a figure with its unit, a code or a date, nor before closing punctuation."""
    if wrap is Wrap.NONE or not text:
        return [text] if text else []
    words = _words(text) if wrap is Wrap.NAME else (set(), set())
    cuts = [0]
    position = 0
    for token in _TOKEN.findall(text):
        if position and _may_break(text, position, wrap, words):
            cuts.append(position)
        position += len(token)
    cuts.append(len(text))
    return [text[a:b] for a, b in pairwise(cuts)]


def _may_break(text: str, p: int, wrap: Wrap, words: tuple[set[int], set[int]]) -> bool:
    """Whether a line may break before ``text[p]`` (a token's start)."""
    after, before = text[p], text[p - 1]
    if after.isspace() or after in _CLOSING or before in _OPENING:
        return False  # a space stays at the end of the line before the break
    if wrap is Wrap.TEXT or before.isspace():
        return True  # prose anywhere; a name between words
    last = text[:p].rstrip()[-1:]
    if last in _OPENING:
        return False
    starts, inside = words
    if p in inside:
        return False
    if last in _BREAK_AFTER and not (before in _ADMIN and after in _ADMIN | _OFFICE):
        return True
    return after in _BREAK_BEFORE or p in starts


_ADMIN = frozenset("省市县区镇乡")
_OFFICE = frozenset("长委政级直属")  # 县长, 区委常委, 市政府, 县级: words, not a place and more


# ---------------------------------------------------------------- cells, rows, tables


def cell(text: str, *, right: bool = False, bg: str | None = None, fg: str | None = None,
         bold: bool = False, colspan: int = 1, wrap: Wrap | None = None,
         center: bool = False, notes: Sequence[str] = ()) -> Cell:  # fmt: skip
    """A body cell; a right-aligned cell (a figure) never wraps unless told."""
    if wrap is None:
        wrap = Wrap.NONE if right or center else Wrap.NAME
    return Cell(text, right=right, center=center, bg=bg, fg=fg, bold=bold, colspan=colspan,
                wrap=wrap, notes=tuple(notes))  # fmt: skip


def status_cell(status: PaceStatus, text: str | None = None, *, right: bool = False) -> Cell:
    light = status.light
    bg, fg = LIGHT_COLOURS[light] if light else (None, None)
    return cell(text if text is not None else status.value, right=right, bg=bg, fg=fg,
                wrap=Wrap.NONE)  # fmt: skip


def row(cells: Sequence[Cell], *, total: bool = False) -> Row:
    """A row of cells; the total row is shaded."""
    return Row(tuple(cells), bg=TOTAL_BG if total else None)


def th(text: str, *, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, center=True, bg=HEAD_BG, colspan=colspan, rowspan=rowspan, header=True)


def table(headers: Sequence[str], rows: Sequence[Row], *,
          widths: Sequence[float] = ()) -> Table:  # fmt: skip
    """A bordered table with one header row; column widths from the content unless given
    (percent of the page width)."""
    return Table((Row(tuple(th(h) for h in headers)),), tuple(rows), tuple(widths))


def table_with_head(head_rows: Sequence[Row], rows: Sequence[Row]) -> Table:
    """A bordered table whose header rows (cells from :func:`th`) are given."""
    return Table(tuple(head_rows), tuple(rows))


def block(rows: Sequence[Row], *, widths: Sequence[float] = ()) -> Table:
    """A bordered table with no header row, printed whole on one page."""
    return Table((), tuple(rows), tuple(widths), whole=True)


# ---------------------------------------------------------------- blocks


TITLE_CHARS = 38  # the characters of a title's line (a Latin letter or digit counts half)


def title_html(text: str, place: str = "") -> str:
    """A title too long for one line breaks after the place it names (“黔东南苗族侗族自治州
    双江…自治县” over “2026 年度…明细”), not inside a word."""
    length = sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)
    if length <= TITLE_CHARS or not place or not text.startswith(place):
        return escape(text)
    return f"{escape(place)}<br>{escape(text[len(place) :].strip())}"


def title(
    text: str,
    as_of: date,
    subtitle: str,
    *,
    identity: BureauIdentity,
    printed: date,
    place: str = "",
    unit: str = UNIT_LINE,
    date_label: str = "统计日期",
) -> Block:
    """The title, its subtitle, then 制表单位/制表人/联系电话 with the 制表日期, and the unit
    with the day the figures are judged on."""
    compiled = identity.compiled_by()
    return Block(
        f'<h2 align="center" style="margin-bottom:4px">{title_html(text, place)}</h2>'
        f'<p align="center" style="margin-top:0">{escape(subtitle)}</p>'
        f'<table width="100%" cellspacing="0" cellpadding="0">'
        f"<tr><td>{escape(compiled)}</td>"
        f'<td align="right">制表日期：{printed.isoformat()}</td></tr>'
        f"<tr><td>{escape(unit)}</td>"
        f'<td align="right">{escape(date_label)}：{as_of.isoformat()}</td></tr></table>'
    )


def signature(identity: BureauIdentity, printed: date) -> Block:
    """The 落款 that ends a report: the bureau and the date, right-aligned."""
    return Block(
        '<p style="font-size:4pt; margin:0">&nbsp;</p>'
        f'<p align="right" style="margin-top:18px">{escape(identity.signature(printed))}</p>',
        keep_with_previous=True,
    )


def heading(text: str, level: int = 3) -> Block:
    return Block(
        f'<h{level} style="margin-top:12px; margin-bottom:4px">{escape(text)}</h{level}>',
        keep_with_next=True,
    )


def para(text: str) -> Block:
    return Block(f"<p>{escape(text)}</p>")


def note(text: str) -> Block:
    """Small print under a table (its definitions)."""
    return Block(f'<p style="font-size:{NOTE_POINTS}pt">{escape(text)}</p>')


# A little space after an entry, on the entry's page (so what must follow the entry, the 落款,
# follows it through the gap).
GAP = Block('<p style="margin:0; font-size:4pt">&nbsp;</p>', keep_with_previous=True)
