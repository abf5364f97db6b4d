"""Gauss-Krüger zones of China and the EPSG codes of their projected coordinate systems.

Two datums are known — 2000国家大地坐标系 (CGCS2000) and 1980西安坐标系 (Xian 1980) — each in
3° zones 25…45 (central meridians 75°E…135°E, ``3 × zone``) and 6° zones 13…23 (``6 × zone −
3``), each with the zone number in front of the easting (Y = 38 500 000.000, false easting
``zone × 10⁶ + 500 000``) or without it (Y = 500 000.000, the zone then named by its central
meridian). The codes follow the EPSG registry's order (checked against pyproj's database
zone by zone in ``tests/domain/outlines/test_zones.py``):

=============  ==============  ==============
datum, width   with prefix     without prefix
=============  ==============  ==============
CGCS2000 3°    4513–4533       4534–4554
CGCS2000 6°    4491–4501       4502–4512
Xian 1980 3°   2349–2369       2370–2390
Xian 1980 6°   2327–2337       2338–2348
=============  ==============  ==============

The 3° zone numbers (25…45) and 6° ones (13…23) do not overlap, so a zone number alone tells
its width.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CGCS2000_LONLAT = 4490  # the geographic CRS outlines are stored in (WGS84 agrees to cm)


class Datum(StrEnum):
    CGCS2000 = "2000国家大地坐标系"
    XIAN1980 = "1980西安坐标系"


ZONE_RANGES = {3: (25, 45), 6: (13, 23)}
_FIRST_CODE = {
    (Datum.CGCS2000, 3, True): 4513,
    (Datum.CGCS2000, 3, False): 4534,
    (Datum.CGCS2000, 6, True): 4491,
    (Datum.CGCS2000, 6, False): 4502,
    (Datum.XIAN1980, 3, True): 2349,
    (Datum.XIAN1980, 3, False): 2370,
    (Datum.XIAN1980, 6, True): 2327,
    (Datum.XIAN1980, 6, False): 2338,
}


class ZoneError(ValueError):
    """A zone that does not exist in China (the message is Chinese)."""


@dataclass(frozen=True)
class Zone:
    """One Gauss-Krüger zone of a datum, with or without the zone number in the easting."""

    datum: Datum
    width: int  # 3 or 6 degrees
    number: int
    prefixed: bool

    def __post_init__(self) -> None:
        low, high = ZONE_RANGES.get(self.width, (0, -1))
        if not low <= self.number <= high:
            if self.width not in ZONE_RANGES:
                raise ZoneError(f"分带宽度“{self.width}”无效（应为 3 或 6 度）")
            raise ZoneError(f"{self.width}°分带的带号应为 {low}–{high}，而不是 {self.number}")

    @property
    def central_meridian(self) -> int:
        return 3 * self.number if self.width == 3 else 6 * self.number - 3

    @property
    def epsg(self) -> int:
        low = ZONE_RANGES[self.width][0]
        return _FIRST_CODE[(self.datum, self.width, self.prefixed)] + self.number - low

    @property
    def false_easting(self) -> float:
        return self.number * 1_000_000.0 + 500_000.0 if self.prefixed else 500_000.0

    def describe(self) -> str:
        """“2000国家大地坐标系 3°带 38带”."""
        return f"{self.datum.value} {self.width}°带 {self.number}带"


def zone_width_of(number: int) -> int | None:
    """The width (3 or 6) a zone number belongs to in China; None when neither."""
    for width, (low, high) in ZONE_RANGES.items():
        if low <= number <= high:
            return width
    return None


def prefix_of_easting(easting: float) -> int | None:
    """The zone number written in front of an easting (38 of 38 500 000.000); None for an
    easting without one (under 1 000 000)."""
    if easting < 1_000_000:
        return None
    return int(easting // 1_000_000)


def zone_of_longitude(longitude: float, width: int = 3) -> int:
    """The Gauss-Krüger zone a longitude falls in (3°: nearest multiple of 3; 6°: 6° strips
    from 0°E), clamped to China's zones."""
    number = round(longitude / 3.0) if width == 3 else int(longitude // 6.0) + 1
    low, high = ZONE_RANGES[width]
    return min(max(number, low), high)


def datum_of_text(text: str) -> Datum | None:
    """The datum a 坐标系 line names (“2000国家大地坐标系”, “CGCS2000”, “1980西安坐标系”, “西安80”);
    None for anything else (北京54, a local system)."""
    compact = text.replace(" ", "").upper()
    if "2000" in compact or "CGCS" in compact:
        return Datum.CGCS2000
    if "西安" in compact or "XIAN" in compact or "1980" in compact:
        return Datum.XIAN1980
    return None
