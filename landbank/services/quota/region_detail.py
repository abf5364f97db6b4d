"""One region's year in detail for the printed report (issue 5): its progress and rank, the
parcels and factories counted with their key facts and the month they count in, the
candidates for what remains (parcels 拟收储 for the year or with no year yet, factories 在建),
its parks, pipeline, stock and alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from landbank.domain.enums import FactoryStatus, ParcelReadiness
from landbank.domain.quota.alerts import Alert, Stock
from landbank.domain.quota.attribution import parcel_month, parcel_year
from landbank.domain.quota.city_report import CityQuotaReport
from landbank.domain.quota.facts import ParcelFact, ProjectFact
from landbank.domain.quota.pace import Pace
from landbank.domain.quota.progress import RegionProgress
from landbank.domain.quota.projects import ParkTargetProgress, PipelineStage, pipeline
from landbank.services.quota.fact_queries import (
    PROJECT_FACT_COLUMNS,
    counted_factory_clause,
    counted_parcel_clause,
)
from landbank.services.quota.report import city_report
from landbank.store.models import Factory, LandParcel, Project

_P = LandParcel.__table__.c  # type: ignore[attr-defined]
_F = Factory.__table__.c  # type: ignore[attr-defined]
_J = Project.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ParcelRow:
    """A parcel as the region report lists it."""

    id: int
    code: str
    name: str | None
    park: str
    area_mu: float
    readiness: str
    status: str
    reserve_date: date | None
    count_year: int | None
    month: int | None  # the month it counts in (``None``: not counted this year)


@dataclass(frozen=True)
class FactoryRow:
    id: int
    code: str
    name: str
    park: str
    floor_area_m2: float
    status: str
    build_mode: str | None
    completion_date: date | None
    month: int | None


@dataclass(frozen=True)
class RegionDetail:
    """One region's year for the detailed report: what was counted, month by month, and what
    remains (the gap to the target, and the candidates that could still fill it: parcels
    拟收储 for this year or with no year yet, factories 在建)."""

    year: int
    as_of: date
    pace: Pace
    progress: RegionProgress  # with its rank among ``ranked_regions``
    ranked_regions: int
    parcels: tuple[ParcelRow, ...]  # counted toward the year, by date
    factories: tuple[FactoryRow, ...]
    candidate_parcels: tuple[ParcelRow, ...]
    candidate_factories: tuple[FactoryRow, ...]
    parks: tuple[ParkTargetProgress, ...]
    pipeline: tuple[PipelineStage, ...]
    stock: Stock
    alerts: tuple[Alert, ...]

    @property
    def candidate_land_mu(self) -> float:
        return sum(p.area_mu for p in self.candidate_parcels)

    @property
    def candidate_factory_m2(self) -> float:
        return sum(f.floor_area_m2 for f in self.candidate_factories)


def region_detail(
    session: Session,
    year: int,
    region_id: int,
    *,
    as_of: date | None = None,
    report: CityQuotaReport | None = None,
) -> RegionDetail:
    """One region; pass the ``report`` already built for the year and day to save reading the
    city again (the rank needs every region)."""
    as_of = as_of or date.today()
    if report is None or report.year != year or report.as_of != as_of:
        report = city_report(session, year, as_of=as_of)
    progress = report.region(region_id)
    parks = report.park_names
    planned = and_(
        _P.readiness == ParcelReadiness.PLANNED.value,
        or_(_P.count_year.is_(None), _P.count_year == year),
    )
    counted: list[ParcelRow] = []
    candidates: list[ParcelRow] = []
    for r in session.execute(
        select(*_PARCEL_ROW_COLUMNS).where(
            _P.region_id == region_id, or_(counted_parcel_clause(year), planned)
        )
    ):
        fact = ParcelFact(
            r.id,
            region_id,
            r.park_id,
            r.code,
            r.area_mu,
            r.readiness,
            r.status,
            r.reserve_date,
            r.count_year,
        )
        counts = parcel_year(fact) == year
        row = ParcelRow(
            r.id,
            r.code,
            r.name,
            parks.get(r.park_id, ""),
            r.area_mu,
            r.readiness,
            r.status,
            r.reserve_date,
            r.count_year,
            parcel_month(fact, year) if counts else None,
        )
        (counted if counts else candidates).append(row)
    built: list[FactoryRow] = []
    building: list[FactoryRow] = []
    for r in session.execute(
        select(*_FACTORY_ROW_COLUMNS).where(
            _F.region_id == region_id,
            or_(
                counted_factory_clause(year),
                _F.status == FactoryStatus.UNDER_CONSTRUCTION.value,
            ),
        )
    ):
        counts = r.status != FactoryStatus.UNDER_CONSTRUCTION.value
        building_row = FactoryRow(
            r.id,
            r.code,
            r.name,
            parks.get(r.park_id, ""),
            r.floor_area_m2,
            r.status,
            r.build_mode,
            r.completion_date,
            r.completion_date.month if counts and r.completion_date else None,
        )
        (built if counts else building).append(building_row)
    projects = [
        ProjectFact(*row)
        for row in session.execute(select(*PROJECT_FACT_COLUMNS).where(_J.region_id == region_id))
    ]
    counted.sort(key=lambda r: (r.month or 0, r.reserve_date or as_of, r.code))
    built.sort(key=lambda r: (r.completion_date or as_of, r.code))
    return RegionDetail(
        year=year,
        as_of=as_of,
        pace=report.pace,
        progress=progress,
        ranked_regions=sum(1 for r in report.regions if r.rank is not None),
        parcels=tuple(counted),
        factories=tuple(built),
        candidate_parcels=tuple(sorted(candidates, key=lambda r: r.code)),
        candidate_factories=tuple(sorted(building, key=lambda r: r.code)),
        parks=tuple(p for p in report.parks if p.region_id == region_id),
        pipeline=pipeline(projects),
        stock=report.stock.for_region(region_id),
        alerts=tuple(a for a in report.alerts if a.region_id == region_id),
    )


_PARCEL_ROW_COLUMNS = (
    _P.id,
    _P.code,
    _P.name,
    _P.park_id,
    _P.area_mu,
    _P.readiness,
    _P.status,
    _P.reserve_date,
    _P.count_year,
)
_FACTORY_ROW_COLUMNS = (
    _F.id,
    _F.code,
    _F.name,
    _F.park_id,
    _F.floor_area_m2,
    _F.status,
    _F.build_mode,
    _F.completion_date,
)
