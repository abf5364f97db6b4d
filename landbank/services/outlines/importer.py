"""``landbank outline import`` / 文件 → 导入地块红线: an outline file matched to records and
written — or, as a dry run, only reported.

Each outline (or point) of the file is matched to a record of its kind by a key: 地块编号
(parcels, factories: 厂房编号), the name, or a property the clerk picks (``key_field``). The
county narrows the search when given (``county``, or the feature's own 县区 property); a key
found in several counties without one is unmatched, with the reason. A record that already
holds an outline keeps it unless ``on_existing="replace"``; two outlines of the file for one
record refuse the second. Any refusal (an outline that cannot be used, a line that cannot be
read) leaves the ledger unchanged, as a ledger import with a bad row does; the report lists
everything either way. Writes are version-guarded and audited (:mod:`.saving`). On a city
server a county clerk's outline for another county's record is refused in the report already
(the server would refuse the write).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.domain.outlines.area import outline_area_mismatch
from landbank.services.outlines.reading import (
    MAX_POINTS,
    SourceFeature,
    SourceFile,
    read_outline_file,
)
from landbank.services.outlines.report import (
    KEEP,
    NEW,
    REFUSED,
    REPLACE,
    SAME,
    UNMATCHED,
    OutlineReport,
    OutlineRow,
)
from landbank.services.outlines.saving import geometry_text, save_outline, save_point
from landbank.services.server.rights import rights_of
from landbank.store.models import TABLES, Region

KeyChoice = Literal["code", "name"]
OnExisting = Literal["keep", "replace"]
OUTLINE_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PARK)
SOURCE_PREFIX = "导入红线:"
# What files call the key, by record field (the first the file has is used).
KEY_PROPERTIES = {
    "code": (
        "地块编号",
        "厂房编号",
        "编号",
        "宗地编号",
        "宗地代码",
        "DKBH",
        "dkbh",
        "ZDDM",
        "code",
        "CODE",
        "Code",
        "BH",
    ),
    "name": (
        "地块名称",
        "园区名称",
        "厂房名称",
        "名称",
        "DKMC",
        "dkmc",
        "MC",
        "name",
        "NAME",
        "Name",
    ),
}
COUNTY_PROPERTIES = ("县区", "县（市、区）", "县(市、区)", "县市区", "XZQMC", "county")


class OutlineOptionError(ValueError):
    """An option that cannot be used (unknown county, a key field the file lacks);
    ``choices``: the file's properties, when the key is the trouble."""

    def __init__(self, message: str, choices: list[str] | None = None) -> None:
        super().__init__(message)
        self.choices = choices or []


class OutlineCancelled(Exception):
    """The clerk cancelled while outlines were written: the caller rolls back."""


@dataclass(frozen=True)
class _Candidate:
    record_id: int
    version: int
    label: str
    region_id: int | None
    registered_mu: float | None
    outline: str | None  # stored outline text, or "lon,lat" of a factory
    outline_mu: float | None


