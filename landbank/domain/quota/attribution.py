"""Which year (and month) a record counts toward (DOMAIN.md, 篇3 二): the year attribution
of the annual quota, which :mod:`landbank.domain.quota.progress` adds up.

A parcel counts toward its 计入年度 (``count_year``) when set, else the year of its 收储日期;
only parcels actually reserved count, i.e. every readiness past 拟收储 (已收储(毛地) … 净地),
whatever the commercial status (a parcel sold since was still reserved). The area counted is
收储面积 (``area_mu``). A factory counts toward the year of its 竣工日期 unless it is still
在建; the area counted is 建筑面积.

In the monthly series a parcel sits in the month of its 收储日期; when 计入年度 moves it into
another year, it sits in January (reserved earlier) or December (reserved later), and in January
when it has no 收储日期. Records dated later in the year than ``as_of`` still count: the ledger
is the truth, the chart shows where they fall.
"""

from __future__ import annotations

from collections.abc import Iterable

from landbank.domain.quota.facts import (
    COUNTED_READINESS,
    UNDER_CONSTRUCTION,
    FactoryFact,
    ParcelFact,
)


def parcel_year(parcel: ParcelFact) -> int | None:
    """The year a parcel counts toward, or ``None`` when it does not count (not reserved yet,
    or no year known)."""
    if parcel.readiness not in COUNTED_READINESS:
        return None
    if parcel.count_year is not None:
        return parcel.count_year
    return parcel.reserve_date.year if parcel.reserve_date is not None else None


def parcel_month(parcel: ParcelFact, year: int) -> int:
    """The month (1–12) a parcel counted toward ``year`` sits in, in the monthly series."""
    reserved = parcel.reserve_date
    if reserved is None or reserved.year < year:
        return 1
    if reserved.year > year:
        return 12
    return reserved.month


def factory_year(factory: FactoryFact) -> int | None:
    """The year a factory counts toward: its 竣工日期's, unless it is still 在建."""
    if factory.status == UNDER_CONSTRUCTION or factory.completion_date is None:
        return None
    return factory.completion_date.year


def counted_parcels(parcels: Iterable[ParcelFact], year: int) -> list[ParcelFact]:
    return [p for p in parcels if parcel_year(p) == year]


def counted_factories(factories: Iterable[FactoryFact], year: int) -> list[FactoryFact]:
    return [f for f in factories if factory_year(f) == year]
