"""A county's 标准地 table (``land_standard``) and its 亩均效益 scheme (``efficiency_scheme``)
on their way into the city's ledger (``server import-ledger``, :mod:`.ledger_transfer`) and out
of it (``server export-ledger``, :mod:`.ledger_export`). The rules as clerks read them are in
docs/server.md (县区单机台账并入城市库).

Into the city, a standard row of an imported county is matched by uuid, else by its key
(county, park or none, industry or none): the same bounds and notes → skipped and counted;
other values → a clash (the import refuses as a whole); no city row → copied, its county and
park ids remapped through those the import maps. A county's scheme is copied when the city has
none for it, skipped when identical, a clash when different; the file's city default (no
county) is never copied (the city keeps its own), a note says when they differ. The history
entries of the rows copied (kinds "standard", "efficiency") come along, ids remapped. Out of
the city: the county's rows, its scheme and the city's default scheme, ids and uuids kept.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, insert, or_, select

from landbank.domain.enums import RecordKind
from landbank.services.server.ledger_rows import (
    SOURCE_MAX,
    TransferReport,
    copied_row,
    read_rows,
    table_of,
)
from landbank.services.standards.rows import bound_label
from landbank.store.models import (
    AuditEntry,
    EfficiencyScheme,
    LandStandard,
    Park,
    Region,
    as_utc,
)

STANDARD_KIND = "standard"  # audit_log.record_kind of the standards service
SCHEME_KIND = "efficiency"  # … and of the efficiency service
KEY = ("region_id", "park_id", "industry")
SCHEME_VALUES = ("preset", "weights_json", "base_multiple", "bases_json", "max_ratio")
JSON_COLUMNS = ("weights_json", "bases_json")
SCHEME_LABELS = {
    "preset": "预设",
    "weights_json": "权重",
    "base_multiple": "基准值倍数",
    "bases_json": "固定基准值",
    "max_ratio": "封顶倍数",
}


def _standard_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """What a standard row says: every column but its identity, times and key."""
    skip = {"id", "uuid", "version", "created_at", "updated_at", *KEY}
    return {k: v for k, v in row.items() if k not in skip}


def _scheme_values(row: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: row[k] for k in SCHEME_VALUES}
    for column in JSON_COLUMNS:  # the same JSON written with other spacing is the same
        with contextlib.suppress(ValueError):
            values[column] = json.loads(values[column] or "{}")
    return values


def _shown(value: object) -> str:
    if value is None or value == "":
        return "未设定"
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass
class AttachedPlan:
    """The file's standard rows and schemes to copy (the file's rows), and their history."""

    standards: list[dict[str, Any]] = field(default_factory=list)
    schemes: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)


def _names(conn: Connection, table: Table, ids: Collection[int]) -> dict[int, str]:
    if not ids:
        return {}
    stmt = select(table.c.id, table.c.name).where(table.c.id.in_(sorted(ids)))
    return {int(i): str(n) for i, n in conn.execute(stmt)}


class Matched(Protocol):
    """The import's matching of the records (:class:`.ledger_transfer._Plan`)."""

    chosen: set[int]  # the file's ids of the counties imported
    ids: dict[RecordKind, dict[int, int]]  # the file's id → the city's (a new county: < 0)
    new: dict[RecordKind, list[dict[str, Any]]]  # the file's rows the import adds


