"""Rings made into an outline: which ring is a hole and which another part, and why a set of
rings is no outline (too few points, a boundary crossing itself, parts overlapping).

Coordinates are ``(x, y)`` = (easting or longitude, northing or latitude). A ring inside an
earlier part is a hole of that part; one outside every earlier part is a further part (a
MultiPolygon); one crossing another is refused. An invalid outline is refused with the reason
and where — never “repaired” by guessing, since its area is what the clerk checks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon  # type: ignore[import-untyped]
from shapely.validation import explain_validity  # type: ignore[import-untyped]

Ring = Sequence[tuple[float, float]]
_REASONS = (
    ("Ring Self-intersection", "边界线自身打结"),
    ("Self-intersection", "边界线自相交"),
    ("Hole lies outside shell", "内圈（洞）在外圈之外"),
    ("Nested holes", "内圈（洞）相互嵌套"),
    ("Interior is disconnected", "内圈把地块分成了互不相连的几块"),
    ("Nested shells", "几个部分相互嵌套"),
    ("Too few points", "点太少"),
    ("Invalid Coordinate", "坐标无效"),
    ("Duplicate Rings", "有重复的圈"),
)


class OutlineGeometryError(ValueError):
    """The rings make no valid outline (the message is Chinese and says where)."""


@dataclass(frozen=True)
class Outline:
    geometry: Polygon | MultiPolygon
    points: int  # distinct vertices of every ring (closing points not counted)


def clean_ring(ring: Ring, label: str) -> list[tuple[float, float]]:
    """The ring's points without repeats in a row and without the closing point; refused when
    a coordinate is not a finite number or fewer than 3 points are left."""
    points: list[tuple[float, float]] = []
    for x, y in ring:
        if not (math.isfinite(x) and math.isfinite(y)):
            raise OutlineGeometryError(f"{label}有无效的坐标（{x}, {y}）")
        if not points or points[-1] != (x, y):
            points.append((x, y))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        raise OutlineGeometryError(f"{label}只有 {len(points)} 个不同的点，围不成面")
    return points


def reason_of(geometry: Polygon | MultiPolygon, *, surveyed: bool = False) -> str:
    """Why shapely finds ``geometry`` invalid, in Chinese, with the place — as a 界址点 file
    writes it (X = northing, Y = easting) when ``surveyed``."""
    text = explain_validity(geometry)
    reason = next((zh for en, zh in _REASONS if text.startswith(en)), text)
    place = re.search(r"\[([-0-9.eE+]+) ([-0-9.eE+]+)\]", text)
    if place:
        x, y = float(place.group(1)), float(place.group(2))
        where = f"X={y:.3f}，Y={x:.3f}" if surveyed else f"{x:.6f}, {y:.6f}"
        reason += f"（在 {where} 附近）"
    return reason


def outline_of_parts(parts: Sequence[tuple[Ring, Sequence[Ring]]], what: str = "") -> Outline:
    """An outline of explicit parts (shell, holes), as GeoJSON and shapefiles give them."""
    polygons: list[Polygon] = []
    count = 0
    for p, (shell, holes) in enumerate(parts, start=1):
        name = f"{what}第 {p} 部分" if len(parts) > 1 else what
        outer = clean_ring(shell, f"{name}外圈")
        inner = [clean_ring(h, f"{name}第 {i} 个内圈") for i, h in enumerate(holes, start=1)]
        count += len(outer) + sum(len(h) for h in inner)
        polygon = Polygon(outer, inner)
        if not polygon.is_valid:
            raise OutlineGeometryError(f"{name}{reason_of(polygon)}")
        polygons.append(polygon)
    return _finish(polygons, count, what)


def outline_of_rings(
    rings: Sequence[tuple[int, Ring]], what: str = "", *, surveyed: bool = False
) -> Outline:
    """An outline of numbered rings (a 界址点 file's 圈号): the first is the outer ring; each
    later one a hole of the part it lies in, or a part of its own when it lies outside all.
    ``surveyed``: places in messages as a 界址点 file writes them (X north, Y east)."""
    if not rings:
        raise OutlineGeometryError(f"{what}没有坐标")
    shells: list[list[tuple[float, float]]] = []
    holes: list[list[list[tuple[float, float]]]] = []
    count = 0
    for number, ring in rings:
        label = f"{what}第 {number} 圈"
        points = clean_ring(ring, label)
        count += len(points)
        alone = Polygon(points)
        if not alone.is_valid:
            raise OutlineGeometryError(f"{label}{reason_of(alone, surveyed=surveyed)}")
        host = next((i for i, s in enumerate(shells) if Polygon(s).contains(alone)), None)
        if host is not None:
            holes[host].append(points)
        elif any(Polygon(s).intersects(alone) and not alone.contains(Polygon(s)) for s in shells):
            raise OutlineGeometryError(f"{label}与前面的圈交叉（既不在其内，也不在其外）")
        else:
            shells.append(points)
            holes.append([])
    polygons = []
    for i, shell in enumerate(shells):
        polygon = Polygon(shell, holes[i])
        if not polygon.is_valid:
            raise OutlineGeometryError(f"{what}{reason_of(polygon, surveyed=surveyed)}")
        polygons.append(polygon)
    return _finish(polygons, count, what)


def _finish(polygons: list[Polygon], count: int, what: str) -> Outline:
    geometry: Polygon | MultiPolygon = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    if not geometry.is_valid:
        raise OutlineGeometryError(f"{what}{reason_of(geometry)}（各部分相互重叠）")
    if geometry.area <= 0:
        raise OutlineGeometryError(f"{what}面积为零")
    return Outline(geometry, count)
