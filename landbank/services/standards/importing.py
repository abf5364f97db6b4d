"""``landbank import standards FILE`` and the dialog's 导入…: the indicator table from Excel or
CSV into ``land_standard``.

Every row is read and checked before anything is written, and every refusal is reported in
one run, naming the sheet, row, column, value and reason: a cell that is no figure, a county
the ledger does not hold (short names are read through the gazetteer: 获嘉 → 获嘉县), a park not
registered in that county (register it first: the import never creates parks, a typo would
become a park), the same county/park/industry twice in the file, a 下限 above its 上限, a
header whose unit is not the indicator's, a county this login may not change. A row whose
county/park/industry the table already holds is, by ``on_duplicate``: ``stop`` (default:
refused, listed), ``update`` (the file's columns replace the row's — a blank cell clears it,
a column the file lacks is kept; audited old → new) or ``skip``. Any refusal, or a dry run,
writes nothing. Cells: numbers with or without units, “≥250”, “不低于250”, 容积率 “1.0-2.0”,
全角 digits; blank = not set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.standards.headers import StandardColumn, parse_threshold
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.domain.standards.table import StandardRow, validate_rows
from landbank.domain.validation import FieldError
from landbank.services.importing.regions import CreateHint, RegionResolver
from landbank.services.importing.spreadsheet import Cell, SpreadsheetError, cell_text, read_workbook
from landbank.services.records.saving import RecordError
from landbank.services.standards.rows import BOUND_COLUMNS, bound_header, load_entries
from landbank.services.standards.saving import (
    StandardInput,
    create_standard,
    update_standard,
    write_refusal,
)
from landbank.services.standards.sheet import find_table, is_note_row, unit_problem
from landbank.store.models import Park, Region

OnDuplicate = Literal["stop", "update", "skip"]
# Cells meaning “every park” / “every industry”.
_ALL_WORDS = {"全部", "全部园区", "全部产业", "所有", "不限", "全县", "全区", "通用", "-", "—", "/", "无"}


@dataclass(frozen=True)
class ImportProblem:
    """One refusal: where (sheet, row as Excel numbers it, column header), the cell, why."""

    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」"
        value = f"“{self.value}”" if self.value else ""
        return f"{where}{value}：{self.reason}"

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "value": self.value, "reason": self.reason}


@dataclass
class StandardsImport:
    """What an import did (or, refused or dry, would do)."""

    file: str
    sheet: str = ""
    header_row: int = 0
    dry_run: bool = False
    written: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # title, "列：旧 → 新"
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    recognised: dict[str, str] = field(default_factory=dict)  # as written → the ledger's name

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "sheet": self.sheet, "header_row": self.header_row,
            "dry_run": self.dry_run, "written": self.written, "created": self.created,
            "updated": [{"row": t, "changes": c} for t, c in self.updated],
            "unchanged": self.unchanged, "skipped": self.skipped,
            "problems": [p.as_json() for p in self.problems], "warnings": self.warnings,
            "recognised": self.recognised,
        }

    def lines(self) -> list[str]:
        """The report as text lines (the CLI and the dialog show it)."""
        head = f"文件“{self.file}”"
        if self.sheet:
            head += f"，工作表“{self.sheet}”，表头在第 {self.header_row} 行"
        out = [head]
        if self.problems:
            out.append(f"有 {len(self.problems)} 处问题，未导入任何数据：")
            out += [f"  · {p.describe()}" for p in self.problems]
            return out
        verb = "将" if self.dry_run or not self.written else "已"
        out.append(
            f"{verb}新增 {len(self.created)} 行、更新 {len(self.updated)} 行；"
            f"未变 {len(self.unchanged)} 行，跳过 {len(self.skipped)} 行"
            + ("（试导入，未写入）" if self.dry_run else "")
        )
        out += [f"  + {t}" for t in self.created]
        for title, changes in self.updated:
            out.append(f"  * {title}：{'；'.join(changes)}")
        out += [f"  = {t}（已有，跳过）" for t in self.skipped]
        if self.recognised:
            out.append("识别的名称：" + "、".join(f"{a} → {b}" for a, b in self.recognised.items()))
        out += [f"提示：{w}" for w in self.warnings]
        return out


@dataclass
class _Row:
    number: int
    input: StandardInput
    domain: StandardRow
    given: set[str]  # the bound columns of the file


def _without_county(name: str, county: str) -> str:
    """A park's name without its county in front (获嘉县先进制造业开发区, 获嘉先进制造业开发区 →
    先进制造业开发区)."""
    for prefix in (county, county[:-1] if len(county) > 2 else county):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def _blank_word(text: str) -> bool:
    return not text or text in _ALL_WORDS


class _Reader:
    """Turns the sheet's rows into checked rows, collecting every problem."""

    def __init__(self, session: Session, report: StandardsImport) -> None:
        self.session = session
        self.report = report
        self.regions = RegionResolver(
            session, hint=CreateHint("请先在“数据 → 行政区与园区”中登记该县区，再导入")
        )
        self.region_ids = {
            name: rid for rid, name in session.execute(select(col(Region.id), col(Region.name)))
        }
        self.parks: dict[tuple[int, str], int] = {
            (rid, " ".join(name.split())): pid
            for pid, rid, name in session.execute(
                select(col(Park.id), col(Park.region_id), col(Park.name))
            )
        }

    def problem(self, row: int | None, column: str, value: object, reason: str) -> None:
        text = cell_text(value) if not isinstance(value, str) else value
        self.report.problems.append(ImportProblem(self.report.sheet, row, column, text, reason))

    def county(self, number: int, header: str, text: str) -> tuple[int, str] | None:
        try:
            ref = self.regions.ref(text)
        except FieldError as exc:
            self.problem(number, header, text, str(exc))
            return None
        region_id = self.region_ids.get(ref.name)
        if region_id is None:
            self.problem(number, header, text,
                         f"县区“{ref.name}”尚未在台账中，请先在“数据 → 行政区与园区”中登记，再导入")
            return None
        return region_id, ref.name

    def park(self, number: int, header: str, text: str, region_id: int, county: str) -> int | None:
        written = " ".join(text.split())
        park_id = self.parks.get((region_id, written))
        if park_id is None:  # named without (or with another form of) the county: 先进制造业开发区
            bare = _without_county(written, county)
            fits = [(name, pid) for (rid, name), pid in self.parks.items()
                    if rid == region_id and _without_county(name, county) == bare]
            if len(fits) == 1:
                park_id = fits[0][1]
                self.report.recognised.setdefault(written, fits[0][0])
        if park_id is None:
            own = sorted(name for (rid, name) in self.parks if rid == region_id)
            known = f"（{county}已登记的园区：{'、'.join(own)}）" if own else f"（{county}尚无登记的园区）"
            self.problem(number, header, text,
                         f"园区“{text}”未在{county}登记{known}；请先在“数据 → 行政区与园区”中登记，再导入")
        return park_id

    def row(
        self, number: int, cells: list[Cell], headers: list[str],
        columns: dict[int, StandardColumn],
    ) -> _Row | None:
        places: dict[str, tuple[str, str]] = {}
        values: dict[Indicator, Threshold] = {}
        given: set[str] = set()
        before = len(self.report.problems)
        for position, column in columns.items():
            cell = cells[position] if position < len(cells) else None
            header = headers[position]
            if column.place is not None:
                places[column.place] = (header, cell_text(cell))
                continue
            indicator = column.indicator
            assert indicator is not None
            for bound in ("low", "high") if column.bound is None else (column.bound,):
                if (indicator, bound) in BOUND_COLUMNS:
                    given.add(BOUND_COLUMNS[(indicator, bound)])
            got = parse_threshold(indicator, cell, column.bound)
            if isinstance(got, str):
                self.problem(number, header, cell, got)
            elif got is not None:
                old = values.get(indicator, Threshold())
                values[indicator] = Threshold(
                    got.low if got.low is not None else old.low,
                    got.high if got.high is not None else old.high,
                )
        county_header, county_text = places.get("county", ("县区", ""))
        if not county_text:
            if values or len(self.report.problems) > before:
                self.problem(number, county_header, "", "县区为空")
            return None
        found = self.county(number, county_header, county_text)
        park_header, park_text = places.get("park", ("园区", ""))
        industry_text = places.get("industry", ("产业", ""))[1]
        industry = None if _blank_word(industry_text) else industry_text
        if found is None:
            return None
        region_id, county = found
        park_id = None
        if not _blank_word(park_text):
            park_id = self.park(number, park_header, park_text, region_id, county)
            if park_id is None:
                return None
        refused = write_refusal(self.session, region_id, county)
        if refused is not None:
            self.problem(number, county_header, county_text, refused)
        park_name = None if park_id is None else " ".join(park_text.split())
        domain = StandardRow(county, park_name, industry, values, f"第 {number} 行")
        hard = validate_rows([domain], national={})
        for reason in hard:
            self.problem(number, "", "", reason.split("：", 1)[-1])
        self.report.warnings += [p for p in validate_rows([domain]) if p not in hard]
        if len(self.report.problems) > before:
            return None
        return _Row(number, StandardInput(region_id, park_id, industry, values), domain, given)


