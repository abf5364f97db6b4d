"""The layout every ledger workbook shares — the export (:mod:`landbank.services.exporting.ledger`),
the blank template (:mod:`landbank.services.exporting.template`) and the matching export: the
title, header and first data rows, the number format of a field's cells, column widths (a CJK
character counting double), the header style, each kind's sheet name and the print setup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.domain.units import UNIT_DECIMALS, Quantity
from landbank.services.records.listing import display_width

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3
MIN_WIDTH = 6
MAX_WIDTH = 40
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
WHOLE_FORMAT = "#,##0"

SHEET_NAMES: dict[RecordKind, str] = {
    RecordKind.PARCEL: "收储地块",
    RecordKind.FACTORY: "标准厂房",
    RecordKind.PROJECT: "招商项目",
    RecordKind.QUOTA: "年度目标",
    RecordKind.REGION: "县区",
    RecordKind.PARK: "园区",
}


def number_format(spec: FieldSpec) -> str | None:
    """The Excel number format of a field's cells, ``None`` for text."""
    if spec.type is FieldType.DATE:
        return DATE_FORMAT
    if spec.type is FieldType.INT:
        return "0"
    if spec.type is FieldType.FLOAT:
        decimals = UNIT_DECIMALS.get(spec.unit)  # the unit's one format (format_quantity)
        if decimals is not None:
            return WHOLE_FORMAT if decimals == 0 else AMOUNT_FORMAT
        if spec.quantity is not Quantity.PLAIN or "万元" in spec.unit:
            return AMOUNT_FORMAT
        if spec.key.startswith("far_"):
            return "0.00"
        return "General"
    return None


def column_width(texts: Sequence[str]) -> float:
    """Width in Excel character units: the widest text (CJK counting double), bounded."""
    widest = max((display_width(line) for t in texts for line in t.splitlines() or [""]), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


def style_header(cell: Any, *, required: bool = False) -> None:
    """Bold, shaded, bordered, wrapped and centred; a required column's header in red."""
    side = Side(style="thin", color="808080")
    cell.font = Font(bold=True, color="C00000" if required else None)
    cell.fill = PatternFill("solid", fgColor="DDEBF7")
    cell.border = Border(left=side, right=side, top=side, bottom=side)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def header_cells(ws: WriteOnlyWorksheet, headers: Sequence[str]) -> list[Cell]:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, text)
        cell.data_type = "s"
        style_header(cell)
        cells.append(cell)
    return cells


def print_setup(ws: Any, *, title: str) -> None:
    """A4 landscape, fit to the page width, title and header rows on every page, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = title[:60].replace("&", "&&")
