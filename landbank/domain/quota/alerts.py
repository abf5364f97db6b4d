"""What needs attention, and what is waiting for projects (issue 5). Pure Python, no I/O.

Alerts, as of a day ``as_of``
    Land (闲置土地处置办法 2012): a parcel 已出让/划拨 or 已交地 with no actual start one full
    year after its agreed start date (on the anniversary itself: 满一年; 29 Feb → 28 Feb) → fee
    20 % of the price (警示); two full years → may be taken back without compensation (严重;
    replaces the one-year alert). A reservation (parcel or factory reserved for a project, with
    an expiry date) that expires within ``expiry_days`` days (提醒) or has expired (警示) —
    unless the parcel is already listed or beyond, or the factory fully occupied. A factory
    闲置/部分入驻 with idle area for a full year or more (提醒). A project not started (no actual
    start, stage not 开工/竣工投产/终止) whose agreed start date is before ``as_of`` (警示).
    Sorted: most severe first, then the longest overdue.
Stock waiting for projects
    净地 parcels still 可供, waiting since ``ready_since`` (the services give the day the
    parcel became 净地 when the history knows it, else its 收储日期, else the day it was
    entered). Factories 闲置 or 部分入驻 with idle area, and 已建成 ones (their idle area, else
    the whole floor area), idle since 闲置起始日期, else their 竣工日期. Longest waiting first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from landbank.domain.enums import (
    RecordKind,
)
from landbank.domain.quota.facts import (
    AVAILABLE,
    BUILT,
    IDLE_FACTORY_STATUSES,
    IDLE_LAND_STATUSES,
    IDLE_OR_PARTLY,
    NET_LAND,
    NOT_YET_LISTED,
    OCCUPIED,
    FactoryFact,
    ParcelFact,
    ProjectFact,
    anniversary,
)
from landbank.domain.quota.projects import is_start_overdue

IDLE_LAND_FEE_SHARE = 0.2  # 土地闲置费: 20 % of the land price
RESERVATION_WARNING_DAYS = 30
FACTORY_IDLE_YEARS = 1


# ---------------------------------------------------------------- alerts


class AlertKind(StrEnum):
    IDLE_LAND_FEE = "土地闲置满一年"
    LAND_TAKE_BACK = "土地闲置满两年"
    RESERVATION_EXPIRING = "锁定即将到期"
    RESERVATION_EXPIRED = "锁定已过期"
    FACTORY_IDLE = "厂房闲置满一年"  # as the land ones: due on the anniversary itself
    PROJECT_START_OVERDUE = "项目逾期未开工"


class AlertSeverity(StrEnum):
    CRITICAL = "严重"
    WARNING = "警示"
    NOTICE = "提醒"

    @property
    def order(self) -> int:
        return _SEVERITY_ORDER[self]


_SEVERITY_ORDER = {AlertSeverity.CRITICAL: 0, AlertSeverity.WARNING: 1, AlertSeverity.NOTICE: 2}


@dataclass(frozen=True)
class Alert:
    """One thing that needs attention, naming the record (kind + id) a click opens."""

    kind: AlertKind
    severity: AlertSeverity
    record_kind: RecordKind
    record_id: int
    region_id: int
    label: str  # 地块编号, 厂房编号 or 项目名称
    since: date  # the day the alert became due (anniversary, expiry, agreed start …)
    days: int  # days past ``since`` (negative: days left before a reservation expires)
    message: str
    amount_wan: float | None = None  # 土地闲置费 when the price is known


def _alert_sort_key(alert: Alert) -> tuple[int, int, str, int]:
    return (alert.severity.order, -alert.days, alert.kind.value, alert.record_id)


def land_alert(parcel: ParcelFact, as_of: date) -> Alert | None:
    """闲置土地: supplied, not started one / two full years after the agreed start date."""
    agreed = parcel.agreed_start_date
    if (
        parcel.status not in IDLE_LAND_STATUSES
        or agreed is None
        or parcel.actual_start_date is not None
    ):
        return None
    one, two = anniversary(agreed, 1), anniversary(agreed, 2)
    if as_of >= two:
        return Alert(
            AlertKind.LAND_TAKE_BACK,
            AlertSeverity.CRITICAL,
            RecordKind.PARCEL,
            parcel.id,
            parcel.region_id,
            parcel.code,
            two,
            (as_of - two).days,
            f"地块 {parcel.code} 约定 {agreed.isoformat()} 开工，满两年未动工，"
            "可无偿收回土地使用权",
        )
    if as_of >= one:
        fee = None if parcel.price_wan is None else parcel.price_wan * IDLE_LAND_FEE_SHARE
        fee_text = "" if fee is None else f"（约 {fee:,.1f} 万元）"
        return Alert(
            AlertKind.IDLE_LAND_FEE,
            AlertSeverity.WARNING,
            RecordKind.PARCEL,
            parcel.id,
            parcel.region_id,
            parcel.code,
            one,
            (as_of - one).days,
            f"地块 {parcel.code} 约定 {agreed.isoformat()} 开工，满一年未动工，"
            f"可按出让价款的 20% 征缴土地闲置费{fee_text}；满两年（{two.isoformat()}）可无偿收回",
            fee,
        )
    return None


def reservation_alert(
    record_kind: RecordKind,
    record_id: int,
    region_id: int,
    label: str,
    until: date | None,
    as_of: date,
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> Alert | None:
    if until is None or until > as_of + timedelta(days=expiry_days):
        return None
    what = record_kind.label
    if until < as_of:
        return Alert(
            AlertKind.RESERVATION_EXPIRED,
            AlertSeverity.WARNING,
            record_kind,
            record_id,
            region_id,
            label,
            until,
            (as_of - until).days,
            f"{what} {label} 的意向锁定已于 {until.isoformat()} 到期，请续期或释放",
        )
    left = (until - as_of).days
    when = "今天" if left == 0 else f"{left} 天后（{until.isoformat()}）"
    return Alert(
        AlertKind.RESERVATION_EXPIRING,
        AlertSeverity.NOTICE,
        record_kind,
        record_id,
        region_id,
        label,
        until,
        -left,
        f"{what} {label} 的意向锁定将于{when}到期",
    )


def parcel_reservation_alert(parcel: ParcelFact, as_of: date, expiry_days: int) -> Alert | None:
    if parcel.reserved_project_id is None or parcel.status not in NOT_YET_LISTED:
        return None
    return reservation_alert(
        RecordKind.PARCEL,
        parcel.id,
        parcel.region_id,
        parcel.code,
        parcel.reserved_until,
        as_of,
        expiry_days,
    )


def factory_alerts(factory: FactoryFact, as_of: date, expiry_days: int) -> list[Alert]:
    alerts = []
    if factory.reserved_project_id is not None and factory.status != OCCUPIED:
        reservation = reservation_alert(
            RecordKind.FACTORY,
            factory.id,
            factory.region_id,
            factory.code,
            factory.reserved_until,
            as_of,
            expiry_days,
        )
        if reservation is not None:
            alerts.append(reservation)
    since = factory.idle_since
    if factory.status in IDLE_OR_PARTLY and (factory.idle_area_m2 or 0) > 0 and since is not None:
        due = anniversary(since, FACTORY_IDLE_YEARS)
        if as_of >= due:
            days = (as_of - since).days
            alerts.append(
                Alert(
                    AlertKind.FACTORY_IDLE,
                    AlertSeverity.NOTICE,
                    RecordKind.FACTORY,
                    factory.id,
                    factory.region_id,
                    factory.code,
                    due,
                    (as_of - due).days,
                    f"厂房 {factory.code} 自 {since.isoformat()} 起闲置 "
                    f"{factory.idle_area_m2:,.0f} m²，已 {days} 天",
                )
            )
    return alerts


def project_alert(project: ProjectFact, as_of: date) -> Alert | None:
    if not is_start_overdue(project, as_of):
        return None
    agreed = project.agreed_start_date
    assert agreed is not None
    days = (as_of - agreed).days
    return Alert(
        AlertKind.PROJECT_START_OVERDUE,
        AlertSeverity.WARNING,
        RecordKind.PROJECT,
        project.id,
        project.region_id,
        project.name,
        agreed,
        days,
        f"项目“{project.name}”约定 {agreed.isoformat()} 开工，已逾期 {days} 天未开工",
    )


def alerts(
    parcels: Iterable[ParcelFact],
    factories: Iterable[FactoryFact],
    projects: Iterable[ProjectFact],
    as_of: date,
    *,
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> tuple[Alert, ...]:
    """Every alert as of ``as_of``: the most severe first, then the longest overdue."""
    found: list[Alert] = []
    for p in parcels:
        for alert in (land_alert(p, as_of), parcel_reservation_alert(p, as_of, expiry_days)):
            if alert is not None:
                found.append(alert)
    for f in factories:
        found += factory_alerts(f, as_of, expiry_days)
    for project in projects:
        alert = project_alert(project, as_of)
        if alert is not None:
            found.append(alert)
    return tuple(sorted(found, key=_alert_sort_key))


def count_alerts(items: Iterable[Alert]) -> dict[AlertKind, int]:
    counts = dict.fromkeys(AlertKind, 0)
    for alert in items:
        counts[alert.kind] += 1
    return counts


# ---------------------------------------------------------------- stock and pipeline


@dataclass(frozen=True)
class StockParcel:
    id: int
    region_id: int
    park_id: int | None
    code: str
    area_mu: float
    ready_since: date | None
    days_waiting: int | None
    reserved: bool


@dataclass(frozen=True)
class StockFactory:
    id: int
    region_id: int
    park_id: int | None
    code: str
    status: str
    idle_area_m2: float
    idle_since: date | None
    days_idle: int | None
    reserved: bool


@dataclass(frozen=True)
class Stock:
    """净地 waiting for projects and idle factory space, longest waiting first."""

    parcels: tuple[StockParcel, ...] = ()
    factories: tuple[StockFactory, ...] = ()

    @property
    def land_mu(self) -> float:
        return sum(p.area_mu for p in self.parcels)

    @property
    def idle_m2(self) -> float:
        return sum(f.idle_area_m2 for f in self.factories)

    def for_region(self, region_id: int) -> Stock:
        return Stock(
            tuple(p for p in self.parcels if p.region_id == region_id),
            tuple(f for f in self.factories if f.region_id == region_id),
        )


def _days(since: date | None, as_of: date) -> int | None:
    return None if since is None else max(0, (as_of - since).days)


def stock_parcel(parcel: ParcelFact, as_of: date) -> StockParcel | None:
    if parcel.status != AVAILABLE or parcel.readiness != NET_LAND:
        return None
    since = parcel.ready_since or parcel.reserve_date
    return StockParcel(
        parcel.id,
        parcel.region_id,
        parcel.park_id,
        parcel.code,
        parcel.area_mu,
        since,
        _days(since, as_of),
        parcel.reserved_project_id is not None,
    )


def stock_factory(factory: FactoryFact, as_of: date) -> StockFactory | None:
    if factory.status not in IDLE_FACTORY_STATUSES:
        return None
    if factory.status == BUILT:
        idle = factory.idle_area_m2 if factory.idle_area_m2 is not None else factory.floor_area_m2
    else:
        idle = factory.idle_area_m2 or 0.0
    if idle <= 0:
        return None
    since = factory.idle_since or factory.completion_date
    reserved = factory.reserved_project_id is not None and (
        factory.reserved_until is None or factory.reserved_until >= as_of
    )
    return StockFactory(
        factory.id,
        factory.region_id,
        factory.park_id,
        factory.code,
        factory.status,
        idle,
        since,
        _days(since, as_of),
        reserved,
    )


def stock(parcels: Iterable[ParcelFact], factories: Iterable[FactoryFact], as_of: date) -> Stock:
    land = [item for p in parcels if (item := stock_parcel(p, as_of)) is not None]
    space = [room for f in factories if (room := stock_factory(f, as_of)) is not None]
    land.sort(key=lambda s: (-(s.days_waiting or 0), s.id))
    space.sort(key=lambda s: (-(s.days_idle or 0), s.id))
    return Stock(tuple(land), tuple(space))
