"""The 标准地 table as an Excel workbook (the dialog's 导出…): the ledger exports' layout
(title, styled header, widths, A4 print setup), the headers the import reads back
(“固定资产投资强度≥(万元/亩)”, “容积率下限” …), blank cells where a row sets nothing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from landbank.services.exporting.sheet_layout import (
    AMOUNT_FORMAT,
    HEADER_ROW,
    column_width,
    print_setup,
    style_header,
)
from landbank.services.standards.rows import BOUND_COLUMNS, StandardEntry, bound_header

PLACE_HEADERS = ("县区", "园区", "产业")


def export_headers() -> list[str]:
    return [*PLACE_HEADERS, *(bound_header(i, b) for i, b in BOUND_COLUMNS), "备注"]


def export_standards(entries: Sequence[StandardEntry], path: str | os.PathLike[str], *, title: str) -> Path:
    """Write ``entries`` to ``path`` (.xlsx), through a temporary file renamed at the end (a
    failed write leaves no half file). Returns the path written."""
    target = Path(path)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "标准地指标"
    headers = export_headers()
    sheet.cell(row=1, column=1, value=title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.row_dimensions[1].height = 28
    for column, text in enumerate(headers, start=1):
        style_header(sheet.cell(row=HEADER_ROW, column=column, value=text))
    widths = [[h] for h in headers]
    for number, entry in enumerate(entries, start=HEADER_ROW + 1):
        values: list[str | float | None] = [entry.region, entry.park or "", entry.industry or ""]
        values += [entry.figure(i, b) for i, b in BOUND_COLUMNS]
        values.append(entry.notes or "")
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, float):
                cell.number_format = AMOUNT_FORMAT
            widths[column - 1].append("" if value is None else str(value))
    for column, texts in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(column_width(texts), 18)
    sheet.freeze_panes = f"D{HEADER_ROW + 1}"
    print_setup(sheet, title=title)
    handle, temporary = tempfile.mkstemp(prefix=".标准地指标-", suffix=".xlsx.part", dir=target.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
