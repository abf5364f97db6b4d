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
from typing import TYPE_CHECKING, Any

from landbank.domain.enums import RecordKind
from landbank.services.importing.changes import ChangeList
from landbank.services.importing.defaults import AppliedDefault
from landbank.services.importing.spreadsheet import Cell

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as ExcelCell


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
class SheetRead:
    """One sheet an import read: its header row and its data rows."""

    name: str
    header_row: int
    rows: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "header_row": self.header_row, "rows": self.rows}


@dataclass(frozen=True)
class SheetSkipped:
    name: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class Wording:
    """How the interface the report is shown in names its own choices (the CLI its options,
    the wizard its buttons)."""

    on_duplicate: str = "（可选择“更新”或“跳过”重复记录）"
    more_errors: str = "保存报告可看全部"
    create_regions: str = "如确需新建，请勾选“新建县区”"


CLI_WORDING = Wording(
    on_duplicate="（可用 --on-duplicate update 更新，或 --on-duplicate skip 跳过）",
    more_errors="用 --report 文件.xlsx 保存全部",
    create_regions="如确需新建，请加 --create-regions",
)


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
    skipped_outside_city: int = 0
    new_regions: list[str] = field(default_factory=list)
    recognised_regions: dict[str, str] = field(default_factory=dict)  # as written → ledger name
    new_parks: list[tuple[str, str]] = field(default_factory=list)  # (park, its county)
    sheets: list[SheetRead] = field(default_factory=list)
    skipped_sheets: list[SheetSkipped] = field(default_factory=list)
    defaults: list[AppliedDefault] = field(default_factory=list)
    changes: ChangeList = field(default_factory=ChangeList)
    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)  # possible, but check them
    wording: Wording = field(default_factory=Wording)
    ignored_columns: list[str] = field(default_factory=list)  # no field, or set to （不导入）
    duplicate_columns: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # header → field label
    profile: str = ""  # "中国土地市场网" when the file was recognised
    written: bool = False  # the changes were kept (the caller commits)
    cancelled: bool = False
    # Per sheet read: (name, header cells, data rows as (Excel row number, cells)), for
    # save_report_xlsx.
    sources: list[tuple[str, list[Cell], list[tuple[int, list[Cell]]]]] = field(
        default_factory=list
    )

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
            "skipped_outside_city": self.skipped_outside_city,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def describe(self, *, max_errors: int = 50, max_changes: int = 30) -> str:
        if len(self.sheets) > 1:
            where = "工作表 " + "、".join(f"“{s.name}”{s.rows} 行" for s in self.sheets)
        else:
            where = f"工作表“{self.sheet}”，表头在第 {self.header_row} 行"
        lines = [
            f"文件：{self.file}（{where}" + (f"，识别为{self.profile}" if self.profile else "") + "）"
        ]
        if self.cancelled:
            lines.append("导入已取消，数据库未作任何修改。")
        elif self.errors:
            lines.append(f"导入未执行：共 {len(self.errors)} 处错误，数据库未作任何修改。")
        elif self.dry_run:
            lines.append("试导入（未写入数据库），将会：")
        else:
            lines.append("导入完成：")
        skipped = [
            f"跳过重复 {self.skipped_duplicates} 条",
            *([f"跳过其他用途 {self.skipped_other_uses} 条"] if self.skipped_other_uses else []),
            *([f"不属于本市 {self.skipped_outside_city} 行"] if self.skipped_outside_city else []),
        ]
        lines.append(
            f"新建 {self.created} 条，更新 {self.updated} 条，无变化 {self.unchanged} 条，"
            + "，".join(skipped)
            + f"（共读取 {self.rows} 行）"
        )
        for sheet in self.skipped_sheets:
            lines.append(f"未导入的工作表“{sheet.name}”：{sheet.reason}")
        if self.defaults:
            lines.append("默认值（文件未写明的内容）：")
            lines.extend("  " + d.describe() for d in self.defaults)
        if self.recognised_regions:
            shown = "、".join(f"{a} → {b}" for a, b in self.recognised_regions.items())
            lines.append(f"已识别为：{shown}")
        if self.new_regions:
            lines.append(f"新增县区 {len(self.new_regions)} 个：{'、'.join(self.new_regions)}")
        if self.new_parks:
            shown = "、".join(f"{park}（{region}）" for park, region in self.new_parks)
            lines.append(f"新建园区 {len(self.new_parks)} 个：{shown}")
        if self.duplicate_columns:
            lines.append(f"重名的列（用后一列）：{'、'.join(self.duplicate_columns)}")
        if self.ignored_columns:
            lines.append(f"未导入的列：{'、'.join(self.ignored_columns)}")
        if not self.errors and not self.cancelled:
            lines.extend(self._describe_changes(max_changes))
        for problem in self.errors[:max_errors]:
            lines.append("  " + problem.describe())
        if len(self.errors) > max_errors:
            lines.append(
                f"  ……另有 {len(self.errors) - max_errors} 处错误（{self.wording.more_errors}）"
            )
        if self.warnings:
            lines.append(f"请核对（不影响导入）：{len(self.warnings)} 处")
            lines.extend("  " + w.describe() for w in self.warnings[:max_errors])
            if len(self.warnings) > max_errors:
                lines.append(f"  ……另有 {len(self.warnings) - max_errors} 处")
        return "\n".join(lines)

    def _describe_changes(self, limit: int) -> list[str]:
        """The changed and the no longer listed records (the created ones only counted: a
        first import creates them all)."""
        changes = self.changes
        lines: list[str] = []
        if changes.updated:
            lines.append(f"将更新的记录 {len(changes.updated)} 条：" if self.dry_run else
                         f"已更新的记录 {len(changes.updated)} 条：")
            lines.extend("  " + c.describe() for c in changes.updated[:limit])
            if len(changes.updated) > limit:
                lines.append(f"  ……另有 {len(changes.updated) - limit} 条")
        if changes.missing:
            lines.append(
                f"台账中有、文件中已无的记录 {len(changes.missing)} 条（导入不会删除，请核实）："
            )
            lines.append("  " + "、".join(m.label for m in changes.missing[:limit])
                         + ("……" if len(changes.missing) > limit else ""))
        return lines

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
            "sheets": [s.to_json() for s in self.sheets],
            "skipped_sheets": [s.to_json() for s in self.skipped_sheets],
            "defaults": [d.to_json() for d in self.defaults],
            "recognised_regions": [
                {"text": text, "region": name} for text, name in self.recognised_regions.items()
            ],
            "new_regions": self.new_regions,
            "new_parks": [{"name": park, "region": region} for park, region in self.new_parks],
            "changes": self.changes.to_json(),
            "ignored_columns": self.ignored_columns,
            "duplicate_columns": self.duplicate_columns,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }


