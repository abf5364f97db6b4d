"""The indicator table as a spreadsheet: which header names which column, and a row's cells read
into a :class:`~landbank.domain.standards.table.StandardRow` (``landbank import standards``).

Headers
    县区 (区县, 县(市、区) …), 园区 (开发区 …), 产业 (行业 …), then an indicator's label or a
    synonym (投资强度, 地均税收, 亩均产值, R&D经费占比 …), optionally with its unit in brackets
    and a bound word: 下限/最低/不低于/≥ or 上限/最高/不高于/≤. A floor indicator's header
    needs no bound word, nor a ceiling's; 容积率 without one holds the range in its cell.
Cells
    A number (250, "250万元/亩", "30%"), a bound written in the cell ("≥1.0", "≤20%"), or for
    容积率 a range ("1.0-2.0", "1.0～2.0", "1.0至2.0"). Blank: not set.
Every problem is a Chinese sentence naming the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from landbank.domain.standards.indicators import BoundKind, Indicator, Threshold
from landbank.domain.standards.table import StandardRow

Place = Literal["county", "park", "industry"]
Bound = Literal["low", "high"]

_PLACES: dict[str, Place] = {
    "县区": "county",
    "区县": "county",
    "县市区": "county",
    "县(市、区)": "county",
    "县(市,区)": "county",
    "县(区)": "county",
    "县": "county",
    "园区": "park",
    "开发区": "park",
    "园区名称": "park",
    "产业": "industry",
    "行业": "industry",
    "产业类别": "industry",
    "行业类别": "industry",
    "行业分类": "industry",
}
_SYNONYMS: dict[str, Indicator] = {
    "投资强度": Indicator.INVESTMENT_INTENSITY,
    "固定资产投资强度": Indicator.INVESTMENT_INTENSITY,
    "亩均投资": Indicator.INVESTMENT_INTENSITY,
    "地均税收": Indicator.TAX_PER_MU,
    "亩均税收贡献": Indicator.TAX_PER_MU,
    "亩均产值": Indicator.OUTPUT_PER_MU,
    "亩均营业收入": Indicator.OUTPUT_PER_MU,
    "单位能耗工业增加值": Indicator.VALUE_ADDED_PER_ENERGY,
    "单位排放工业增加值": Indicator.VALUE_ADDED_PER_EMISSION,
    "R&D经费占比": Indicator.RD_SHARE,
    "研发经费支出占比": Indicator.RD_SHARE,
    "研发投入占比": Indicator.RD_SHARE,
    "行政办公及生活服务设施用地所占比重": Indicator.ADMIN_SHARE,
    "行政办公及生活服务设施用地比例": Indicator.ADMIN_SHARE,
    "行政办公用地比例": Indicator.ADMIN_SHARE,
}
_LOW_WORDS = ("下限", "最低", "最小", "不低于", "不小于", "≥", ">=")
_HIGH_WORDS = ("上限", "最高", "最大", "不高于", "不大于", "不超过", "≤", "<=")
_BOUND_WORDS: tuple[tuple[tuple[str, ...], Bound], ...] = (
    (_LOW_WORDS, "low"),
    (_HIGH_WORDS, "high"),
)
_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(?:-|－|~|～|〜|至|—|–)\s*(-?\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class StandardColumn:
    """What a column holds: a place (county, park, industry), or an indicator and its bound
    (None: the cell gives the bound or the range)."""

    place: Place | None = None
    indicator: Indicator | None = None
    bound: Bound | None = None


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")").replace("，", ",")


def column_for_header(header: str) -> StandardColumn | None:
    text = _plain(header)
    if text in _PLACES:
        return StandardColumn(place=_PLACES[text])
    bound: Bound | None = None
    for words, which in _BOUND_WORDS:
        for word in words:
            if word in text:
                bound = which
                text = text.replace(word, "")
    name = _BRACKETS.sub("", text).strip("()")
    indicator = _SYNONYMS.get(name) or next((i for i in Indicator if i.label == name), None)
    if indicator is None:
        return StandardColumn(place=_PLACES[name]) if name in _PLACES else None
    if indicator.kind is BoundKind.FLOOR and bound is None:
        bound = "low"
    if indicator.kind is BoundKind.CEILING and bound is None:
        bound = "high"
    return StandardColumn(indicator=indicator, bound=bound)


def map_headers(headers: Sequence[str]) -> tuple[dict[int, StandardColumn], list[str]]:
    """Columns by position, and the problems (no 县区 column, a column given twice)."""
    columns: dict[int, StandardColumn] = {}
    problems: list[str] = []
    seen: dict[StandardColumn, str] = {}
    for position, header in enumerate(headers):
        column = column_for_header(str(header or ""))
        if column is None:
            continue
        if column in seen:
            problems.append(f"列“{header}”与列“{seen[column]}”重复")
            continue
        seen[column] = str(header)
        columns[position] = column
    if not any(c.place == "county" for c in columns.values()):
        problems.append("缺少“县区”列")
    return columns, problems


def parse_threshold(
    indicator: Indicator, cell: object, bound: Bound | None
) -> Threshold | str | None:
    """A cell as a threshold; None when blank; a Chinese reason when it cannot be read."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
        return _placed(indicator, value, bound)
    text = _plain(str(cell)).replace("％", "%")
    for unit in (indicator.unit, "万元/亩", "%", "万元"):
        if unit:
            text = text.replace(unit, "")
    matched = _RANGE.match(text)
    if matched:
        if indicator.kind is not BoundKind.RANGE:
            return f"“{cell}”是区间，{indicator.label}只设{indicator.kind.value}"
        return Threshold(float(matched.group(1)), float(matched.group(2)))
    for words, which in _BOUND_WORDS:
        word = next((w for w in words if text.startswith(w)), None)
        if word is not None:
            bound = which
            text = text[len(word) :]
    number = _NUMBER.fullmatch(text)
    if number is None:
        return f"“{cell}”不是数值"
    return _placed(indicator, float(number.group()), bound)


def _placed(indicator: Indicator, value: float, bound: Bound | None) -> Threshold | str:
    if bound is None:
        if indicator.kind is BoundKind.RANGE:
            return f"{indicator.label}应写成区间（如 1.0-2.0），或分列“下限”“上限”"
        bound = "low" if indicator.kind is BoundKind.FLOOR else "high"
    return Threshold(low=value) if bound == "low" else Threshold(high=value)


def row_from_cells(
    columns: dict[int, StandardColumn],
    headers: Sequence[str],
    cells: Sequence[object],
    where: str,
) -> tuple[StandardRow | None, list[str]]:
    """One row of the sheet as a StandardRow (None for a row with nothing in it), and its
    problems, each naming the row and the column."""
    places: dict[Place, str] = {}
    values: dict[Indicator, Threshold] = {}
    problems: list[str] = []
    for position, column in columns.items():
        cell = cells[position] if position < len(cells) else None
        if column.place is not None:
            text = "" if cell is None else str(cell).strip()
            if text:
                places[column.place] = text
            continue
        assert column.indicator is not None
        got = parse_threshold(column.indicator, cell, column.bound)
        if isinstance(got, str):
            problems.append(f"{where}「{headers[position]}」：{got}")
        elif got is not None:
            old = values.get(column.indicator, Threshold())
            values[column.indicator] = Threshold(
                got.low if got.low is not None else old.low,
                got.high if got.high is not None else old.high,
            )
    if not places and not values and not problems:
        return None, []
    if "county" not in places:
        return None, [f"{where}：县区为空", *problems]
    row = StandardRow(places["county"], places.get("park"), places.get("industry"), values, where)
    return row, problems
