"""The stored 标准地 table (``land_standard``) ↔ the domain's rows, by name; the table as listed;
and the standard that applies to one site (:func:`standard_for`).

A stored row has one column a bound (:data:`BOUND_COLUMNS`); the domain's
:class:`~landbank.domain.standards.table.StandardRow` names its county and park, so the ids are
mapped to names here and the domain's resolution (:func:`applicable_standard`) decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.standards.indicators import (
    NATIONAL_DEFAULTS,
    BoundKind,
    Indicator,
    Threshold,
)
from landbank.domain.standards.table import (
    ALL_INDUSTRIES,
    Standard,
    StandardRow,
    applicable_standard,
)
from landbank.store.models import LandStandard, Park, Region

Bound = Literal["low", "high"]

# (indicator, bound) → the column of land_standard holding it.
BOUND_COLUMNS: dict[tuple[Indicator, Bound], str] = {
    (Indicator.INVESTMENT_INTENSITY, "low"): "investment_intensity_min_wan_per_mu",
    (Indicator.FLOOR_AREA_RATIO, "low"): "far_min",
    (Indicator.FLOOR_AREA_RATIO, "high"): "far_max",
    (Indicator.TAX_PER_MU, "low"): "tax_per_mu_min_wan",
    (Indicator.OUTPUT_PER_MU, "low"): "output_per_mu_min_wan",
    (Indicator.VALUE_ADDED_PER_ENERGY, "low"): "value_added_per_tce_min_wan",
    (Indicator.VALUE_ADDED_PER_EMISSION, "low"): "value_added_per_emission_min_wan",
    (Indicator.RD_SHARE, "low"): "rd_share_min_pct",
    (Indicator.LABOUR_PRODUCTIVITY, "low"): "labour_productivity_min_wan",
    (Indicator.BUILDING_COVERAGE, "low"): "building_coverage_min_pct",
    (Indicator.GREEN_RATIO, "high"): "green_ratio_max_pct",
    (Indicator.ADMIN_SHARE, "high"): "admin_share_max_pct",
}


def bound_header(indicator: Indicator, bound: Bound) -> str:
    """A column's header as every table and export shows it, and as the import reads it back:
    "固定资产投资强度≥(万元/亩)", "容积率下限", "绿地率≤(%)"."""
    if indicator.kind is BoundKind.RANGE:
        return f"{indicator.label}{'下限' if bound == 'low' else '上限'}"
    sign = "≥" if bound == "low" else "≤"
    unit = f"({indicator.unit})" if indicator.unit else ""
    return f"{indicator.label}{sign}{unit}"


def bound_label(column: str) -> str:
    """The audit's and the messages' name of a column: its header."""
    for (indicator, bound), name in BOUND_COLUMNS.items():
        if name == column:
            return bound_header(indicator, bound)
    return {"region_id": "县区", "park_id": "园区", "industry": "产业", "notes": "备注"}.get(
        column, column
    )


def national_bound(indicator: Indicator, bound: Bound) -> float | None:
    """The national floor of a bound (建筑系数 30, 绿地率 20, 行政办公 7), else None."""
    national = NATIONAL_DEFAULTS.get(indicator)
    if national is None:
        return None
    return national.low if bound == "low" else national.high


def values_of(row: LandStandard) -> dict[Indicator, Threshold]:
    """The thresholds a stored row sets (blank indicators absent)."""
    values: dict[Indicator, Threshold] = {}
    for (indicator, bound), name in BOUND_COLUMNS.items():
        figure = getattr(row, name)
        if figure is None:
            continue
        old = values.get(indicator, Threshold())
        values[indicator] = (
            Threshold(float(figure), old.high) if bound == "low" else Threshold(old.low, float(figure))
        )
    return values


def columns_of(values: Mapping[Indicator, Threshold]) -> dict[str, float | None]:
    """Every bound column, from thresholds (a bound the indicator does not have is dropped:
    the checks refuse it first)."""
    columns: dict[str, float | None] = {name: None for name in BOUND_COLUMNS.values()}
    for indicator, threshold in values.items():
        for bound, figure in (("low", threshold.low), ("high", threshold.high)):
            name = BOUND_COLUMNS.get((indicator, bound))  # type: ignore[arg-type]
            if name is not None and figure is not None:
                columns[name] = float(figure)
    return columns


def standard_title(county: str, park: str | None, industry: str | None) -> str:
    """"城关县·高新园区·新材料", "城关县·全部产业" (the domain's row title)."""
    return StandardRow(county, park, industry).title


@dataclass(frozen=True)
class StandardEntry:
    """A stored row as listed: ids and names, its thresholds, version for an edit."""

    id: int
    uuid: str
    version: int
    region_id: int
    region: str
    park_id: int | None
    park: str | None
    industry: str | None
    values: Mapping[Indicator, Threshold] = field(default_factory=dict)
    notes: str | None = None

    @property
    def title(self) -> str:
        return standard_title(self.region, self.park, self.industry)

    @property
    def industry_shown(self) -> str:
        return self.industry or ALL_INDUSTRIES

    def figure(self, indicator: Indicator, bound: Bound) -> float | None:
        threshold = self.values.get(indicator)
        if threshold is None:
            return None
        return threshold.low if bound == "low" else threshold.high

    def domain_row(self) -> StandardRow:
        return StandardRow(self.region, self.park, self.industry, self.values, self.title)


def load_entries(session: Session, region_id: int | None = None) -> list[StandardEntry]:
    """The table (of one county when given), by county, park (county-wide first), industry
    (all industries first)."""
    stmt = (
        select(LandStandard, col(Region.name), col(Park.name))
        .join(Region, col(Region.id) == col(LandStandard.region_id))
        .outerjoin(Park, col(Park.id) == col(LandStandard.park_id))
    )
    if region_id is not None:
        stmt = stmt.where(col(LandStandard.region_id) == region_id)
    entries = []
    for row, region, park in session.execute(stmt).all():
        assert row.id is not None
        entries.append(
            StandardEntry(
                row.id,
                row.uuid,
                row.version,
                row.region_id,
                str(region),
                row.park_id,
                str(park) if park is not None else None,
                row.industry,
                values_of(row),
                row.notes,
            )
        )
    entries.sort(key=lambda e: (e.region, e.park is not None, e.park or "", e.industry or ""))
    return entries


def standard_for(
    session: Session, region_id: int, park_id: int | None, industry: str | None
) -> Standard:
    """The standard of a site in county ``region_id`` (and park ``park_id``) for a project of
    ``industry``: each indicator bound from the most specific row setting it, the national
    floors binding (:func:`~landbank.domain.standards.table.applicable_standard`)."""
    entries = load_entries(session, region_id)
    county = session.get(Region, region_id)
    name = county.name if county is not None else f"县区 #{region_id}"
    park = session.get(Park, park_id) if park_id is not None else None
    rows = [e.domain_row() for e in entries]
    return applicable_standard(rows, name, park.name if park is not None else None, industry)
