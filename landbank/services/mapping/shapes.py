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
        """Every feature collected, projected in one call; the collector is emptied. Each
        ring's box comes from one vectorised reduction over all rings (not four per ring)."""
        rings: list[FloatArray] = []
        for item in self._pending:
            if item.point is not None:
                rings.append(np.array([item.point], dtype=np.float64))
            else:
                for polygon in item.polygons or []:
                    rings.extend(polygon)
        if not rings:
            return []
        lengths = np.fromiter((len(r) for r in rings), dtype=np.int64, count=len(rings))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        stacked = np.concatenate(rings)
        x, y = projection.project(stacked[:, 0], stacked[:, 1])
        xy = np.column_stack((x, y))
        boxes = np.hstack(
            (np.minimum.reduceat(xy, starts), np.maximum.reduceat(xy, starts))
        ).tolist()
        parts = iter(np.split(xy, starts[1:]))
        ring_boxes = iter(boxes)
        features: list[MapFeature] = []
        for item in self._pending:
            if item.point is not None:
                next(parts)
                px, py, _, _ = next(ring_boxes)
                features.append(
                    MapFeature(
                        item.kind,
                        item.record_id,
                        item.code,
                        item.status,
                        (),
                        (px, py),
                        (px, py, px, py),
                    )
                )
                continue
            polygons: list[tuple[FloatArray, ...]] = []
            exterior_boxes: list[list[float]] = []
            for polygon in item.polygons or []:
                polygons.append(tuple(next(parts) for _ring in polygon))
                exterior_boxes.append(next(ring_boxes))
                for _hole in polygon[1:]:
                    next(ring_boxes)
            features.append(_outline_feature(item, tuple(polygons), exterior_boxes))
        self._pending = []
        return features


def _outline_feature(
    item: _Pending, polygons: tuple[tuple[FloatArray, ...], ...], boxes: list[list[float]]
) -> MapFeature:
    """``boxes``: of each polygon's exterior ring, (min x, min y, max x, max y)."""
    bounds = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    # The label sits in the middle of the largest part (by its box): parcels are mostly
    # compact, and a multi-part outline is named once, on its main part.
    largest = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    anchor = ((largest[0] + largest[2]) / 2, (largest[1] + largest[3]) / 2)
    return MapFeature(item.kind, item.record_id, item.code, item.status, polygons, anchor, bounds)
