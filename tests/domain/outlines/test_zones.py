"""The zones' EPSG codes, each checked against pyproj's database (name, central meridian,
false easting), and the zone arithmetic."""

from __future__ import annotations

import warnings

import pytest
from pyproj import CRS

from landbank.domain.outlines.zones import (
    ZONE_RANGES,
    Datum,
    Zone,
    ZoneError,
    datum_of_text,
    prefix_of_easting,
    zone_of_longitude,
    zone_width_of,
)

DATUM_NAMES = {Datum.CGCS2000: "CGCS2000", Datum.XIAN1980: "Xian 1980"}
ALL_ZONES = [
    Zone(datum, width, number, prefixed)
    for datum in Datum
    for width, (low, high) in ZONE_RANGES.items()
    for number in range(low, high + 1)
    for prefixed in (True, False)
]


@pytest.mark.parametrize(
    "zone", ALL_ZONES, ids=lambda z: f"{z.datum.name}-{z.width}-{z.number}-{z.prefixed}"
)
def test_every_zone_code_is_the_registry_s(zone: Zone) -> None:
    crs = CRS.from_epsg(zone.epsg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params = crs.to_dict()
    name = crs.name
    assert name.startswith(DATUM_NAMES[zone.datum] + " / "), name
    assert ("3-degree" in name) == (zone.width == 3), name
    if zone.prefixed:
        assert name.endswith(f"zone {zone.number}"), name
    else:
        assert name.endswith(f"CM {zone.central_meridian}E"), name
    assert params["lon_0"] == zone.central_meridian
    assert params["x_0"] == zone.false_easting
    assert params["k"] == 1


def test_the_brief_s_examples() -> None:
    assert Zone(Datum.CGCS2000, 3, 38, True).epsg == 4526
    assert Zone(Datum.CGCS2000, 3, 38, False).epsg == 4547
    assert Zone(Datum.XIAN1980, 6, 20, True).epsg == 2334  # not "without prefix" as once listed


def test_zone_arithmetic() -> None:
    assert prefix_of_easting(38_500_123.4) == 38
    assert prefix_of_easting(500_123.4) is None
    assert zone_width_of(38) == 3
    assert zone_width_of(19) == 6
    assert zone_width_of(24) is None
    assert zone_of_longitude(113.9) == 38
    assert zone_of_longitude(115.4) == 38
    assert zone_of_longitude(115.6) == 39
    assert zone_of_longitude(113.9, 6) == 19
    assert Zone(Datum.CGCS2000, 6, 19, False).central_meridian == 111
    with pytest.raises(ZoneError, match="25–45"):
        Zone(Datum.CGCS2000, 3, 19, True)
    with pytest.raises(ZoneError, match="3 或 6"):
        Zone(Datum.CGCS2000, 4, 19, True)


def test_datum_words() -> None:
    assert datum_of_text("2000国家大地坐标系") is Datum.CGCS2000
    assert datum_of_text("CGCS2000") is Datum.CGCS2000
    assert datum_of_text("1980西安坐标系") is Datum.XIAN1980
    assert datum_of_text("西安80") is Datum.XIAN1980
    assert datum_of_text("1954北京坐标系") is None