def import_standards(
    session: Session,
    path: str | Path,
    *,
    user: str,
    sheet: str | None = None,
    header_row: int | None = None,
    on_duplicate: OnDuplicate = "stop",
    dry_run: bool = False,
) -> StandardsImport:
    """Read ``path`` and write its rows (see the module doc). Raises :class:`SpreadsheetError`
    for a file that cannot be read or holds no table; row problems are in the report."""
    path = Path(path)
    report = StandardsImport(path.name, dry_run=dry_run)
    table = find_table(read_workbook(path).sheets, sheet, header_row, path.name)
    report.sheet, report.header_row = table.sheet, table.header_row
    for position, column in table.columns.items():
        bad_unit = unit_problem(table.headers[position], column)
        if bad_unit:
            report.problems.append(
                ImportProblem(table.sheet, table.header_row, table.headers[position], "", bad_unit)
            )
    if report.problems:
        return report
    reader = _Reader(session, report)
    rows: list[_Row] = []
    seen: dict[tuple[int, int | None, str | None], int] = {}
    for number, cells in table.rows:
        if is_note_row(cells):
            continue
        row = reader.row(number, cells, table.headers, table.columns)
        if row is None:
            continue
        key = (row.input.region_id, row.input.park_id, row.input.industry)
        if key in seen:
            reader.problem(number, "", row.domain.title,
                           f"与第 {seen[key]} 行重复（同一县区、园区和产业）")
            continue
        seen[key] = number
        rows.append(row)
    report.recognised = {**reader.regions.recognised, **report.recognised}
    existing = {(e.region_id, e.park_id, e.industry): e for e in load_entries(session)}
    plan: list[tuple[_Row, Any]] = []
    for row in rows:
        entry = existing.get((row.input.region_id, row.input.park_id, row.input.industry))
        if entry is not None and on_duplicate == "stop":
            reader.problem(row.number, "", row.domain.title,
                           "台账中已有该指标行；如要用文件中的数值更新，请选择“更新”"
                           "（--on-duplicate update），或“跳过”（skip）")
        plan.append((row, entry))
    if report.problems:
        return report
    for row, entry in plan:
        if entry is None:
            report.created.append(row.domain.title)
        elif on_duplicate == "skip":
            report.skipped.append(row.domain.title)
        else:
            changes = _changes(entry.values, dict(row.input.values), row.given)
            (report.updated.append((row.domain.title, changes)) if changes
             else report.unchanged.append(row.domain.title))
    if dry_run or not (report.created or report.updated):
        return report
    _write(session, report, plan, on_duplicate, user=user, source=f"导入:{path.name}")
    return report


