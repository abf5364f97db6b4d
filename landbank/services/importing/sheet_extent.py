"""How large each sheet of a workbook really is, found before python-calamine reads it.

calamine allocates a sheet's whole bounding box — from A1 to the farthest non-empty cell —
in one block, and a failed allocation is a Rust abort: no Python exception, the process is
gone (tafia/calamine#693). A 5 KB .xlsx holding only A1 and XFD1048576 asks for 512 GiB. So
:func:`check_workbook` reads each sheet's true extent cheaply, the way calamine will see it,
and raises :class:`SpreadsheetError` (the clerk's reason, in Chinese) when a sheet, or all of
them together, would hold more than ``max_cells`` cells, or be wider than ``max_columns``.

Per format (all streamed: memory stays small whatever the file claims):

- .xlsx/.xlsm (:mod:`~landbank.services.importing.sheet_extent_xlsx`): the worksheet parts
  calamine would open, scanned over decompressed pieces — a fast regex path, and a tokenizer
  following calamine's own counting for sheets in an unusual form; merged ranges and
  ``sharedStrings.xml``'s ``uniqueCount`` too.
- .ods (:mod:`~landbank.services.importing.sheet_extent_ods`): ``content.xml`` row by row,
  repeated rows and cells counted as calamine expands them (trailing empty ones cost nothing).
- .xls (:mod:`~landbank.services.importing.sheet_extent_xls`): the OLE2 container's sector
  chains checked and the Workbook stream taken out; then the BIFF cell records per sheet, and
  each sheet's DIMENSIONS record, which calamine reserves up front.
- .xlsb: refused. No menu offers it, and calamine trusts several counts in it (a 32-bit column
  in every cell record among them); re-saving as .xlsx costs the clerk one step.

Nothing here replaces the checks in :mod:`landbank.services.importing.spreadsheet`: a workbook that
passes is read by calamine as before.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Final

from landbank.services.importing.sheet_extent_common import (
    _ZIP_ERRORS,
    SheetExtent,
    _about,
    column_letters,
)
from landbank.services.importing.sheet_extent_ods import _ods_extents
from landbank.services.importing.sheet_extent_xls import _xls_extents
from landbank.services.importing.sheet_extent_xlsx import _xlsx_extents
from landbank.services.importing.spreadsheet import SpreadsheetError

__all__ = ["MAX_SHEETS", "SheetExtent", "check_workbook", "column_letters"]

_ZIP_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Ledgers have a few sheets; calamine and landbank read every one of them.
MAX_SHEETS: Final = 1_000


# ---------------------------------------------------------------- the check


def check_workbook(path: Path, *, max_cells: int, max_columns: int) -> list[SheetExtent]:
    """Refuse (:class:`SpreadsheetError`) a workbook calamine could not read safely; return
    the extents found. Files in no format checked here are left to calamine's own errors."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP_MAGIC):
        extents = _zip_extents(path)
    elif head.startswith(_OLE_MAGIC):
        extents = _xls_extents(path)
    else:
        return []
    _judge(path.name, extents, max_cells=max_cells, max_columns=max_columns)
    return extents


def _judge(name: str, extents: list[SheetExtent], *, max_cells: int, max_columns: int) -> None:
    advice = "可能是文件中远处有零星单元格：请在 Excel 中删除多余的行列后另存。"
    if len(extents) > MAX_SHEETS:
        raise SpreadsheetError(
            f"文件“{name}”的工作表过多（{len(extents):,} 个，最多 {MAX_SHEETS:,} 个），拒绝读取"
        )
    for sheet in extents:
        where = f"文件“{name}”的工作表“{sheet.name}”"
        extent = f"{_range_ref(sheet.rows, sheet.cols)}，{_about(sheet.cells)}个单元格"
        if sheet.cols > max_columns:
            raise SpreadsheetError(
                f"{where}范围过大：{extent}，共 {sheet.cols:,} 列（最多 {max_columns:,} 列），"
                f"拒绝读取。{advice}"
            )
        if sheet.cells > max_cells:
            raise SpreadsheetError(
                f"{where}范围过大：{extent}（单元格过多，最多 {_about(max_cells, exact=True)}个），"
                f"拒绝读取。{advice}"
            )
        if sheet.merged_cells > max_cells:
            raise SpreadsheetError(
                f"{where}的合并单元格过多（合计{_about(sheet.merged_cells)}个单元格），拒绝读取。"
                "请在 Excel 中取消多余的合并后另存。"
            )
        if sheet.records > max_cells:
            raise SpreadsheetError(
                f"{where}的单元格过多（{_about(sheet.records)}个单元格记录，"
                f"最多 {_about(max_cells, exact=True)}个），拒绝读取"
            )
    total = sum(sheet.cells for sheet in extents)
    if total > max_cells:
        parts = "、".join(f"“{s.name}”{_range_ref(s.rows, s.cols)}" for s in extents if s.cells)
        raise SpreadsheetError(
            f"文件“{name}”的单元格过多：各工作表合计{_about(total)}个单元格（{parts}；"
            f"最多 {_about(max_cells, exact=True)}个），拒绝读取。{advice}"
        )


def _range_ref(rows: int, cols: int) -> str:
    if rows <= 0 or cols <= 0:
        return "空"
    return f"A1:{column_letters(cols - 1)}{rows}"


# ---------------------------------------------------------------- zip: xlsx, ods, xlsb


def _zip_extents(path: Path) -> list[SheetExtent]:
    what = f"文件“{path.name}”"
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None
    with archive:
        members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in archive.infolist():
            members.setdefault(info.filename.replace("\\", "/").lower(), []).append(info)
        if any(name.endswith("workbook.bin") for name in members):
            raise SpreadsheetError(
                f"{what}是 Excel 二进制工作簿（.xlsb），不支持导入。"
                "请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。"
            )
        extents: list[SheetExtent] = []
        if "content.xml" in members:
            for info in members["content.xml"]:
                extents.extend(_ods_extents(archive, info, what))
        if any(name.endswith("workbook.xml") for name in members):
            extents.extend(_xlsx_extents(archive, members, what))
        return extents
