"""Ledger files as clerks really send them, generated for the import tests."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

PARCEL_HEADER = ["序号", "宗地编号", "县（市、区）", "面积（公顷）", "土地状态", "收储日期", "受让人", "备注"]
PARCEL_ROWS = [
    [1, "HX-001", "新乡市辉县市", 2, "净地", "2017/1/3", "甲公司", "=1+1"],
    [2, "HX-002", "辉县市", "１.５", "毛地", "2017年1月", None, None],
    [3, "HY-001", "红旗区", "约 3 公顷", "已出让", 42738, "乙公司", None],
]


def messy_parcels_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]] = PARCEL_ROWS,
    header: Sequence[str] = PARCEL_HEADER,
    *,
    sheet: str = "收储地块",
) -> Path:
    """A title row merged across the top, a blank row, the header in row 3 starting in
    column B (column A blank), a blank column in the middle, the data, a totals row and
    notes below (one merged across the width)."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    width = len(header) + 2
    ws.cell(row=1, column=2, value="2017年辉县市收储地块台账")
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=width)
    ws.cell(row=2, column=width, value="单位：公顷")
    for offset, text in enumerate([*header[:3], "", *header[3:]]):
        ws.cell(row=3, column=2 + offset, value=text)
    for r, row in enumerate(rows, start=4):
        for offset, value in enumerate([*row[:3], None, *row[3:]]):
            cell = ws.cell(row=r, column=2 + offset, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # keep "=1+1" as the text a clerk typed
    total = 4 + len(rows)
    ws.cell(row=total, column=2, value="合计")
    ws.cell(row=total, column=6, value=6.5)
    ws.cell(row=total + 2, column=2, value="注：面积单位为公顷。")
    ws.merge_cells(start_row=total + 2, start_column=2, end_row=total + 2, end_column=width)
    ws.cell(row=total + 3, column=2, value="填表人：张三")
    book.create_sheet("说明").append(["本表由县自然资源局提供"])
    book.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str, delimiter: str = ",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def zip_bomb_xlsx(path: Path, *, unpacked_mb: int = 600) -> Path:
    """A zip named .xlsx whose parts claim far more than any ledger once unpacked."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(unpacked_mb):
                part.write(chunk)
    return path
