"""The map's features: loaded under the lists' filters, projected onto the CGCS2000 3° zone of
their centre, counted when they have no outline or position."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from pyproj import CRS, Geod
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.mapping.features import MAX_FEATURES, describe_missing, load_map
from landbank.services.mapping.geometry import first_point, parse_outline
from landbank.services.mapping.projection import Projection, central_meridian, zone_epsg
from landbank.services.mapping.scale import format_distance, round_length, scale_bar
from landbank.services.mapping.site import load_site
from landbank.store.engine import read_session
from landbank.store.queries import RecordFilter
from tests.services.mapping.city import LAT, LON, build_map_city


@pytest.mark.parametrize(
    ("lon", "meridian", "epsg"),
    [
        (113.9, 114, 4547),
        (75.2, 75, 4534),
        (134.9, 135, 4554),
        (112.4, 111, 4546),
        (88.0, 87, 4538),
    ],
)
def test_the_zone_is_the_cgcs2000_3_degree_zone_of_the_longitude(
    lon: float, meridian: int, epsg: int
) -> None:
    assert central_meridian(lon) == meridian
    assert zone_epsg(lon) == epsg
    name = CRS.from_epsg(epsg).name
    assert name == f"CGCS2000 / 3-degree Gauss-Kruger CM {meridian}E"


def test_a_kilometre_on_the_ground_is_a_kilometre_on_the_map() -> None:
    geod = Geod(ellps="GRS80")  # CGCS2000's ellipsoid
    projection = Projection.around(LON)
    for azimuth in (0.0, 45.0, 90.0, 200.0):
        lon2, lat2, _ = geod.fwd(LON, LAT, azimuth, 1000.0)
        x1, y1 = projection.point(LON, LAT)
        x2, y2 = projection.point(lon2, lat2)
        assert math.hypot(x2 - x1, y2 - y1) == pytest.approx(1000.0, rel=0.001)
    # North is up: a point north of another has the larger y, the same x (on the meridian).
    x1, y1 = projection.point(114.0, 35.0)
    x2, y2 = projection.point(114.0, 35.01)
    assert y2 > y1
    assert x2 == pytest.approx(x1, abs=0.01)


def test_scale_bar_lengths_are_round_and_fit() -> None:
    assert [round_length(v) for v in (0.5, 7, 19.9, 20, 480, 999, 1000, 3400)] == [
        1,
        5,
        10,
        20,
        200,
        500,
        1000,
        2000,
    ]
    bar = scale_bar(pixels_per_metre=0.25, max_pixels=160)  # 640 m fit: 500 m, 125 px
    assert bar is not None
    assert (bar.metres, bar.pixels, bar.label) == (500, 125, "500 m")
    assert format_distance(2000) == "2 km"
    assert format_distance(1500) == "1.5 km"
    assert scale_bar(0, 100) is None


def test_outlines_read_polygons_with_holes_and_refuse_the_rest() -> None:
    ring = [[113.9, 35.3], [113.91, 35.3], [113.91, 35.31], [113.9, 35.3]]
    hole = [[113.902, 35.302], [113.904, 35.302], [113.904, 35.304], [113.902, 35.302]]
    polygons = parse_outline(f'{{"type":"Polygon","coordinates":[{ring},{hole}]}}')
    assert polygons is not None
    assert len(polygons) == 1
    assert len(polygons[0]) == 2
    multi = parse_outline(f'{{"type":"MultiPolygon","coordinates":[[{ring}],[{ring}]]}}')
    assert multi is not None
    assert len(multi) == 2
    feature = parse_outline(
        f'{{"type":"Feature","geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}'
    )
    assert feature is not None
    for bad in (
        "",
        "{",
        '{"type":"Point","coordinates":[113.9,35.3]}',
        '{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6]]]}',  # not in China
        '{"type":"Polygon","coordinates":[[[113.9,35.3]]]}',
        '{"type":"Polygon","coordinates":[[[113.9,NaN],[113.91,35.3],[113.91,35.31],[113.9,35.3]]]}',
        '{"type":"Polygon","coordinates":[[[113.9,Infinity],[113.91,35.3],[113.9,35.3],[1,1]]]}',
        "[1,2]",
    ):
        assert parse_outline(bad) is None, bad
    assert first_point('{"type":"Polygon","coordinates":[[[113.9, 35.3],') == (113.9, 35.3)
    assert first_point('{"coordinates": [[[-3e2, 1') is None


def test_the_map_of_a_filter(engine: Engine) -> None:
    city = build_map_city(engine)
    with read_session(engine) as s:
        data = load_map(s)
    assert data.projection is not None
    assert data.projection.epsg == 4547
    assert {f.code for f in data.parcels} == {"QS-001", "QS-002", "QS-003", "BJ-001", "BJ-002"}
    assert {f.code for f in data.factories} == {"F-1", "F-2", "F-3"}
    assert (data.parcels_total, data.parcels_without_outline) == (7, 1)
    assert (data.factories_total, data.factories_without_point) == (4, 1)
    assert data.unreadable == 1  # QS-005's broken text
    assert len(data.parks) == 2
    assert describe_missing(data) == "1 个地块无红线；1 栋厂房无坐标；1 条红线或坐标无法读取"
    # The hole and the two parts are kept; sizes are true in metres.
    qs1 = data.find(RecordKind.PARCEL, city.parcels["QS-001"])
    qs2 = data.find(RecordKind.PARCEL, city.parcels["QS-002"])
    qs3 = data.find(RecordKind.PARCEL, city.parcels["QS-003"])
    assert qs1 is not None
    assert qs2 is not None
    assert qs3 is not None
    assert qs1.bounds[2] - qs1.bounds[0] == pytest.approx(300, rel=0.01)
    assert len(qs2.polygons) == 1
    assert len(qs2.polygons[0]) == 2
    assert len(qs3.polygons) == 2
    assert qs2.anchor[0] - qs1.anchor[0] == pytest.approx(600, rel=0.01)
    f1 = data.find(RecordKind.FACTORY, city.factories["F-1"])
    assert f1 is not None
    assert f1.is_point
    assert (f1.anchor[0] - qs1.anchor[0], f1.anchor[1] - qs1.anchor[1]) == pytest.approx(
        (300, 300), rel=0.01
    )

    # The filter bar's filter: one county, one status.
    qs = RecordFilter(region_ids=(city.regions["青山县"],))
    with read_session(engine) as s:
        data = load_map(s, RecordFilter(region_ids=qs.region_ids, statuses=("可供",)), qs)
    assert [f.code for f in data.parcels] == ["QS-001"]
    assert {f.code for f in data.factories} == {"F-1", "F-2"}
    assert data.parcels_without_outline == 1
    assert data.factories_without_point == 0
    assert [p.code for p in data.parks] == ["青山经开区"]
    # Only parcels (the factories' list not shown); a search matching nothing: empty.
    with read_session(engine) as s:
        only = load_map(s, RecordFilter(), None)
        nothing = load_map(s, RecordFilter(search="没有这个"), RecordFilter(search="没有这个"))
    assert only.factories == []
    assert len(only.parcels) == 5
    assert nothing.empty
    assert nothing.parcels_total == 0


def test_an_empty_ledger_has_an_empty_map(engine: Engine) -> None:
    with read_session(engine) as s:
        data = load_map(s)
    assert data.empty
    assert data.projection is None
    assert data.bounds() is None
    assert describe_missing(data) == ""


def test_a_site_and_its_neighbours(engine: Engine) -> None:
    city = build_map_city(engine)
    with read_session(engine) as s:
        site = load_site(s, RecordKind.PARCEL, city.parcels["QS-001"])
        factory = load_site(s, RecordKind.FACTORY, city.factories["F-3"])
        assert load_site(s, RecordKind.PARCEL, city.parcels["QS-004"]) is None  # no outline
        assert load_site(s, RecordKind.PARCEL, city.parcels["QS-005"]) is None  # broken
        assert load_site(s, RecordKind.FACTORY, city.factories["F-4"]) is None  # no position
        assert load_site(s, RecordKind.PARCEL, 9999) is None
    assert site is not None
    assert site.site.code == "QS-001"
    # Its county's parcels near it and the buildings within the margin; not 滨江区's.
    assert {f.code for f in site.neighbours} == {"QS-002", "QS-003", "F-1", "F-2"}
    assert [p.code for p in site.parks] == ["青山经开区"]
    x0, y0, x1, y1 = site.frame(100)
    assert x1 - x0 == pytest.approx(500, rel=0.01)
    assert y1 - y0 == pytest.approx(500, rel=0.01)
    assert factory is not None
    assert factory.site.is_point
    assert {f.code for f in factory.neighbours} == {"BJ-001", "BJ-002"}


def test_the_map_is_bounded_for_a_large_ledger(engine: Engine) -> None:
    """More outlined parcels than a map draws: the first MAX_FEATURES are shown, the rest
    counted; loading stays well under seconds."""
    from sqlalchemy import insert

    from landbank.services.records.saving import create_record
    from landbank.store.engine import write_session
    from landbank.store.models import LandParcel, utc_now
    from tests.services.mapping.city import offset, square

    n = MAX_FEATURES + 500
    with write_session(engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "青山县", "kind": "县"}, user="t")
        now = utc_now()
        rows = []
        for i in range(n):
            lon, lat = offset(LON, LAT, (i % 150) * 120.0, (i // 150) * 120.0)
            rows.append(
                {
                    "uuid": f"00000000-0000-7000-8000-{i:012d}",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "code": f"P-{i:06d}",
                    "region_id": region.id,
                    "area_mu": 10.0,
                    "readiness": "净地(可供)",
                    "status": "可供",
                    "outline_geojson": square(lon, lat, 100),
                }
            )
        s.execute(insert(LandParcel), rows)
    start = time.perf_counter()
    with read_session(engine) as s:
        data = load_map(s)
    elapsed = time.perf_counter() - start
    assert len(data.parcels) == MAX_FEATURES
    assert data.parcels_not_shown == 500
    assert "超出显示上限" in describe_missing(data)
    ring = data.parcels[0].polygons[0][0]
    assert ring.dtype == np.float64
    assert ring.shape == (5, 2)
    assert elapsed < 6.0, elapsed


def test_the_map_and_a_site_on_sqlite_and_postgresql(any_engine: Engine) -> None:
    city = build_map_city(any_engine)
    flt = RecordFilter(search="QS", statuses=("可供", "意向锁定"))
    with read_session(any_engine) as s:
        data = load_map(s, flt, RecordFilter(region_ids=(city.regions["滨江区"],)))
        site = load_site(s, RecordKind.PARCEL, city.parcels["QS-002"])
    assert [f.code for f in data.parcels] == ["QS-001", "QS-002"]
    assert [f.code for f in data.factories] == ["F-3"]
    assert data.parcels_without_outline == 1
    assert data.unreadable == 1
    assert site is not None
    assert {f.code for f in site.neighbours} >= {"QS-001", "F-1"}