def import_outlines(
    session: Session,
    path: Path | str,
    *,
    kind: RecordKind = RecordKind.PARCEL,
    key: KeyChoice = "code",
    key_field: str | None = None,
    county: str | None = None,
    on_existing: OnExisting = "keep",
    dry_run: bool = False,
    user: str,
    cancelled: Callable[[], bool] | None = None,
    max_points: int = MAX_POINTS,
    source: SourceFile | None = None,
) -> OutlineReport:
    """Read ``path`` and match, report and (unless ``dry_run`` or anything was refused) write
    its outlines; flushes, the caller commits. Raises
    :class:`~landbank.services.outlines.reading.OutlineFileError`, :class:`OutlineOptionError`,
    :class:`OutlineCancelled`, and the record errors of a write (conflict, refusal)."""
    kind = RecordKind(kind)
    if kind not in OUTLINE_KINDS:
        raise OutlineOptionError(f"{kind.label}没有红线或坐标")
    if kind is RecordKind.PARK:
        key = "name"
    source = source or read_outline_file(path, max_points=max_points)
    region_id = resolve_county(session, county)
    prop = _key_property(source, key, key_field)
    label = (
        field_map(kind)[key].label
        if key_field is None
        else f"“{key_field}”（{field_map(kind)[key].label}）"
    )
    report = OutlineReport(
        str(source.path.name), source.format_label, kind, label, dry_run, on_existing
    )
    report.key_names = list(source.key_names)
    report.notes.extend(source.notes)
    report.problems.extend(f"{source.path.name}：{p}" for p in source.problems)
    regions = {r.id: r.name for r in session.execute(select(Region)).scalars() if r.id is not None}
    candidates = _candidates(session, kind, key)
    record_regions = {c.record_id: c.region_id for group in candidates.values() for c in group}
    bind = session.get_bind()
    rights = rights_of(bind if isinstance(bind, Engine) else bind.engine)  # a county clerk's
    claimed: dict[int, int] = {}
    for feature in source.features:
        row = _row(feature, prop, source, kind)
        report.rows.append(row)
        if row.status in (REFUSED, UNMATCHED):
            continue
        _match(
            row, feature, candidates.get(row.key.strip(), []), region_id, regions, kind, on_existing
        )
        if row.record_id is None:
            continue
        if row.record_id in claimed:
            row.status, row.reason = (
                REFUSED,
                f"与第 {claimed[row.record_id]} 个{source.feature_word}对应同一{kind.label}",
            )
            continue
        claimed[row.record_id] = row.number
        refused = rights.can_write(kind, {"region_id": record_regions.get(row.record_id)}, regions)
        if refused and row.status in (NEW, REPLACE):
            row.status, row.reason = REFUSED, refused
    if dry_run or not report.ok:
        return report
    _write(session, report, source, kind, key, candidates, user, cancelled)
    return report


def resolve_county(session: Session, county: str | None) -> int | None:
    """The id of the county named (its full or a short name: 辉县 = 辉县市); None for none;
    raises :class:`OutlineOptionError` naming the ledger's counties."""
    if county is None or not county.strip():
        return None
    names: dict[str, int | None] = {r.name: r.id for r in session.execute(select(Region)).scalars()}
    text = county.strip()
    if text in names:
        return names[text]
    near = [n for n in names if n.startswith(text) or text.startswith(n)]
    if len(near) == 1:
        return names[near[0]]
    raise OutlineOptionError(f"没有名为“{text}”的县区（已有：{'、'.join(sorted(names)) or '无'}）")


def _key_property(source: SourceFile, key: KeyChoice, key_field: str | None) -> str:
    if key_field is not None:
        if key_field not in source.key_names:
            shown = "、".join(source.key_names) or "无"
            raise OutlineOptionError(
                f"{source.path.name} 中没有名为“{key_field}”的属性（文件的属性：{shown}）"
            )
        return key_field
    found = next((p for p in KEY_PROPERTIES[key] if p in source.key_names), None)
    if found is None:
        wanted = "、".join(KEY_PROPERTIES[key][:4])
        shown = "、".join(source.key_names) or "无"
        raise OutlineOptionError(
            f"{source.path.name} 中没有{wanted}等属性可用来匹配（文件的属性：{shown}）；请指定用来匹配的属性",
            source.key_names,
        )
    return found


def _candidates(session: Session, kind: RecordKind, key: KeyChoice) -> dict[str, list[_Candidate]]:
    table: Any = TABLES[kind]
    columns = [
        col(table.id),
        col(table.version),
        getattr(table, key),
        getattr(table, "code", table.name),
    ]
    columns.append(table.region_id)
    if kind is RecordKind.PARCEL:
        columns += [table.area_mu, table.outline_geojson, table.outline_area_mu]
    elif kind is RecordKind.PARK:
        columns += [table.notes, table.outline_geojson, table.outline_area_mu]
    else:
        columns += [table.name, table.longitude, table.latitude]
    result: dict[str, list[_Candidate]] = {}
    for row in session.execute(select(*columns)):
        record_id, version, value, label, region_id, a, b, c = row
        if kind is RecordKind.FACTORY:
            label = f"{label} {a}".strip()
            stored = None if b is None or c is None else f"{b},{c}"
            candidate = _Candidate(record_id, version, label, region_id, None, stored, None)
        else:
            registered = a if kind is RecordKind.PARCEL else None
            candidate = _Candidate(record_id, version, str(label), region_id, registered, b, c)
        if value is not None and str(value).strip():
            result.setdefault(str(value).strip(), []).append(candidate)
    return result


