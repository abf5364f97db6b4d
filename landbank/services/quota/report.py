"""The figures of the 年度指标 dashboard and the printed reports (issue 5), from the database.

Each function takes a session and returns plain frozen dataclasses; the arithmetic is the
pure :mod:`landbank.domain.quota.city_report` (with ``quota_projects`` and ``quota_alerts``).
The facts are read by :mod:`landbank.services.quota.fact_queries`: lean Core selects of the
columns the rules need, filtered in SQL to the rows that can matter — the city report of 20
regions and 100,000 records builds in well under 2 s.

- :func:`city_report` — every region: targets, done, %, pace status, rank, monthly series,
  三率, park targets, pipeline, stock and alerts (:class:`CityQuotaReport`);
- :func:`load_alerts` — the alerts alone;
- :func:`quota_position`, :func:`format_quota_line` — one region's position, shown beside a
  matching result.

One region in detail is :mod:`landbank.services.quota.region_detail`; the 招商项目 report
:mod:`landbank.services.quota.projects`; the 招商手册 catalogue
:mod:`landbank.services.quota.catalogue`; the city's own default targets per kind of region
:mod:`landbank.services.quota.defaults`.

``as_of`` (the day judged) defaults to today. Every figure keeps the ids of its records.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from landbank.domain.quota.alerts import RESERVATION_WARNING_DAYS, Alert, alerts
from landbank.domain.quota.city_report import CityQuotaReport, build_city_report
from landbank.domain.quota.progress import RegionProgress
from landbank.domain.units import format_number
from landbank.services.quota.fact_queries import load_facts


def city_report(
    session: Session,
    year: int,
    *,
    as_of: date | None = None,
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> CityQuotaReport:
    """Every region of the ledger for ``year``, judged on ``as_of`` (default today)."""
    as_of = as_of or date.today()
    facts = load_facts(session, year, as_of, expiry_days=expiry_days)
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
    facts = load_facts(session, None, as_of, region_id=region_id, expiry_days=expiry_days)
    return alerts(facts.parcels, facts.factories, facts.projects, as_of, expiry_days=expiry_days)


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
        text += (
            f"；厂房 {format_number(factory_done_m2, 0)} / {format_number(factory_target_m2, 0)} m²"
        )
    return text
