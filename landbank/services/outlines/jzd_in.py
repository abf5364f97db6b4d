"""The 界址点 text read into outlines: each block's zone (:func:`~landbank.domain.outlines.
jzd.block_zone`), its rings made into an outline, the area in 亩 computed in the file's own
Gauss-Krüger zone, the outline converted to CGCS2000 longitude/latitude."""

from __future__ import annotations

from pathlib import Path

from landbank.domain.outlines.area import MU_PER_HECTARE, header_area_disagrees, mu_of_m2
from landbank.domain.outlines.geometry import OutlineGeometryError, outline_of_rings
from landbank.domain.outlines.jzd import JzdBlock, JzdError, JzdFile, block_zone, parse_jzd
from landbank.domain.outlines.zones import Datum, Zone, ZoneError
from landbank.services.outlines.projection import ProjectionError, to_lonlat
from landbank.services.outlines.reading import (
    MAX_FEATURES,
    OutlineFileError,
    SourceFeature,
    SourceFile,
    check_feature_count,
    decode_text,
)

CODE_KEY, NAME_KEY = "地块编号", "地块名称"
XIAN_NOTE = "（经纬度为近似换算，可能偏差数米至数十米；面积按原坐标计算）"


def read_jzd(path: Path, data: bytes, *, max_points: int) -> SourceFile:
    text = decode_text(data, path.name)
    try:
        parsed = parse_jzd(text, max_points=max_points, max_blocks=MAX_FEATURES)
    except JzdError as exc:
        raise OutlineFileError(f"{path.name}：{exc}") from exc
    source = SourceFile(path, "界址点", "地块", [], key_names=[CODE_KEY, NAME_KEY])
    source.problems = [p.describe() for p in parsed.problems if p.block is None]
    check_feature_count(len(parsed.blocks), path.name)
    for block in parsed.blocks:
        source.features.append(_feature(parsed, block))
    return source


def _feature(parsed: JzdFile, block: JzdBlock) -> SourceFeature:
    feature = SourceFeature(block.number, block.line, {CODE_KEY: block.code, NAME_KEY: block.name})
    if block.broken:
        reasons = [p.describe() for p in parsed.problems if p.block == block.number]
        feature.problem = "；".join(reasons[:3]) + ("等" if len(reasons) > 3 else "")
        return feature
    if not block.rings:
        feature.problem = "没有界址点"
        return feature
    try:
        zone, notes = block_zone(parsed.attributes, block)
        feature.notes.extend(notes)
        rings = [(n, [(y, x) for _, x, y, _ in points]) for n, points in block.rings.items()]
        outline = outline_of_rings(rings, surveyed=True)
        feature.points = outline.points
        feature.area_mu = float(mu_of_m2(outline.geometry.area))
        feature.geometry = to_lonlat(outline.geometry, zone)
    except (ZoneError, OutlineGeometryError, ProjectionError) as exc:
        feature.problem = str(exc)
        return feature
    feature.crs_text = _crs_text(zone)
    if header_area_disagrees(block.hectares, feature.area_mu):
        assert block.hectares is not None
        feature.notes.append(
            f"标题行的地块面积 {block.hectares:g} 公顷（{block.hectares * MU_PER_HECTARE:.2f} 亩）"
            f"与界址点围成的 {feature.area_mu:.2f} 亩不符"
        )
    if block.declared_points is not None and block.declared_points != block.point_count:
        feature.notes.append(
            f"标题行写界址点数 {block.declared_points}，实有 {block.point_count} 行"
        )
    return feature


def _crs_text(zone: Zone) -> str:
    text = zone.describe() + ("" if zone.prefixed else "（Y 无带号）")
    return text + (XIAN_NOTE if zone.datum is Datum.XIAN1980 else "")
