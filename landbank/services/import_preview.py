"""What an import would read, before anything is written: the sheet, the header row, the
column mapping and the data rows. The import runs on it; an import wizard shows it (sheet and
header row can be changed, every column re-mapped, and the confirmed mapping remembered with
:func:`landbank.services.columns.remember_mapping`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from landbank.domain.enums import RecordKind
from landbank.services import landchina
from landbank.services.columns import (
    ColumnMap,
    map_columns,
    remembered_mapping,
)
from landbank.services.sheet_layout import DataRow, data_rows, locate_header
from landbank.services.spreadsheet import Cell, SpreadsheetError, read_workbook

IMPORT_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT)


@dataclass
class ImportPreview:
    kind: RecordKind
    path: Path
    sheet_names: list[str]
    sheet: str
    header_row: int  # where the header starts, as Excel numbers rows
    header: list[Cell]  # the headers, for the report file
    headers: list[str]  # one text per column (two header rows joined: "容积率下限")
    columns: ColumnMap
    layout: landchina.LandchinaLayout | None  # a 中国土地市场网 export
    remembered: bool  # the mapping confirmed earlier for these headers was applied
    rows: list[DataRow]

    @property
    def profile(self) -> str:
        return "中国土地市场网供地结果" if self.layout is not None else ""


def preview_import(
    kind: RecordKind,
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: Sequence[str | None] | None = None,
) -> ImportPreview:
    """Read ``path`` and decide sheet, header row and columns. ``mapping`` (a field key or
    ``None`` per column) overrides the automatic and the remembered mapping. Raises
    :class:`SpreadsheetError` when the file cannot be read or holds no such ledger."""
    if kind not in IMPORT_KINDS:
        raise ValueError(f"cannot import {kind}")
    path = Path(path)
    book = read_workbook(path)
    spot = locate_header(book.sheets, sheet, header_row, kind, path.name)
    chosen, header_index, headers = spot.sheet, spot.first, spot.headers
    layout = landchina.detect(headers) if kind is RecordKind.PARCEL else None
    remembered = remembered_mapping(kind, headers) if mapping is None else None
    columns = map_columns(kind, headers, mapping if mapping is not None else remembered)
    if not columns.by_key() and layout is None:
        raise SpreadsheetError(
            f"“{path.name}”第 {header_index + 1} 行没有可识别的{kind.label}列（请检查表头或指定表头行）"
        )
    return ImportPreview(
        kind=kind,
        path=path,
        sheet_names=[s.name for s in book.sheets],
        sheet=chosen.name,
        header_row=header_index + 1,
        header=list(headers),
        headers=headers,
        columns=columns,
        layout=layout,
        remembered=remembered is not None,
        rows=data_rows(chosen, spot.last, columns),
    )
