"""The result of a file import: counts, new regions, row errors — and the report as .xlsx.

The report names every rejected cell the way the clerk finds it in Excel: sheet, row number as
Excel shows it, the column's header in their file, the value and the reason in Chinese.
``save_report_xlsx`` writes the original rows with an error column, every text written as text
(never as a formula: openpyxl would store "=…" typed by a clerk as a formula), the headers of
the columns not imported greyed, and the summary (counts, columns not imported) on a second
sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as ExcelCell
from openpyxl.styles import Font, PatternFill

from landbank.domain.enums import RecordKind
from landbank.services.spreadsheet import Cell


@dataclass(frozen=True)
class ImportProblem:
    """Why one cell (or one row, when ``column`` is empty) was not imported."""

    sheet: str
    row: int  # as Excel shows it (1-based)
    column: str  # the header in the clerk's file
    value: str
    reason: str

    def describe(self) -> str:
        where = f"工作表“{self.sheet}”第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」"
        if self.value:
            where += f"“{self.value}”"
        return f"{where}：{self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str


@dataclass
class ImportReport:
    kind: RecordKind
    file: str
    sheet: str = ""
    header_row: int = 0  # as Excel shows it
    dry_run: bool = False
    on_duplicate: str = "stop"
    rows: int = 0  # data rows read (blank, totals and note rows not counted)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_duplicates: int = 0
    skipped_other_uses: int = 0
    new_regions: list[str] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # no field, or set to （不导入）
    duplicate_columns: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header → field label
    profile: str = ""  # "中国土地市场网" when the file was recognised
    written: bool = False  # the changes were kept (the caller commits)
    cancelled: bool = False
    # The header and data rows (Excel row number, cells) for save_report_xlsx.
    header: list[Cell] = field(default_factory=list)
    data_rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped_duplicates": self.skipped_duplicates,
            "skipped_other_uses": self.skipped_other_uses,
            "errors": len(self.errors),
        }

    def describe(self, *, max_errors: int = 50) -> str:
        lines = [
            f"文件：{self.file}（工作表“{self.sheet}”，表头在第 {self.header_row} 行"
            + (f"，识别为{self.profile}" if self.profile else "")
            + "）"
        ]
        if self.cancelled:
            lines.append("导入已取消，数据库未作任何修改。")
        elif self.errors:
            lines.append(f"导入未执行：共 {len(self.errors)} 处错误，数据库未作任何修改。")
        elif self.dry_run:
            lines.append("试导入（未写入数据库），将会：")
        else:
            lines.append("导入完成：")
        lines.append(
            f"新建 {self.created} 条，更新 {self.updated} 条，无变化 {self.unchanged} 条，"
            f"跳过重复 {self.skipped_duplicates} 条"
            + (f"，跳过其他用途 {self.skipped_other_uses} 条" if self.skipped_other_uses else "")
            + f"（共读取 {self.rows} 行）"
        )
        if self.new_regions:
            lines.append(f"新增县区 {len(self.new_regions)} 个：{'、'.join(self.new_regions)}")
        if self.duplicate_columns:
            lines.append(f"重名的列（用后一列）：{'、'.join(self.duplicate_columns)}")
        if self.ignored_columns:
            lines.append(f"未导入的列：{'、'.join(self.ignored_columns)}")
        for problem in self.errors[:max_errors]:
            lines.append("  " + problem.describe())
        if len(self.errors) > max_errors:
            lines.append(f"  ……另有 {len(self.errors) - max_errors} 处错误（保存报告可看全部）")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "profile": self.profile,
            "dry_run": self.dry_run,
            "on_duplicate": self.on_duplicate,
            "written": self.written,
            "cancelled": self.cancelled,
            "counts": self.counts(),
            "new_regions": self.new_regions,
            "ignored_columns": self.ignored_columns,
            "duplicate_columns": self.duplicate_columns,
            "errors": [p.to_json() for p in self.errors],
        }


_ERROR_FILL = PatternFill("solid", fgColor="FFF2CC")
_UNUSED_FILL = PatternFill("solid", fgColor="D9D9D9")
_UNUSED_FONT = Font(bold=True, color="808080")


def _excel_value(cell: Cell) -> Any:
    if isinstance(cell, timedelta | time):
        return str(cell)
    if isinstance(cell, datetime | date | int | float | bool) or cell is None:
        return cell
    return str(cell)


def save_report_xlsx(report: ImportReport, path: str | Path) -> Path:
    """The file's rows with "行号" and "错误" columns in front; rows with errors highlighted,
    the headers of columns not imported greyed. A second sheet "说明" holds the summary."""
    path = Path(path)
    book = Workbook(write_only=True)
    ws = book.create_sheet("导入报告")
    ws.freeze_panes = "C2"
    ws.column_dimensions["B"].width = 50
    by_row: dict[int, list[str]] = {}
    for problem in report.errors:
        text = f"{problem.column}：{problem.reason}" if problem.column else problem.reason
        by_row.setdefault(problem.row, []).append(text)
    unused = set(report.ignored_columns)
    header = [_cell(ws, "行号", bold=True), _cell(ws, "错误", bold=True)]
    for c in report.header:
        text = "" if c is None else str(c)
        cell = _cell(ws, text, bold=True)
        if text and text in unused:
            cell.fill, cell.font = _UNUSED_FILL, _UNUSED_FONT
        header.append(cell)
    ws.append(header)
    seen: set[int] = set()
    for number, cells in report.data_rows:
        seen.add(number)
        _append(ws, number, "；".join(by_row.get(number, [])), cells)
    for number, reasons in sorted(by_row.items()):
        if number not in seen:  # a problem not tied to a data row (the header, a column)
            _append(ws, number, "；".join(reasons), [])
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 100
    for line in report.describe(max_errors=0).splitlines():
        if not line.startswith("  "):  # the errors are on the first sheet
            notes.append([_cell(notes, line)])
    if report.ignored_columns:
        notes.append([])
        notes.append([_cell(notes, "未导入的列（第一页表头中灰色的列）：", bold=True)])
        for name in report.ignored_columns:
            notes.append([_cell(notes, name)])
    book.save(path)
    return path


def _cell(ws: Any, value: Any, *, bold: bool = False, fill: bool = False) -> ExcelCell:
    cell = WriteOnlyCell(ws, value=_excel_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula: "=HYPERLINK(…)" typed by a clerk stays text
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = _ERROR_FILL
    return cell


def _append(ws: Any, number: int, errors: str, cells: list[Cell]) -> None:
    values = [number, errors, *cells]
    ws.append([_cell(ws, v, fill=bool(errors)) for v in values])
