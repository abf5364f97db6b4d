"""GeoJSON and shapefiles read into outlines and points.

GeoJSON is longitude/latitude (RFC 7946: WGS84, which CGCS2000 agrees with to centimetres)
unless its old-style ``crs`` member names another system. A shapefile's system is its .prj;
without one, coordinates within China's longitudes and latitudes are taken as such, and
eastings with a zone number in front as CGCS2000 Gauss-Krüger (said in the notes). Attribute
text is decoded as its .cpg says, else as UTF-8, else GBK.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapefile  # type: ignore[import-untyped]
from pyproj import CRS

from landbank.domain.outlines.area import mu_of_m2
from landbank.domain.outlines.geometry import (
    OutlineGeometryError,
    outline_of_parts,
    outline_of_rings,
)
from landbank.domain.outlines.zones import (
    CGCS2000_LONLAT,
    Datum,
    Zone,
    ZoneError,
    prefix_of_easting,
    zone_width_of,
)
from landbank.services.outlines.projection import (
    ProjectionError,
    area_mu,
    check_lonlat,
    crs_name,
    crs_of_text,
    lonlat_zone,
    reproject,
)
from landbank.services.outlines.reading import (
    MAX_FILE_BYTES,
    OutlineFileError,
    SourceFeature,
    SourceFile,
    check_feature_count,
    check_file,
    decode_text,
    read_bytes,
)

POLYGON_TYPES = {shapefile.POLYGON, shapefile.POLYGONZ, shapefile.POLYGONM}
POINT_TYPES = {shapefile.POINT, shapefile.POINTZ, shapefile.POINTM}
Coordinates = list[tuple[float, float]]


class _Crs:
    """Where a file's coordinates are: lon/lat, or a projected system in metres."""

    def __init__(self, crs: CRS | None, label: str) -> None:
        self.crs = crs
        self.label = label
        self.lonlat = crs is None or bool(crs.is_geographic)
        self.source: int | str = CGCS2000_LONLAT
        if crs is not None and not self.lonlat:
            self.source = crs.to_epsg() or crs.to_wkt()


