"""The 界址点 text (勘测定界界址点坐标交换格式) read from and written to a string.

A file is ``[属性描述]`` (``键=值`` lines: 坐标系, 几度分带, 带号, 计量单位 …), an optional
``[项目信息]``, then ``[地块坐标]``: for each parcel a header line ending in ``@`` —
``界址点数,地块面积(公顷),地块编号,地块名称,图形属性,图幅号,地块用途,地类编码,@`` — and its
points ``点号,圈号,X,Y`` (X the northing, Y the easting, usually with the zone number in
front); a ring closes by repeating its first point, 圈号 2, 3 … are holes or further parts.

Real files vary and are read as they are: full-width commas and digits, blank lines, trailing
spaces, a header whose fields are missing. What cannot be read is a :class:`JzdProblem`
naming the line and the parcel (block); reading stops with :class:`JzdError` when the file has
no ``[地块坐标]`` or more points than allowed. Which zone a block's coordinates are in is
:func:`block_zone`'s answer (the file's 带号, or the zone number in front of Y).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from landbank.domain.outlines.zones import (
    Datum,
    Zone,
    ZoneError,
    datum_of_text,
    prefix_of_easting,
    zone_width_of,
)

SECTION = re.compile(r"^\[(.+)\]$")
_FULL_WIDTH = str.maketrans({"，": ",", "＝": "=", "＠": "@", "［": "[", "］": "]", "：": "="})
MAX_NORTHING = 10_000_000.0  # X above this is no northing in China (Y written in its place?)


class JzdError(ValueError):
    """The file cannot be read as 界址点 text at all (the message is Chinese)."""


@dataclass(frozen=True)
class JzdProblem:
    line: int | None
    block: int | None  # 1-based number of the parcel in the file
    reason: str

    def describe(self) -> str:
        where = [
            f"第 {self.block} 个地块" if self.block else "",
            f"第 {self.line} 行" if self.line else "",
        ]
        prefix = "，".join(w for w in where if w)
        return f"{prefix}：{self.reason}" if prefix else self.reason


@dataclass
class JzdBlock:
    number: int
    line: int
    code: str = ""
    name: str = ""
    hectares: float | None = None
    declared_points: int | None = None
    shape: str = ""
    use: str = ""
    # 圈号 → [(点号, X northing, Y easting, line)] in file order
    rings: dict[int, list[tuple[str, float, float, int]]] = field(default_factory=dict)
    broken: bool = False  # a point line could not be read: the block is refused

    @property
    def point_count(self) -> int:
        return sum(len(points) for points in self.rings.values())


@dataclass
class JzdFile:
    attributes: dict[str, str]
    blocks: list[JzdBlock]
    problems: list[JzdProblem]


def _number(text: str) -> float | None:
    text = unicodedata.normalize("NFKC", text).strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_jzd(text: str, *, max_points: int, max_blocks: int = 100_000) -> JzdFile:
    """Read 界址点 text. Raises :class:`JzdError` when it is not such a file or holds more than
    ``max_points`` points or ``max_blocks`` parcels."""
    attributes: dict[str, str] = {}
    blocks: list[JzdBlock] = []
    problems: list[JzdProblem] = []
    section = ""
    seen_coordinates = False
    points = 0
    block: JzdBlock | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff").translate(_FULL_WIDTH).strip()
        if not line:
            continue
        heading = SECTION.match(line)
        if heading:
            section = heading.group(1).strip()
            seen_coordinates = seen_coordinates or section == "地块坐标"
            continue
        if section in ("属性描述", "项目信息"):
            key, sep, value = line.partition("=")
            if sep and section == "属性描述":
                attributes[key.strip()] = value.strip()
            continue
        if section != "地块坐标":
            continue
        if line.endswith("@"):
            if len(blocks) >= max_blocks:
                raise JzdError(f"文件的地块超过 {max_blocks:,} 个（第 {number} 行），不予读取")
            block = _header(line, number, len(blocks) + 1)
            blocks.append(block)
            continue
        if block is None:
            problems.append(JzdProblem(number, None, "坐标行前没有地块的标题行（以 @ 结尾）"))
            continue
        points += 1
        if points > max_points:
            raise JzdError(f"文件的界址点超过 {max_points:,} 个（第 {number} 行），不予读取")
        problem = _point(block, line, number)
        if problem:
            block.broken = True
            problems.append(JzdProblem(number, block.number, problem))
    if not seen_coordinates:
        raise JzdError("不是界址点坐标文件：没有 [地块坐标] 一节")
    if not blocks:
        raise JzdError("[地块坐标] 中没有地块（地块的标题行以 @ 结尾）")
    return JzdFile(attributes, blocks, problems)


def _header(line: str, number: int, block_number: int) -> JzdBlock:
    fields = [f.strip() for f in line[:-1].split(",")]
    fields += [""] * (8 - len(fields))
    count = _number(fields[0])
    return JzdBlock(
        number=block_number,
        line=number,
        declared_points=int(count) if count is not None and count >= 0 else None,
        hectares=_number(fields[1]),
        code=fields[2],
        name=fields[3],
        shape=fields[4],
        use=fields[6],
    )


def _point(block: JzdBlock, line: str, number: int) -> str | None:
    """Add one point line to ``block``; the reason when it cannot be read."""
    fields = [f.strip() for f in line.split(",")]
    if len(fields) < 4:
        return f"坐标行应为“点号,圈号,X,Y”：“{line[:60]}”"
    name, ring_text, x_text, y_text = fields[:4]
    ring = _number(ring_text)
    if ring is None or ring != int(ring) or not 1 <= ring <= 100_000:
        return f"圈号“{ring_text[:20]}”不是正整数"
    x, y = _number(x_text), _number(y_text)
    if x is None or y is None:
        bad = x_text if x is None else y_text
        return f"坐标“{bad[:30]}”不是有效的数（点 {name[:20]}）"
    if not 0 < x < MAX_NORTHING or y <= 0:
        return f"坐标 X={x_text[:20]}、Y={y_text[:20]} 不在合理范围（X 为北坐标，Y 为东坐标）"
    block.rings.setdefault(int(ring), []).append((name, x, y, number))
    return None


def block_zone(attributes: Mapping[str, str], block: JzdBlock) -> tuple[Zone, list[str]]:
    """The zone ``block``'s coordinates are in, and notes (an assumed datum): from 坐标系,
    几度分带 and 带号 of ``[属性描述]``, or the zone number in front of Y. Raises
    :class:`ZoneError` with the reason (the zone cannot be told, or 带号 and Y disagree)."""
    notes: list[str] = []
    datum_text = attributes.get("坐标系", "").strip()
    datum = datum_of_text(datum_text) if datum_text else Datum.CGCS2000
    if datum is None:
        raise ZoneError(
            f"坐标系“{datum_text[:40]}”不受支持（只支持 2000国家大地坐标系 和 1980西安坐标系）"
        )
    if not datum_text:
        notes.append("[属性描述] 未写坐标系，按 2000国家大地坐标系 读取")
    width = _whole(attributes.get("几度分带", ""))
    band = _whole(attributes.get("带号", ""))
    if band is not None and band > 45 and 75 <= band <= 135:  # a central meridian given
        band = band // 3 if (width or 3) == 3 else (band + 3) // 6
    prefixes = {prefix_of_easting(y) for points in block.rings.values() for _, _, y, _ in points}
    if len(prefixes) > 1:
        shown = "、".join(
            str(p) if p is not None else "无" for p in sorted(prefixes, key=lambda p: p or 0)
        )
        raise ZoneError(f"各点 Y 坐标前的带号不一致（{shown}）")
    prefix = next(iter(prefixes), None)
    if prefix is not None:
        if band is not None and band != prefix:
            raise ZoneError(f"Y 坐标前的带号 {prefix} 与 [属性描述] 的带号 {band} 不符")
        number = prefix
    elif band is not None:
        number = band
    else:
        raise ZoneError("无法确定投影带：[属性描述] 没有带号，Y 坐标前也没有带号")
    width = width or zone_width_of(number)
    if width is None:
        raise ZoneError(f"带号 {number} 不是我国的 3° 带（25–45）或 6° 带（13–23）")
    return Zone(datum, width, number, prefix is not None), notes


def _whole(text: str) -> int | None:
    digits = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", text))
    return int(digits) if digits and len(digits) <= 4 else None


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class JzdOutline:
    """One parcel to write: its rings as (X northing, Y easting), each closed or not."""

    code: str
    name: str
    hectares: float
    rings: Sequence[Sequence[tuple[float, float]]]
    use: str = ""


def format_jzd(attributes: Iterable[tuple[str, str]], outlines: Iterable[JzdOutline]) -> str:
    """The 界址点 text of ``outlines``: points J1, J2 … numbered through the parcel, each ring
    closed by repeating its first point, coordinates to the millimetre; CRLF line ends."""
    lines = ["[属性描述]", *(f"{k}={v}" for k, v in attributes), "[地块坐标]"]
    for outline in outlines:
        body: list[str] = []
        index = 0
        for ring_number, ring in enumerate(outline.rings, start=1):
            points = list(ring)
            if points and points[0] == points[-1]:
                points.pop()
            first = index + 1
            for x, y in points:
                index += 1
                body.append(f"J{index},{ring_number},{x:.3f},{y:.3f}")
            if points:
                body.append(f"J{first},{ring_number},{points[0][0]:.3f},{points[0][1]:.3f}")
        fields = [
            str(len(body)),
            f"{outline.hectares:.4f}",
            _clean(outline.code),
            _clean(outline.name),
        ]
        lines.append(",".join([*fields, "面", "", _clean(outline.use), "", "@"]))
        lines.extend(body)
    return "\r\n".join(lines) + "\r\n"


def _clean(text: str) -> str:
    """A header field without the separators of the format."""
    return re.sub(r"[,，@\r\n]", "、", text or "").strip()
