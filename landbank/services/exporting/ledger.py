"""Export a record list to an Excel workbook (.xlsx): what the table shows, ready to print.

Layout (the template of :mod:`landbank.services.exporting.template` is the same, so an export imports
back cleanly): row 1 the title, naming the city and the filter (“新乡市 收储地块台账（辉县市，
供应状态：可供，共 12 条；导出于 2026-11-24）”), row 2 the headers — 序号, then the fields exactly
as :attr:`FieldSpec.header` gives them (“收储面积(亩)”) — data from row 3, numbered 1…n, and
below the last record a 合计 row with the sum of every quantity column (the catalogue's
``summed`` fields: 收储面积, 建筑面积, 总投资…). The sums are plain numbers, read with the count in
one SQL aggregate from the same snapshot as the rows (no formula: a file never opened in Excel
still shows them, and sorting inside the autofilter, which stops above the 合计 row, cannot
move them). The import passes over both: 序号 names no field, and a row starting 合计 is a
totals row.

Headers are bold and frozen with the title, the header row carries an autofilter, columns are
as wide as their contents (a CJK character counting double), numbers keep every digit with a
number format of their unit, as :func:`landbank.domain.units.format_quantity` shows them
(``#,##0.00`` for 亩 and 万元, ``#,##0`` for m²; ``0`` for whole numbers), dates are real Excel
dates shown ``yyyy-mm-dd``, yes/no is 是/否 and regions, parks and projects appear by name.
The print setup is A4 landscape, fit to the page width, with rows 1–2 repeated on every page.

Columns: ``columns`` (field keys, in that order; the GUI passes the table's visible columns),
or every field of the kind in catalogue order — which is what a round trip needs.

Text a user typed is always text: every string is written as an inline string, never as a
formula, so “=HYPERLINK(…)”, “=1+1”, “+cmd”, “-2+3” or “@SUM(…)” stay the characters typed;
such cells also carry Excel's quote prefix, so editing them in Excel keeps them text.

Speed: rows are read page by page with :func:`fetch_page` (never the whole ledger at once) and
written as sheet XML directly, because openpyxl's per-cell objects take ~15 s for 100,000 rows.
openpyxl still writes everything else (styles, print setup, defined names); the rows are spliced
into its worksheet. The file is written next to the target and renamed when complete, so a
failed or cancelled export never leaves half a file (nor destroys an existing one).
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, REFERENCE_TYPES, FieldSpec, FieldType, field_map
from landbank.domain.units import UNIT_DECIMALS, Quantity
from landbank.services.identity import ledger_identity
from landbank.services.records.listing import display_width
from landbank.settings import Settings
from landbank.store.queries import (
    AREA_COLUMN,
    STATUS_COLUMN,
    Names,
    RecordFilter,
    SortOrder,
    fetch_page,
    load_names,
    summarise,
)

PAGE_SIZE = 5000
INDEX_COLUMN = "A"
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3
MIN_WIDTH = 6
MAX_WIDTH = 40
EXCEL_EPOCH = date(1899, 12, 30)
# A value starting with one of these is a formula to Excel (or to a CSV importer).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
WHOLE_FORMAT = "#,##0"
INDEX_HEADER = "序号"
TOTAL_LABEL = "合计"

KIND_TITLES: dict[RecordKind, str] = {
    RecordKind.PARCEL: "收储地块台账",
    RecordKind.FACTORY: "标准厂房台账",
    RecordKind.PROJECT: "招商项目台账",
    RecordKind.QUOTA: "年度目标台账",
    RecordKind.REGION: "县区名录",
    RecordKind.PARK: "园区名录",
}
SHEET_NAMES: dict[RecordKind, str] = {
    RecordKind.PARCEL: "收储地块",
    RecordKind.FACTORY: "标准厂房",
    RecordKind.PROJECT: "招商项目",
    RecordKind.QUOTA: "年度目标",
    RecordKind.REGION: "县区",
    RecordKind.PARK: "园区",
}

# Progress: called with (rows written, rows in all); returning False cancels the export.
ProgressCallback = Callable[[int, int], bool | None]

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_PATH = "xl/worksheets/sheet1.xml"
_WORKBOOK_PATH = "xl/workbook.xml"


class ExportCancelled(Exception):
    """The progress callback asked to stop; no file was written."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int
    headers: tuple[str, ...]
    title: str


# ---------------------------------------------------------------- formats shared with the template


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


# ---------------------------------------------------------------- export


def export_columns(kind: RecordKind, columns: Sequence[str] | None = None) -> list[FieldSpec]:
    """The exported fields: ``columns`` in order, or the whole catalogue of ``kind``."""
    if columns is None:
        return list(FIELDS[kind])
    specs = field_map(kind)
    unknown = [key for key in columns if key not in specs]
    if unknown:
        raise KeyError(", ".join(unknown))
    return [specs[key] for key in columns]