def _row(feature: SourceFeature, prop: str, source: SourceFile, kind: RecordKind) -> OutlineRow:
    row = OutlineRow(feature.number, feature.line, feature.keys.get(prop, ""), NEW)
    row.notes = list(feature.notes)
    row.outline_mu, row.points = feature.area_mu, feature.points
    if feature.problem:
        row.status, row.reason = REFUSED, feature.problem
    elif kind is RecordKind.FACTORY:
        if feature.point is None and feature.geometry is not None:
            centre = feature.geometry.centroid
            feature.point = (float(centre.x), float(centre.y))
            row.notes.append("文件给的是面，取其中心点为厂房位置")
        row.point, row.outline_mu = feature.point, None
    elif feature.geometry is None:
        row.status, row.reason = REFUSED, f"是点要素，{kind.label}需要面（红线）"
    if row.status != REFUSED and not row.key.strip():
        row.status, row.reason = UNMATCHED, f"没有“{prop}”的值"
    return row


def _match(
    row: OutlineRow,
    feature: SourceFeature,
    found: list[_Candidate],
    region_id: int | None,
    regions: dict[int, str],
    kind: RecordKind,
    on_existing: OnExisting,
) -> None:
    if region_id is None:
        named = next(
            (feature.keys[p].strip() for p in COUNTY_PROPERTIES if feature.keys.get(p, "").strip()),
            "",
        )
        region_id = (
            next((rid for rid, name in regions.items() if name == named), None) if named else None
        )
    if region_id is not None:
        found = [c for c in found if c.region_id == region_id]
    if len(found) != 1:
        row.status = UNMATCHED
        where = f"（{regions.get(region_id, '')}）" if region_id is not None else ""
        row.reason = (
            f"台账中没有此{kind.label}{where}"
            if not found
            else f"{len(found)} 个县区都有此{kind.label}（{'、'.join(regions.get(c.region_id or 0, '') for c in found)}），请指定县区"
        )
        return
    candidate = found[0]
    row.record_id, row.record_label = candidate.record_id, candidate.label
    row.region = regions.get(candidate.region_id or 0, "")
    row.registered_mu = candidate.registered_mu
    row.mismatch = kind is RecordKind.PARCEL and outline_area_mismatch(
        row.registered_mu, row.outline_mu
    )
    row.old_outline_mu = candidate.outline_mu
    if candidate.outline:
        new_text = _stored_text(row, feature, kind)
        replace = REPLACE if on_existing == "replace" else KEEP
        row.status = SAME if new_text == candidate.outline else replace


def _stored_text(row: OutlineRow, feature: SourceFeature, kind: RecordKind) -> str:
    if kind is RecordKind.FACTORY:
        assert row.point is not None
        return f"{round(row.point[0], 7)},{round(row.point[1], 7)}"
    return geometry_text(feature.geometry)


def _write(
    session: Session,
    report: OutlineReport,
    source: SourceFile,
    kind: RecordKind,
    key: KeyChoice,
    candidates: dict[str, list[_Candidate]],
    user: str,
    cancelled: Callable[[], bool] | None,
) -> None:
    versions = {c.record_id: c.version for group in candidates.values() for c in group}
    features = {f.number: f for f in source.features}
    audit_source = f"{SOURCE_PREFIX}{source.path.name}"
    for row in report.rows:
        if row.status not in (NEW, REPLACE) or row.record_id is None:
            continue
        if cancelled is not None and cancelled():
            raise OutlineCancelled
        feature = features[row.number]
        if kind is RecordKind.FACTORY:
            assert row.point is not None
            save_point(
                session,
                row.record_id,
                row.point,
                expected_version=versions[row.record_id],
                user=user,
                source=audit_source,
            )
        else:
            assert row.outline_mu is not None
            save_outline(
                session, kind, row.record_id, expected_version=versions[row.record_id],
                geojson=geometry_text(feature.geometry), area_mu=row.outline_mu,
                source_text=f"{source.format_label} {source.path.name}，{feature.crs_text}",
                user=user, source=audit_source,
            )  # fmt: skip
    report.written = report.to_write > 0
