"""What a ledger does not say, filled in with declared defaults that the clerk sees.

A township's ledger rarely has every column the store requires. Rather than refusing it, the
import fills each missing column or blank cell with a default from this table, and reports
every default applied — the field, the value, why, and how many rows took it — so the clerk
can change it (``--default 字段=值``, or the wizard's defaults panel) before anything is
written. Values the clerk gives this way take precedence over the automatic ones; a cell the
file fills is never replaced.

=================  =====================================================================
地块 (parcels)
地块编号            generated: county short name + year (收储日期, else this year) + 序号,
                    e.g. 获嘉2025-001, continuing after the ledger's highest such code
供应状态            可供 (the first rung of the supply ladder) when the file has no status word
整理程度            已收储(毛地) for a row with a 收储日期 (the land has been taken in), else
                    拟收储 (the first rung): never more than the file says
乡镇/街道           the sheet's name when a workbook keeps one sheet per township (…镇/乡/街道)
厂房 (factories)
厂房编号            from 栋号: 园区 + 栋号 when the row names a park (1# of two parks differ),
                    else the 栋号; neither → county short name + CF- + 序号
名称/栋号           the 厂房编号
状态                在建 when 竣工时间 says 在建 (or lies ahead), else 已建成
闲置面积            the 建筑面积, for a building listed as 闲置 without one
项目 (projects)
阶段                线索 (the first rung) when no 阶段/项目进展 is given
承办县区            市级（待分配）: the city bureau's own lead, handed to a county later
                    (set by the import, see :mod:`landbank.services.importing.regions`)
=================  =====================================================================

The county of rows naming none (``--region``, a county named in the title rows above the
header) is reported in the same list by the importer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
)
from landbank.domain.fields import field_map
from landbank.domain.ledger_words import (
    UNDER_CONSTRUCTION_DATE_WORDS,
    is_blank,
    pending_date_word,
)
from landbank.store.models import TABLES

TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "办事处")
_TRAILING_NUMBER = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class AppliedDefault:
    """One default the import applied: ``rows`` rows took ``value`` for ``field``."""

    field: str  # the key
    label: str
    value: str  # as shown
    reason: str
    rows: int

    def describe(self) -> str:
        return f"{self.label} = {self.value}（{self.reason}）：{self.rows} 行"

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "value": self.value,
            "rows": self.rows,
            "reason": self.reason,
        }


class DefaultsTally:
    """Counts rows per (field, value shown, reason), in the order first seen."""

    def __init__(self, kind: RecordKind) -> None:
        self.labels = {key: spec.label for key, spec in field_map(kind).items()}
        self._rows: dict[tuple[str, str, str], int] = {}

    def add(self, key: str, shown: str, reason: str, rows: int = 1) -> None:
        if rows:
            entry = (key, shown, reason)
            self._rows[entry] = self._rows.get(entry, 0) + rows

    def applied(self) -> list[AppliedDefault]:
        return [
            AppliedDefault(key, self.labels.get(key, key), shown, reason, rows)
            for (key, shown, reason), rows in self._rows.items()
        ]


class CodeMaker:
    """Codes for rows without one. A parcel the ledger already holds keeps its code — found
    by where it is and when it was taken in (乡镇, 坐落, 收储日期; its 面积 when those are not
    enough), so the next version of a ledger without codes updates its parcels instead of
    adding them again; any other row gets a prefix and the next 序号 of that prefix in the
    ledger (and this import), three digits or more."""

    def __init__(self, session: Session, kind: RecordKind) -> None:
        self.session = session
        self.kind = kind
        self.table = TABLES[kind].__table__  # type: ignore[attr-defined]
        self._next: dict[tuple[int, str], int] = {}
        self._places: dict[int, dict[tuple[Any, ...], list[tuple[str, Any]]]] = {}
        self._taken: set[tuple[int, str]] = set()

    def known(
        self, region_id: int, township: Any, location: Any, reserve_date: Any, area: Any
    ) -> str | None:
        """The code of the one parcel of the county at this place, not yet taken by an
        earlier row of the file."""
        if location is None:
            return None
        places = self._places.get(region_id)
        if places is None:
            c = self.table.c
            places = {}
            rows = self.session.execute(
                select(c.code, c.township, c.location, c.reserve_date, c.area_mu).where(
                    c.region_id == region_id
                )
            )
            for code, town, where, when, mu in rows:
                places.setdefault((town, where, when), []).append((code, mu))
            self._places[region_id] = places
        found = [
            (code, mu)
            for code, mu in places.get((township, location, reserve_date), [])
            if (region_id, code) not in self._taken
        ]
        if len(found) > 1:
            found = [(code, mu) for code, mu in found if mu == area]
        if len(found) != 1:
            return None
        self._taken.add((region_id, found[0][0]))
        return found[0][0]

    def next(self, region_id: int, prefix: str) -> str:
        key = (region_id, prefix)
        if key not in self._next:
            codes = self.session.execute(
                select(self.table.c.code).where(
                    self.table.c.region_id == region_id, self.table.c.code.startswith(prefix)
                )
            ).scalars()
            highest = 0
            for code in codes:
                m = _TRAILING_NUMBER.search(code[len(prefix) :])
                if m and code[len(prefix) :].strip("-") == m[1]:
                    highest = max(highest, int(m[1]))
            self._next[key] = highest + 1
        number = self._next[key]
        self._next[key] = number + 1
        return f"{prefix}{number:03d}"


class RowDefaults:
    """Fills the parsed columns of an import (see the module doc).

    ``overrides`` are the clerk's values by field key (already parsed as a cell would be);
    ``short_name`` gives a region id's short name for generated codes; ``park_name`` a park
    cell's text (the file's names are kept as text until the import resolves them).
    """

    def __init__(
        self,
        kind: RecordKind,
        tally: DefaultsTally,
        codes: CodeMaker,
        *,
        overrides: Mapping[str, Any],
        short_name: Callable[[int], str],
        today: date,
    ) -> None:
        self.kind = kind
        self.tally = tally
        self.codes = codes
        self.overrides = dict(overrides)
        self.short_name = short_name
        self.today = today

    def fill(
        self,
        values: dict[str, list[Any]],
        raw: Mapping[str, Sequence[Any]],
        count: int,
        *,
        sheet: str = "",
    ) -> None:
        """Fill ``values`` (key → one value per row, missing keys added) in place."""
        for key, value in self.overrides.items():
            column = values.setdefault(key, [None] * count)
            blanks = [i for i, v in enumerate(column) if v is None]
            for i in blanks:
                column[i] = value
            self.tally.add(key, _shown(value), "按指定的默认值", len(blanks))
        match self.kind:
            case RecordKind.PARCEL:
                self._parcels(values, raw, count, sheet)
            case RecordKind.FACTORY:
                self._factories(values, raw, count)
            case RecordKind.PROJECT:
                self._projects(values, count)

    def _column(self, values: dict[str, list[Any]], key: str, count: int) -> list[Any]:
        return values.setdefault(key, [None] * count)

    # ------------------------------------------------------------ parcels

    def _parcels(
        self, values: dict[str, list[Any]], raw: Mapping[str, Sequence[Any]], count: int, sheet: str
    ) -> None:
        township = self._column(values, "township", count)
        name = sheet.strip()
        if name.endswith(TOWNSHIP_SUFFIXES) and len(name) >= 2:
            blanks = [i for i, v in enumerate(township) if v is None]
            for i in blanks:
                township[i] = name
            self.tally.add("township", name, "取自工作表名", len(blanks))
        status = self._column(values, "status", count)
        readiness = self._column(values, "readiness", count)
        dates = values.get("reserve_date") or [None] * count
        for i in range(count):
            if status[i] is None:
                status[i] = ParcelStatus.AVAILABLE.value
                self.tally.add("status", status[i], "文件未写供应状态")
            if readiness[i] is None:
                taken = dates[i] is not None and dates[i] <= self.today
                readiness[i] = (
                    ParcelReadiness.RESERVED_RAW.value if taken else ParcelReadiness.PLANNED.value
                )
                self.tally.add(
                    "readiness",
                    readiness[i],
                    "文件未写整理程度，已有收储日期" if taken else "文件未写整理程度",
                )
        codes = self._column(values, "code", count)
        regions = values.get("region_id") or [None] * count
        places = values.get("location") or [None] * count
        areas = values.get("area_mu") or [None] * count
        for i in range(count):
            if codes[i] is None and isinstance(regions[i], int):
                known = self.codes.known(regions[i], township[i], places[i], dates[i], areas[i])
                if known is not None:
                    codes[i] = known
                    self.tally.add("code", "台账中同一地块的编号", "文件未写地块编号，按乡镇、坐落和收储日期找到")
                    continue
                year = dates[i].year if dates[i] is not None else self.today.year
                codes[i] = self.codes.next(regions[i], f"{self.short_name(regions[i])}{year}-")
                self.tally.add("code", "县区简称+年份+序号", "文件未写地块编号，自动编号")

    # ------------------------------------------------------------ factories

    def _factories(
        self, values: dict[str, list[Any]], raw: Mapping[str, Sequence[Any]], count: int
    ) -> None:
        codes = self._column(values, "code", count)
        names = self._column(values, "name", count)
        parks = values.get("park_id") or [None] * count
        regions = values.get("region_id") or [None] * count
        for i in range(count):
            if codes[i] is None and names[i] is not None:
                park = parks[i]
                if isinstance(park, str) and not names[i].startswith(park):
                    codes[i] = f"{park}{names[i]}"
                    self.tally.add("code", "园区+栋号", "文件未写厂房编号")
                else:
                    codes[i] = names[i]
                    self.tally.add("code", "栋号", "文件未写厂房编号")
            elif codes[i] is None and isinstance(regions[i], int):
                codes[i] = self.codes.next(regions[i], f"{self.short_name(regions[i])}CF-")
                self.tally.add("code", "县区简称+CF-+序号", "文件未写厂房编号和栋号，自动编号")
            if names[i] is None and codes[i] is not None:
                names[i] = codes[i]
                self.tally.add("name", "厂房编号", "文件未写名称/栋号")
        status = self._column(values, "status", count)
        completion = values.get("completion_date") or [None] * count
        written = raw.get("completion_date") or [None] * count
        for i in range(count):
            if status[i] is not None:
                continue
            pending = (
                not is_blank(written[i])
                and pending_date_word(written[i]) in UNDER_CONSTRUCTION_DATE_WORDS
            )
            ahead = completion[i] is not None and completion[i] > self.today
            if pending or ahead:
                status[i] = FactoryStatus.UNDER_CONSTRUCTION.value
                self.tally.add("status", status[i], "竣工时间为“在建”或尚未到")
            else:
                status[i] = FactoryStatus.BUILT.value
                self.tally.add("status", status[i], "文件未写状态")
        idle = self._column(values, "idle_area_m2", count)
        floor = values.get("floor_area_m2") or [None] * count
        for i in range(count):
            if status[i] == FactoryStatus.IDLE.value and idle[i] is None and floor[i]:
                idle[i] = floor[i]
                self.tally.add("idle_area_m2", "建筑面积", "状态为闲置，未写闲置面积")

    # ------------------------------------------------------------ projects

    def _projects(self, values: dict[str, list[Any]], count: int) -> None:
        stage = self._column(values, "stage", count)
        blanks = [i for i, v in enumerate(stage) if v is None]
        for i in blanks:
            stage[i] = ProjectStage.LEAD.value
        self.tally.add("stage", ProjectStage.LEAD.value, "文件未写阶段/项目进展", len(blanks))


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)
