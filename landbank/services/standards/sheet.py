"""Where the indicator table is in a workbook: the header row (below a title, possibly over two
rows: 容积率 merged above 下限 | 上限), its columns (:mod:`landbank.domain.standards.headers`),
and the data rows with merged blocks filled in and text cells normalised (全角 digits and
brackets, ％).

The file is read by :mod:`landbank.services.importing.spreadsheet` (extent, size and zip-bomb
checks first); what cannot be found raises :class:`SpreadsheetError` with the Chinese reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from landbank.domain.standards.headers import StandardColumn, map_headers
from landbank.services.importing.spreadsheet import Cell, Sheet, SpreadsheetError, cell_text

HEADER_SEARCH_ROWS = 30
_BOUND_ONLY = {"下限", "上限", "最低", "最高", "≥", "≤", ">=", "<=", "不低于", "不高于", "不超过"}
_NOTE_START = ("注", "说明", "备注", "填表", "制表", "审核", "负责人", "填报", "附")
_UNIT_TEXT = re.compile(r"[（(]([^（）()]*)[)）]")
_BOUND_WORDS = ("下限", "上限", "最低", "最高", "不低于", "不高于", "不超过", "≥", "≤", ">=", "<=")


@dataclass(frozen=True)
class SheetTable:
    """The table found: its sheet, header (as Excel numbers rows: the last header row), the
    header texts, the columns by position, and the data rows (row number, cells)."""

    sheet: str
    header_row: int
    headers: list[str]  # as the clerk wrote them (messages name them so)
    columns: dict[int, StandardColumn]
    rows: list[tuple[int, list[Cell]]]


def normalised(cell: Cell) -> Cell:
    """A text cell with 全角 digits, letters and brackets made plain (NFKC), spaces trimmed."""
    if isinstance(cell, str):
        return unicodedata.normalize("NFKC", cell).strip()
    return cell


def _filled(sheet: Sheet) -> list[list[Cell]]:
    """Rows with merged blocks filled with their top-left value (a 县区 merged down the rows,
    a 容积率 merged across its 下限 and 上限)."""
    rows = [list(r) for r in sheet.rows]
    for block in sheet.merged:
        if block.first_row >= len(rows):
            continue
        top = rows[block.first_row]
        value = top[block.first_col] if block.first_col < len(top) else None
        for r in range(block.first_row, min(block.last_row, len(rows) - 1) + 1):
            for c in range(block.first_col, block.last_col + 1):
                if c < len(rows[r]):
                    rows[r][c] = value
    return rows


def _texts(row: list[Cell]) -> list[str]:
    return [cell_text(normalised(c)) for c in row]


def _score(headers: list[str]) -> int:
    columns, problems = map_headers(headers)
    if problems or not any(c.indicator is not None for c in columns.values()):
        return 0
    return len(columns)


def _two_rows(top: list[str], below: list[str]) -> list[str] | None:
    """Headers written over two rows (容积率 above 下限 | 上限): joined, when the lower row holds
    only bound words (else it is data)."""
    words = [t for t in below if t]
    if not words or any(re.sub(r"\s+", "", t) not in _BOUND_ONLY for t in words):
        return None
    width = max(len(top), len(below))
    top = top + [""] * (width - len(top))
    below = below + [""] * (width - len(below))
    return [t + b if b and not t.endswith(b) else t for t, b in zip(top, below, strict=True)]


def find_table(sheets: list[Sheet], name: str | None, header_row: int | None, file: str) -> SheetTable:
    """The table of the named sheet (else the first sheet holding one), its header at
    ``header_row`` when given (as Excel numbers rows). Raises :class:`SpreadsheetError`."""
    if name is not None:
        candidates = [s for s in sheets if s.name.strip() == name.strip()]
        if not candidates:
            names = "、".join(s.name for s in sheets)
            raise SpreadsheetError(f"“{file}”中没有名为“{name}”的工作表（有：{names}）")
    else:
        candidates = [s for s in sheets if not s.is_empty()]
    for sheet in candidates:
        rows = _filled(sheet)
        if header_row is not None:
            if not 1 <= header_row <= len(rows):
                raise SpreadsheetError(
                    f"表头行 {header_row} 超出工作表“{sheet.name}”的范围（共 {len(rows)} 行）"
                )
            spots = [header_row - 1]
        else:
            spots = list(range(min(HEADER_SEARCH_ROWS, len(rows))))
        best: tuple[int, int, list[str], list[str]] | None = None
        for index in spots:
            headers, shown = _texts(rows[index]), [cell_text(c) for c in rows[index]]
            last = index
            if index + 1 < len(rows):
                joined = _two_rows(headers, _texts(rows[index + 1]))
                if joined is not None:
                    headers, last = joined, index + 1
                    shown = _two_rows(shown, [cell_text(c) for c in rows[index + 1]]) or joined
            score = _score(headers)
            if score and (best is None or score > best[0]):
                best = (score, last, headers, shown)
        if best is None:
            if header_row is not None:
                _columns, problems = map_headers(_texts(rows[header_row - 1]))
                raise SpreadsheetError(
                    f"工作表“{sheet.name}”第 {header_row} 行不是标准地指标表的表头："
                    + "；".join(problems or ["没有可识别的指标列"])
                )
            continue
        last, headers, shown = best[1], best[2], best[3]
        columns, _problems = map_headers(headers)
        data = [(i + 1, [normalised(c) for c in rows[i]]) for i in range(last + 1, len(rows))]
        return SheetTable(sheet.name, last + 1, shown, columns, data)
    where = f"工作表“{name}”" if name else f"“{file}”"
    raise SpreadsheetError(
        f"{where}中找不到标准地指标表的表头：需要“县区”列和至少一个指标列"
        "（如“固定资产投资强度(万元/亩)”“容积率下限”“亩均税收(万元/亩)”）"
    )


def unit_problem(header: str, column: StandardColumn) -> str | None:
    """A header whose unit is not the indicator's (“投资强度(万元/公顷)”): its figures would be
    read wrong, so the column is refused, naming both units."""
    indicator = column.indicator
    if indicator is None:
        return None
    for found in _UNIT_TEXT.findall(unicodedata.normalize("NFKC", header)):
        text = re.sub(r"\s+", "", found)
        for word in _BOUND_WORDS:
            text = text.replace(word, "")
        text = text.strip(",，、")
        if text in ("", indicator.unit):
            continue
        expected = indicator.unit or "无单位"
        return f"单位“{found}”与本程序使用的“{expected}”不同，请换算为{expected}后再导入"
    return None


def is_note_row(cells: list[Cell]) -> bool:
    """A note or totals row under the table (注：…, 填表人：…, 合计)."""
    texts = [cell_text(c) for c in cells if cell_text(c)]
    if not texts:
        return True
    first = texts[0]
    return first.startswith(_NOTE_START) or first in ("合计", "小计", "总计")

