"""A small ledger with outlines and positions for the map's tests: two counties around
新乡 (113.9°E, 35.3°N), a park outline each, parcels with square outlines (one with a hole,
one of two parts, one without outline, one broken), buildings with and without a position.

The outline column is not in the field catalogue (the outline import writes it), so it is
written here by a direct update after the records are created through the services."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from sqlalchemy import Engine, update

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.engine import write_session
from landbank.store.models import LandParcel, Park

LON, LAT = 113.9, 35.3
METRES_PER_DEGREE = 111_320.0


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """A point ``east_m``/``north_m`` metres from (lon, lat) (small distances)."""
    return (
        lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
        lat + north_m / METRES_PER_DEGREE,
    )


def square_ring(lon: float, lat: float, side_m: float) -> list[list[float]]:
    half = side_m / 2
    corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]
    return [list(offset(lon, lat, e, n)) for e, n in corners]


def square(lon: float, lat: float, side_m: float, *, hole_m: float = 0.0) -> str:
    rings = [square_ring(lon, lat, side_m)]
    if hole_m:
        rings.append(square_ring(lon, lat, hole_m)[::-1])
    return json.dumps({"type": "Polygon", "coordinates": rings})


def two_squares(lon: float, lat: float, side_m: float, gap_m: float) -> str:
    east = offset(lon, lat, side_m + gap_m, 0)
    return json.dumps(
        {
            "type": "MultiPolygon",
            "coordinates": [[square_ring(lon, lat, side_m)], [square_ring(*east, side_m)]],
        }
    )


@dataclass
class MapCity:
    regions: dict[str, int] = field(default_factory=dict)
    parks: dict[str, int] = field(default_factory=dict)
    parcels: dict[str, int] = field(default_factory=dict)
    factories: dict[str, int] = field(default_factory=dict)


# code, county, east/north of the centre (m), side (m), status, outline kind
PARCELS = [
    ("QS-001", "青山县", (0, 0), 300, "可供", "square"),
    ("QS-002", "青山县", (600, 0), 250, "意向锁定", "hole"),
    ("QS-003", "青山县", (0, 600), 200, "已挂牌", "two"),
    ("QS-004", "青山县", (0, 0), 0, "可供", None),  # no outline
    ("QS-005", "青山县", (0, 0), 0, "可供", "broken"),
    ("BJ-001", "滨江区", (3000, -2000), 400, "已出让/划拨", "square"),
    ("BJ-002", "滨江区", (3600, -2000), 300, "已竣工投产", "square"),
]
FACTORIES = [
    ("F-1", "青山县", (300, 300), "闲置"),
    ("F-2", "青山县", (-300, 300), "已入驻"),
    ("F-3", "滨江区", (3300, -1700), "部分入驻"),
    ("F-4", "滨江区", None, "已建成"),  # no position
]


def outline_text(kind: str | None, at: tuple[float, float], side: float) -> str | None:
    if kind is None:
        return None
    if kind == "broken":
        return '{"type": "Polygon", "coordinates": [[1, 2'
    lon, lat = offset(LON, LAT, *at)
    if kind == "hole":
        return square(lon, lat, side, hole_m=side / 3)
    if kind == "two":
        return two_squares(lon, lat, side, 50)
    return square(lon, lat, side)


def build_map_city(engine: Engine) -> MapCity:
    city = MapCity()
    with write_session(engine) as s:
        for name, kind, park, at in (
            ("青山县", "县", "青山经开区", (300, 300)),
            ("滨江区", "区", "滨江高新园", (3300, -2000)),
        ):
            region = create_record(
                s, RecordKind.REGION, {"name": name, "kind": kind}, user="测试员"
            )
            city.regions[name] = region.id  # type: ignore[assignment]
            park_record = create_record(
                s, RecordKind.PARK, {"name": park, "region_id": region.id}, user="测试员"
            )
            city.parks[park] = park_record.id  # type: ignore[assignment]
            s.execute(
                update(Park)
                .where(Park.id == park_record.id)  # type: ignore[arg-type]
                .values(outline_geojson=square(*offset(LON, LAT, *at), 2500))
            )
        for code, county, at, side, status, shape in PARCELS:
            record = create_record(
                s,
                RecordKind.PARCEL,
                {
                    "code": code,
                    "region_id": city.regions[county],
                    "area_mu": 100.0,
                    "readiness": "净地(可供)",
                    "status": status,
                },
                user="测试员",
            )
            city.parcels[code] = record.id  # type: ignore[assignment]
            text = outline_text(shape, at, side)
            if text is not None:
                s.execute(
                    update(LandParcel)
                    .where(LandParcel.id == record.id)  # type: ignore[arg-type]
                    .values(outline_geojson=text)
                )
        for code, county, where, status in FACTORIES:
            values: dict[str, object] = {
                "code": code,
                "name": f"{code} 栋",
                "region_id": city.regions[county],
                "status": status,
                "floor_area_m2": 5000.0,
                "idle_area_m2": 5000.0 if status == "闲置" else 0.0,
            }
            if where is not None:
                values["longitude"], values["latitude"] = offset(LON, LAT, *where)
            record = create_record(s, RecordKind.FACTORY, values, user="测试员")
            city.factories[code] = record.id  # type: ignore[assignment]
    return city
