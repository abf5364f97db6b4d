"""Outline files the tests write: the 界址点 text (both zone conventions, GBK or UTF-8), GeoJSON
and shapefiles (written with pyshp), around known rectangles in Gauss-Krüger coordinates."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import shapefile
from pyproj import Transformer

# A 200 m × 300 m rectangle (60 000 m² = 90 亩) in CGCS2000 3° zone 38 (central meridian
# 114°E, near 新乡): X northing, Y easting without the zone prefix.
RECT_MU = 90.0
Ring = list[tuple[float, float]]


def rectangle(
    x0: float = 3_920_000.0, y0: float = 500_000.0, dx: float = 200.0, dy: float = 300.0
) -> Ring:
    """(X northing, Y easting) corners, closed."""
    return [(x0, y0), (x0, y0 + dy), (x0 + dx, y0 + dy), (x0 + dx, y0), (x0, y0)]


def jzd_text(
    blocks: Sequence[tuple[str, str, Sequence[Ring]]],
    *,
    prefix: bool = True,
    zone: int | None = 38,
    width: str | None = "3",
    datum: str = "2000国家大地坐标系",
    hectares: Sequence[float] | None = None,
) -> str:
    """A 界址点 file: each block (code, name, rings of (X, Y) without the zone prefix)."""
    lines = ["[属性描述]", "格式版本号=1.01版本", "数据产生单位=测试", f"坐标系={datum}"]
    if width is not None:
        lines.append(f"几度分带={width}")
    lines += ["投影类型=高斯克吕格", "计量单位=米"]
    if zone is not None:
        lines.append(f"带号={zone}")
    lines += ["精度=0.001", "转换参数=,,,,,,", "[项目信息]", "项目名称=测试项目", "[地块坐标]"]
    shift = (zone or 38) * 1_000_000 if prefix else 0
    for b, (code, name, rings) in enumerate(blocks):
        body = []
        for r, ring in enumerate(rings, start=1):
            for p, (x, y) in enumerate(ring, start=1):
                body.append(f"J{p},{r},{x:.3f},{y + shift:.3f}")
        area = "" if hectares is None else f"{hectares[b]:.4f}"
        lines.append(f"{len(body)},{area},{code},{name},面,,工业用地,,@")
        lines += body
    return "\r\n".join(lines) + "\r\n"


def write_jzd(path: Path, text: str, encoding: str = "gbk") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def to_lonlat(ring: Ring, epsg: int = 4547) -> list[tuple[float, float]]:
    """(X, Y) of a zone (default CGCS2000 3° CM 114E, no prefix) as (longitude, latitude)."""
    t = Transformer.from_crs(epsg, 4490, always_xy=True)
    return [tuple(t.transform(y, x)) for x, y in ring]  # type: ignore[misc]


def write_geojson(
    path: Path, features: Sequence[tuple[dict[str, object], dict[str, object]]]
) -> Path:
    """features: (properties, geometry)."""
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
    }
    path.write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    return path


def polygon(*rings: Ring) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in r] for r in rings]}


def write_shapefile(
    path: Path,
    records: Sequence[tuple[str, str, Sequence[Ring]]],
    *,
    encoding: str = "gbk",
    prj_epsg: int | None = 4547,
    cpg: bool = False,
    points: bool = False,
) -> Path:
    """A shapefile with fields DKBH (编号) and DKMC (名称); rings as (X northing, Y easting)
    (written x = easting), or points (the first vertex of each)."""
    with shapefile.Writer(
        str(path), shapeType=shapefile.POINT if points else shapefile.POLYGON, encoding=encoding
    ) as w:
        w.field("DKBH", "C", size=40)
        w.field("DKMC", "C", size=80)
        for code, name, rings in records:
            if points:
                x, y = rings[0][0]
                w.point(y, x)
            else:
                w.poly([[(y, x) for x, y in ring] for ring in rings])
            w.record(code, name)
    if prj_epsg is not None:
        from pyproj import CRS

        path.with_suffix(".prj").write_text(CRS.from_epsg(prj_epsg).to_wkt("WKT1_ESRI"), "ascii")
    if cpg:
        path.with_suffix(".cpg").write_text(encoding.upper(), "ascii")
    return path
