"""``landbank outline export``: the outlines held, as GeoJSON or as 界址点 text.

GeoJSON is a FeatureCollection in longitude/latitude (RFC 7946) with the properties 地块编号,
地块名称, 县区, 红线面积(亩) (parks: 园区名称, 县区, 红线面积(亩)). The 界址点 text gives each
outline in the CGCS2000 3° Gauss-Krüger zone of its centroid, with the zone number in front of
Y (so outlines of several zones can share a file; 带号 is written when they are all in one),
coordinates to the millimetre, GBK unless asked otherwise — what the import reads back to the
same outline and area (tested).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.outlines.area import MU_PER_HECTARE
from landbank.domain.outlines.jzd import JzdOutline, format_jzd
from landbank.domain.outlines.zones import CGCS2000_LONLAT, Datum, Zone, zone_of_longitude
from landbank.services.backup.leftovers import written_when_complete
from landbank.services.outlines.projection import area_mu, reproject
from landbank.store.models import LandParcel, Park, Region

EXPORT_SUFFIXES = (".geojson", ".json", ".txt")
ENCODINGS = ("gbk", "utf-8")


class OutlineExportError(ValueError):
    """Nothing to export, or a name the ledger does not have (the message is Chinese)."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int
    skipped: list[str]  # records whose stored outline could not be read


@dataclass(frozen=True)
class _Held:
    code: str
    name: str
    region: str
    area_mu: float | None
    geometry: Any


def export_outlines(
    session: Session,
    path: Path,
    *,
    kind: RecordKind = RecordKind.PARCEL,
    county: str | None = None,
    codes: Sequence[str] = (),
    encoding: str = "gbk",
) -> ExportResult:
    """Write the outlines of ``kind`` (of ``county``, of ``codes``) to ``path`` (.geojson/.json
    or .txt). Raises :class:`OutlineExportError`; ``OSError`` when the file cannot be written."""
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise OutlineExportError(f"导出文件应以 .geojson、.json 或 .txt 结尾：“{path.name}”")
    if encoding not in ENCODINGS:
        raise OutlineExportError(f"编码“{encoding}”无效（可选：gbk、utf-8）")
    held, skipped = _held(session, kind, county, codes)
    if not held:
        raise OutlineExportError(f"没有可导出的红线（所选{kind.label}都还没有红线）")
    if path.suffix.lower() == ".txt":
        # GB18030 writes what GBK can exactly as GBK does, and also the hanzi GBK lacks (埇)
        data = _jzd_text(held).encode("gb18030" if encoding == "gbk" else encoding)
    else:
        data = json.dumps(_collection(kind, held), ensure_ascii=False, indent=1).encode("utf-8")
    with written_when_complete(path, path.suffix.lower()) as temp:
        temp.write_bytes(data)
    return ExportResult(path, len(held), skipped)


def _held(
    session: Session, kind: RecordKind, county: str | None, codes: Sequence[str]
) -> tuple[list[_Held], list[str]]:
    from shapely.geometry import shape  # type: ignore[import-untyped]

    table: Any = LandParcel if kind is RecordKind.PARCEL else Park
    code_column = table.code if kind is RecordKind.PARCEL else table.name
    name_column = table.name
    stmt = (
        select(
            code_column, name_column, col(Region.name), table.outline_area_mu, table.outline_geojson
        )
        .join(Region, col(Region.id) == table.region_id)
        .where(table.outline_geojson.is_not(None))
        .order_by(col(Region.name), code_column)
    )
    if county:
        from landbank.services.outlines.importer import OutlineOptionError, resolve_county

        try:
            stmt = stmt.where(col(Region.id) == resolve_county(session, county))
        except OutlineOptionError as exc:
            raise OutlineExportError(str(exc)) from exc
    wanted = {c.strip() for c in codes if c.strip()}
    if wanted:
        stmt = stmt.where(code_column.in_(sorted(wanted)))
    held, skipped = [], []
    found: set[str] = set()
    for code, name, region, area, text in session.execute(stmt):
        found.add(code)
        try:
            geometry = shape(json.loads(text))
        except (ValueError, TypeError, KeyError, AttributeError):
            skipped.append(f"{region} {code}：存储的红线无法读取")
            continue
        held.append(_Held(code, name if kind is RecordKind.PARCEL else "", region, area, geometry))
    missing = sorted(wanted - found)
    if missing:
        skipped.extend(f"{code}：没有此{kind.label}或它还没有红线" for code in missing)
    return held, skipped


def _collection(kind: RecordKind, held: list[_Held]) -> dict[str, Any]:
    from shapely.geometry import mapping

    features = []
    for item in held:
        if kind is RecordKind.PARCEL:
            properties: dict[str, Any] = {"地块编号": item.code, "地块名称": item.name}
        else:
            properties = {"园区名称": item.code}
        properties["县区"] = item.region
        properties["红线面积(亩)"] = None if item.area_mu is None else round(item.area_mu, 4)
        features.append(
            {"type": "Feature", "properties": properties, "geometry": mapping(item.geometry)}
        )
    return {"type": "FeatureCollection", "features": features}


def _zone(geometry: Any) -> Zone:
    return Zone(Datum.CGCS2000, 3, zone_of_longitude(geometry.centroid.x, 3), prefixed=True)


def _jzd_text(held: list[_Held]) -> str:
    zones = {_zone(item.geometry).number for item in held}
    attributes = [
        ("格式版本号", "1.01版本"),
        ("数据产生单位", ""),
        ("数据产生日期", ""),
        ("坐标系", Datum.CGCS2000.value),
        ("几度分带", "3"),
        ("投影类型", "高斯克吕格"),
        ("计量单位", "米"),
        ("带号", str(next(iter(zones))) if len(zones) == 1 else ""),
        ("精度", "0.001"),
        ("转换参数", ",,,,,,"),
    ]
    outlines = []
    for item in held:
        zone = _zone(item.geometry)
        projected = reproject(item.geometry, CGCS2000_LONLAT, zone.epsg)
        polygons = list(projected.geoms) if projected.geom_type == "MultiPolygon" else [projected]
        rings = []
        for polygon in polygons:
            for ring in [polygon.exterior, *polygon.interiors]:
                rings.append([(y, x) for x, y in ring.coords])  # (X northing, Y easting)
        mu = item.area_mu if item.area_mu is not None else area_mu(item.geometry)
        outlines.append(JzdOutline(item.code, item.name, mu / MU_PER_HECTARE, rings))
    return format_jzd(attributes, outlines)
