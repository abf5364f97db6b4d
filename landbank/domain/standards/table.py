"""The indicator table (标准地指标表) and the standard that applies to one site.

A :class:`StandardRow` sets indicators for a county, optionally for one park and/or one industry
(blank: all parks, all industries). The standard of a site is resolved **per indicator bound**:
each bound (a floor's 下限, a ceiling's 上限, each end of the 容积率 range) comes from the most
specific row that sets it, and falls back to less specific rows where that one is blank. A park
row setting only 投资强度 so keeps the county's 亩均税收 — reading “the most specific row applies”
per row would wipe every figure the park left blank, which is never what the park meant.

Specificity, most specific first:
    1. 园区 + 产业      2. 县区 + 产业      3. 园区（全部产业）      4. 县区（全部产业）
    5. the national floors (:data:`~.indicators.NATIONAL_DEFAULTS`).
An industry row beats a park-wide row: 投资强度 and 亩均税收 differ between industries far more
than between the parks of one county (the national 控制指标 are tabled by industry), and a
county that names an industry means that industry wherever it lands. The parcel's own
thresholds (:func:`with_parcel_override`) come before all of these. Whatever the rows say, the
national floors bind: a looser value is replaced by the national one, with a note.

Names are compared as written after trimming blanks (the services map ids to names).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from landbank.domain.standards.indicators import (
    NATIONAL_DEFAULTS,
    NATIONAL_SOURCE,
    BoundKind,
    Indicator,
    Threshold,
    requirement_text,
)

PARCEL_SOURCE = "地块"
ALL_INDUSTRIES = "全部产业"

Layer = tuple[str, Mapping[Indicator, Threshold]]


def _name(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


@dataclass(frozen=True)
class StandardRow:
    """One row of the table; ``values`` holds the indicators it sets (blank ones absent)."""

    county: str
    park: str | None = None
    industry: str | None = None
    values: Mapping[Indicator, Threshold] = field(default_factory=dict, hash=False)
    where: str = ""  # where the row came from, for messages: "第 5 行"

    @property
    def specificity(self) -> int:
        """3 园区+产业, 2 县区+产业, 1 园区, 0 县区 (see the module docstring)."""
        return (2 if _name(self.industry) else 0) + (1 if _name(self.park) else 0)

    @property
    def title(self) -> str:
        """As shown: "城关县·高新园区·新材料", "城关县·全部产业"."""
        parts = [self.county.strip()]
        if _name(self.park):
            parts.append(str(_name(self.park)))
        parts.append(_name(self.industry) or ALL_INDUSTRIES)
        return "·".join(parts)

    def applies_to(self, county: str, park: str | None, industry: str | None) -> bool:
        if self.county.strip() != county.strip():
            return False
        mine_park, mine_industry = _name(self.park), _name(self.industry)
        if mine_park is not None and mine_park != _name(park):
            return False
        return mine_industry is None or mine_industry == _name(industry)


@dataclass(frozen=True)
class ResolvedIndicator:
    """The bound(s) of one indicator that apply to a site, with where each came from."""

    indicator: Indicator
    threshold: Threshold
    low_source: str = ""
    high_source: str = ""
    notes: tuple[str, ...] = ()

    @property
    def requirement(self) -> str:
        return requirement_text(self.indicator, self.threshold)

    @property
    def source(self) -> str:
        """As shown: "城关县·全部产业", or both sources of a range set by two rows."""
        sources = [s for s in (self.low_source, self.high_source) if s]
        return "、".join(dict.fromkeys(sources))


@dataclass(frozen=True)
class Standard:
    """Every indicator that applies to a site (blank ones left out), and the layers it was
    resolved from (most specific first), so a parcel's override can be laid on top."""

    indicators: Mapping[Indicator, ResolvedIndicator]
    layers: tuple[Layer, ...] = ()
    national: Mapping[Indicator, Threshold] = field(default_factory=lambda: NATIONAL_DEFAULTS)

    def get(self, indicator: Indicator) -> ResolvedIndicator | None:
        return self.indicators.get(indicator)

    def __iter__(self) -> Iterator[ResolvedIndicator]:
        return iter([self.indicators[i] for i in Indicator if i in self.indicators])

    def __len__(self) -> int:
        return len(self.indicators)