def default_title(
    kind: RecordKind,
    names: Names,
    flt: RecordFilter,
    count: int,
    today: date | None = None,
    *,
    city: str = "",
    action: str = "导出",
) -> str:
    """“新乡市 收储地块台账（辉县市，供应状态：可供，共 12 条；导出于 2026-11-24）”: the
    ``city`` (else the county of a county's own ledger, else 全市), the kind, then what the
    filter keeps, the count and the day of the ``action`` (导出, 打印)."""
    today = today or date.today()
    scope = city
    if not scope and len(names.regions) == 1:  # a county's own ledger
        scope = next(iter(names.regions.values()))
    conditions = describe_filter(kind, names, flt)
    if conditions == [scope]:  # the county's own ledger, filtered to itself
        conditions = []
    conditions.append(f"共 {count:,} 条")
    text = "，".join(conditions) + f"；{action}于 {today.isoformat()}"
    return f"{scope or '全市'} {KIND_TITLES[kind]}（{text}）"


def describe_filter(kind: RecordKind, names: Names, flt: RecordFilter) -> list[str]:
    """What ``flt`` keeps, in words: ["辉县市、红旗区", "供应状态：可供", "搜索“电池”"]."""
    conditions = []
    if flt.region_ids:
        conditions.append("、".join(names.regions.get(r, "?") for r in flt.region_ids))
    if flt.park_ids:
        conditions.append("园区：" + "、".join(names.parks.get(p, "?") for p in flt.park_ids))
    specs = field_map(kind)
    if flt.statuses and kind in STATUS_COLUMN:
        conditions.append(f"{specs[STATUS_COLUMN[kind]].label}：" + "、".join(flt.statuses))
    if flt.industry.strip():
        conditions.append(f"产业：{flt.industry.strip()}")
    if flt.search.strip():
        conditions.append(f"搜索“{' '.join(flt.search.split())}”")
    if (flt.area_min is not None or flt.area_max is not None) and kind in AREA_COLUMN:
        spec = specs[AREA_COLUMN[kind]]
        low, high = flt.area_min, flt.area_max
        if low is not None and high is not None:
            span = f"{low:g}–{high:g}"
        else:
            span = f"≥{low:g}" if low is not None else f"≤{high:g}"
        conditions.append(f"{spec.label} {span} {spec.unit}".strip())
    if flt.year is not None and kind is RecordKind.QUOTA:
        conditions.append(f"{flt.year}年度")
    if flt.ids is not None:
        conditions.append("指标所列记录")
    return conditions


def list_title(
    session: Session,
    kind: RecordKind,
    flt: RecordFilter,
    count: int,
    *,
    names: Names | None = None,
    action: str = "导出",
    today: date | None = None,
) -> str:
    """:func:`default_title` with the ledger's city (:func:`ledger_identity`)."""
    city = ledger_identity(session, Settings()).city  # the clerk's settings play no part
    return default_title(
        kind, names or load_names(session), flt, count, today, city=city, action=action
    )


def export_records(
    session: Session,
    kind: RecordKind,
    path: str | os.PathLike[str],
    *,
    flt: RecordFilter = RecordFilter(),
    sort: SortOrder = SortOrder(),
    columns: Sequence[str] | None = None,
    title: str | None = None,
    progress: ProgressCallback | None = None,
    page_size: int = PAGE_SIZE,
) -> ExportResult:
    """Write the records matching ``flt``, in ``sort`` order, to the workbook ``path``.

    Raises :class:`ExportCancelled` when ``progress`` returns False, :class:`OSError` when the
    file cannot be written, :class:`KeyError` for an unknown column key.
    """
    target = Path(path)
    specs = export_columns(kind, columns)
    if not specs:
        raise KeyError("no columns to export")
    one_snapshot(session)
    names = load_names(session)
    summary = summarise(session, kind, flt)
    total = summary.count
    if title is None:
        title = list_title(session, kind, flt, total, names=names)
    title = _ILLEGAL_XML.sub("", title)
    first_page = fetch_page(session, kind, flt, sort, limit=page_size)
    headers = [INDEX_HEADER] + [spec.header for spec in specs]
    encoder = _RowEncoder(specs, names, summary.sums)
    skeleton = _skeleton(kind, headers, title, first_page, total, encoder)
    expected_last = HEADER_ROW + max(total, 1)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem[:40]}-", suffix=".xlsx.part", dir=target.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    _usual_permissions(temp)
    try:
        with (
            zipfile.ZipFile(skeleton) as source,
            zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as out,
        ):
            # [Content_Types].xml first, as Excel writes it; the workbook (whose defined names
            # hold the filter range) after the rows.
            entries = sorted(source.infolist(), key=lambda i: i.filename != "[Content_Types].xml")
            for info in entries:
                if info.filename not in (_SHEET_PATH, _WORKBOOK_PATH):
                    out.writestr(info, source.read(info.filename))
            with out.open(_SHEET_PATH, "w", force_zip64=True) as sheet:
                written = _write_sheet(
                    sheet,
                    source.read(_SHEET_PATH).decode("utf-8"),
                    session,
                    kind,
                    flt,
                    sort,
                    first_page,
                    encoder,
                    total,
                    page_size,
                    progress,
                    expected_last,
                )
            actual_last = HEADER_ROW + max(written, 1)
            workbook = source.read(_WORKBOOK_PATH)
            if actual_last != expected_last:  # records were added or removed meanwhile
                workbook = workbook.replace(
                    f"${expected_last}<".encode(), f"${actual_last}<".encode()
                )
            out.writestr(source.getinfo(_WORKBOOK_PATH), workbook)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ExportResult(target, written, tuple(headers), title)


