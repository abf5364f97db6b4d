"""What matching knows of a project's needs and of a site (parcel or factory building).

Plain values, built by the services from records; :mod:`landbank.domain.matching` ranks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from landbank.domain.enums import FactoryStatus, RecordKind, RentOrBuy
from landbank.domain.standards.checks import ProjectFigures, project_figures


@dataclass(frozen=True)
class Requirements:
    """What a project needs; every field may be empty (then it does not count)."""

    project_id: int | None = None
    project_name: str = ""
    land_mu: float | None = None  # the need (lower bound of the range)
    land_max_mu: float | None = None  # upper bound of the range, if one was given
    factory_m2: float | None = None
    ceiling_height_m: float | None = None
    floor_load_kn_m2: float | None = None
    power_kva: float | None = None
    industry: str | None = None
    industry_class: str | None = None
    home_region_id: int | None = None  # 承办县区
    preferred_region_id: int | None = None
    preferred_park_id: int | None = None
    investment_intensity_wan_per_mu: float | None = None  # 投资强度 of the plan, per 亩 needed
    tax_per_mu_wan: float | None = None  # 亩均税收 of the plan, per 亩 needed
    needed_by: date | None = None
    rent_or_buy: str | None = None
    investment_wan: float | None = None  # 总投资
    tax_wan: float | None = None  # 预计年税收
    # Every figure 标准地 judges (增加值, 能耗, 就业 …; the record's, see :meth:`standard_figures`).
    figures: ProjectFigures | None = None

    def standard_figures(self) -> ProjectFigures:
        """The figures a parcel's 标准地 indicators are judged on: the record's, with 总投资 and
        预计年税收 as :attr:`threshold_investment_wan` / :attr:`threshold_tax_wan` (the figures
        the clerk may have changed in the matching dialog)."""
        base = self.figures if self.figures is not None else ProjectFigures()
        return replace(
            base,
            total_investment_wan=self.threshold_investment_wan,
            expected_tax_wan=self.threshold_tax_wan,
        )

    @property
    def threshold_investment_wan(self) -> float | None:
        """The 总投资 a site's 准入门槛 is judged on: the plan's 投资强度 × the land need when
        both are given (the figures the clerk may have changed in the matching dialog), else
        the recorded total."""
        return _total(self.investment_intensity_wan_per_mu, self.land_mu, self.investment_wan)

    @property
    def threshold_tax_wan(self) -> float | None:
        """The 预计年税收 a site's 准入门槛 is judged on (as :attr:`threshold_investment_wan`)."""
        return _total(self.tax_per_mu_wan, self.land_mu, self.tax_wan)

    @property
    def wants_land(self) -> bool:
        return bool(self.land_mu)

    @property
    def wants_factory(self) -> bool:
        return bool(self.factory_m2)

    def site_kinds(self) -> tuple[RecordKind, ...]:
        """Parcels for a land need, buildings for a floor-space need, both when neither
        (or both) is given."""
        kinds: list[RecordKind] = []
        if self.wants_land:
            kinds.append(RecordKind.PARCEL)
        if self.wants_factory:
            kinds.append(RecordKind.FACTORY)
        return tuple(kinds) or (RecordKind.PARCEL, RecordKind.FACTORY)


def _total(per_mu: float | None, land: float | None, total: float | None) -> float | None:
    if per_mu is not None and land:
        return float(per_mu) * float(land)
    return None if total is None else float(total)


def _per_mu(amount: Any, land: Any) -> float | None:
    if amount is None or not land:
        return None
    return float(amount) / float(land)


def requirements_of_project(values: Mapping[str, Any]) -> Requirements:
    """A project's requirements from its record values (keys of the field catalogue).

    投资强度 and 亩均税收 follow DOMAIN.md: total investment / land 亩, expected tax / land 亩
    (of the need; matching judges a site's 准入门槛 on the site's own 亩, from the totals).
    """
    land = values.get("req_land_mu")
    return Requirements(
        project_id=values.get("id"),
        project_name=values.get("name") or "",
        land_mu=land,
        land_max_mu=values.get("req_land_max_mu"),
        factory_m2=values.get("req_factory_m2"),
        ceiling_height_m=values.get("req_ceiling_height_m"),
        floor_load_kn_m2=values.get("req_floor_load_kn_m2"),
        power_kva=values.get("req_power_kva"),
        industry=values.get("industry"),
        industry_class=values.get("industry_class"),
        home_region_id=values.get("region_id"),
        preferred_region_id=values.get("preferred_region_id"),
        preferred_park_id=values.get("preferred_park_id"),
        investment_intensity_wan_per_mu=_per_mu(values.get("total_investment_wan"), land),
        tax_per_mu_wan=_per_mu(values.get("expected_tax_wan"), land),
        needed_by=values.get("needed_by"),
        rent_or_buy=values.get("rent_or_buy"),
        investment_wan=values.get("total_investment_wan"),
        tax_wan=values.get("expected_tax_wan"),
        figures=project_figures(values),
    )


@dataclass(frozen=True)
class Site:
    """A parcel or a factory building as matching sees it.

    ``area`` is what can be offered: the parcel's 亩, or the building's free floor space in m²
    (see :func:`available_floor_area`).
    """

    kind: RecordKind
    id: int
    code: str
    name: str
    region_id: int
    park_id: int | None
    area: float
    status: str
    version: int = 1
    region_name: str = ""
    park_name: str = ""
    readiness: str | None = None
    target_industry: str | None = None
    min_intensity_wan_per_mu: float | None = None
    min_tax_per_mu_wan: float | None = None
    far_min: float | None = None  # the parcel's planning conditions (its 标准地 override)
    far_max: float | None = None
    green_ratio_pct: float | None = None
    price_wan: float | None = None
    rent_yuan_m2_month: float | None = None
    ceiling_height_m: float | None = None
    floor_load_kn_m2: float | None = None
    power_kva: float | None = None
    ready_date: date | None = None  # a building under construction: its completion date
    reserved_project_id: int | None = None
    reserved_project_name: str | None = None
    reserved_until: date | None = None

    @property
    def unit(self) -> str:
        return "亩" if self.kind is RecordKind.PARCEL else "m²"

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}".strip()


def available_floor_area(status: str, floor_area_m2: float, idle_area_m2: float | None) -> float:
    """Floor space of a building that can still be let or sold: none once fully occupied; the
    idle part when partly occupied or idle; the whole building while being built or when built
    and not yet let (unless an idle area says otherwise)."""
    if status == FactoryStatus.OCCUPIED.value:
        return 0.0
    if status in (FactoryStatus.IDLE.value, FactoryStatus.PARTLY_OCCUPIED.value):
        return float(idle_area_m2 or 0.0)
    if idle_area_m2 is not None and status == FactoryStatus.BUILT.value:
        return float(idle_area_m2)
    return float(floor_area_m2)


def wants_rent_only(req: Requirements) -> bool:
    return req.rent_or_buy == RentOrBuy.RENT.value
