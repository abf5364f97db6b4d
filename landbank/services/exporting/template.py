"""A blank ledger to fill in (.xlsx): the headers the importer expects, drop-down lists and
input rules, so what a clerk types in Excel or WPS imports cleanly.

Layout as an export (:mod:`landbank.services.exporting.ledger`): row 1 instructions, row 2 the headers —
exactly :attr:`FieldSpec.header` of every field of the kind, in catalogue order — and data from
row 3. Required columns have red headers and a comment saying so; every header has a comment
with its unit, range or choices.

Input rules (data validation), from the field catalogue:
- region (县区) from the database; park and project names likewise; status, readiness, stage and
  the other choices from their enums; 是/否 for yes/no — lists kept on a hidden sheet “选项”,
  as text, never formulas (a name such as “=HYPERLINK(…)” is guarded as in an export, by
  :func:`landbank.domain.spreadsheet_text.reads_as_formula`);
- industry: the values in use plus a default list, as a suggestion (other text allowed);
- numbers: decimals (whole numbers for counts and years) within the field's range, ≥ 0 for
  areas and money; 容积率 a decimal 0–20; dates between 1990 and 2100;
- text no longer than the field allows; text columns formatted as text (“@”) so a code such as
  “001” or a phone number keeps its leading zeros.
A second sheet “填写说明” explains every column.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, FieldSpec, FieldType
from landbank.domain.spreadsheet_text import reads_as_formula
from landbank.services.backup.leftovers import written_when_complete
from landbank.services.exporting.sheet_layout import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    SHEET_NAMES,
    TITLE_ROW,
    column_width,
    number_format,
    print_setup,
    style_header,
)
from landbank.services.exporting.titles import KIND_TITLES
from landbank.store.models import Park, Project, Region
from landbank.store.queries import INDUSTRY_COLUMN, distinct_values

OPTIONS_SHEET = "选项"
HELP_SHEET = "填写说明"
LAST_ROW = 10000  # rules apply to this many rows
DEFAULT_INDUSTRIES = (
    "装备制造",
    "新能源",
    "新能源电池",
    "新材料",
    "生物医药",
    "电子信息",
    "食品加工",
    "纺织服装",
    "现代物流",
    "化工",
    "汽车及零部件",
    "节能环保",
)
MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2100, 12, 31)


def write_template(session: Session, kind: RecordKind, path: str | os.PathLike[str]) -> Path:
    """Write the blank ledger of ``kind`` to ``path``; returns the path. Raises OSError."""
    target = Path(path)
    specs = list(FIELDS[kind])
    lists = _choice_lists(session, kind, specs)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET_NAMES[kind]
    options = wb.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    help_sheet = wb.create_sheet(HELP_SHEET)
    ranges = _write_options(options, lists)
    _write_header(ws, kind, specs, lists)
    for column, spec in enumerate(specs, start=1):
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = column_width(
            [spec.header, *lists.get(spec.key, [])[:50], "2026-12-31"]
        )
        fmt = number_format(spec)
        ws.column_dimensions[letter].number_format = fmt if fmt is not None else "@"
        rule = _validation(spec, ranges.get(spec.key))
        if rule is not None:
            rule.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_ROW}")
            ws.add_data_validation(rule)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    print_setup(ws, title=KIND_TITLES[kind])
    _write_help(help_sheet, specs, lists)
    wb.active = 0
    # Written beside the target and renamed when complete, as an export is: a template killed
    # midway leaves no half file under the clerk's name (and its .part is tidied later).
    with written_when_complete(target, ".xlsx") as temp:
        wb.save(temp)
    return target


def _put_text(ws: Worksheet, row: int, column: int, text: str) -> Cell:
    """A text cell, never a formula (openpyxl would make one of text starting with “=”); text
    Excel would read as a formula (a park named “=1+1”, “+…”, “＠…”) also gets the quote prefix,
    as in an export, so editing the cell in Excel keeps it text."""
    cell = ws.cell(row, column)
    assert isinstance(cell, Cell)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"
    if reads_as_formula(cell.value):
        cell.quotePrefix = True
    return cell


def _choice_lists(
    session: Session, kind: RecordKind, specs: Sequence[FieldSpec]
) -> dict[str, list[str]]:
    """Drop-down values by field key."""
    regions = list(session.execute(select(col(Region.name)).order_by(col(Region.name))).scalars())
    parks = sorted(set(session.execute(select(col(Park.name))).scalars()))
    projects = list(
        session.execute(select(col(Project.name)).order_by(col(Project.name))).scalars()
    )
    lists: dict[str, list[str]] = {}
    for spec in specs:
        if spec.read_only:
            continue
        if spec.type is FieldType.REGION:
            lists[spec.key] = regions
        elif spec.type is FieldType.PARK:
            lists[spec.key] = parks
        elif spec.type is FieldType.PROJECT:
            lists[spec.key] = projects
        elif spec.type is FieldType.CHOICE and spec.choices is not None:
            lists[spec.key] = [member.value for member in spec.choices]
        elif spec.type is FieldType.BOOL:
            lists[spec.key] = ["是", "否"]
    industry = INDUSTRY_COLUMN.get(kind)
    if industry is not None:
        used = distinct_values(session, kind, industry)
        lists[industry] = used + [i for i in DEFAULT_INDUSTRIES if i not in used]
    return lists


def _write_options(ws: Worksheet, lists: dict[str, list[str]]) -> dict[str, str]:
    """One column per list on the hidden sheet; returns each list's absolute range."""
    ranges: dict[str, str] = {}
    sheet = quote_sheetname(ws.title)
    for column, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(column)
        ws.cell(1, column, key)
        for row, value in enumerate(values, start=2):
            _put_text(ws, row, column, value)
        last = max(2, len(values) + 1)
        ranges[key] = f"{sheet}!${letter}$2:${letter}${last}"
    return ranges


