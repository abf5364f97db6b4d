"""An outline file read safely, whichever its format: what every reader gives
(:class:`SourceFile` of :class:`SourceFeature`), the limits a hostile file meets, the text's
encoding, and the choice of reader by the file's name and content.

Limits: a file over :data:`MAX_FILE_BYTES` is refused unread, more than :data:`MAX_POINTS`
points in all or :data:`MAX_FEATURES` outlines stop the reading, a binary file is not taken for text. Each outline that
cannot be used is a :class:`SourceFeature` with its ``problem`` (file, block or feature,
line, reason); the import refuses the whole file then, so the ledger stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_POINTS = 1_000_000
MAX_FEATURES = 100_000  # outlines (or points) in one file
JZD_SUFFIXES = (".txt", ".jzd", ".dat")
GEOJSON_SUFFIXES = (".geojson", ".json")
SHAPEFILE_SUFFIXES = (".shp",)


class OutlineFileError(ValueError):
    """The file cannot be read at all (the message is Chinese and names the file)."""


@dataclass
class SourceFeature:
    """One outline (or point) of a file, in CGCS2000 longitude/latitude."""

    number: int  # 1-based: the block of a 界址点 file, the feature of GeoJSON or a shapefile
    line: int | None = None  # the 界址点 header line
    keys: dict[str, str] = field(default_factory=dict)  # property → text (地块编号, 地块名称 …)
    geometry: Any = None  # shapely Polygon/MultiPolygon in lon/lat
    point: tuple[float, float] | None = None  # (longitude, latitude) of a Point feature
    area_mu: float | None = None  # computed in a projected system
    points: int = 0  # distinct vertices
    crs_text: str = ""  # “2000国家大地坐标系 3°带 38带”
    notes: list[str] = field(default_factory=list)
    problem: str | None = None

    def where(self, kind_word: str) -> str:
        line = f"（第 {self.line} 行）" if self.line else ""
        return f"第 {self.number} 个{kind_word}{line}"


@dataclass
class SourceFile:
    path: Path
    format_label: str  # 界址点 / GeoJSON / Shapefile
    feature_word: str  # 地块 (a 界址点 block) or 要素
    features: list[SourceFeature]
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines not of any outline
    key_names: list[str] = field(default_factory=list)  # the properties the file offers


def check_file(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    """The file's size; refused when missing, a folder, unreadable or over ``limit`` bytes."""
    name = path.name or str(path)
    if not str(path).strip():
        raise OutlineFileError("没有给出文件")
    try:
        if not path.exists():
            raise OutlineFileError(f"文件不存在：{path}")
        if path.is_dir():
            raise OutlineFileError(f"“{path}”是一个文件夹，不是红线文件")
        size = path.stat().st_size
    except OSError as exc:
        raise OutlineFileError(f"无法读取文件 {name}：{exc.strerror or exc}") from exc
    if size > limit:
        raise OutlineFileError(
            f"{name}：文件有 {size / 1048576:.1f} MB，超过 {limit / 1048576:g} MB 的上限，不予读取"
        )
    return size


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; refused as :func:`check_file` refuses."""
    check_file(path, limit)
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)[:limit]
    except OSError as exc:
        raise OutlineFileError(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc


def decode_text(data: bytes, name: str) -> str:
    """Text in UTF-8 (with or without BOM) or GBK/GB18030; a binary file is refused."""
    if b"\x00" in data[:65536]:
        raise OutlineFileError(f"{name}：不是文本文件（含有二进制内容）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OutlineFileError(f"{name}：无法识别文件的编码（应为 UTF-8 或 GBK）")


def read_outline_file(path: Path | str, *, max_points: int = MAX_POINTS) -> SourceFile:
    """Read an outline file: the 界址点 text, GeoJSON, or a shapefile (by its name, else by
    its first characters). Raises :class:`OutlineFileError`."""
    from landbank.services.outlines.gis_in import read_geojson, read_shapefile
    from landbank.services.outlines.jzd_in import read_jzd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in SHAPEFILE_SUFFIXES:
        return read_shapefile(path, max_points=max_points)
    data = read_bytes(path)
    if suffix in GEOJSON_SUFFIXES:
        return read_geojson(path, data, max_points=max_points)
    if suffix in JZD_SUFFIXES:
        return read_jzd(path, data, max_points=max_points)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return read_geojson(path, data, max_points=max_points)
    if b"[" in head:
        return read_jzd(path, data, max_points=max_points)
    raise OutlineFileError(
        f"{path.name}：不是可识别的红线文件（支持 界址点坐标 .txt、GeoJSON .geojson/.json、Shapefile .shp）"
    )


def check_feature_count(count: int, name: str) -> None:
    """Refuse a file of more than :data:`MAX_FEATURES` outlines."""
    if count > MAX_FEATURES:
        raise OutlineFileError(
            f"{name}：红线（要素）超过 {MAX_FEATURES:,} 个，不予读取；请分成几个文件"
        )