def one_snapshot(session: Session) -> None:
    """Count, names and every page from one snapshot, so the title's count, the autofilter
    range and the rows agree while other clerks save. SQLite's read transaction is one
    already; PostgreSQL's default READ COMMITTED is not, so ask for REPEATABLE READ (only
    possible before the session's transaction has begun)."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _usual_permissions(path: Path) -> None:
    """mkstemp makes the file private (0600); an export is an ordinary document."""
    mask = os.umask(0o022)
    os.umask(mask)
    path.chmod(0o666 & ~mask)


def _skeleton(
    kind: RecordKind,
    headers: Sequence[str],
    title: str,
    sample: Sequence[Mapping[str, Any]],
    total: int,
    encoder: _RowEncoder,
) -> io.BytesIO:
    """The workbook without its data rows: title, headers, widths, formats, print setup."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAMES[kind])
    last_column = encoder.letters[-1]
    last_row = HEADER_ROW + max(total, 1)  # the autofilter stops above the 合计 row
    ws.column_dimensions[INDEX_COLUMN].width = column_width([INDEX_HEADER, f"{total}"])
    for spec, letter in zip(encoder.specs, encoder.letters[1:], strict=True):
        texts = [spec.header] + [encoder.text(spec, row.get(spec.key)) for row in sample[:500]]
        if spec.key in encoder.sums:
            texts.append(encoder.text(spec, encoder.sums[spec.key]))
        ws.column_dimensions[letter].width = column_width(texts)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_row}"
    print_setup(ws, title=title)
    ws.row_dimensions[TITLE_ROW].height = 24
    ws.row_dimensions[HEADER_ROW].height = 30
    title_cell = WriteOnlyCell(ws, title)
    title_cell.data_type = "s"
    title_cell.font = Font(bold=True, size=14)
    ws.append([title_cell])
    ws.append(header_cells(ws, headers))
    encoder.register_styles(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def _write_sheet(
    out: IO[bytes],
    xml: str,
    session: Session,
    kind: RecordKind,
    flt: RecordFilter,
    sort: SortOrder,
    first_page: list[dict[str, Any]],
    encoder: _RowEncoder,
    total: int,
    page_size: int,
    progress: ProgressCallback | None,
    expected_last: int,
) -> int:
    head, end, tail = xml.partition("</sheetData>")
    if not end:
        raise RuntimeError("openpyxl wrote no sheetData")
    # The used range, which write-only mode leaves out (readers such as openpyxl's read-only
    # mode use it for max_row): the rows and the 合计 row below them.
    used_last = expected_last + (1 if total else 0)
    dimension = f'<dimension ref="A1:{encoder.letters[-1]}{used_last}"/>'
    head = head.replace("<sheetViews", dimension + "<sheetViews", 1)
    out.write(head.encode("utf-8"))
    written = 0
    row_number = FIRST_DATA_ROW
    page = first_page
    while page:
        chunk = []
        for values in page:
            chunk.append(encoder.row(row_number, values))
            row_number += 1
        out.write("".join(chunk).encode("utf-8"))
        written += len(page)
        if progress is not None and progress(written, max(total, written)) is False:
            raise ExportCancelled
        if len(page) < page_size:
            break
        page = fetch_page(session, kind, flt, sort, offset=written, limit=page_size)
    if written:
        out.write(encoder.totals(row_number).encode("utf-8"))
    actual_last = HEADER_ROW + max(written, 1)
    if actual_last != expected_last:  # records were added or removed while exporting
        last_column = encoder.letters[-1]
        tail = tail.replace(f':{last_column}{expected_last}"', f':{last_column}{actual_last}"')
    out.write((end + tail).encode("utf-8"))
    return written


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL_XML.sub("", text)


class _RowEncoder:
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
                quote = f' s="{styles["quote"]}"' if value.startswith(FORMULA_PREFIXES) else ""
                append(
                    f'<c r="{ref}"{quote} t="inlineStr"><is><t xml:space="preserve">'
                    f"{_escape(value)}</t></is></c>"
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
                append(f'<c r="{ref}" t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>')
                continue
            style = f' s="{styles[fmt]}"' if fmt is not None else ""
            append(f'<c r="{ref}"{style}><v>{serial!r}</v></c>')
        append("</row>")
        return "".join(cells)
