"""What the 地图 tab shows: the parcels (outlines) and buildings (points) of the lists' filters,
and the parks' outlines as a faint backdrop.

Only the columns a map needs are read (id, code, status and the outline text or the position),
in id order, streamed and decoded one row at a time; at most :data:`MAX_FEATURES` of a kind
are drawn (a 300,000-parcel ledger asks the clerk to filter), and what has no outline or
position is counted (“N 个地块无红线”), never drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.mapping.geometry import parse_outline
from landbank.services.mapping.projection import Projection
from landbank.services.mapping.shapes import Bounds, FeatureCollector, MapFeature, union_bounds
from landbank.store.models import TABLES, Park
from landbank.store.queries import RecordFilter, filter_clauses

MAX_FEATURES = 20_000  # of each kind on one map
STREAM_ROWS = 2_000


@dataclass
class MapData:
    """The features of one map, projected onto ``projection`` (None when there is nothing)."""

    projection: Projection | None = None
    parcels: list[MapFeature] = field(default_factory=list)
    factories: list[MapFeature] = field(default_factory=list)
    parks: list[MapFeature] = field(default_factory=list)
    parcels_total: int = 0  # parcels under the filter
    parcels_without_outline: int = 0
    factories_total: int = 0
    factories_without_point: int = 0
    unreadable: int = 0  # outlines or positions that do not read
    parcels_not_shown: int = 0  # beyond MAX_FEATURES
    factories_not_shown: int = 0

    @property
    def features(self) -> list[MapFeature]:
        return self.parcels + self.factories

    @property
    def empty(self) -> bool:
        return not self.parcels and not self.factories

    def bounds(self) -> Bounds | None:
        """The box of the parcels and buildings (the parks when there are none)."""
        shown = union_bounds([f.bounds for f in self.features])
        return shown or union_bounds([f.bounds for f in self.parks])

    def find(self, kind: RecordKind, record_id: int) -> MapFeature | None:
        for feature in self.parcels if kind is RecordKind.PARCEL else self.factories:
            if feature.record_id == record_id:
                return feature
        return None


def _has_outline(column: Any) -> Any:
    return and_(column.is_not(None), column != "")


def _stream(session: Session, stmt: Any) -> Any:
    return session.execute(stmt.execution_options(yield_per=STREAM_ROWS))


def _load_parcels(
    session: Session, flt: RecordFilter, collector: FeatureCollector, data: MapData
) -> None:
    table = TABLES[RecordKind.PARCEL].__table__  # type: ignore[attr-defined]
    clauses = filter_clauses(RecordKind.PARCEL, flt, session)
    outlined = _has_outline(table.c.outline_geojson)
    total, with_outline = session.execute(
        select(func.count(), func.coalesce(func.sum(case((outlined, 1), else_=0)), 0))
        .select_from(table)
        .where(*clauses)
    ).one()
    data.parcels_total = int(total)
    data.parcels_without_outline = int(total) - int(with_outline)
    data.parcels_not_shown = max(0, int(with_outline) - MAX_FEATURES)
    stmt = (
        select(table.c.id, table.c.code, table.c.status, table.c.outline_geojson)
        .where(*clauses, outlined)
        .order_by(table.c.id)
        .limit(MAX_FEATURES)
    )
    for record_id, code, status, text in _stream(session, stmt):
        polygons = parse_outline(text)
        if polygons is None:
            data.unreadable += 1
            continue
        collector.add_outline(RecordKind.PARCEL, record_id, code or "", status or "", polygons)


def _load_factories(
    session: Session, flt: RecordFilter, collector: FeatureCollector, data: MapData
) -> None:
    table = TABLES[RecordKind.FACTORY].__table__  # type: ignore[attr-defined]
    clauses = filter_clauses(RecordKind.FACTORY, flt, session)
    placed = and_(table.c.longitude.is_not(None), table.c.latitude.is_not(None))
    total, with_point = session.execute(
        select(func.count(), func.coalesce(func.sum(case((placed, 1), else_=0)), 0))
        .select_from(table)
        .where(*clauses)
    ).one()
    data.factories_total = int(total)
    data.factories_without_point = int(total) - int(with_point)
    data.factories_not_shown = max(0, int(with_point) - MAX_FEATURES)
    stmt = (
        select(table.c.id, table.c.code, table.c.status, table.c.longitude, table.c.latitude)
        .where(*clauses, placed)
        .order_by(table.c.id)
        .limit(MAX_FEATURES)
    )
    for record_id, code, status, lon, lat in _stream(session, stmt):
        if not collector.add_point(
            RecordKind.FACTORY, record_id, code or "", status or "", float(lon), float(lat)
        ):
            data.unreadable += 1


def _park_clause(parcels: RecordFilter, factories: RecordFilter) -> Any:
    """The parks behind the map: those the filters name, else the filters' counties' (else all)."""
    table = Park.__table__  # type: ignore[attr-defined]
    park_ids = set(parcels.park_ids) | set(factories.park_ids)
    region_ids = set(parcels.region_ids) | set(factories.region_ids)
    if park_ids:
        return table.c.id.in_(sorted(park_ids))
    if region_ids:
        return table.c.region_id.in_(sorted(region_ids))
    return None


def _load_parks(session: Session, clause: Any, collector: FeatureCollector) -> None:
    table = Park.__table__  # type: ignore[attr-defined]
    stmt = select(table.c.id, table.c.name, table.c.outline_geojson).where(
        _has_outline(table.c.outline_geojson)
    )
    if clause is not None:
        stmt = stmt.where(clause)
    for park_id, name, text in _stream(session, stmt.order_by(table.c.id).limit(MAX_FEATURES)):
        polygons = parse_outline(text)
        if polygons is not None:
            collector.add_outline(RecordKind.PARK, park_id, name or "", "", polygons)


def load_map(
    session: Session,
    parcels: RecordFilter | None = RecordFilter(),
    factories: RecordFilter | None = RecordFilter(),
) -> MapData:
    """The map of the parcels under ``parcels`` and the buildings under ``factories`` (None:
    that kind is not shown), with the parks' outlines behind them."""
    data = MapData()
    records = FeatureCollector()
    if parcels is not None:
        _load_parcels(session, parcels, records, data)
    if factories is not None:
        _load_factories(session, factories, records, data)
    parks = FeatureCollector()
    _load_parks(
        session, _park_clause(parcels or RecordFilter(), factories or RecordFilter()), parks
    )
    centre = records.centre_longitude()
    if centre is None:
        centre = parks.centre_longitude()
    if centre is None:
        return data
    data.projection = Projection.around(centre)
    for feature in records.project(data.projection):
        (data.parcels if feature.kind is RecordKind.PARCEL else data.factories).append(feature)
    data.parks = parks.project(data.projection)
    return data


def describe_missing(data: MapData) -> str:
    """The map's note on what it does not draw (empty when it draws everything)."""
    parts = []
    if data.parcels_without_outline:
        parts.append(f"{data.parcels_without_outline:,} 个地块无红线")
    if data.factories_without_point:
        parts.append(f"{data.factories_without_point:,} 栋厂房无坐标")
    if data.unreadable:
        parts.append(f"{data.unreadable:,} 条红线或坐标无法读取")
    not_shown = data.parcels_not_shown + data.factories_not_shown
    if not_shown:
        parts.append(f"另有 {not_shown:,} 条超出显示上限（{MAX_FEATURES:,} 条/类），请缩小筛选")
    return "；".join(parts)