def _merged(old: dict[Indicator, Threshold], new: dict[Indicator, Threshold], given: set[str]) -> dict[Indicator, Threshold]:
    """The row after the file's columns: a bound the file has replaces (blank clears), one
    it lacks is kept."""
    result: dict[Indicator, Threshold] = {}
    for indicator in Indicator:
        bounds: list[float | None] = []
        for bound in ("low", "high"):
            name = BOUND_COLUMNS.get((indicator, bound))
            source = new if name in given else old
            threshold = source.get(indicator, Threshold())
            bounds.append(threshold.low if bound == "low" else threshold.high)
        if bounds[0] is not None or bounds[1] is not None:
            result[indicator] = Threshold(bounds[0], bounds[1])
    return result


def _changes(old: Any, new: dict[Indicator, Threshold], given: set[str]) -> list[str]:
    merged = _merged(dict(old), new, given)
    changes = []
    for (indicator, bound), _name in BOUND_COLUMNS.items():
        before = getattr(old.get(indicator, Threshold()), bound)
        after = getattr(merged.get(indicator, Threshold()), bound)
        if before != after:
            shown = [indicator.format(v) if v is not None else "空" for v in (before, after)]
            changes.append(f"{bound_header(indicator, bound)}：{shown[0]} → {shown[1]}")
    return changes


def _write(session: Session, report: StandardsImport, plan: list[tuple[_Row, Any]],
           on_duplicate: OnDuplicate, *, user: str, source: str) -> None:
    savepoint = session.begin_nested()
    try:
        for row, entry in plan:
            if entry is None:
                create_standard(session, row.input, user=user, source=source)
            elif on_duplicate == "update":
                given = StandardInput(
                    row.input.region_id, row.input.park_id, row.input.industry,
                    _merged(dict(entry.values), dict(row.input.values), row.given), entry.notes,
                )
                update_standard(session, entry.id, given, expected_version=entry.version,
                                user=user, source=source)
    except (RecordError, SpreadsheetError) as exc:
        savepoint.rollback()
        report.created.clear()
        report.updated.clear()
        report.problems.append(ImportProblem(report.sheet, None, "", "", str(exc)))
        return
    savepoint.commit()
    report.written = True