def _kept(indicator: Indicator, threshold: Threshold) -> Threshold:
    """The bounds an indicator of this kind can have (a floor has no 上限)."""
    if indicator.kind is BoundKind.FLOOR:
        return Threshold(low=threshold.low)
    if indicator.kind is BoundKind.CEILING:
        return Threshold(high=threshold.high)
    return threshold


def _resolve_one(
    indicator: Indicator, layers: Sequence[Layer], national: Threshold | None
) -> ResolvedIndicator | None:
    low: float | None = None
    high: float | None = None
    low_source = high_source = ""
    for source, values in layers:
        given = values.get(indicator)
        if given is None:
            continue
        given = _kept(indicator, given)
        if low is None and given.low is not None:
            low, low_source = given.low, source
        if high is None and given.high is not None:
            high, high_source = given.high, source
    notes: list[str] = []
    if national is not None:
        if national.low is not None and (low is None or low < national.low):
            if low is not None:
                notes.append(_looser_note(indicator, low_source, low, national.low, "低于"))
            low, low_source = national.low, NATIONAL_SOURCE
        if national.high is not None and (high is None or high > national.high):
            if high is not None:
                notes.append(_looser_note(indicator, high_source, high, national.high, "高于"))
            high, high_source = national.high, NATIONAL_SOURCE
    if low is not None and high is not None and low > high:
        notes.append(
            f"{indicator.label}下限 {indicator.format(low)}（{low_source}）高于上限 "
            f"{indicator.format(high)}（{high_source}），请核对指标表"
        )
    threshold = Threshold(low, high)
    if threshold.is_blank:
        return None
    return ResolvedIndicator(indicator, threshold, low_source, high_source, tuple(notes))


def _looser_note(
    indicator: Indicator, source: str, value: float, national: float, word: str
) -> str:
    return (
        f"{source}设定的{indicator.label} {indicator.with_unit(value)} {word}国家标准，"
        f"按 {indicator.with_unit(national)} 计"
    )


def _resolve(layers: Sequence[Layer], national: Mapping[Indicator, Threshold]) -> Standard:
    resolved = {}
    for indicator in Indicator:
        one = _resolve_one(indicator, layers, national.get(indicator))
        if one is not None:
            resolved[indicator] = one
    return Standard(resolved, tuple(layers), national)


def applicable_standard(
    rows: Iterable[StandardRow],
    county: str,
    park: str | None = None,
    industry: str | None = None,
    *,
    national: Mapping[Indicator, Threshold] = NATIONAL_DEFAULTS,
) -> Standard:
    """The standard of a site in ``county`` (and ``park``) for a project of ``industry``: each
    indicator bound from the most specific row setting it (see the module docstring). Rows
    of the same specificity: the later one wins (an import reports such duplicates first,
    :func:`validate_rows`)."""
    matching = [row for row in rows if row.applies_to(county, park, industry)]
    # Stable sort, most specific first; among equals the later row first.
    ordered = sorted(reversed(matching), key=lambda row: -row.specificity)
    layers = [(row.title, row.values) for row in ordered]
    return _resolve(layers, national)


def with_parcel_override(
    standard: Standard, override: Mapping[Indicator, Threshold], source: str = PARCEL_SOURCE
) -> Standard:
    """The parcel's own thresholds laid over the table's: a bound the parcel sets wins, one it
    leaves blank stays the table's (the national floors still bind)."""
    if not override:
        return standard
    return _resolve(((source, override), *standard.layers), standard.national)


