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

The pieces: the layout shared with the template (rows, formats, widths, header style, print
setup) is :mod:`landbank.services.exporting.sheet_layout`, the title
:mod:`landbank.services.exporting.titles`, the rows' XML :mod:`landbank.services.exporting.sheet_rows`;
this module writes the file.

Speed: rows are read page by page from one sorted query (:func:`iter_pages`: the database sorts
once; never the whole ledger in memory) and
written as sheet XML directly, because openpyxl's per-cell objects take ~15 s for 100,000 rows.
openpyxl still writes everything else (styles, print setup, defined names); the rows are spliced
into its worksheet. The file is written next to the target and renamed when complete, so a
failed or cancelled export never leaves half a file (nor destroys an existing one).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, FieldSpec, field_map
from landbank.services.backup.leftovers import written_when_complete
from landbank.services.exporting.sheet_layout import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    SHEET_NAMES,
    TITLE_ROW,
    column_width,
    header_cells,
    print_setup,
)
from landbank.services.exporting.sheet_rows import ILLEGAL_XML, RowEncoder
from landbank.services.exporting.titles import list_title
from landbank.store.queries import RecordFilter, SortOrder, iter_pages, load_names, summarise

PAGE_SIZE = 5000
INDEX_COLUMN = "A"
INDEX_HEADER = "序号"

# Progress: called with (rows written, rows in all); returning False cancels the export.
ProgressCallback = Callable[[int, int], bool | None]

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
    title = ILLEGAL_XML.sub("", title)
    pages = iter_pages(session, kind, flt, sort, page_size=page_size)
    first_page = next(pages, [])
    headers = [INDEX_HEADER] + [spec.header for spec in specs]
    encoder = RowEncoder(specs, names, summary.sums)
    skeleton = _skeleton(kind, headers, title, first_page, total, encoder)
    expected_last = HEADER_ROW + max(total, 1)
    try:
        with (
            written_when_complete(target, ".xlsx") as temp,  # tidied if killed midway
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
                    pages,
                    first_page,
                    encoder,
                    total,
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
    finally:
        pages.close()  # its cursor now, not when the engine is gone (“Error closing cursor”)
    return ExportResult(target, written, tuple(headers), title)


def one_snapshot(session: Session) -> None:
    """Count, names and every page from one snapshot, so the title's count, the autofilter
    range and the rows agree while other clerks save. SQLite's read transaction is one
    already; PostgreSQL's default READ COMMITTED is not, so ask for REPEATABLE READ (only
    possible before the session's transaction has begun)."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _skeleton(
    kind: RecordKind,
    headers: Sequence[str],
    title: str,
    sample: Sequence[Mapping[str, Any]],
    total: int,
    encoder: RowEncoder,
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
    pages: Generator[list[dict[str, Any]], None, None],
    first_page: list[dict[str, Any]],
    encoder: RowEncoder,
    total: int,
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
        page = next(pages, [])
    if written:
        out.write(encoder.totals(row_number).encode("utf-8"))
    actual_last = HEADER_ROW + max(written, 1)
    if actual_last != expected_last:  # records were added or removed while exporting
        last_column = encoder.letters[-1]
        tail = tail.replace(f':{last_column}{expected_last}"', f':{last_column}{actual_last}"')
    out.write((end + tail).encode("utf-8"))
    return written
