"""The figures of the 年度指标 dashboard and the printed reports (issue 5), from the database.

Each function takes a session and returns plain frozen dataclasses; the arithmetic is the
pure :mod:`landbank.domain.quota.city_report` (with ``quota_projects`` and ``quota_alerts``).
Records are read with lean Core selects of the columns the rules need, filtered in SQL to the
rows that can matter (counted this year, waiting stock, possible alerts) — never ORM objects:
the city report of 20 regions and 100,000 records builds in well under 2 s.

- :func:`city_report` — every region: targets, done, %, pace status, rank, monthly series,
  三率, park targets, pipeline, stock and alerts (:class:`CityQuotaReport`);
- :func:`region_detail` — one region: its progress and rank, the parcels and factories
  counted with their key facts, the candidates for what remains, its parks, stock, alerts;
- :func:`projects_report` — pipeline, 三率 per region, park targets, projects past their
  agreed start;
- :func:`load_alerts` — the alerts alone.

The 招商手册 catalogue is :mod:`landbank.services.quota.catalogue`; the city's own default
targets per kind of region are :mod:`landbank.services.quota.defaults`.

``as_of`` (the day judged) defaults to today. Every figure keeps the ids of its records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlmodel import Session, col

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    RecordKind,
)
from landbank.domain.quota.alerts import (
    RESERVATION_WARNING_DAYS,
    Alert,
    Stock,
    alerts,
)
from landbank.domain.quota.attribution import parcel_month, parcel_year
from landbank.domain.quota.city_report import CityQuotaReport, build_city_report
from landbank.domain.quota.facts import (
    COUNTED_READINESS,
    IDLE_FACTORY_STATUSES,
    IDLE_LAND_STATUSES,
    FactoryFact,
    ParcelFact,
    ParkInfo,
    ProjectFact,
    RegionInfo,
)
from landbank.domain.quota.pace import Pace
from landbank.domain.quota.progress import RegionProgress
from landbank.domain.quota.projects import ParkTargetProgress, PipelineStage, pipeline
from landbank.domain.quota.targets import QuotaTargets
from landbank.domain.units import format_number
from landbank.services.quota.defaults import city_default_targets
from landbank.store.models import (
    AnnualQuota,
    AuditEntry,
    Factory,
    LandParcel,
    Park,
    Project,
    Region,
    as_utc,
)

_P = LandParcel.__table__.c  # type: ignore[attr-defined]
_F = Factory.__table__.c  # type: ignore[attr-defined]
_J = Project.__table__.c  # type: ignore[attr-defined]
_CHUNK = 900  # ids per IN (…) list: below SQLite's oldest limit of 999 variables
_AVAILABLE = ParcelStatus.AVAILABLE.value
_NET_LAND = ParcelReadiness.NET_LAND.value

PARCEL_FACT_COLUMNS = (
    _P.id,
    _P.region_id,
    _P.park_id,
    _P.code,
    _P.area_mu,
    _P.readiness,
    _P.status,
    _P.reserve_date,
    _P.count_year,
    _P.agreed_start_date,
    _P.actual_start_date,
    _P.price_wan,
    _P.reserved_project_id,
    _P.reserved_until,
)
FACTORY_FACT_COLUMNS = (
    _F.id,
    _F.region_id,
    _F.park_id,
    _F.code,
    _F.floor_area_m2,
    _F.status,
    _F.completion_date,
    _F.idle_area_m2,
    _F.idle_since,
    _F.reserved_project_id,
    _F.reserved_until,
)
PROJECT_FACT_COLUMNS = (
    _J.id,
    _J.region_id,
    _J.park_id,
    _J.name,
    _J.stage,
    _J.total_investment_wan,
    _J.signed_date,
    _J.agreed_start_date,
    _J.actual_start_date,
    _J.contract_investment_wan,
    _J.funds_in_place_wan,
    _J.funds_in_place_year_wan,
)


# ---------------------------------------------------------------- loading facts


@dataclass(frozen=True)
class _Facts:
    regions: list[RegionInfo]
    parks: list[ParkInfo]
    quotas: dict[int, QuotaTargets]
    defaults: dict[str, QuotaTargets]
    parcels: list[ParcelFact]
    factories: list[FactoryFact]
    projects: list[ProjectFact]


def region_clause(columns: Any, region_id: int | None) -> ColumnElement[bool]:
    return true() if region_id is None else columns.region_id == region_id


def _parcel_clause(year: int | None, as_of: date, expiry_days: int) -> ColumnElement[bool]:
    """The parcels that can matter: counted toward ``year``, waiting stock, possible alerts."""
    stock = and_(
        _P.status == ParcelStatus.AVAILABLE.value, _P.readiness == ParcelReadiness.NET_LAND.value
    )
    # A full year is at least 365 days: a superset of the parcels one year past their start.
    idle = and_(
        _P.status.in_(IDLE_LAND_STATUSES),
        _P.actual_start_date.is_(None),
        _P.agreed_start_date <= as_of - timedelta(days=365),
    )
    reserved = and_(
        _P.reserved_project_id.is_not(None),
        _P.reserved_until <= as_of + timedelta(days=expiry_days),
    )
    if year is None:
        return or_(stock, idle, reserved)
    return or_(_counted_parcel_clause(year), stock, idle, reserved)


def _counted_parcel_clause(year: int) -> ColumnElement[bool]:
    """Parcels counted toward ``year`` (the SQL of :func:`parcel_year`)."""
    return and_(
        _P.readiness.in_(COUNTED_READINESS),
        or_(
            _P.count_year == year,
            and_(_P.count_year.is_(None), _P.reserve_date.between(*_bounds(year))),
        ),
    )


def _factory_clause(year: int | None, as_of: date, expiry_days: int) -> ColumnElement[bool]:
    stock = _F.status.in_(IDLE_FACTORY_STATUSES)
    reserved = and_(
        _F.reserved_project_id.is_not(None),
        _F.reserved_until <= as_of + timedelta(days=expiry_days),
    )
    if year is None:
        return or_(stock, reserved)
    return or_(_counted_factory_clause(year), stock, reserved)


def _counted_factory_clause(year: int) -> ColumnElement[bool]:
    """Factories counted toward ``year`` (the SQL of :func:`factory_year`)."""
    return and_(
        _F.status != FactoryStatus.UNDER_CONSTRUCTION.value,
        _F.completion_date.between(*_bounds(year)),
    )


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _load_facts(
    session: Session,
    year: int | None,
    as_of: date,
    *,
    region_id: int | None = None,
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> _Facts:
    # Sorted in Python: the database's collation of Chinese names differs (SQLite, PostgreSQL).
    regions = sorted(
        (
            RegionInfo(r.id, r.name, r.kind)
            for r in session.execute(select(col(Region.id), col(Region.name), col(Region.kind)))
        ),
        key=lambda r: (r.name, r.id),
    )
    parks = sorted(
        (
            ParkInfo(*row)
            for row in session.execute(
                select(
                    col(Park.id),
                    col(Park.name),
                    col(Park.region_id),
                    col(Park.target_projects_500m),
                    col(Park.target_projects_100m),
                )
            )
        ),
        key=lambda p: (p.region_id, p.name, p.id),
    )
    quotas: dict[int, QuotaTargets] = {}
    if year is not None:
        rows = session.execute(
            select(
                col(AnnualQuota.region_id),
                col(AnnualQuota.land_target_mu),
                col(AnnualQuota.factory_target_m2),
            ).where(col(AnnualQuota.year) == year)
        )
        quotas = {rid: QuotaTargets(land, floor) for rid, land, floor in rows}
    parcel_rows = session.execute(
        select(*PARCEL_FACT_COLUMNS)
        .where(region_clause(_P, region_id), _parcel_clause(year, as_of, expiry_days))
        .order_by(_P.id)
    ).all()
    parcels = [ParcelFact(*row) for row in parcel_rows]
    parcels = with_ready_since(session, parcels)
    factory_rows = session.execute(
        select(*FACTORY_FACT_COLUMNS)
        .where(region_clause(_F, region_id), _factory_clause(year, as_of, expiry_days))
        .order_by(_F.id)
    ).all()
    factories = [FactoryFact(*row) for row in factory_rows]
    project_rows = session.execute(
        select(*PROJECT_FACT_COLUMNS).where(region_clause(_J, region_id)).order_by(_J.id)
    ).all()
    projects = [ProjectFact(*row) for row in project_rows]
    return _Facts(
        regions, parks, quotas, city_default_targets(session), parcels, factories, projects
    )


def chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def with_ready_since(session: Session, parcels: list[ParcelFact]) -> list[ParcelFact]:
    """Give each 净地 parcel still 可供 the day it waits since: when the history saw it become
    净地, else its 收储日期, else the day it was entered."""
    waiting = [p for p in parcels if p.status == _AVAILABLE and p.readiness == _NET_LAND]
    if not waiting:
        return parcels
    became: dict[int, date] = {}
    for chunk in chunks([p.id for p in waiting]):
        rows = session.execute(
            select(col(AuditEntry.record_id), func.max(col(AuditEntry.at)))
            .where(
                col(AuditEntry.record_kind) == RecordKind.PARCEL.value,
                col(AuditEntry.record_id).in_(chunk),
                col(AuditEntry.field) == "readiness",
                col(AuditEntry.new_value) == _NET_LAND,
            )
            .group_by(col(AuditEntry.record_id))
        )
        became.update((rid, _local_date(at)) for rid, at in rows)
    created: dict[int, date] = {}
    undated = [p.id for p in waiting if p.id not in became and p.reserve_date is None]
    for chunk in chunks(undated):
        rows = session.execute(select(_P.id, _P.created_at).where(_P.id.in_(chunk)))
        created.update((rid, _local_date(at)) for rid, at in rows)
    since = {p.id: became.get(p.id) or p.reserve_date or created.get(p.id) for p in waiting}
    return [p._replace(ready_since=since[p.id]) if p.id in since else p for p in parcels]


def _local_date(moment: datetime | str) -> date:
    if isinstance(moment, str):  # SQLite gives max() of a timestamp back as text
        moment = datetime.fromisoformat(moment)
    return as_utc(moment).astimezone().date()


# ---------------------------------------------------------------- the city's year


def city_report(
    session: Session,
    year: int,
    *,
    as_of: date | None = None,
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> CityQuotaReport:
    """Every region of the ledger for ``year``, judged on ``as_of`` (default today)."""
    as_of = as_of or date.today()
    facts = _load_facts(session, year, as_of, expiry_days=expiry_days)
    return build_city_report(
        year=year,
        as_of=as_of,
        regions=facts.regions,
        parks=facts.parks,
        quotas=facts.quotas,
        city_defaults=facts.defaults,
        parcels=facts.parcels,
        factories=facts.factories,
        projects=facts.projects,
        expiry_days=expiry_days,
    )


def load_alerts(
    session: Session,
    *,
    as_of: date | None = None,
    region_id: int | None = None,
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> tuple[Alert, ...]:
    """The alerts alone (no year needed): most severe first, then the longest overdue."""
    as_of = as_of or date.today()
    facts = _load_facts(session, None, as_of, region_id=region_id, expiry_days=expiry_days)
    return alerts(facts.parcels, facts.factories, facts.projects, as_of, expiry_days=expiry_days)


# ---------------------------------------------------------------- one region in detail


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
            _P.region_id == region_id, or_(_counted_parcel_clause(year), planned)
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
                _counted_factory_clause(year),
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


def quota_position(
    session: Session, region_id: int, year: int, *, as_of: date | None = None
) -> RegionProgress | None:
    """One region's progress for ``year`` (shown beside a matching result); ``None`` for a
    region the report does not hold."""
    try:
        return city_report(session, year, as_of=as_of).region(region_id)
    except KeyError:
        return None


def format_quota_line(
    region: str,
    year: int,
    land_done_mu: float,
    land_target_mu: float,
    factory_done_m2: float | None = None,
    factory_target_m2: float | None = None,
) -> str:
    """“辉县市 2026: 收储 1,430 / 2,000 亩”, with “；厂房 …/… m²” when given: a region's
    position shown beside a matching result (dialog and ``landbank match``)."""
    text = f"{region} {year}: 收储 {format_number(land_done_mu, 0)} / {format_number(land_target_mu, 0)} 亩"
    if factory_done_m2 is not None and factory_target_m2:
        text += f"；厂房 {format_number(factory_done_m2, 0)} / {format_number(factory_target_m2, 0)} m²"
    return text
