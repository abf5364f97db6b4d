"""A matching result as rows — for the matching dialog, its printout and the Excel workbook.

Both directions give the same :class:`MatchRow`: a project's candidate sites (one site, or a
combination of buildings of one park) or a site's candidate projects. :func:`write_match_workbook`
writes them to an .xlsx: row 1 the title, row 2 what was compared and why others were left
out, row 3 the headers (units in the header: “面积(亩)”, “面积(m²)”), one row per candidate,
then for every criterion its mark (✓ ✗ △ —) and its reason; a second sheet, 图例, says what
the marks and labels mean. Text is always written as text, never as a formula (a project
called “=HYPERLINK(…)” stays those characters).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from landbank.domain.matching import (
    HARD_LABELS,
    SOFT_LABELS,
    CriterionResult,
    MatchResult,
    legend_lines,
)
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.spreadsheet_text import reads_as_formula
from landbank.domain.standards.checks import IndicatorCheck
from landbank.services.backup.leftovers import written_when_complete
from landbank.services.exporting.sheet_layout import (
    AMOUNT_FORMAT,
    column_width,
    print_setup,
    style_header,
)
from landbank.services.matching.sites import SiteMatchReport

TITLE_ROW = 1
SUMMARY_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4
# Every criterion in the order the matching checks them: hard constraints, then scores.
CRITERION_ORDER: tuple[str, ...] = (*HARD_LABELS, *SOFT_LABELS)
CRITERION_LABELS: dict[str, str] = {**HARD_LABELS, **SOFT_LABELS}
REASON_WIDTH = 36
LEGEND_SHEET = "图例"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class MatchRow:
    """One candidate as every output shows it."""

    rank: int  # 1 = best, in the order the matching ranked them
    subject: str  # the site's title (“园区组合：A＋B” for several buildings) or the project
    region: str
    park: str
    area: float | None  # the site's offered area, or the project's need (site → projects)
    unit: str  # 亩 / m²
    score: float
    label: str
    criteria: tuple[CriterionResult, ...]
    sites: tuple[Site, ...]  # what a reservation would lock
    project_id: int | None
    project_name: str
    requirements: Requirements | None = None  # the needs this row was ranked against
    checks: tuple[IndicatorCheck, ...] = ()  # a parcel's 标准地 indicators for the project
    notes: tuple[str, ...] = ()  # a project's warnings (its investor's D-class marks)

    def criterion(self, key: str) -> CriterionResult | None:
        return next((c for c in self.criteria if c.key == key), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.sites)

    @property
    def is_combination(self) -> bool:
        return len(self.sites) > 1


def site_rows(result: MatchResult, project_name: str | None = None) -> list[MatchRow]:
    """The candidate sites of a project, best first."""
    req = result.requirements
    rows = []
    for rank, c in enumerate(result.candidates, 1):
        first = c.sites[0]
        rows.append(
            MatchRow(
                rank=rank,
                subject=c.title,
                region=first.region_name,
                park=first.park_name,
                area=c.area,
                unit=first.unit,
                score=c.score,
                label=c.label.value,
                criteria=c.criteria,
                sites=c.sites,
                project_id=req.project_id,
                project_name=project_name if project_name is not None else req.project_name,
                requirements=req,
                checks=c.checks,
            )
        )
    return rows


def project_rows(report: SiteMatchReport, region_names: Mapping[int, str]) -> list[MatchRow]:
    """The open projects that could take a site, best first; ``area`` is the project's need of
    the site's kind (亩 of land for a parcel, m² for a building)."""
    site = report.site
    rows = []
    for rank, m in enumerate(report.projects, 1):
        req = m.requirements
        need = req.land_mu if site.unit == "亩" else req.factory_m2
        region = region_names.get(req.home_region_id, "") if req.home_region_id else ""
        rows.append(
            MatchRow(
                rank=rank,
                subject=req.project_name,
                region=region,
                park="",
                area=need,
                unit=site.unit,
                score=m.candidate.score,
                label=m.candidate.label.value,
                criteria=m.candidate.criteria,
                sites=(site,),
                project_id=req.project_id,
                project_name=req.project_name,
                requirements=req,
                checks=m.candidate.checks,
                notes=report.notes_of(m),
            )
        )
    return rows


