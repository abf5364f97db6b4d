"""Coordinates between a file's system and the stored longitude/latitude (CGCS2000), and the
area of an outline in 亩 computed in a projected system — never on the sphere by hand.

pyproj works offline from its own database. Xian 1980 has no exact conversion to CGCS2000 in
it without published parameters: its positions are converted by PROJ's ballpark offset
(metres to tens of metres off), which the outline's source says; its area is computed in the
file's own Gauss-Krüger zone, so it is exact.
"""

from __future__ import annotations

import math
import threading
import warnings
from typing import Any

import numpy as np
import shapely  # type: ignore[import-untyped]
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from landbank.domain.outlines.area import mu_of_m2
from landbank.domain.outlines.zones import CGCS2000_LONLAT, Datum, Zone, zone_of_longitude

LONGITUDE_RANGE = (73.0, 136.0)  # China, as the field catalogue's 经度/纬度
LATITUDE_RANGE = (3.0, 54.0)


class ProjectionError(ValueError):
    """Coordinates that cannot be converted (the message is Chinese)."""


_PER_THREAD = threading.local()


def _transformer(source: int | str, target: int | str) -> Transformer:
    """A transformer of this thread's: pyproj's are not to be shared between threads (one
    made on the GUI thread and used on a worker crashed the process)."""
    cache: dict[tuple[int | str, int | str], Transformer] | None = getattr(
        _PER_THREAD, "cache", None
    )
    if cache is None:
        cache = _PER_THREAD.cache = {}
    found = cache.get((source, target))
    if found is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = Transformer.from_crs(source, target, always_xy=True)
        if len(cache) > 64:
            cache.clear()
        cache[(source, target)] = found
    return found


def reproject(geometry: Any, source: int | str, target: int | str) -> Any:
    """``geometry`` with every vertex converted (x = easting or longitude)."""
    transformer = _transformer(source, target)

    def convert(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    result = shapely.transform(geometry, convert)
    bounds = result.bounds
    if not all(math.isfinite(b) for b in bounds):
        raise ProjectionError("坐标无法换算（超出坐标系的范围）")
    return result


def check_lonlat(geometry: Any, what: str = "") -> None:
    """Refuse longitudes and latitudes outside China (a projected file taken for lon/lat, or
    the axes swapped)."""
    west, south, east, north = geometry.bounds
    if not (LONGITUDE_RANGE[0] <= west <= east <= LONGITUDE_RANGE[1]):
        raise ProjectionError(
            f"{what}经度 {west:.6f}…{east:.6f} 不在我国范围（73–136°）：坐标不是经纬度，或经纬度写反了"
        )
    if not (LATITUDE_RANGE[0] <= south <= north <= LATITUDE_RANGE[1]):
        raise ProjectionError(
            f"{what}纬度 {south:.6f}…{north:.6f} 不在我国范围（3–54°）：坐标不是经纬度，或经纬度写反了"
        )


def lonlat_zone(geometry: Any) -> Zone:
    """The CGCS2000 3° Gauss-Krüger zone (no prefix) of a lon/lat geometry's centroid: where
    the area of an outline given in degrees is computed."""
    return Zone(Datum.CGCS2000, 3, zone_of_longitude(geometry.centroid.x, 3), prefixed=False)


def area_mu(geometry: Any, zone: Zone | None = None) -> float:
    """The area in 亩 of a geometry in lon/lat, computed in ``zone`` (default: the CGCS2000 3°
    zone of its centroid)."""
    zone = zone or lonlat_zone(geometry)
    return float(mu_of_m2(reproject(geometry, CGCS2000_LONLAT, zone.epsg).area))


def to_lonlat(geometry: Any, zone: Zone) -> Any:
    """A geometry of ``zone``'s coordinates in CGCS2000 longitude/latitude."""
    result = reproject(geometry, zone.epsg, CGCS2000_LONLAT)
    check_lonlat(result)
    return result


def crs_of_text(text: str) -> CRS:
    """A coordinate system a file names (WKT of a .prj, ``EPSG:4526``, a URN); raises
    :class:`ProjectionError`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CRS.from_user_input(text)
    except (CRSError, TypeError, ValueError) as exc:
        raise ProjectionError(f"无法识别的坐标系：{text[:80]}") from exc


def is_lonlat(crs: CRS) -> bool:
    return bool(crs.is_geographic)


def crs_name(crs: CRS) -> str:
    code = crs.to_epsg()
    return f"{crs.name}（EPSG:{code}）" if code else crs.name
