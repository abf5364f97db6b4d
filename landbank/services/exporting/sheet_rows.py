"""The sheet XML of the exported rows, written directly because openpyxl's per-cell objects
take ~15 s for 100,000 rows: one record (its 序号 first) with text as inline strings — never a
formula, and quote-prefixed when Excel would read one (by
:func:`landbank.domain.spreadsheet_text.reads_as_formula`, the clipboard's rule too) — numbers
and dates as numbers in their field's format, references by name, 是/否; and the 合计 row below
the last record."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from landbank.domain.fields import REFERENCE_TYPES, FieldSpec, FieldType
from landbank.domain.spreadsheet_text import reads_as_formula
from landbank.services.exporting.sheet_layout import HEADER_ROW, number_format
from landbank.store.queries import Names

EXCEL_EPOCH = date(1899, 12, 30)
TOTAL_LABEL = "合计"
# Characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF): dropped from every text.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text as sheet XML; a carriage return as a reference, which a reader keeps (a bare one
    it would read as a line feed)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ILLEGAL_XML.sub("", text).replace("\r", "&#13;")


class RowEncoder:
    """Sheet XML of one record (its 序号 first): text as inline strings, numbers and dates as
    numbers; and of the 合计 row."""

    def __init__(self, specs: Sequence[FieldSpec], names: Names, sums: Mapping[str, float]) -> None:
        self.specs = list(specs)
        self.names = names
        # Column A is the 序号; the fields follow.
        self.letters = [get_column_letter(i) for i in range(1, len(specs) + 2)]
        self.styles: dict[str, int] = {}
        self.formats = [number_format(spec) for spec in self.specs]
        # The totals of the exported quantity columns (a field summed but not exported has none).
        self.sums = {s.key: float(sums[s.key]) for s in self.specs if s.summed and s.key in sums}

    def register_styles(self, ws: WriteOnlyWorksheet) -> None:
        """Add the data cell styles to the workbook and remember their ids."""
        formats = {number_format(spec) for spec in self.specs} - {None}
        for fmt in sorted(f for f in formats if f is not None):
            cell = WriteOnlyCell(ws)
            cell.number_format = fmt
            self.styles[fmt] = cell.style_id
        quoted = WriteOnlyCell(ws)
        quoted.quotePrefix = True
        self.styles["quote"] = quoted.style_id
        index = WriteOnlyCell(ws)
        index.alignment = Alignment(horizontal="center")
        self.styles["index"] = index.style_id
        rule = Side(style="thin", color="808080")
        label = WriteOnlyCell(ws)
        label.font = Font(bold=True)
        label.alignment = Alignment(horizontal="center")
        label.border = Border(top=rule, bottom=rule)
        self.styles["total"] = label.style_id
        for spec in self.specs:
            shown = number_format(spec)
            if spec.key in self.sums and f"total {shown}" not in self.styles:
                total = WriteOnlyCell(ws)
                total.font = Font(bold=True)
                total.border = Border(top=rule, bottom=rule)
                total.number_format = shown or "General"
                self.styles[f"total {shown}"] = total.style_id

    def totals(self, number: int) -> str:
        """The 合计 row at ``number``: the label under 序号, each sum under its column."""
        total_style = self.styles["total"]
        cells = [
            f'<row r="{number}">',
            f'<c r="A{number}" s="{total_style}" t="inlineStr"><is><t>{TOTAL_LABEL}</t></is></c>',
        ]
        for spec, letter in zip(self.specs, self.letters[1:], strict=True):
            ref = f"{letter}{number}"
            value = self.sums.get(spec.key)
            if value is None or not math.isfinite(value):
                cells.append(f'<c r="{ref}" s="{total_style}"/>')  # the rule runs on
                continue
            style = self.styles[f"total {number_format(spec)}"]
            cells.append(f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>')
        cells.append("</row>")
        return "".join(cells)

    def text(self, spec: FieldSpec, value: Any) -> str:
        """A value as the cell will show it (for column widths)."""
        if value is None:
            return ""
        if spec.type in REFERENCE_TYPES:
            return self.names.label(spec.type, value)
        if spec.type is FieldType.BOOL:
            return "是" if value else "否"
        if isinstance(value, float):
            return f"{value:,.2f}"
        if isinstance(value, date | datetime):
            return "2026-01-01"
        return str(value)

    def row(self, number: int, values: Mapping[str, Any]) -> str:
        styles = self.styles
        cells = [
            f'<row r="{number}"><c r="A{number}" s="{styles["index"]}">'
            f"<v>{number - HEADER_ROW}</v></c>"
        ]
        append = cells.append
        names = self.names
        letters = self.letters[1:]
        for spec, letter, fmt in zip(self.specs, letters, self.formats, strict=True):
            value = values.get(spec.key)
            if value is None or value == "":
                continue
            ref = f"{letter}{number}"
            if spec.type in REFERENCE_TYPES:
                value = names.label(spec.type, value)
            elif spec.type is FieldType.BOOL:
                value = "是" if value else "否"
            if isinstance(value, str):
                # Judged as Excel reads the cell: without the control characters dropped.
                guarded = reads_as_formula(ILLEGAL_XML.sub("", value))
                quote = f' s="{styles["quote"]}"' if guarded else ""
                append(
                    f'<c r="{ref}"{quote} t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(value)}</t></is></c>"
                )
                continue
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                serial: float | int = (value - EXCEL_EPOCH).days
            elif isinstance(value, bool | int):
                serial = int(value)
            elif isinstance(value, float) and math.isfinite(value):
                serial = value
            else:
                append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
                continue
            style = f' s="{styles[fmt]}"' if fmt is not None else ""
            append(f'<c r="{ref}"{style}><v>{serial!r}</v></c>')
        append("</row>")
        return "".join(cells)