def plan_attached(
    conn: Connection, source: Engine, matched: Matched, report: TransferReport
) -> AttachedPlan:
    """Match the file's standard rows and schemes of the counties ``matched`` imports with
    the city's, through the counties and parks it maps or adds. Counts, clashes and notes go
    to ``report``; returns what to copy once the records are written."""
    chosen, ids = matched.chosen, matched.ids
    new_parks = {int(p["id"]) for p in matched.new[RecordKind.PARK]}
    plan = AttachedPlan()
    standards, schemes = table_of(LandStandard), table_of(EfficiencyScheme)
    with source.connect() as src:
        file_rows = [r for r in read_rows(src, standards) if int(r["region_id"]) in chosen]
        file_schemes = read_rows(src, schemes)
        file_audit = [
            r for r in read_rows(src, table_of(AuditEntry))
            if r["record_kind"] in (STANDARD_KIND, SCHEME_KIND)
        ]  # fmt: skip
        file_regions = _names(src, table_of(Region), chosen)
        named = {int(r["park_id"]) for r in file_rows if r["park_id"] is not None}
        file_parks = _names(src, table_of(Park), named)
    city_rows = [dict(r) for r in conn.execute(select(standards)).mappings()]
    by_uuid = {str(r["uuid"]): r for r in city_rows}
    by_key = {(int(r["region_id"]), r["park_id"], r["industry"]): r for r in city_rows}
    regions, parks = ids[RecordKind.REGION], ids[RecordKind.PARK]
    for row in file_rows:
        park = row["park_id"]
        parts = (
            file_regions.get(int(row["region_id"])),
            file_parks.get(int(park)) if park is not None else None,
            row["industry"],
        )
        what = f"标准地指标“{'·'.join(str(p) for p in parts if p)}”"
        region_id = regions.get(int(row["region_id"]))
        city_park = parks.get(int(park)) if park is not None else None
        if region_id is None or (park is not None and city_park is None and park not in new_parks):
            report.clashes.append(f"{what}：所属县区或园区不在导入范围内")
            continue
        found = by_uuid.get(str(row["uuid"]))
        if found is None and region_id > 0 and (park is None or city_park is not None):
            found = by_key.get((region_id, city_park, row["industry"]))
        if found is None:
            plan.standards.append(row)
            continue
        same_key = (int(found["region_id"]), found["park_id"], found["industry"]) == (
            region_id, city_park, row["industry"])  # fmt: skip
        if same_key and _standard_values(found) == _standard_values(row):
            report.standards_same += 1
        else:
            changed = [
                f"{bound_label(k)} 城市库 {_shown(found.get(k))}、台账 {_shown(v)}"
                for k, v in _standard_values(row).items()
                if found.get(k) != v
            ]
            report.clashes.append(
                f"{what}：城市库中已有这一行，数值不同（{'；'.join(changed) or '县区、园区或产业'}），"
                "不自动合并"
            )
    city_schemes = {r["region_id"]: dict(r) for r in conn.execute(select(schemes)).mappings()}
    for row in file_schemes:
        if row["region_id"] is None:
            city = city_schemes.get(None)
            if city is None or _scheme_values(city) != _scheme_values(row):
                report.notes.append(
                    "台账中的全市默认亩均效益评价方法与城市库不同，未导入（城市库保留自己的）"
                )
            continue
        if int(row["region_id"]) not in chosen:
            continue
        county = file_regions.get(int(row["region_id"]), "")
        region_id = regions.get(int(row["region_id"]))
        city = city_schemes.get(region_id) if region_id is not None and region_id > 0 else None
        if city is None:
            plan.schemes.append(row)
        elif _scheme_values(city) == _scheme_values(row):
            report.schemes_same += 1
        else:
            mine, theirs = _scheme_values(row), _scheme_values(city)
            differ = "、".join(SCHEME_LABELS[k] for k in SCHEME_VALUES if mine[k] != theirs[k])
            report.clashes.append(
                f"亩均效益评价方法（{county}）：城市库中该县区已有另一种评价方法"
                f"（城市库“{city['preset']}”，台账“{row['preset']}”；不同之处：{differ}），不自动合并"
            )
    copied = {
        STANDARD_KIND: {int(r["id"]) for r in plan.standards},
        SCHEME_KIND: {int(r["id"]) for r in plan.schemes},
    }
    plan.audit = [a for a in file_audit if int(a["record_id"]) in copied[a["record_kind"]]]
    report.standards, report.schemes = len(plan.standards), len(plan.schemes)
    report.history += len(plan.audit)
    report.history_left = max(0, report.history_left - len(plan.audit))
    return plan


