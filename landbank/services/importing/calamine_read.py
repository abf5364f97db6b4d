"""Excel and OpenDocument files (.xlsx/.xlsm/.xls/.ods) read with python-calamine, once
:mod:`landbank.services.importing.spreadsheet` has checked the file itself: each sheet's extent
is checked first (:mod:`landbank.services.importing.sheet_extent`: calamine aborts the process
on a failed allocation), large sheets are read in parts on all cores
(:mod:`landbank.services.importing.sheet_split`), calamine's empty cells become ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import cast

from landbank.services.importing import spreadsheet
from landbank.services.importing.sheet_split import PreparedParts
from landbank.services.importing.spreadsheet import (
    Cell,
    MergedRange,
    Sheet,
    SpreadsheetError,
    Workbook,
)


def check_calamine(path: Path) -> Callable[[], Workbook]:
    """Make sure calamine can read ``path`` in bounded memory (calamine aborts the process on
    a failed allocation) and return the function that reads it."""
    from landbank.services.importing.sheet_extent import check_workbook

    prepared = PreparedParts.start(path)  # large sheets cut meanwhile (no cell read)
    try:
        extents = check_workbook(
            path, max_cells=spreadsheet.MAX_CELLS, max_columns=spreadsheet.MAX_COLUMNS
        )
    except BaseException:
        if prepared is not None:
            prepared.close()
        raise
    names = [extent.name for extent in extents]
    plain = {e.name: e.plain_part for e in extents if e.plain_part and names.count(e.name) == 1}
    return partial(read_calamine, path, plain, prepared)


def read_calamine(
    path: Path, plain_parts: Mapping[str, str] | None = None, prepared: PreparedParts | None = None
) -> Workbook:
    """Read ``path`` with calamine (checked first by :func:`check_calamine`). A large sheet
    named in ``plain_parts`` (sheet → its worksheet part, in the plain form) and cut by
    ``prepared`` is read in parts at once (:mod:`landbank.services.importing.sheet_split`)."""
    from python_calamine import CalamineWorkbook

    from landbank.services.importing.sheet_split import read_prepared_sheet

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets: list[Sheet] = []
        cells = 0
        for index, sheet_name in enumerate(book.sheet_names):
            part = (plain_parts or {}).get(sheet_name)
            read = read_prepared_sheet(prepared, part, index) if part else None
            whole = book.get_sheet_by_index(index) if read is None else None
            rows, raw = read if read is not None else ([], whole)
            cells += len(rows) * len(rows[0] if rows else ()) if whole is None else whole.height * whole.width
            if cells > spreadsheet.MAX_CELLS:
                raise SpreadsheetError(
                    f"文件“{path.name}”的单元格过多（超过 {spreadsheet.MAX_CELLS:,} 个），拒绝读取"
                )
            if whole is not None:
                rows = cast(list[list[Cell]], whole.to_python(skip_empty_area=False))
            for row in rows:  # calamine's empty cell is "": None, as everywhere else
                while "" in row:
                    row[row.index("")] = None
            sheets.append(Sheet(sheet_name, rows, _merged(raw)))
    except SpreadsheetError:
        raise
    except Exception as exc:  # calamine raises its own errors, ValueError, or panics
        reason = "文件有密码保护" if type(exc).__name__ == "PasswordError" else "文件已损坏或格式不受支持"
        raise SpreadsheetError(f"无法读取“{path.name}”：{reason}") from None
    except BaseException as exc:
        # A Rust panic reaches Python as pyo3's PanicException, a BaseException: a corrupt
        # file, not a reason to end the program.
        if type(exc).__name__ != "PanicException":
            raise
        raise SpreadsheetError(f"无法读取“{path.name}”：文件已损坏或格式不受支持") from None
    finally:
        if prepared is not None:
            prepared.close()
    return Workbook(path, sheets)


def _merged(raw: object) -> list[MergedRange]:
    ranges = getattr(raw, "merged_cell_ranges", None)
    result: list[MergedRange] = []
    for item in ranges or ():
        try:
            (r1, c1), (r2, c2) = item
            result.append(MergedRange(int(r1), int(c1), int(r2), int(c2)))
        except (TypeError, ValueError):
            continue
    return result