def _write_header(
    ws: Worksheet, kind: RecordKind, specs: Sequence[FieldSpec], lists: dict[str, list[str]]
) -> None:
    title = _put_text(
        ws,
        TITLE_ROW,
        1,
        f"{KIND_TITLES[kind]}（填写模板）：红色列为必填；县区、状态等从下拉列表选择；"
        f"面积单位为亩、建筑面积为 m²、金额为万元（见表头）；日期如 2026-03-15；"
        f"从第 {FIRST_DATA_ROW} 行起每行一条，不要修改表头。各列说明见“{HELP_SHEET}”。",
    )
    title.font = Font(bold=True, size=12)
    ws.row_dimensions[TITLE_ROW].height = 22
    ws.row_dimensions[HEADER_ROW].height = 30
    for column, spec in enumerate(specs, start=1):
        cell = _put_text(ws, HEADER_ROW, column, spec.header)
        style_header(cell, required=spec.required)
        comment = Comment(_describe(spec, lists.get(spec.key)), "landbank")
        comment.width, comment.height = 240, 110
        cell.comment = comment


def _describe(spec: FieldSpec, choices: list[str] | None) -> str:
    parts = ["必填" if spec.required else "选填"]
    match spec.type:
        case FieldType.DATE:
            parts.append("日期，如 2026-03-15")
        case FieldType.INT:
            parts.append("整数")
        case FieldType.FLOAT:
            parts.append(f"数字，单位 {spec.unit}" if spec.unit else "数字")
        case (
            FieldType.REGION
            | FieldType.PARK
            | FieldType.PROJECT
            | FieldType.CHOICE
            | FieldType.BOOL
        ):
            parts.append("从下拉列表选择")
        case _:
            parts.append(f"文字，最多 {spec.max_length} 字")
    if spec.minimum is not None or spec.maximum is not None:
        low = "" if spec.minimum is None else f"{spec.minimum:g}"
        high = "" if spec.maximum is None else f"{spec.maximum:g}"
        parts.append(f"范围 {low}–{high}" if high else f"不小于 {low}")
    if choices and spec.type is FieldType.CHOICE:
        parts.append("可选：" + "、".join(choices))
    if spec.read_only:
        parts.append("由系统维护，导入时可留空")
    return "；".join(parts)


def _validation(spec: FieldSpec, list_range: str | None) -> DataValidation | None:
    rule: DataValidation | None = None
    if list_range is not None and list_range.endswith("$2") and spec.type is not FieldType.TEXT:
        return None  # an empty list (no region yet): a rule would refuse every value
    if list_range is not None:
        suggestion = spec.type is FieldType.TEXT  # industry: a suggestion, other text allowed
        rule = DataValidation(type="list", formula1=list_range, allow_blank=True)
        rule.errorStyle = "warning" if suggestion else "stop"
        rule.error = "请从下拉列表中选择" + ("（也可填写其他产业）" if suggestion else "")
    elif spec.type in (FieldType.FLOAT, FieldType.INT):
        low = spec.minimum if spec.minimum is not None else -1e15
        high = spec.maximum if spec.maximum is not None else 1e15
        rule = DataValidation(
            type="whole" if spec.type is FieldType.INT else "decimal",
            operator="between",
            formula1=f"{low:g}" if low != -1e15 else "-1E+15",
            formula2=f"{high:g}" if high != 1e15 else "1E+15",
            allow_blank=True,
        )
        what = "整数" if spec.type is FieldType.INT else "数字"
        rule.error = f"请输入{what}" + (
            f"（{spec.minimum:g}–{spec.maximum:g}）"
            if spec.maximum is not None
            else f"（不小于 {spec.minimum:g}）"
            if spec.minimum is not None
            else ""
        )
    elif spec.type is FieldType.DATE:
        rule = DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({MIN_DATE.year},1,1)",
            formula2=f"DATE({MAX_DATE.year},12,31)",
            allow_blank=True,
        )
        rule.error = "请输入日期，如 2026-03-15"
    elif spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        rule = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(spec.max_length),
            allow_blank=True,
        )
        rule.error = f"最多 {spec.max_length} 个字"
    if rule is not None:
        rule.showErrorMessage = True
        rule.errorTitle = spec.header
        rule.promptTitle = spec.header
        rule.prompt = _describe(spec, None)[:250]
        rule.showInputMessage = spec.required
    return rule


def _write_help(ws: Worksheet, specs: Sequence[FieldSpec], lists: dict[str, list[str]]) -> None:
    ws.append(["列名", "必填", "说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for spec in specs:
        row = ws.max_row + 1
        _put_text(ws, row, 1, spec.header)
        _put_text(ws, row, 2, "是" if spec.required else "")
        _put_text(ws, row, 3, _describe(spec, lists.get(spec.key)))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 6
    ws.column_dimensions["C"].width = 90
    ws.freeze_panes = "A2"
