"""Map features: records read as outlines or points in lon/lat, then projected together onto
one plane (one call to pyproj for every vertex of the map)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from landbank.domain.enums import RecordKind
from landbank.services.mapping.geometry import Polygon, in_china
from landbank.services.mapping.projection import FloatArray, Projection

Bounds = tuple[float, float, float, float]  # min x, min y, max x, max y


@dataclass(frozen=True)
class MapFeature:
    """One record on the map, in metres of the map's projection (x east, y north).

    ``polygons``: each an exterior ring and its holes, (n, 2) arrays; empty for a point.
    ``anchor``: where its marker and code label go (a point's position, an outline's middle).
    """

    kind: RecordKind
    record_id: int
    code: str
    status: str
    polygons: tuple[tuple[FloatArray, ...], ...]
    anchor: tuple[float, float]
    bounds: Bounds

    @property
    def is_point(self) -> bool:
        return not self.polygons


@dataclass
class _Pending:
    kind: RecordKind
    record_id: int
    code: str
    status: str
    polygons: list[Polygon] | None
    point: tuple[float, float] | None


def union_bounds(boxes: list[Bounds]) -> Bounds | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class FeatureCollector:
    """Collects records in lon/lat, then :meth:`project` makes the features in metres."""

    def __init__(self) -> None:
        self._pending: list[_Pending] = []

    def __len__(self) -> int:
        return len(self._pending)

    def add_outline(
        self, kind: RecordKind, record_id: int, code: str, status: str, polygons: list[Polygon]
    ) -> None:
        self._pending.append(_Pending(kind, record_id, code, status, polygons, None))

    def add_point(
        self, kind: RecordKind, record_id: int, code: str, status: str, lon: float, lat: float
    ) -> bool:
        """Add a point; False (not added) when it is not a position in China."""
        if not in_china(lon, lat):
            return False
        self._pending.append(_Pending(kind, record_id, code, status, None, (lon, lat)))
        return True

    def centre_longitude(self) -> float | None:
        """The middle of the longitudes collected (what picks the projection's zone)."""
        lows: list[float] = []
        highs: list[float] = []
        for item in self._pending:
            if item.point is not None:
                lows.append(item.point[0])
                highs.append(item.point[0])
            elif item.polygons:
                ring = item.polygons[0][0]
                lows.append(float(ring[:, 0].min()))
                highs.append(float(ring[:, 0].max()))
        if not lows:
            return None
        return (min(lows) + max(highs)) / 2

    def project(self, projection: Projection) -> list[MapFeature]:
        """Every feature collected, projected in one call; the collector is emptied."""
        rings: list[FloatArray] = []
        for item in self._pending:
            if item.point is not None:
                rings.append(np.array([item.point], dtype=np.float64))
            else:
                for polygon in item.polygons or []:
                    rings.extend(polygon)
        if not rings:
            return []
        lengths = [len(r) for r in rings]
        stacked = np.concatenate(rings)
        x, y = projection.project(stacked[:, 0], stacked[:, 1])
        xy = np.column_stack((x, y))
        parts = iter(np.split(xy, np.cumsum(lengths)[:-1]))
        features: list[MapFeature] = []
        for item in self._pending:
            if item.point is not None:
                px, py = (float(v) for v in next(parts)[0])
                features.append(
                    MapFeature(
                        item.kind, item.record_id, item.code, item.status, (), (px, py),
                        (px, py, px, py),
                    )
                )
                continue
            polygons = tuple(
                tuple(next(parts) for _ring in polygon) for polygon in item.polygons or []
            )
            features.append(_outline_feature(item, polygons))
        self._pending = []
        return features


def _outline_feature(
    item: _Pending, polygons: tuple[tuple[FloatArray, ...], ...]
) -> MapFeature:
    exteriors = [p[0] for p in polygons]
    stacked = np.concatenate(exteriors)
    bounds = (
        float(stacked[:, 0].min()),
        float(stacked[:, 1].min()),
        float(stacked[:, 0].max()),
        float(stacked[:, 1].max()),
    )
    # The label sits in the middle of the largest part (by its box): parcels are mostly
    # compact, and a multi-part outline is named once, on its main part.
    largest = max(exteriors, key=lambda r: float(np.ptp(r[:, 0]) * np.ptp(r[:, 1])))
    anchor = (
        float((largest[:, 0].min() + largest[:, 0].max()) / 2),
        float((largest[:, 1].min() + largest[:, 1].max()) / 2),
    )
    return MapFeature(item.kind, item.record_id, item.code, item.status, polygons, anchor, bounds)
