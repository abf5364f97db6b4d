"""``landbank yields import FILE``: the yearly figures of the firms on supplied parcels from a
township's Excel or CSV file into ``land_yield``.

The file is read by the safe readers of :mod:`landbank.services.importing.spreadsheet` (extent,
size and zip-bomb checks first). Its header is looked for among the first 30 rows (a title, a
填报单位 line, a merged banner above it); merged cells are filled (a 县区 merged down the
rows). Columns (:data:`HEADERS`): 地块编号/宗地编号, 县区, 年度 and the figures 税收, 销售收入,
产值, 增加值, 能耗, 排放, 从业人数, 研发经费, 备注; a unit in the header converts the numbers
below it (税收(元), 产值(亿元), 能耗(万吨标煤)); a unit landbank cannot read refuses the column.
Cells: numbers with or without units, 全角 digits, thousands separators; 年度 “2024”, “2024年”.

The county of a row is its 县区 cell (short names through the gazetteer: 获嘉 → 获嘉县), else
the county the rows above the header name, else the clerk's ``region``; the parcel is the
county's parcel of that code. Every refusal names the sheet, row, column, value and reason (a
parcel the ledger lacks, a figure that is no number, the same parcel and year twice, a county
this login may not change); any refusal, or a dry run, writes nothing. A year the ledger already
holds for the parcel is, by ``on_duplicate``: ``stop`` (refused, listed), ``update`` (the file's
figures replace the row's) or ``skip``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.validation import FieldError
from landbank.services.importing.gazetteer_data import gazetteer
from landbank.services.importing.regions import CreateHint, RegionResolver
from landbank.services.importing.spreadsheet import Cell, cell_text, read_workbook
from landbank.services.land_life.yields import (
    FIGURES,
    YieldInput,
    add_yield,
    check_yield,
    describe_year,
    update_yield,
    write_refusal,
)
from landbank.services.land_life.yields_sheet import (
    YEAR,
    Column,
    Problem,
    Table,
    YieldsImport,
    find_table,
    is_note_row,
    normal_cell,
    parse_figure,
)
from landbank.services.records.saving import RecordError
from landbank.store.models import LandParcel, LandYield, Region

OnDuplicate = Literal["stop", "update", "skip"]


@dataclass
class _Row:
    number: int
    parcel: LandParcel
    given: YieldInput
    title: str


class _Reader:
    def __init__(self, session: Session, report: YieldsImport, region: str | None) -> None:
        self.session, self.report = session, report
        self.regions = RegionResolver(session, hint=CreateHint("请先在“数据 → 县区”中登记该县区"))
        self.region_ids: dict[str, int] = {
            n: i for i, n in session.execute(select(col(Region.id), col(Region.name)))
        }
        self.default_region = region
        self.parcels: dict[tuple[int, str], LandParcel] = {}

    def problem(self, row: int | None, column: str, value: object, reason: str) -> None:
        self.report.problems.append(
            Problem(self.report.sheet, row, column, cell_text(value), reason)
        )

    def title_county(self, table: Table) -> None:
        if self.default_region is not None:
            return
        lines = [
            " ".join(cell_text(c) for c in r if cell_text(c))
            for r in table.sheet.rows[: table.header_index]
        ]
        for text in [*lines, table.sheet.name]:
            county = gazetteer().find_in_title(text, city=self.regions.city)
            if county is not None and county.name in self.region_ids:
                self.default_region = county.name
                return

    def county(self, number: int, header: str, text: str) -> int | None:
        text = text or (self.default_region or "")
        if not text:
            self.problem(
                number,
                header or "县区",
                "",
                "县区为空：文件没有县区列、标题也未写明县区，请用 --region 指定",
            )
            return None
        try:
            name = self.regions.ref(text).name
        except FieldError as exc:
            self.problem(number, header or "县区", text, str(exc))
            return None
        if name not in self.region_ids:
            self.problem(number, header or "县区", text, f"县区“{name}”尚未在台账中")
            return None
        return self.region_ids[name]

    def parcel(self, number: int, header: str, region_id: int, code: str) -> LandParcel | None:
        key = (region_id, code)
        if key not in self.parcels:
            stmt = select(LandParcel).where(
                col(LandParcel.region_id) == region_id, col(LandParcel.code) == code
            )
            found = self.session.execute(stmt).scalars().first()
            if found is None:
                county = next(n for n, i in self.region_ids.items() if i == region_id)
                self.problem(number, header, code, f"{county}没有编号为“{code}”的地块")
                return None
            self.parcels[key] = found
        return self.parcels[key]

    def row(self, number: int, cells: list[Cell], columns: list[Column | None]) -> _Row | None:
        before = len(self.report.problems)
        found: dict[str, Any] = {}
        headers: dict[str, str] = {}
        for position, column in enumerate(columns):
            if column is None:
                continue
            cell = cells[position] if position < len(cells) else None
            headers[column.key] = column.header
            if column.key in ("code", "county", "notes"):
                found[column.key] = (
                    normal_cell(cell) if column.key != "notes" else cell_text(cell).strip()
                )
            elif column.key == "year":
                m = YEAR.match(normal_cell(cell))
                if m is None:
                    if cell_text(cell):
                        self.problem(number, column.header, cell, "年度应为四位年份，如 2024")
                    found["year"] = None
                else:
                    found["year"] = int(m[1])
            else:
                value = parse_figure(column, cell)
                if isinstance(value, str):
                    self.problem(number, column.header, cell, value)
                    value = None
                if column.key == "employees" and value is not None:
                    if value != int(value):
                        self.problem(number, column.header, cell, "从业人数应为整数")
                    value = int(value)
                found[column.key] = value
        if not found.get("code"):
            if any(found.get(k) is not None for k in FIGURES):
                self.problem(number, headers.get("code", "地块编号"), "", "地块编号为空")
            return None
        if found.get("year") is None:
            if len(self.report.problems) == before:
                self.problem(number, headers.get("year", "年度"), "", "年度为空")
            return None
        region_id = self.county(number, headers.get("county", ""), found.get("county", ""))
        parcel = (
            None
            if region_id is None
            else self.parcel(number, headers["code"], region_id, found["code"])
        )
        given = YieldInput(**{k: v for k, v in found.items() if k not in ("code", "county")})
        for reason in check_yield(given):
            self.problem(number, "", "", reason)
        if parcel is None or len(self.report.problems) > before:
            return None
        if all(getattr(given, k) is None for k in FIGURES) and not given.notes:
            self.report.warnings.append(f"第 {number} 行（{parcel.code}）没有填报任何数据，已跳过")
            return None
        refused = write_refusal(self.session, parcel)
        if refused is not None:
            self.problem(number, headers.get("county", headers["code"]), found["code"], refused)
            return None
        return _Row(number, parcel, given, f"{parcel.code} {describe_year(given)}")


def import_yields(
    session: Session,
    path: str | Path,
    *,
    user: str,
    sheet: str | None = None,
    region: str | None = None,
    on_duplicate: OnDuplicate = "stop",
    dry_run: bool = False,
) -> YieldsImport:
    """Read ``path`` and write its rows (see the module doc). Raises :class:`SpreadsheetError`
    for a file that cannot be read or holds no table; row problems are in the report."""
    path = Path(path)
    report = YieldsImport(path.name, dry_run=dry_run)
    table = find_table(read_workbook(path).sheets, sheet, path.name, report)
    if report.problems:
        return report
    reader = _Reader(session, report, region)
    reader.title_county(table)
    rows: list[_Row] = []
    seen: dict[tuple[int, int], int] = {}
    for offset, cells in enumerate(table.rows):
        number = table.header_index + 2 + offset
        if is_note_row(cells):
            continue
        row = reader.row(number, cells, table.columns)
        if row is None:
            continue
        assert row.parcel.id is not None
        key = (row.parcel.id, row.given.year)
        if key in seen:
            reader.problem(
                number, "", row.parcel.code, f"与第 {seen[key]} 行重复（同一地块、同一年度）"
            )
            continue
        seen[key] = number
        rows.append(row)
    report.recognised = dict(reader.regions.recognised)
    existing = {
        (y.parcel_id, y.year): y
        for y in session.execute(
            select(LandYield).where(
                col(LandYield.parcel_id).in_(sorted({k[0] for k in seen} or {0}))
            )
        ).scalars()
    }
    plan: list[tuple[_Row, LandYield | None]] = []
    for row in rows:
        entry = existing.get((row.parcel.id or 0, row.given.year))
        if entry is not None and on_duplicate == "stop":
            reader.problem(
                row.number,
                "",
                row.parcel.code,
                f"台账中已有该地块 {row.given.year} 年的数据；"
                "如要用文件中的数值更新，请选择“更新”（--on-duplicate update），或“跳过”（skip）",
            )
        plan.append((row, entry))
        if row.parcel.status not in ("已竣工投产", "已开工", "已交地", "已出让/划拨"):
            report.warnings.append(
                f"第 {row.number} 行：地块“{row.parcel.code}”尚未供地（{row.parcel.status}）"
            )
    if report.problems:
        return report
    for row, entry in plan:
        if entry is None:
            report.created.append(row.title)
        elif on_duplicate == "skip":
            report.skipped.append(row.title)
        elif describe_year(entry) == describe_year(row.given) and entry.notes == row.given.notes:
            report.unchanged.append(row.title)
        else:
            report.updated.append(
                f"{row.parcel.code} {describe_year(entry)} → {describe_year(row.given)}"
            )
    if dry_run or not (report.created or report.updated):
        return report
    savepoint = session.begin_nested()
    source = f"导入:{path.name}"
    try:
        for row, entry in plan:
            assert row.parcel.id is not None
            if entry is None:
                add_yield(session, row.parcel.id, row.given, user=user, source=source)
            elif on_duplicate == "update":
                assert entry.id is not None
                update_yield(
                    session,
                    entry.id,
                    row.given,
                    expected_version=entry.version,
                    user=user,
                    source=source,
                )
    except RecordError as exc:
        savepoint.rollback()
        report.created.clear()
        report.updated.clear()
        report.problems.append(Problem(report.sheet, None, "", "", str(exc)))
        return report
    savepoint.commit()
    report.written = True
    return report
