"""The facts the quota arithmetic works on (issue 5): one lean row per parcel, factory and
project, plus regions and parks. :mod:`landbank.services.quota.fact_queries` builds them from Core
selects (no ORM objects: the city report reads 100,000 records in well under 2 s); the pure
functions of :mod:`landbank.domain.quota.progress`, :mod:`landbank.domain.quota.projects` and
:mod:`landbank.domain.quota.alerts` take them. No I/O here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, ProjectStage

# Readiness values past 拟收储: the parcel was actually reserved and counts toward a quota.
COUNTED_READINESS = frozenset(r.value for r in ParcelReadiness if r is not ParcelReadiness.PLANNED)
# Stages of a project with a signed contract (终止 included: a failed contract).
CONTRACT_STAGES = frozenset(
    s.value
    for s in (
        ProjectStage.SIGNED,
        ProjectStage.ABOUT_TO_START,
        ProjectStage.STARTED,
        ProjectStage.IN_PRODUCTION,
        ProjectStage.TERMINATED,
    )
)
SIGNED_STAGES = CONTRACT_STAGES - {ProjectStage.TERMINATED.value}
STARTED_STAGES = frozenset({ProjectStage.STARTED.value, ProjectStage.IN_PRODUCTION.value})
# Supplied but not started: the statuses 闲置土地 rules watch.
IDLE_LAND_STATUSES = frozenset({ParcelStatus.SUPPLIED.value, ParcelStatus.HANDED_OVER.value})
NOT_YET_LISTED = frozenset({ParcelStatus.AVAILABLE.value, ParcelStatus.RESERVED.value})
# Plain strings for the hot loops (an enum's ``.value`` is a property call).
AVAILABLE = ParcelStatus.AVAILABLE.value
NET_LAND = ParcelReadiness.NET_LAND.value
UNDER_CONSTRUCTION = FactoryStatus.UNDER_CONSTRUCTION.value
BUILT = FactoryStatus.BUILT.value
OCCUPIED = FactoryStatus.OCCUPIED.value
TERMINATED = ProjectStage.TERMINATED.value
IDLE_OR_PARTLY = frozenset({FactoryStatus.IDLE.value, FactoryStatus.PARTLY_OCCUPIED.value})
IDLE_FACTORY_STATUSES = frozenset(
    {FactoryStatus.IDLE.value, FactoryStatus.PARTLY_OCCUPIED.value, FactoryStatus.BUILT.value}
)


# ---------------------------------------------------------------- facts (inputs)


class ParcelFact(NamedTuple):
    """What the arithmetic needs of a parcel (one row of a lean select)."""

    id: int
    region_id: int
    park_id: int | None
    code: str
    area_mu: float
    readiness: str
    status: str
    reserve_date: date | None
    count_year: int | None
    agreed_start_date: date | None = None
    actual_start_date: date | None = None
    price_wan: float | None = None
    reserved_project_id: int | None = None
    reserved_until: date | None = None
    ready_since: date | None = None  # the day it became 净地 (or the best guess, see above)


class FactoryFact(NamedTuple):
    id: int
    region_id: int
    park_id: int | None
    code: str
    floor_area_m2: float
    status: str
    completion_date: date | None
    idle_area_m2: float | None = None
    idle_since: date | None = None
    reserved_project_id: int | None = None
    reserved_until: date | None = None


class ProjectFact(NamedTuple):
    id: int
    region_id: int
    park_id: int | None
    name: str
    stage: str
    total_investment_wan: float | None
    signed_date: date | None
    agreed_start_date: date | None
    actual_start_date: date | None
    contract_investment_wan: float | None = None
    funds_in_place_wan: float | None = None
    funds_in_place_year_wan: float | None = None


@dataclass(frozen=True)
class RegionInfo:
    id: int
    name: str
    kind: str  # RegionKind value


@dataclass(frozen=True)
class ParkInfo:
    id: int
    name: str
    region_id: int
    target_projects_500m: int | None = None
    target_projects_100m: int | None = None


# ---------------------------------------------------------------- dates


def anniversary(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