def write_attached(
    conn: Connection,
    plan: AttachedPlan,
    ids: Mapping[RecordKind, Mapping[int, int]],
    source_name: str,
) -> None:
    """Copy the planned rows once the records are written (``ids`` maps every county and
    park), then their history pointing at the city's ids."""
    new_ids: dict[str, dict[int, int]] = {STANDARD_KIND: {}, SCHEME_KIND: {}}
    for kind, model, rows in (
        (STANDARD_KIND, LandStandard, plan.standards),
        (SCHEME_KIND, EfficiencyScheme, plan.schemes),
    ):
        table = table_of(model)
        for row in rows:
            copied = copied_row(row)
            copied["region_id"] = ids[RecordKind.REGION][int(row["region_id"])]
            if kind == STANDARD_KIND and row["park_id"] is not None:
                copied["park_id"] = ids[RecordKind.PARK][int(row["park_id"])]
            if kind == SCHEME_KIND:
                copied["scope_key"] = copied["region_id"]
            new_id = conn.execute(insert(table).returning(table.c.id), copied).scalar_one()
            new_ids[kind][int(row["id"])] = int(new_id)
    entries = []
    for entry in plan.audit:
        copied = {k: v for k, v in entry.items() if k not in ("id", "last_record_id")}
        copied["at"] = as_utc(entry["at"])
        copied["record_id"] = new_ids[entry["record_kind"]][int(entry["record_id"])]
        copied["source"] = f"导入台账 {source_name}：{entry['source']}"[:SOURCE_MAX]
        entries.append(copied)
    if entries:
        conn.execute(insert(table_of(AuditEntry)), entries)


# ---------------------------------------------------------------- the export


@dataclass
class AttachedPart:
    """A county's standard rows, its scheme and the city's default, with their history."""

    standards: list[dict[str, Any]]
    schemes: list[dict[str, Any]]
    audit: list[dict[str, Any]]


def read_part(conn: Connection, region_id: int, parks: Collection[int]) -> AttachedPart:
    """The rows of county ``region_id`` the export carries (a row naming a park outside
    ``parks``, the parks exported, cannot be: it would name a park the file lacks)."""
    standards, schemes = table_of(LandStandard), table_of(EfficiencyScheme)
    rows = [
        dict(r)
        for r in conn.execute(
            select(standards).where(standards.c.region_id == region_id).order_by(standards.c.id)
        ).mappings()
        if r["park_id"] is None or int(r["park_id"]) in parks
    ]
    own = [
        dict(r)
        for r in conn.execute(
            select(schemes)
            .where(or_(schemes.c.region_id == region_id, schemes.c.region_id.is_(None)))
            .order_by(schemes.c.id)
        ).mappings()
    ]
    audit = table_of(AuditEntry)
    entries: list[dict[str, Any]] = []
    for kind, wanted in ((STANDARD_KIND, rows), (SCHEME_KIND, own)):
        if wanted:
            stmt = select(audit).where(
                audit.c.record_kind == kind,
                audit.c.record_id.in_([int(r["id"]) for r in wanted]),
            )
            entries += [dict(r) for r in conn.execute(stmt).mappings()]
    return AttachedPart(rows, own, sorted(entries, key=lambda r: int(r["id"])))


def write_part(conn: Connection, part: AttachedPart) -> None:
    """Write the county's rows into the new ledger (``conn``), ids kept (the history's ids
    are the file's own, as the records')."""
    for table, rows in (
        (table_of(LandStandard), part.standards),
        (table_of(EfficiencyScheme), part.schemes),
    ):
        if rows:
            conn.execute(insert(table), rows)
    if part.audit:
        conn.execute(
            insert(table_of(AuditEntry)), [{k: v for k, v in r.items() if k != "id"}
                                           for r in part.audit]
        )  # fmt: skip
