"""Where the records are in a sheet: the header row (found, or chosen by the clerk) and the
data rows below it — blank rows, totals rows (合计/小计) and notes (注：…, 填表人：…) passed
over, blocks merged down the data (a 县区 over several rows) filled in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from landbank.domain.enums import RecordKind
from landbank.domain.ledger_words import is_blank
from landbank.services.importing.columns import (
    ColumnMap,
    find_header_row,
    header_texts,
    normal_header,
    two_row_header,
)
from landbank.services.importing.spreadsheet import Cell, Sheet, SpreadsheetError

_TOTAL_WORDS = ("合计", "小计", "总计", "累计")
_NOTE_WORDS = ("注", "说明", "备注", "填表", "制表", "审核", "负责人", "填报", "附")


class NoHeaderError(SpreadsheetError):
    """A sheet holding no header of the ledger asked for; ``sheet`` names it when one sheet
    was looked at."""

    def __init__(self, message: str, sheet: str | None = None) -> None:
        super().__init__(message)
        self.sheet = sheet


class DataRow(NamedTuple):
    """A data row: (number, cells), as the import report keeps it too."""

    number: int  # the row number Excel shows
    cells: list[Cell]


@dataclass
class HeaderSpot:
    sheet: Sheet
    first: int  # 0-based row where the header starts
    last: int  # 0-based last header row (first + 1 for a header written over two rows)
    headers: list[str]  # one text per column ("容积率下限" for 下限 under 容积率)


def locate_header(
    sheets: list[Sheet], name: str | None, header_row: int | None, kind: RecordKind, file: str
) -> HeaderSpot:
    """Where the header is: at ``header_row`` (as Excel numbers rows) when given, else on the
    first sheet (the named one) where :func:`find_header_row` finds one; a second header row
    below it (parts under a merged group label) is joined in."""
    sheet, index = _header_row(sheets, name, header_row, kind, file)
    top = sheet.rows[index]
    if index + 1 < len(sheet.rows):
        spans = [
            (m.first_col, m.last_col)
            for m in sheet.merged
            if m.first_row <= index <= m.last_row and m.last_col > m.first_col
        ]
        combined = two_row_header(kind, top, sheet.rows[index + 1], spans)
        if combined is not None:
            return HeaderSpot(sheet, index, index + 1, combined)
    return HeaderSpot(sheet, index, index, header_texts(top))


def _header_row(
    sheets: list[Sheet], name: str | None, header_row: int | None, kind: RecordKind, file: str
) -> tuple[Sheet, int]:
    if name is not None:
        candidates = [s for s in sheets if s.name == name or s.name.strip() == name.strip()]
        if not candidates:
            names = "、".join(s.name for s in sheets)
            raise SpreadsheetError(f"“{file}”中没有名为“{name}”的工作表（有：{names}）")
    else:
        candidates = [s for s in sheets if not s.is_empty()]
    if header_row is not None:
        sheet = candidates[0]
        if not 1 <= header_row <= len(sheet.rows):
            raise SpreadsheetError(
                f"表头行 {header_row} 超出工作表“{sheet.name}”的范围（共 {len(sheet.rows)} 行）"
            )
        return sheet, header_row - 1
    for sheet in candidates:
        index = find_header_row(kind, sheet.rows)
        if index is not None:
            return sheet, index
    where = f"工作表“{name}”" if name else f"“{file}”"
    raise NoHeaderError(
        f"{where}中找不到{kind.label}台账的表头（如“地块编号”“县区”“收储面积(亩)”）。"
        "请确认选择了正确的记录类型，或指定工作表和表头行。",
        candidates[0].name if name is not None and candidates else None,
    )


def _fill_merged(sheet: Sheet, first_row: int) -> list[list[Cell]]:
    """Rows with blocks merged down the data (a 县区 merged over several rows) filled in.
    Blocks merged across one row only (a note or a 合计 spanning columns) stay one cell."""
    rows = [list(r) for r in sheet.rows]
    for block in sheet.merged:
        if block.first_row < first_row or block.last_row == block.first_row:
            continue
        top = rows[block.first_row]
        value = top[block.first_col] if block.first_col < len(top) else None
        for r in range(block.first_row, min(block.last_row, len(rows) - 1) + 1):
            for c in range(block.first_col, block.last_col + 1):
                if c < len(rows[r]) and (r, c) != (block.first_row, block.first_col):
                    rows[r][c] = value
    return rows


def data_rows(sheet: Sheet, header_index: int, columns: ColumnMap) -> list[DataRow]:
    """The rows below the header (``header_index``: its last row) that hold records: blank
    rows, totals rows (合计/小计) and notes (注：…, 填表人：…) are passed over."""
    mapped = {c.index for c in columns.columns if c.key is not None}
    rows = _fill_merged(sheet, header_index + 1) if sheet.merged else sheet.rows
    result: list[DataRow] = []
    # Ledgers repeat their texts: each (not ASCII) is judged once — blank, the start of a
    # totals row (合计/小计…: never ASCII, even after NFKC), or filled.
    judged: dict[str, int] = {}
    for index in range(header_index + 1, len(rows)):
        cells = rows[index]
        # The first three filled cells decide (a row of one filled cell may be a note).
        filled = 0
        first = -1
        totals = False
        for i, c in enumerate(cells):
            if c is None:
                continue
            if isinstance(c, str):
                if c.isascii():  # codes and numbers as text: quick, and unique (no cache)
                    if is_blank(c):
                        continue
                else:
                    state = judged.get(c)
                    if state is None:
                        state = judged[c] = _judge(c)
                    if state == _BLANK:
                        continue
                    if state == _TOTALS:
                        totals = True
                        break
            filled += 1
            if filled == 1:
                first = i
            elif filled == 3:
                break
        if totals or not filled:
            continue
        if filled == 1:
            only = cells[first]
            if first not in mapped or (isinstance(only, str) and normal_header(only).startswith(_NOTE_WORDS)):
                continue
        result.append(DataRow(index + 1, cells))
    return result


_BLANK, _TOTALS, _FILLED = 0, 1, 2


def _judge(text: str) -> int:
    if is_blank(text):
        return _BLANK
    return _TOTALS if normal_header(text).startswith(_TOTAL_WORDS) else _FILLED
