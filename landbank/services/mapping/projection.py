"""From longitude/latitude (CGCS2000, which WGS84 agrees with to centimetres) to a metric plane:
the CGCS2000 3° Gauss-Krüger zone of the map's centre, so distances on the map — and its scale
bar — are true to a few parts in ten thousand within a county.

The zones are EPSG:4534 (central meridian 75°E) … EPSG:4554 (135°E), the variants without the
zone number in the false easting (``CGCS2000 / 3-degree Gauss-Kruger CM 114E`` is 4547).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

CGCS2000 = 4490  # geographic, degrees
FIRST_ZONE_EPSG = 4534  # CM 75°E
FIRST_MERIDIAN = 75
LAST_MERIDIAN = 135

FloatArray = NDArray[np.float64]


def central_meridian(longitude: float) -> int:
    """The central meridian of the 3° zone holding ``longitude`` (clamped to China's 75–135°E)."""
    meridian = 3 * round(longitude / 3)
    return min(LAST_MERIDIAN, max(FIRST_MERIDIAN, meridian))


def zone_epsg(longitude: float) -> int:
    """The EPSG code of the CGCS2000 3° Gauss-Krüger zone (without zone prefix) for ``longitude``."""
    return FIRST_ZONE_EPSG + (central_meridian(longitude) - FIRST_MERIDIAN) // 3


@lru_cache(maxsize=8)
def _transformer(epsg: int) -> Transformer:
    # always_xy: longitude first in, easting first out, whatever the CRS's axis order says.
    return Transformer.from_crs(CGCS2000, epsg, always_xy=True)


@dataclass(frozen=True)
class Projection:
    """The plane a map is drawn in: metres east (x) and north (y) of the zone's origin."""

    epsg: int
    meridian: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meridian", FIRST_MERIDIAN + 3 * (self.epsg - FIRST_ZONE_EPSG))

    @classmethod
    def around(cls, longitude: float) -> Projection:
        return cls(zone_epsg(longitude))

    def project(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Arrays of degrees → arrays of metres (one call for any number of points)."""
        x, y = _transformer(self.epsg).transform(lon, lat)
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = _transformer(self.epsg).transform(lon, lat)
        return float(x), float(y)

    @property
    def label(self) -> str:
        """How a printout names it: “CGCS2000 3°带 中央经线 114°E（EPSG:4547）”."""
        return f"CGCS2000 3°带 中央经线 {self.meridian}°E（EPSG:{self.epsg}）"
