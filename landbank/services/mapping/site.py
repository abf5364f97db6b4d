"""One site and its surroundings, for the map excerpt of the 推介单 and the 招商手册: the
parcel's outline (or the building's point), and the parcels, buildings and parks within a margin.

Parcels hold no box of their outline, so the neighbours are chosen in two steps: the first
characters of the outline texts of the site's county give each a first vertex (cheap), and only
those near the site are read whole. A typical site takes a few milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.mapping.geometry import PREFIX_CHARS, first_point, parse_outline
from landbank.services.mapping.projection import Projection
from landbank.services.mapping.shapes import Bounds, FeatureCollector, MapFeature
from landbank.store.models import TABLES, Park

MARGIN_M = 600.0  # around the site's box
REACH_M = 3000.0  # how far a neighbour's first vertex may lie from what it outlines
MAX_NEIGHBOURS = 400
METRES_PER_DEGREE = 111_320.0


@dataclass
class SiteMap:
    """A site (``site``) and its neighbours, projected onto ``projection``."""

    projection: Projection
    site: MapFeature
    neighbours: list[MapFeature] = field(default_factory=list)
    parks: list[MapFeature] = field(default_factory=list)

    def frame(self, margin_m: float = MARGIN_M) -> Bounds:
        x0, y0, x1, y1 = self.site.bounds
        return (x0 - margin_m, y0 - margin_m, x1 + margin_m, y1 + margin_m)


def _degrees_box(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    dlat = metres / METRES_PER_DEGREE
    dlon = metres / (METRES_PER_DEGREE * max(0.1, math.cos(math.radians(lat))))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def _site_collector(
    session: Session, kind: RecordKind, record_id: int
) -> tuple[FeatureCollector, int | None, tuple[float, float]] | None:
    """The site alone (and its county, its lon/lat), or None when it has no outline/point."""
    table = TABLES[kind].__table__  # type: ignore[attr-defined]
    collector = FeatureCollector()
    if kind is RecordKind.PARCEL:
        row = session.execute(
            select(table.c.code, table.c.status, table.c.region_id, table.c.outline_geojson).where(
                table.c.id == record_id
            )
        ).first()
        if row is None:
            return None
        polygons = parse_outline(row.outline_geojson)
        if polygons is None:
            return None
        collector.add_outline(kind, record_id, row.code or "", row.status or "", polygons)
        ring = polygons[0][0]
        centre = (float(ring[:, 0].mean()), float(ring[:, 1].mean()))
        return collector, row.region_id, centre
    if kind is RecordKind.FACTORY:
        row = session.execute(
            select(
                table.c.code,
                table.c.status,
                table.c.region_id,
                table.c.longitude,
                table.c.latitude,
            ).where(table.c.id == record_id)
        ).first()
        if row is None or row.longitude is None or row.latitude is None:
            return None
        lon, lat = float(row.longitude), float(row.latitude)
        if not collector.add_point(kind, record_id, row.code or "", row.status or "", lon, lat):
            return None
        return collector, row.region_id, (lon, lat)
    return None


def _near_parcels(
    session: Session,
    region_id: int | None,
    exclude: int | None,
    box: tuple[float, float, float, float],
    collector: FeatureCollector,
) -> None:
    table = TABLES[RecordKind.PARCEL].__table__  # type: ignore[attr-defined]
    text = table.c.outline_geojson
    clauses = [text.is_not(None), text != ""]
    if region_id is not None:
        clauses.append(table.c.region_id == region_id)
    if exclude is not None:
        clauses.append(table.c.id != exclude)
    near: list[int] = []
    prefixes = session.execute(
        select(table.c.id, func.substr(text, 1, PREFIX_CHARS)).where(and_(*clauses))
    )
    for record_id, prefix in prefixes:
        point = first_point(prefix)
        if point is not None and box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]:
            near.append(record_id)
            if len(near) >= MAX_NEIGHBOURS:
                break
    if not near:
        return
    rows = session.execute(
        select(table.c.id, table.c.code, table.c.status, text)
        .where(table.c.id.in_(near))
        .order_by(table.c.id)
    )
    for record_id, code, status, outline in rows:
        polygons = parse_outline(outline)
        if polygons is not None:
            collector.add_outline(RecordKind.PARCEL, record_id, code or "", status or "", polygons)


def _near_factories(
    session: Session,
    exclude: int | None,
    box: tuple[float, float, float, float],
    collector: FeatureCollector,
) -> None:
    table = TABLES[RecordKind.FACTORY].__table__  # type: ignore[attr-defined]
    stmt = select(
        table.c.id, table.c.code, table.c.status, table.c.longitude, table.c.latitude
    ).where(
        table.c.longitude.between(box[0], box[2]),
        table.c.latitude.between(box[1], box[3]),
    )
    if exclude is not None:
        stmt = stmt.where(table.c.id != exclude)
    for record_id, code, status, lon, lat in session.execute(stmt.limit(MAX_NEIGHBOURS)):
        collector.add_point(
            RecordKind.FACTORY, record_id, code or "", status or "", float(lon), float(lat)
        )


def _near_parks(session: Session, region_id: int | None, collector: FeatureCollector) -> None:
    table = Park.__table__  # type: ignore[attr-defined]
    stmt = select(table.c.id, table.c.name, table.c.outline_geojson).where(
        table.c.outline_geojson.is_not(None)
    )
    if region_id is not None:
        stmt = stmt.where(table.c.region_id == region_id)
    for park_id, name, text in session.execute(stmt.limit(MAX_NEIGHBOURS)):
        polygons = parse_outline(text)
        if polygons is not None:
            collector.add_outline(RecordKind.PARK, park_id, name or "", "", polygons)


def load_site(
    session: Session, kind: RecordKind, record_id: int, margin_m: float = MARGIN_M
) -> SiteMap | None:
    """The site map of a parcel or a building; None when it has no outline or position (or
    is not there)."""
    found = _site_collector(session, kind, record_id)
    if found is None:
        return None
    site_collector, region_id, (lon, lat) = found
    projection = Projection.around(lon)
    site = site_collector.project(projection)[0]
    x0, y0, x1, y1 = site.bounds
    half = max(x1 - x0, y1 - y0) / 2 + margin_m
    box = _degrees_box(lon, lat, half + REACH_M)
    neighbours = FeatureCollector()
    _near_parcels(
        session, region_id, record_id if kind is RecordKind.PARCEL else None, box, neighbours
    )
    _near_factories(
        session,
        record_id if kind is RecordKind.FACTORY else None,
        _degrees_box(lon, lat, half),
        neighbours,
    )
    parks = FeatureCollector()
    _near_parks(session, region_id, parks)
    return SiteMap(projection, site, neighbours.project(projection), parks.project(projection))
