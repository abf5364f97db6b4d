"""The 净地/闲置厂房 catalogue (招商手册, issue 5): every 净地 parcel still 可供 and every
factory with idle space — the stock rules of :mod:`landbank.domain.quota.alerts` — with what an
investor asks first (area, 容积率, thresholds, price or rent, height, load, power, contacts) and
how long each has waited. Lean Core selects, like :mod:`landbank.services.quota.fact_queries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import ParcelReadiness, ParcelStatus
from landbank.domain.quota.alerts import stock_factory, stock_parcel
from landbank.domain.quota.facts import IDLE_FACTORY_STATUSES, FactoryFact, ParcelFact
from landbank.services.quota.fact_queries import (
    FACTORY_FACT_COLUMNS,
    PARCEL_FACT_COLUMNS,
    region_clause,
    with_ready_since,
)
from landbank.store.models import Factory, LandParcel, Park, Region

_P = LandParcel.__table__.c  # type: ignore[attr-defined]
_F = Factory.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CatalogueParcel:
    """A 净地 parcel waiting for a project, as the 招商手册 shows it."""

    id: int
    region: str
    park: str
    code: str
    name: str | None
    location: str | None
    area_mu: float
    net_area_mu: float | None
    planned_use: str | None
    target_industry: str | None
    far_min: float | None
    far_max: float | None
    height_limit_m: float | None
    min_investment_intensity_wan_per_mu: float | None
    min_tax_per_mu_wan: float | None
    price_wan: float | None
    contact_person: str | None
    contact_phone: str | None
    ready_since: date | None
    days_waiting: int | None
    reserved: bool


@dataclass(frozen=True)
class CatalogueFactory:
    """An idle (or newly built, not yet let) factory, as the 招商手册 shows it."""

    id: int
    region: str
    park: str
    code: str
    name: str
    status: str
    floor_area_m2: float
    idle_area_m2: float
    floors: int | None
    ceiling_height_m: float | None
    floor_load_kn_m2: float | None
    column_spacing: str | None
    crane_t: float | None
    power_kva: float | None
    dual_power: bool | None
    loading_dock: bool | None
    fire_rating: str | None
    environment: str | None
    rent_yuan_m2_month: float | None
    price_wan: float | None
    target_industry: str | None
    contact_person: str | None
    contact_phone: str | None
    idle_since: date | None
    days_idle: int | None
    reserved: bool


@dataclass(frozen=True)
class Catalogue:
    """净地/闲置厂房 catalogue, by region, park and code."""

    as_of: date
    region_id: int | None
    parcels: tuple[CatalogueParcel, ...]
    factories: tuple[CatalogueFactory, ...]

    @property
    def land_mu(self) -> float:
        return sum(p.area_mu for p in self.parcels)

    @property
    def idle_m2(self) -> float:
        return sum(f.idle_area_m2 for f in self.factories)


_CATALOGUE_PARCEL_EXTRA = (
    "name",
    "location",
    "net_area_mu",
    "planned_use",
    "target_industry",
    "far_min",
    "far_max",
    "height_limit_m",
    "min_investment_intensity_wan_per_mu",
    "min_tax_per_mu_wan",
    "contact_person",
    "contact_phone",
)
_CATALOGUE_FACTORY_EXTRA = (
    "name",
    "floors",
    "ceiling_height_m",
    "floor_load_kn_m2",
    "column_spacing",
    "crane_t",
    "power_kva",
    "dual_power",
    "loading_dock",
    "fire_rating",
    "environment",
    "rent_yuan_m2_month",
    "price_wan",
    "target_industry",
    "contact_person",
    "contact_phone",
)


def catalogue(
    session: Session, *, region_id: int | None = None, as_of: date | None = None
) -> Catalogue:
    """Every 净地 parcel still 可供 and every factory with idle space (the stock rules of
    :mod:`landbank.domain.quota.alerts`), with what an investor asks first."""
    as_of = as_of or date.today()
    regions = {rid: name for rid, name in session.execute(select(col(Region.id), col(Region.name)))}
    parks = {pid: name for pid, name in session.execute(select(col(Park.id), col(Park.name)))}
    n = len(PARCEL_FACT_COLUMNS)
    rows = session.execute(
        select(*PARCEL_FACT_COLUMNS, *(_P[key] for key in _CATALOGUE_PARCEL_EXTRA)).where(
            region_clause(_P, region_id),
            _P.status == ParcelStatus.AVAILABLE.value,
            _P.readiness == ParcelReadiness.NET_LAND.value,
        )
    ).all()
    facts = with_ready_since(session, [ParcelFact(*row[:n]) for row in rows])
    land: list[CatalogueParcel] = []
    for fact, row in zip(facts, rows, strict=True):
        item = stock_parcel(fact, as_of)
        if item is None:
            continue
        extra = dict(zip(_CATALOGUE_PARCEL_EXTRA, row[n:], strict=True))
        land.append(
            CatalogueParcel(
                id=fact.id,
                region=regions.get(fact.region_id, ""),
                park=parks.get(fact.park_id, "") if fact.park_id else "",
                code=fact.code,
                area_mu=fact.area_mu,
                price_wan=fact.price_wan,
                ready_since=item.ready_since,
                days_waiting=item.days_waiting,
                reserved=item.reserved,
                **extra,
            )
        )
    n = len(FACTORY_FACT_COLUMNS)
    space: list[CatalogueFactory] = []
    for row in session.execute(
        select(*FACTORY_FACT_COLUMNS, *(_F[key] for key in _CATALOGUE_FACTORY_EXTRA)).where(
            region_clause(_F, region_id), _F.status.in_(IDLE_FACTORY_STATUSES)
        )
    ):
        building = FactoryFact(*row[:n])
        room = stock_factory(building, as_of)
        if room is None:
            continue
        extra = dict(zip(_CATALOGUE_FACTORY_EXTRA, row[n:], strict=True))
        space.append(
            CatalogueFactory(
                id=building.id,
                region=regions.get(building.region_id, ""),
                park=parks.get(building.park_id, "") if building.park_id else "",
                code=building.code,
                status=building.status,
                floor_area_m2=building.floor_area_m2,
                idle_area_m2=room.idle_area_m2,
                idle_since=room.idle_since,
                days_idle=room.days_idle,
                reserved=room.reserved,
                **extra,
            )
        )
    land.sort(key=lambda p: (p.region, p.park, p.code))
    space.sort(key=lambda f: (f.region, f.park, f.code))
    return Catalogue(as_of, region_id, tuple(land), tuple(space))


def ledger_places(session: Session) -> tuple[dict[int, str], str]:
    """The regions of the ledger (id → name, by name) and the city every one of them belongs
    to ("" when they differ or none is set): what a report's title may name."""
    regions: dict[int, str] = {}
    cities: set[str] = set()
    for rid, name, city in session.execute(
        select(col(Region.id), col(Region.name), col(Region.city))
    ):
        regions[rid] = name
        cities.add((city or "").strip())
    city = cities.pop() if len(cities) == 1 else ""
    return dict(sorted(regions.items(), key=lambda item: (item[1], item[0]))), city