def parcel_override(values: Mapping[str, Any]) -> dict[Indicator, Threshold]:
    """The thresholds a parcel record sets itself (keys of the field catalogue): 投资强度≥,
    亩均税收≥, 容积率下限/上限 and 绿地率 (a planning condition of industrial land, read as its
    上限). 建筑密度 is not 建筑系数 (which also counts 构筑物 and 露天堆场), so it sets nothing.
    A 0 sets no floor and no 容积率上限 (as matching reads a 0 threshold: none); a 绿地率 of 0
    is a real ceiling (industrial land should have no green space)."""

    def number(key: str, zero_is_blank: bool = True) -> float | None:
        value = values.get(key)
        if value is None or value == "":
            return None
        number = float(value)
        return None if zero_is_blank and number == 0 else number

    override: dict[Indicator, Threshold] = {}
    pairs = (
        (
            Indicator.INVESTMENT_INTENSITY,
            Threshold(low=number("min_investment_intensity_wan_per_mu")),
        ),
        (Indicator.TAX_PER_MU, Threshold(low=number("min_tax_per_mu_wan"))),
        (Indicator.FLOOR_AREA_RATIO, Threshold(number("far_min"), number("far_max"))),
        (Indicator.GREEN_RATIO, Threshold(high=number("green_ratio_pct", zero_is_blank=False))),
    )
    for indicator, threshold in pairs:
        if not threshold.is_blank:
            override[indicator] = threshold
    return override


def validate_rows(
    rows: Sequence[StandardRow], *, national: Mapping[Indicator, Threshold] = NATIONAL_DEFAULTS
) -> list[str]:
    """What is wrong with a table, in Chinese, naming the row: the same county/park/industry
    twice, a negative figure, a percentage over 100, a range whose 下限 exceeds its 上限, a
    bound the indicator does not have, a value looser than the national floor."""
    problems: list[str] = []
    seen: dict[tuple[str, str | None, str | None], StandardRow] = {}
    for row in rows:
        at = f"{row.where}（{row.title}）" if row.where else row.title
        key = (row.county.strip(), _name(row.park), _name(row.industry))
        if key in seen:
            first = seen[key]
            problems.append(f"{at}：与{first.where or '前一行'}重复（同一县区、园区和产业）")
        seen[key] = row
        for indicator, threshold in row.values.items():
            problems.extend(f"{at}：{p}" for p in _value_problems(indicator, threshold, national))
    return problems


def _value_problems(
    indicator: Indicator, threshold: Threshold, national: Mapping[Indicator, Threshold]
) -> list[str]:
    problems: list[str] = []
    label = indicator.label
    for bound in (threshold.low, threshold.high):
        if bound is None:
            continue
        if bound < 0:
            problems.append(f"{label} {indicator.format(bound)} 不能为负数")
        elif indicator.unit == "%" and bound > 100:
            problems.append(f"{label} {indicator.format(bound)}% 超过 100%")
    if indicator.kind is BoundKind.FLOOR and threshold.high is not None:
        problems.append(f"{label}只设下限（≥），不设上限")
    if indicator.kind is BoundKind.CEILING and threshold.low is not None:
        problems.append(f"{label}只设上限（≤），不设下限")
    low, high = threshold.low, threshold.high
    if indicator.kind is BoundKind.RANGE and low is not None and high is not None and low > high:
        problems.append(f"{label}下限 {indicator.format(low)} 高于上限 {indicator.format(high)}")
    floor = national.get(indicator)
    if floor is not None:
        if floor.low is not None and low is not None and 0 <= low < floor.low:
            problems.append(
                f"{label} {indicator.with_unit(low)} 低于国家标准 "
                f"{indicator.with_unit(floor.low)}，将按国家标准计"
            )
        if floor.high is not None and high is not None and high > floor.high:
            problems.append(
                f"{label} {indicator.with_unit(high)} 高于国家标准 "
                f"{indicator.with_unit(floor.high)}，将按国家标准计"
            )
    return problems
