"""The table of a yearly-figures file (:mod:`.yields_import`): its header row and columns
(:data:`HEADERS`, units in the header), the figures of a cell, and the import's report."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from landbank.domain.units import Quantity, UnitError, normalise_text, parse_number
from landbank.services.importing.spreadsheet import Cell, Sheet, SpreadsheetError, cell_text
from landbank.services.land_life.yields import FIGURES

HEADER_SEARCH_ROWS = 30
HEADERS: dict[str, tuple[str, ...]] = {
    "code": (
        "地块编号",
        "宗地编号",
        "编号",
        "地块号",
        "宗地号",
        "地块代码",
        "宗地代码",
        "电子监管号",
    ),
    "county": (
        "县区",
        "县(市、区)",
        "县(市,区)",
        "县市区",
        "所在县区",
        "所属县区",
        "行政区",
        "县(市)区",
    ),
    "year": ("年度", "年份", "统计年度", "所属年度", "数据年度"),
    "tax_wan": ("税收", "实缴税金", "实缴税收", "税收总额", "纳税额", "税收收入", "入库税收"),
    "revenue_wan": ("销售收入", "营业收入", "主营业务收入", "销售额"),
    "output_wan": ("产值", "工业总产值", "总产值"),
    "value_added_wan": ("增加值", "工业增加值"),
    "energy_tce": ("能耗", "综合能耗", "能源消费量", "用能总量"),
    "emission_t": ("排放", "排放量", "污染物排放量", "主要污染物排放量"),
    "employees": ("从业人数", "就业人数", "职工人数", "年平均职工人数", "从业人员", "年末从业人数"),
    "rd_expense_wan": ("研发经费", "研发投入", "研发费用", "R&D经费", "研发经费支出"),
    "notes": ("备注", "说明"),
}
_WORD_TO_KEY = {re.sub(r"\s+", "", w): key for key, words in HEADERS.items() for w in words}
_WITH_UNIT = re.compile(r"^(.+?)\((.+)\)$")
_OTHER_UNITS: dict[str, dict[str, float]] = {
    "energy_tce": {"吨标煤": 1.0, "吨标准煤": 1.0, "tce": 1.0, "万吨标煤": 1e4, "万吨标准煤": 1e4},
    "emission_t": {"吨": 1.0, "t": 1.0, "万吨": 1e4, "千克": 1e-3, "kg": 1e-3},
    "employees": {"人": 1.0},
}
_NOTE_START = ("注", "说明", "备注", "填表", "制表", "审核", "负责人", "填报", "附")
_CELL = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*(.*)")
YEAR = re.compile(r"^(\d{4})(?:\.0)?\s*(?:年度?|年)?$")


def normal_cell(text: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(text))).lstrip("*")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the clerk wrote it
    factor: float = 1.0


def match_header(text: object) -> tuple[str, float] | str | None:
    """(field, factor) a header names; a str is why its unit is refused; None: not ours."""
    word = normal_cell(text).rstrip(":：")
    if word in _WORD_TO_KEY:
        return _WORD_TO_KEY[word], 1.0
    m = _WITH_UNIT.match(word)
    if m is None or m[1] not in _WORD_TO_KEY:
        return None
    key, unit = _WORD_TO_KEY[m[1]], m[2]
    if key in FIGURES and key.endswith("_wan"):
        try:
            factor = parse_number("1" + unit, Quantity.MONEY)
        except UnitError:
            factor = None
    elif key in _OTHER_UNITS:
        factor = _OTHER_UNITS[key].get(unit.lower()) or _OTHER_UNITS[key].get(unit)
    else:
        return key, 1.0  # 年度(年), 县区(市) …
    if factor is None:
        label, expected = FIGURES[key]
        return f"单位“{unit}”不适用于“{label}”（应为 {expected}）"
    return key, factor


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        where = f"工作表“{self.sheet}”" + (f"第 {self.row} 行" if self.row is not None else "")
        where += f"「{self.column}」" if self.column else ""
        return f"{where}{f'“{self.value}”' if self.value else ''}：{self.reason}"

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "value": self.value, "reason": self.reason}  # fmt: skip


@dataclass
class YieldsImport:
    """What an import did (or, refused or dry, would do)."""

    file: str
    sheet: str = ""
    header_row: int = 0
    dry_run: bool = False
    written: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    recognised: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "header_row": self.header_row,
                "dry_run": self.dry_run, "written": self.written, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped,
                "problems": [p.as_json() for p in self.problems], "warnings": self.warnings,
                "ignored_columns": self.ignored, "recognised": self.recognised}  # fmt: skip

    def lines(self) -> list[str]:
        head = f"文件“{self.file}”"
        if self.sheet:
            head += f"，工作表“{self.sheet}”，表头在第 {self.header_row} 行"
        out = [head]
        if self.problems:
            out.append(f"有 {len(self.problems)} 处问题，未导入任何数据：")
            return out + [f"  · {p.describe()}" for p in self.problems]
        verb = "将" if self.dry_run or not self.written else "已"
        out.append(
            f"{verb}新增 {len(self.created)} 行、更新 {len(self.updated)} 行；未变 "
            f"{len(self.unchanged)} 行，跳过 {len(self.skipped)} 行"
            + ("（试导入，未写入）" if self.dry_run else "")
        )
        out += [f"  + {t}" for t in self.created] + [f"  * {t}" for t in self.updated]
        out += [f"  = {t}（已有，跳过）" for t in self.skipped]
        if self.ignored:
            out.append("未导入的列：" + "、".join(self.ignored))
        if self.recognised:
            out.append("识别的县区：" + "、".join(f"{a} → {b}" for a, b in self.recognised.items()))
        return out + [f"提示：{w}" for w in self.warnings]


@dataclass(frozen=True)
class Table:
    sheet: Sheet
    header_index: int
    columns: list[Column | None]
    rows: list[list[Cell]]


def filled_rows(sheet: Sheet) -> list[list[Cell]]:
    rows = [list(r) for r in sheet.rows]
    for block in sheet.merged:
        if block.first_row >= len(rows) or block.first_col >= len(rows[block.first_row]):
            continue
        value = rows[block.first_row][block.first_col]
        for r in range(block.first_row, min(block.last_row, len(rows) - 1) + 1):
            for c in range(block.first_col, min(block.last_col, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows


def find_table(sheets: list[Sheet], name: str | None, file: str, report: YieldsImport) -> Table:
    candidates = [
        s for s in sheets if (s.name.strip() == name.strip() if name else not s.is_empty())
    ]
    if name and not candidates:
        names = "、".join(s.name for s in sheets)
        raise SpreadsheetError(f"“{file}”中没有名为“{name}”的工作表（有：{names}）")
    for sheet in candidates:
        rows = filled_rows(sheet)
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            matched = [match_header(c) for c in row]
            keys = {m[0] for m in matched if isinstance(m, tuple)}
            if not {"code", "year"} <= keys or not keys & set(FIGURES):
                continue
            report.sheet, report.header_row = sheet.name, index + 1
            columns: list[Column | None] = []
            for position, (cell, m) in enumerate(zip(row, matched, strict=True)):
                header = cell_text(cell)
                if isinstance(m, str):
                    report.problems.append(Problem(sheet.name, index + 1, header, "", m))
                if not isinstance(m, tuple) or m[0] in {c.key for c in columns if c}:
                    columns.append(None)
                    if header and not isinstance(m, str):
                        report.ignored.append(header)
                    continue
                columns.append(Column(m[0], header or f"第 {position + 1} 列", m[1]))
            return Table(sheet, index, columns, rows[index + 1 :])
    raise SpreadsheetError(
        f"“{file}”中找不到年度经营数据的表头：需要“地块编号”（或“宗地编号”）、“年度”列和至少一个"
        "数据列（如“税收(万元)”“产值(万元)”）"
    )


def is_note_row(cells: list[Cell]) -> bool:
    texts = [cell_text(c) for c in cells if cell_text(c)]
    return not texts or texts[0].startswith(_NOTE_START) or texts[0] in ("合计", "小计", "总计")


def parse_figure(column: Column, cell: Cell) -> float | str | None:
    """A figure in the column's unit (a bare number times the header's factor, a number with
    its own unit converted by that unit), None for a blank cell, or a str: why not."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell) * column.factor
    text = normalise_text(str(cell)).replace(",", "").removeprefix("约").strip()
    if not text:
        return None
    m = _CELL.fullmatch(text)
    if m is None:
        return f"“{cell_text(cell)}”不是有效的数字"
    value, word = float(m[1]), m[2].strip()
    if not word:
        return value * column.factor
    if column.key.endswith("_wan"):
        if word in ("万", "亿"):  # “12万”: 万元
            text += "元"
        try:
            return parse_number(text, Quantity.MONEY)
        except UnitError as exc:
            return str(exc)
    factor = _OTHER_UNITS.get(column.key, {}).get(word.lower())
    if factor is None:
        label, unit = FIGURES[column.key]
        return f"单位“{word}”不适用于“{label}”（应为 {unit}）"
    return value * factor
