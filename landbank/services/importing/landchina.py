"""Land-supply results (供地结果) exported from 中国土地市场网 (landchina.com), as parcels.

These files are not a county ledger but the national publication; they come as an old .xls
with 28 columns and need a few decisions the generic column mapping cannot take:

- "土地用途" appears twice: the second column is the detailed use (工业用地 …) and decides
  which rows are imported (industrial land only, unless the clerk asks for every row);
- there is no 地块编号 and no 电子监管号: the code is derived from the record's link
  (``recorderguid=…`` in 链接) as "LC-" + its first 16 hex digits, stable across re-imports
  (8 digits are not enough: the site's Oracle GUIDs share their first 10);
- the region is 行政区 ("德令哈市", "新乡市本级"), or the city of 地区 ("青海省,海西州")
  when 行政区 is empty;
- the two 容积率 columns are labelled the wrong way round (the one headed 上限 holds the
  lower bound), and 0.00 or an empty cell means no limit;
- every row is supplied land (划拨 or 出让): status 已出让/划拨, readiness 净地(可供);
- 土地来源 holds a number (公顷 of existing construction land), shown by the site as
  现有建设用地 (all of the area), 新增建设用地 (none) or 新增建设用地(来自存量库) (part);
- 供地方式, 合同签订日期, 土地级别, 土地使用年限, 批准单位 and the link go into 备注, and
  so does an agreed completion date earlier than the agreed start (one row: 竣工 2010 for
  开工 2018) and a 容积率 beyond 20 (204, 100), which would otherwise refuse the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from landbank.domain.enums import ParcelReadiness, ParcelStatus, RegionKind
from landbank.domain.ledger_words import (
    is_blank,
    parse_ledger_date,
    region_from_area,
    region_kind,
    region_name,
)
from landbank.domain.units import normalise_text
from landbank.domain.validation import FieldError
from landbank.services.importing.columns import normal_header
from landbank.services.importing.spreadsheet import Cell

INDUSTRIAL_USE = "工业用地"
MAX_FLOOR_AREA_RATIO = 20.0  # the catalogue's maximum for 容积率
_SIGNATURE = ("链接", "地区", "行政区", "土地使用权人", "约定容积率(上限)", "约定容积率(下限)")
_GUID = re.compile(r"recorderguid=([0-9A-Za-z-]+)")


@dataclass(frozen=True)
class RegionRef:
    """A region named by the file, created with this kind when not yet known."""

    name: str
    kind: RegionKind
    city: str | None = None


def region_ref(text: str) -> RegionRef:
    """The region a 县区 cell names, as any import reads it ("河南省新乡市辉县市" → 辉县市)."""
    name = region_name(text)
    return RegionRef(name, region_kind(name))


@dataclass(frozen=True)
class LandchinaLayout:
    """Column positions, found by header name (the order may change between exports)."""

    link: int
    area_text: int  # 地区 "省,市"
    county: int  # 行政区
    use_detail: int | None  # the second 土地用途
    use_summary: int | None  # the first 土地用途
    area_ha: int | None  # 面积(公顷)
    total_area_ha: int | None  # 总面积 (公顷 too)
    far_upper_header: int
    far_lower_header: int
    land_source: int | None
    agreed_start: int | None
    agreed_completion: int | None
    notes: tuple[tuple[str, int], ...]  # (label, column) copied into 备注

    def read_columns(self) -> frozenset[int]:
        """The columns :func:`adapt_row` imports whatever the mapping says (代码, 县区, 用途,
        容积率, 土地来源, 备注 …): never "not imported", even when set to （不导入）."""
        columns = {
            self.link,
            self.area_text,
            self.county,
            self.use_detail,
            self.use_summary,
            self.total_area_ha,
            self.far_upper_header,
            self.far_lower_header,
            self.land_source,
            *(index for _label, index in self.notes),
        }
        return frozenset(c for c in columns if c is not None)


def detect(headers: Sequence[str]) -> LandchinaLayout | None:
    """The layout when ``headers`` are those of a 中国土地市场网 export, else ``None``."""
    names = [normal_header(h) for h in headers]
    if not all(s in names for s in _SIGNATURE):
        return None

    def first(name: str) -> int | None:
        return names.index(name) if name in names else None

    def last(name: str) -> int | None:
        return len(names) - 1 - names[::-1].index(name) if name in names else None

    uses = [i for i, n in enumerate(names) if n == "土地用途"]
    notes = tuple(
        (label, index)
        for label in ("供地方式", "合同签订日期", "土地级别", "土地使用年限", "批准单位")
        if (index := first(label)) is not None
    )
    supply = first("供应方式")
    if supply is not None and first("供地方式") is None:
        notes = (("供地方式", supply), *notes)
    return LandchinaLayout(
        link=names.index("链接"),
        area_text=names.index("地区"),
        county=names.index("行政区"),
        use_detail=uses[-1] if len(uses) > 1 else None,
        use_summary=uses[0] if uses else None,
        area_ha=first("面积(公顷)"),
        total_area_ha=first("总面积"),
        far_upper_header=names.index("约定容积率(上限)"),
        far_lower_header=names.index("约定容积率(下限)"),
        land_source=last("土地来源"),
        agreed_start=first("约定开工时间"),
        agreed_completion=first("约定竣工时间"),
        notes=(*notes, ("链接", names.index("链接"))),
    )


def _cell(row: Sequence[Cell], index: int | None) -> Cell:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def _text(row: Sequence[Cell], index: int | None) -> str:
    value = _cell(row, index)
    return "" if is_blank(value) else normalise_text(str(value))


def land_use(layout: LandchinaLayout, row: Sequence[Cell]) -> str:
    """The detailed land use (the second 土地用途 column)."""
    return _text(row, layout.use_detail if layout.use_detail is not None else layout.use_summary)


def is_industrial(layout: LandchinaLayout, row: Sequence[Cell]) -> bool:
    """Whether the import takes the row as a parcel (unless every land use is asked for)."""
    return land_use(layout, row) == INDUSTRIAL_USE


def code_from_link(link: str) -> str | None:
    m = _GUID.search(link)
    if not m:
        return None
    digits = m[1].replace("-", "").lower()
    return f"LC-{digits[:16]}" if len(digits) >= 16 else None


def _number(value: Cell) -> float | None:
    if is_blank(value):
        return None
    try:
        return float(normalise_text(str(value)).replace(",", ""))
    except ValueError:
        raise FieldError(f"“{value}”不是有效的数字") from None


def floor_area_ratio(
    layout: LandchinaLayout, row: Sequence[Cell]
) -> tuple[float | None, float | None]:
    """(far_min, far_max): the column headed 上限 holds the lower bound; 0 means no limit.
    When both are given the smaller is the lower bound, whichever column it sits in."""
    low = _number(_cell(row, layout.far_upper_header)) or None
    high = _number(_cell(row, layout.far_lower_header)) or None
    if low is not None and high is not None and low > high:
        low, high = high, low
    return low, high


def _land_source(layout: LandchinaLayout, row: Sequence[Cell], area: float | None) -> str | None:
    raw = _cell(row, layout.land_source)
    if is_blank(raw):
        return None
    try:
        existing = _number(raw)
    except FieldError:
        return normalise_text(str(raw))
    if existing is None or area is None:
        return None
    if existing == 0:
        return "新增建设用地"
    if abs(existing - area) < 1e-6:
        return "现有建设用地"
    return "新增建设用地(来自存量库)"


def _note_value(label: str, value: Cell) -> str:
    if "日期" in label:
        try:
            parsed = parse_ledger_date(value)
        except FieldError:
            parsed = None
        if parsed is not None:
            return parsed.isoformat()
    return " ".join(str(value).split())


def row_region(layout: LandchinaLayout, row: Sequence[Cell]) -> RegionRef | None:
    """The region a row names: 行政区 (with the city of 地区), else the city of 地区."""
    county = _text(row, layout.county)
    city = region_from_area(_text(row, layout.area_text))
    if county:
        name = region_name(county)
        return RegionRef(name, region_kind(name), city[0] if city else None)
    if city is not None:
        return RegionRef(city[0], city[1], city[0])
    return None


def adapt_row(layout: LandchinaLayout, row: Sequence[Cell]) -> dict[str, object]:
    """The values this file gives that the generic mapping cannot: code, region, status,
    容积率, 土地来源, 备注 — and the area and use from the summary columns when the detail
    columns are empty. Raw cells (area in 公顷, dates as text) are left for the importer."""
    values: dict[str, object] = {
        "readiness": ParcelReadiness.NET_LAND.value,
        "status": ParcelStatus.SUPPLIED.value,
    }
    code = code_from_link(_text(row, layout.link))
    if code:
        values["code"] = code
    place = row_region(layout, row)
    if place is not None:
        values["region_id"] = place
    far_min, far_max = floor_area_ratio(layout, row)
    values["far_min"], values["far_max"] = far_min, far_max
    implausible = [f for f in (far_min, far_max) if f is not None and f > MAX_FLOOR_AREA_RATIO]
    if implausible:  # 204, 100: typos in the publication; kept in 备注, not in the fields
        values["far_min"] = values["far_max"] = None
    area_cell = _cell(row, layout.area_ha)
    if is_blank(area_cell):
        area_cell = _cell(row, layout.total_area_ha)
        if not is_blank(area_cell):
            values["area_mu"] = area_cell  # 公顷 like 面积(公顷): converted by the importer
    try:
        area = _number(area_cell)
    except FieldError:
        area = None
    values["land_source"] = _land_source(layout, row, area)
    use = land_use(layout, row)
    if use:
        values["planned_use"] = use
    notes = ["中国土地市场网供地结果"]
    if implausible:
        shown = "–".join(f"{f:g}" for f in (far_min, far_max) if f is not None)
        notes.append(f"约定容积率：{shown}（超出合理范围，未填入）")
    for label, index in layout.notes:
        value = _cell(row, index)
        if not is_blank(value):
            notes.append(f"{label}：{_note_value(label, value)}")
    start, completion = _date_or_none(row, layout.agreed_start), _date_or_none(
        row, layout.agreed_completion
    )
    if start is not None and completion is not None and completion < start:
        # A typo in the publication (竣工 2010 for 开工 2018): kept in 备注, not in the field.
        values["agreed_completion_date"] = None
        notes.append(f"约定竣工时间：{completion.isoformat()}（早于约定开工时间，未填入）")
    values["notes"] = "；".join(notes)
    return values


def _date_or_none(row: Sequence[Cell], index: int | None) -> date | None:
    try:
        return parse_ledger_date(_cell(row, index))
    except FieldError:
        return None