def criterion_keys(rows: Sequence[MatchRow]) -> list[str]:
    """The criteria any row carries, in the matching's order."""
    present = {c.key for row in rows for c in row.criteria}
    return [key for key in CRITERION_ORDER if key in present]


def units_of(rows: Sequence[MatchRow]) -> list[str]:
    """The area units of the rows (亩 before m²); one area column per unit."""
    present = {row.unit for row in rows}
    return [unit for unit in ("亩", "m²") if unit in present]


def counts_text(considered: int, fitting: int, rejected: Mapping[str, int], what: str) -> str:
    """“共比对 103 个地块/厂房，符合硬性条件 13 个；未入选：面积不足 12 个、尚未达到净地 3 个”."""
    text = f"共比对 {considered:,} 个{what}，符合硬性条件 {fitting:,} 个"
    if rejected:
        reasons = sorted(rejected.items(), key=lambda item: -item[1])
        text += "；未入选：" + "、".join(f"{reason} {n:,} 个" for reason, n in reasons)
    return text


def _text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # nothing is merged here
    value = _ILLEGAL_XML.sub("", value)
    cell.value = value
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if reads_as_formula(value):
        cell.quotePrefix = True
    return cell


def match_headers(rows: Sequence[MatchRow], subject_header: str) -> list[str]:
    headers = ["排名", subject_header, "县区", "园区"]
    headers += [f"面积({unit})" for unit in units_of(rows)]
    headers += ["得分", "结论"]
    for key in criterion_keys(rows):
        label = CRITERION_LABELS[key]
        headers += [label, f"{label}说明"]
    return headers


def write_match_workbook(
    path: str | os.PathLike[str],
    rows: Sequence[MatchRow],
    *,
    title: str,
    summary: str = "",
    subject_header: str = "地块/厂房",
) -> Path:
    """Write ``rows`` to the workbook ``path`` (replaced only once complete); returns it.

    Raises :class:`OSError` when the file cannot be written.
    """
    target = Path(path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "匹配结果"
    headers = match_headers(rows, subject_header)
    units = units_of(rows)
    keys = criterion_keys(rows)
    _text(ws, TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    if summary:
        _text(ws, SUMMARY_ROW, 1, summary)
    for column, header in enumerate(headers, 1):
        style_header(_text(ws, HEADER_ROW, column, header))
    widths = [[h] for h in headers]
    top_left = Alignment(vertical="top", wrap_text=True)
    for offset, row in enumerate(rows):
        r = FIRST_DATA_ROW + offset
        ws.cell(row=r, column=1, value=row.rank)
        column = 2
        for value in (row.subject, row.region, row.park):
            if value:
                _text(ws, r, column, value)
            widths[column - 1].append(value)
            column += 1
        for unit in units:
            if row.unit == unit and row.area is not None:
                cell = ws.cell(row=r, column=column, value=row.area)
                cell.number_format = AMOUNT_FORMAT
                widths[column - 1].append(f"{row.area:,.2f}")
            column += 1
        ws.cell(row=r, column=column, value=row.score).number_format = "0.0"
        _text(ws, r, column + 1, row.label)
        widths[column].append(row.label)
        column += 2
        for key in keys:
            found = row.criterion(key)
            if found is not None:
                _text(ws, r, column, found.mark).alignment = Alignment(horizontal="center")
                _text(ws, r, column + 1, found.reason).alignment = top_left
            column += 2
    for column, texts in enumerate(widths, 1):
        header = headers[column - 1]
        width = REASON_WIDTH if header.endswith("说明") else column_width(texts)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    last = HEADER_ROW + max(len(rows), 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{last}"
    print_setup(ws, title=title)
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    legend = wb.create_sheet(LEGEND_SHEET)
    for r, line in enumerate(legend_lines(blank=True), 1):
        _text(legend, r, 1, line)
    legend.column_dimensions["A"].width = 100
    with written_when_complete(target, ".xlsx") as temp:  # tidied if killed midway
        wb.save(temp)
    return target