_ERROR_COLOUR = "FFF2CC"
_WARNING_COLOUR = "DDEBF7"
_UNUSED_COLOUR = "D9D9D9"


def _excel_value(cell: Cell) -> Any:
    if isinstance(cell, timedelta | time):
        return str(cell)
    if isinstance(cell, datetime | date | int | float | bool) or cell is None:
        return cell
    return str(cell)


def save_report_xlsx(report: ImportReport, path: str | Path) -> Path:
    """Per sheet read, the file's rows with "行号", "错误" and "提示" columns in front; rows
    with errors highlighted (warnings in blue), the headers of columns not imported greyed.
    A sheet "说明" holds the summary (counts, defaults, columns not imported) and a sheet
    "变化" the records updated and those the file no longer lists."""
    from openpyxl import Workbook  # (openpyxl loads NumPy: only when a report is saved)

    path = Path(path)
    book = Workbook(write_only=True)
    by_row: dict[tuple[str, int], list[str]] = {}
    hints: dict[tuple[str, int], list[str]] = {}
    for problems, target in ((report.errors, by_row), (report.warnings, hints)):
        for problem in problems:
            text = f"{problem.column}：{problem.reason}" if problem.column else problem.reason
            target.setdefault((problem.sheet, problem.row), []).append(text)
    unused = set(report.ignored_columns)
    sources = report.sources or [(report.sheet, [], [])]
    used_titles: set[str] = set()
    for name, header_cells, rows in sources:
        title = "导入报告" if len(sources) == 1 else _sheet_title(f"报告-{name}", used_titles)
        ws = book.create_sheet(title)
        ws.freeze_panes = "D2"
        ws.column_dimensions["B"].width = 50
        ws.column_dimensions["C"].width = 30
        header = [_cell(ws, text, bold=True) for text in ("行号", "错误", "提示")]
        for c in header_cells:
            text = "" if c is None else str(c)
            header.append(_cell(ws, text, bold=True, fill=_UNUSED_COLOUR if text in unused else ""))
        ws.append(header)
        seen: set[int] = set()
        for number, cells in rows:
            seen.add(number)
            key = (name, number)
            _append(ws, number, by_row.get(key, []), hints.get(key, []), cells)
        for (sheet, number), reasons in sorted(by_row.items()):
            if sheet == name and number not in seen:  # not tied to a data row (the header)
                _append(ws, number, reasons, [], [])
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 100
    for line in report.describe(max_errors=0, max_changes=0).splitlines():
        text = line.strip()
        if text and not text.startswith("……"):  # (the errors and warnings: first sheets)
            notes.append([_cell(notes, text)])
    if report.ignored_columns:
        notes.append([])
        notes.append([_cell(notes, "未导入的列（第一页表头中灰色的列）：", bold=True)])
        for name in report.ignored_columns:
            notes.append([_cell(notes, name)])
    changes = report.changes
    if changes.updated or changes.missing:
        sheet = book.create_sheet("变化")
        sheet.column_dimensions["B"].width = 24
        sheet.column_dimensions["D"].width = 30
        sheet.column_dimensions["E"].width = 30
        sheet.append([_cell(sheet, t, bold=True) for t in ("变化", "记录", "字段", "原值", "新值")])
        for change in changes.updated:
            for item in change.fields:
                values = ("更新", change.label, item.label, item.old or "", item.new or "")
                sheet.append([_cell(sheet, v) for v in values])
        for missing in changes.missing:
            sheet.append([_cell(sheet, v) for v in ("文件中已无", missing.label, "", "", "")])
    book.save(path)
    return path


def _sheet_title(text: str, used: set[str]) -> str:
    """An Excel sheet title: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "报告"
    title, n = clean, 2
    while title in used:
        title = f"{clean[:28]}({n})"
        n += 1
    used.add(title)
    return title


def _cell(ws: Any, value: Any, *, bold: bool = False, fill: str = "") -> ExcelCell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    cell = WriteOnlyCell(ws, value=_excel_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula: "=HYPERLINK(…)" typed by a clerk stays text
    if bold:
        cell.font = Font(bold=True, color="808080" if fill == _UNUSED_COLOUR else None)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    return cell


def _append(ws: Any, number: int, errors: list[str], hints: list[str], cells: list[Cell]) -> None:
    fill = _ERROR_COLOUR if errors else _WARNING_COLOUR if hints else ""
    values = [number, "；".join(errors), "；".join(hints), *cells]
    ws.append([_cell(ws, v, fill=fill) for v in values])
