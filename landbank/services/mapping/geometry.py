"""Reading the outlines kept as GeoJSON text: Polygon or MultiPolygon (a Feature or a
GeometryCollection of them is accepted too), coordinates [longitude, latitude].

An outline that does not read — broken text, another geometry type, coordinates outside
China's longitudes and latitudes — gives ``None``: the map counts it and draws the rest.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

from landbank.services.mapping.projection import FloatArray

# Where an outline may lie (the catalogue's ranges of China for a building's position).
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
# The first number pair of a GeoJSON text: enough to place an outline roughly without decoding
# it (the excerpt's neighbours are chosen by it among a county's parcels).
_FIRST_PAIR = re.compile(
    r"\[\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*,\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
)
PREFIX_CHARS = 160  # characters of the text read for the first pair

# One ring: (n, 2) array of lon/lat; a polygon: exterior ring then holes.
Ring = FloatArray
Polygon = list[Ring]


def first_point(text: str | None) -> tuple[float, float] | None:
    """The first vertex of a GeoJSON text (lon, lat), from its first characters; None if none."""
    if not text:
        return None
    match = _FIRST_PAIR.search(text[:PREFIX_CHARS])
    if match is None:
        return None
    lon, lat = float(match[1]), float(match[2])
    return (lon, lat) if in_china(lon, lat) else None


def in_china(lon: float, lat: float) -> bool:
    return (
        math.isfinite(lon)
        and math.isfinite(lat)
        and LON_RANGE[0] <= lon <= LON_RANGE[1]
        and LAT_RANGE[0] <= lat <= LAT_RANGE[1]
    )


def _ring(coords: Any) -> Ring | None:
    try:
        array = np.asarray(coords, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if array.ndim != 2 or array.shape[0] < 3 or array.shape[1] < 2:
        return None
    array = array[:, :2]
    low, high = array.min(axis=0), array.max(axis=0)
    # Written so that NaN (which compares false) fails too; infinities are out of range.
    inside = (
        low[0] >= LON_RANGE[0]
        and high[0] <= LON_RANGE[1]
        and low[1] >= LAT_RANGE[0]
        and high[1] <= LAT_RANGE[1]
    )
    return array if inside else None


def _polygon(coords: Any) -> Polygon | None:
    if not isinstance(coords, list) or not coords:
        return None
    rings = [_ring(c) for c in coords]
    if rings[0] is None:
        return None
    return [r for r in rings if r is not None]


def _polygons(geometry: Any) -> list[Polygon] | None:
    if not isinstance(geometry, dict):
        return None
    kind = geometry.get("type")
    if kind == "Feature":
        return _polygons(geometry.get("geometry"))
    if kind == "Polygon":
        polygon = _polygon(geometry.get("coordinates"))
        return None if polygon is None else [polygon]
    if kind == "MultiPolygon":
        parts = geometry.get("coordinates")
        if not isinstance(parts, list):
            return None
        polygons = [p for p in (_polygon(c) for c in parts) if p is not None]
        return polygons or None
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            return None
        found: list[Polygon] = []
        for member in members:
            found.extend(_polygons(member) or [])
        return found or None
    return None


def parse_outline(text: str | None) -> list[Polygon] | None:
    """The polygons of an outline (each: exterior ring, then holes; lon/lat arrays), or None
    when the text is empty or not a readable polygon in China."""
    if not text:
        return None
    try:
        geometry = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return _polygons(geometry)


def polygons_bounds(polygons: list[Polygon]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of the exterior rings."""
    stacked = np.concatenate([p[0] for p in polygons])
    return (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 0].max()),
        float(stacked[:, 1].max()),
    )
