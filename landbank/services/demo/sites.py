"""Where the demo city's sites lie: an outline (红线) for most parcels, a position for most
buildings and an outline round each park, so that the 地图 tab, the map excerpts of the 推介单
and the 资料完整度 show something on a new demo ledger.

The parcels of a park are laid out in rows of rectangles (the area each parcel registers, its
sides in a random ratio) along the park's roads, near the county's real seat; a parcel outside
any park lies in a cluster of its county's own. About one parcel in eight has no outline yet,
and about one in twelve an outline 2–5 % larger or smaller than its registered area (as a new
survey finds), which the app flags as 红线面积不符. Outlines are written as an outline import
writes them (versioned, audited, source “演示数据”). Everything here draws from its own random
stream, so the rest of the demo city is the same with or without it.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict

from shapely import affinity  # type: ignore[import-untyped]
from shapely.geometry import MultiPoint, Point, Polygon, box, mapping  # type: ignore[import-untyped]
from sqlmodel import col, select

from landbank.domain.enums import RecordKind
from landbank.domain.outlines.zones import CGCS2000_LONLAT, Datum, Zone, zone_of_longitude
from landbank.services.demo import data
from landbank.services.demo.writer import SOURCE, DemoWriter
from landbank.services.outlines.projection import area_mu, reproject, to_lonlat
from landbank.services.outlines.saving import save_outline, save_point
from landbank.store.models import Factory, LandParcel, Park

M2_PER_MU = 10000 / 15
# The county seats (longitude, latitude), near which the demo's parks lie.
SEATS: dict[str, tuple[float, float]] = {
    "辉县市": (113.806, 35.462),
    "获嘉县": (113.657, 35.259),
    "原阳县": (113.940, 35.065),
    "红旗区": (113.875, 35.303),
    "牧野区": (113.909, 35.315),
}
ROAD_M = 30.0  # between two rows of parcels
ROW_LENGTH_M = 1600.0
OUTSIDE_PARKS = "—"  # the cluster of a county's parcels outside any park


class SiteMaker(DemoWriter):
    def locate(self, region: data.RegionSpec) -> None:
        """Outlines of the region's parcels and parks, positions of its buildings."""
        rng = random.Random(f"sites-{self.year}-{region.name}")
        seat = SEATS.get(region.name, (113.9, 35.3))
        zone = Zone(Datum.CGCS2000, 3, zone_of_longitude(seat[0], 3), prefixed=False)
        seat_x, seat_y = _projected_seat(seat, zone)
        region_id = self.region_ids[region.name]
        clusters = [p.name for p in region.parks] + [OUTSIDE_PARKS]
        origins = {
            name: (
                seat_x + 3500 * math.cos(2 * math.pi * i / len(clusters) + 0.6),
                seat_y + 3500 * math.sin(2 * math.pi * i / len(clusters) + 0.6),
            )
            for i, name in enumerate(clusters)
        }
        park_names = {self.park_ids[p.name]: p.name for p in region.parks}
        parcels = self.session.execute(
            select(
                col(LandParcel.id), col(LandParcel.version), col(LandParcel.area_mu),
                col(LandParcel.park_id),
            )
            .where(col(LandParcel.region_id) == region_id)
            .order_by(col(LandParcel.id))
        ).all()  # fmt: skip
        cursors: dict[str, list[float]] = {name: [0.0, 0.0, 0.0] for name in clusters}
        footprints: dict[str, list[Polygon]] = defaultdict(list)
        for parcel_id, version, area, park_id in parcels:
            cluster = park_names.get(park_id, OUTSIDE_PARKS) if park_id else OUTSIDE_PARKS
            shape = _next_rectangle(rng, cursors[cluster], origins[cluster], area * M2_PER_MU)
            footprints[cluster].append(shape)
            if rng.random() < 0.125:
                continue  # not surveyed yet
            if rng.random() < 0.08:  # a new survey that differs from the register
                factor = 1 + rng.choice((-1, 1)) * rng.uniform(0.02, 0.05)
                shape = _scaled(shape, factor)
            self._outline(RecordKind.PARCEL, parcel_id, version, shape, zone)
        for park in region.parks:
            shapes = footprints.get(park.name)
            if shapes:
                hull = MultiPoint([pt for s in shapes for pt in s.exterior.coords]).convex_hull
                park_id = self.park_ids[park.name]
                version = self.session.get(Park, park_id).version  # type: ignore[union-attr]
                self._outline(RecordKind.PARK, park_id, version, hull.buffer(80, 2), zone)
        self._buildings(rng, region_id, region, origins, zone)

    def _buildings(
        self,
        rng: random.Random,
        region_id: int,
        region: data.RegionSpec,
        origins: dict[str, tuple[float, float]],
        zone: Zone,
    ) -> None:
        park_names = {self.park_ids[p.name]: p.name for p in region.parks}
        buildings = self.session.execute(
            select(col(Factory.id), col(Factory.version), col(Factory.park_id))
            .where(col(Factory.region_id) == region_id)
            .order_by(col(Factory.id))
        ).all()
        for factory_id, version, park_id in buildings:
            if rng.random() < 0.1:
                continue  # its position not recorded yet
            x0, y0 = origins[park_names.get(park_id, OUTSIDE_PARKS)]
            x = x0 + rng.uniform(-200, ROW_LENGTH_M + 200)
            y = y0 - rng.uniform(250, 650)  # the factory quarter, south of the parcels' rows
            point = to_lonlat(Point(x, y), zone)
            save_point(
                self.session, factory_id, (point.x, point.y), expected_version=version,
                user=self.user, source=SOURCE,
            )  # fmt: skip

    def _outline(
        self, kind: RecordKind, record_id: int, version: int, shape: Polygon, zone: Zone
    ) -> None:
        lonlat = to_lonlat(shape, zone)
        geojson = json.dumps(mapping(lonlat), separators=(",", ":"))
        save_outline(
            self.session, kind, record_id, expected_version=version, geojson=geojson,
            area_mu=area_mu(lonlat), source_text=f"演示数据（2000国家大地坐标系 3°带 {zone.number}带）",
            user=self.user, source=SOURCE,
        )  # fmt: skip


def _projected_seat(seat: tuple[float, float], zone: Zone) -> tuple[float, float]:
    point = reproject(Point(seat), CGCS2000_LONLAT, zone.epsg)
    return float(point.x), float(point.y)


def _next_rectangle(
    rng: random.Random, cursor: list[float], origin: tuple[float, float], area_m2: float
) -> Polygon:
    """The next parcel of a cluster's rows: ``cursor`` is [x along the row, y of the row, the
    row's deepest parcel so far]."""
    ratio = rng.uniform(0.6, 1.6)
    width = math.sqrt(area_m2 * ratio)
    depth = area_m2 / width
    if cursor[0] > 0 and cursor[0] + width > ROW_LENGTH_M:
        cursor[1] += cursor[2] + ROAD_M
        cursor[0] = cursor[2] = 0.0
    x = origin[0] + cursor[0]
    y = origin[1] + cursor[1]
    cursor[0] += width + rng.uniform(8, 25)
    cursor[2] = max(cursor[2], depth)
    return box(x, y, x + width, y + depth)


def _scaled(shape: Polygon, factor: float) -> Polygon:
    """``shape`` with its area times ``factor`` (about its lower left corner)."""
    side = math.sqrt(factor)
    minx, miny, _, _ = shape.bounds
    return affinity.scale(shape, side, side, origin=(minx, miny))