def _point_of(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        raise OutlineGeometryError(f"{where}的坐标应为 [x, y]")
    x, y = value[0], value[1]
    if (
        isinstance(x, bool)
        or isinstance(y, bool)
        or not isinstance(x, (int, float))
        or not isinstance(y, (int, float))
    ):
        raise OutlineGeometryError(f"{where}的坐标不是数：{str(value)[:40]}")
    if not (math.isfinite(x) and math.isfinite(y)):
        raise OutlineGeometryError(f"{where}的坐标无效：{str(value)[:40]}")
    return float(x), float(y)


def _ring_of(value: Any, where: str) -> Coordinates:
    if not isinstance(value, list):
        raise OutlineGeometryError(f"{where}应为坐标列表")
    return [_point_of(v, where) for v in value]


def _fill(feature: SourceFeature, geometry: Any, crs: _Crs, what: str) -> None:
    """Area and lon/lat of ``geometry`` (in ``crs``'s coordinates) into ``feature``."""
    if crs.lonlat:
        check_lonlat(geometry, what)
        feature.geometry = geometry
        zone = lonlat_zone(geometry)
        feature.area_mu = area_mu(geometry, zone)
        feature.crs_text = f"{crs.label}（面积按 {zone.describe()} 计算）"
    else:
        feature.area_mu = float(mu_of_m2(geometry.area))
        feature.geometry = reproject(geometry, crs.source, CGCS2000_LONLAT)
        check_lonlat(feature.geometry, what)
        feature.crs_text = crs.label


def _point_feature(feature: SourceFeature, x: float, y: float, crs: _Crs) -> None:
    from shapely.geometry import Point  # type: ignore[import-untyped]

    point = Point(x, y) if crs.lonlat else reproject(Point(x, y), crs.source, CGCS2000_LONLAT)
    check_lonlat(point)
    feature.point = (float(point.x), float(point.y))
    feature.crs_text = crs.label


# ---------------------------------------------------------------- GeoJSON


def read_geojson(path: Path, data: bytes, *, max_points: int) -> SourceFile:
    text = decode_text(data, path.name)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise OutlineFileError(f"{path.name}：不是有效的 GeoJSON（{str(exc)[:80]}）") from exc
    if not isinstance(document, dict):
        raise OutlineFileError(f"{path.name}：不是 GeoJSON 对象")
    crs = _Crs(None, "经纬度（WGS84/CGCS2000）")
    named = document.get("crs")
    if isinstance(named, dict) and isinstance(named.get("properties"), dict):
        name = str(named["properties"].get("name", ""))
        try:
            found = crs_of_text(name)
        except ProjectionError as exc:
            raise OutlineFileError(f"{path.name}：{exc}") from exc
        crs = _Crs(found, crs_name(found))
    kind = document.get("type")
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        items = document["features"]
    elif kind == "Feature":
        items = [document]
    elif isinstance(kind, str) and "coordinates" in document:
        items = [{"type": "Feature", "properties": {}, "geometry": document}]
    else:
        raise OutlineFileError(f"{path.name}：GeoJSON 中没有要素（FeatureCollection / Feature）")
    source = SourceFile(path, "GeoJSON", "要素", [])
    names: dict[str, None] = {}
    total = 0
    check_feature_count(len(items), path.name)
    for number, item in enumerate(items, start=1):
        feature = SourceFeature(number)
        source.features.append(feature)
        if not isinstance(item, dict):
            feature.problem = "不是 GeoJSON 要素"
            continue
        properties = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        feature.keys = {str(k): _text(v) for k, v in (properties or {}).items()}
        names.update(dict.fromkeys(feature.keys))
        geometry = item.get("geometry")
        total += _count(geometry)
        if total > max_points:
            raise OutlineFileError(
                f"{path.name}：坐标点超过 {max_points:,} 个（第 {number} 个要素），不予读取"
            )
        try:
            _geojson_geometry(feature, geometry, crs)
        except (OutlineGeometryError, ProjectionError) as exc:
            feature.problem = str(exc)
    source.key_names = list(names)
    return source


def _count(geometry: Any, depth: int = 0) -> int:
    if not isinstance(geometry, dict):
        return 0
    coordinates = geometry.get("coordinates")
    total, stack = 0, [(coordinates, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, list) and level < 4:
            if value and not isinstance(value[0], list):
                total += 1
            else:
                stack.extend((v, level + 1) for v in value)
    return total


def _geojson_geometry(feature: SourceFeature, geometry: Any, crs: _Crs) -> None:
    if not isinstance(geometry, dict):
        raise OutlineGeometryError("没有几何图形")
    kind, value = geometry.get("type"), geometry.get("coordinates")
    if kind == "MultiPoint" and isinstance(value, list) and len(value) == 1:
        kind, value = "Point", value[0]
    if kind == "Point":
        x, y = _point_of(value, "点")
        _point_feature(feature, x, y, crs)
        return
    if kind == "Polygon" and isinstance(value, list) and value:
        polygons = [value]
    elif kind == "MultiPolygon" and isinstance(value, list) and value:
        polygons = value
    else:
        raise OutlineGeometryError(
            f"几何类型“{str(kind)[:20]}”不是面或点（应为 Polygon、MultiPolygon 或 Point）"
        )
    parts: list[tuple[Coordinates, list[Coordinates]]] = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise OutlineGeometryError("面的坐标应为圈的列表")
        rings = [_ring_of(r, "圈") for r in polygon]
        parts.append((rings[0], rings[1:]))
    outline = outline_of_parts(parts)
    feature.points = outline.points
    _fill(feature, outline.geometry, crs, "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- shapefiles


def _sidecar(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def _encodings(path: Path) -> list[str]:
    cpg = _sidecar(path, ".cpg")
    encodings = ["utf-8", "gb18030"]
    if cpg is not None:
        named = read_bytes(cpg, 1024).decode("ascii", "replace").strip().lower()
        named = {"936": "gb18030", "gbk": "gb18030", "65001": "utf-8", "utf8": "utf-8"}.get(
            named, named
        )
        import codecs

        try:
            codecs.lookup(named)
            encodings.insert(0, named)
        except LookupError:
            pass
    return list(dict.fromkeys(encodings))


def read_shapefile(path: Path, *, max_points: int) -> SourceFile:
    for part in (path, path.with_suffix(".dbf")):
        check_file(part, 4 * MAX_FILE_BYTES)  # exists, a file, readable, not huge
    last: Exception | None = None
    for encoding in _encodings(path):
        try:
            return _read_shapefile(path, encoding, max_points)
        except UnicodeDecodeError as exc:
            last = exc
        except OutlineFileError:
            raise
        except Exception as exc:
            if isinstance(exc.__cause__ or exc.__context__, UnicodeDecodeError) or "decode" in str(
                exc
            ):
                last = exc  # pyshp's dbfFileException about the text: try the next encoding
                continue  # pyshp's own errors on a corrupt file: struct, ValueError …
            raise OutlineFileError(
                f"{path.name}：Shapefile 已损坏或无法读取（{type(exc).__name__}：{str(exc)[:80]}）"
            ) from exc
    raise OutlineFileError(f"{path.name}：属性表（.dbf）的文字编码无法识别（{last}）")


def _read_shapefile(path: Path, encoding: str, max_points: int) -> SourceFile:
    prj = _sidecar(path, ".prj")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyshp's about a header: the reading says what is wrong
        return _read_records(path, prj, encoding, max_points)


def _read_records(path: Path, prj: Path | None, encoding: str, max_points: int) -> SourceFile:
    with shapefile.Reader(str(path), encoding=encoding) as reader:
        names = [f[0] for f in reader.fields[1:]]
        source = SourceFile(path, "Shapefile", "要素", [], key_names=names)
        crs = _shapefile_crs(path, prj, reader.bbox if len(reader) else None, source)
        total = 0
        check_feature_count(len(reader), path.name)
        for number, item in enumerate(reader.iterShapeRecords(), start=1):
            shape, record = item.shape, item.record
            feature = SourceFeature(
                number, keys={n: _text(v) for n, v in zip(names, record, strict=False)}
            )
            source.features.append(feature)
            total += len(shape.points)
            if total > max_points:
                raise OutlineFileError(
                    f"{path.name}：坐标点超过 {max_points:,} 个（第 {number} 个要素），不予读取"
                )
            try:
                _shape(feature, shape, crs)
            except (OutlineGeometryError, ProjectionError) as exc:
                feature.problem = str(exc)
    return source


def _shape(feature: SourceFeature, shape: Any, crs: _Crs) -> None:
    points = [(float(x), float(y)) for x, y, *_ in shape.points]
    if shape.shapeType in POINT_TYPES and points:
        _point_feature(feature, *_finite(points[0]), crs)
        return
    if shape.shapeType not in POLYGON_TYPES or not points:
        raise OutlineGeometryError("不是面或点要素（或图形为空）")
    bounds = [*shape.parts, len(points)]
    rings = [(i + 1, points[bounds[i] : bounds[i + 1]]) for i in range(len(shape.parts))]
    outline = outline_of_rings(rings)
    feature.points = outline.points
    _fill(feature, outline.geometry, crs, "")


def _finite(point: tuple[float, float]) -> tuple[float, float]:
    if not all(math.isfinite(v) for v in point):
        raise OutlineGeometryError(f"点的坐标无效：{point}")
    return point


def _shapefile_crs(
    path: Path, prj: Path | None, bbox: Sequence[float] | None, source: SourceFile
) -> _Crs:
    if prj is not None:
        text = decode_text(read_bytes(prj, 1024 * 1024), prj.name)
        try:
            crs = crs_of_text(text)
        except ProjectionError as exc:
            raise OutlineFileError(f"{prj.name}：{exc}") from exc
        return _Crs(crs, crs_name(crs))
    if bbox is None or not all(math.isfinite(v) for v in bbox):
        raise OutlineFileError(f"{path.name}：缺少 .prj 文件，无法确定坐标系")
    west, south, east, north = bbox[:4]
    if 73 <= west <= east <= 136 and 3 <= south <= north <= 54:
        source.notes.append("没有 .prj 文件：坐标按经纬度（CGCS2000）读取")
        return _Crs(None, "经纬度（无 .prj，按 CGCS2000）")
    prefix = prefix_of_easting(west)
    width = (
        zone_width_of(prefix) if prefix is not None and prefix == prefix_of_easting(east) else None
    )
    if prefix is None or width is None:
        raise OutlineFileError(f"{path.name}：缺少 .prj 文件，坐标又不带带号，无法确定坐标系")
    try:
        zone = Zone(Datum.CGCS2000, width, prefix, prefixed=True)
    except ZoneError as exc:
        raise OutlineFileError(f"{path.name}：{exc}") from exc
    source.notes.append(f"没有 .prj 文件：按 {zone.describe()}（东坐标带带号）读取")
    return _Crs(CRS.from_epsg(zone.epsg), zone.describe() + "（无 .prj）")
