"""What the after-supply rules know of a parcel (issue 16 items 4–5), and how their periods are
counted. Pure values; the services build them from the records.

Periods of years (民法典 第二百零一、二百零二条)
    The day an event falls on is not counted; a period of years ends on the same date that many
    years later (its last day), or — when that month has no such day, i.e. 29 February — on
    the last day of the month, 28 February. The period is full (满) at the end of its last day,
    so what the rule says happens “满一年” happens from the **next** day. A parcel agreed to
    start on 2024-03-01 may still start on 2025-03-01; unstarted, it is 闲置 from 2025-03-02.
    Agreed on 2024-02-29: the year ends 2025-02-28, 闲置 from 2025-03-01.
    (:mod:`landbank.domain.quota.alerts` raises its alert one day earlier, on the last day.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from landbank.domain.enums import ParcelStatus
from landbank.domain.quota.facts import anniversary
from landbank.domain.units import MU_PER_HECTARE

# 已出让/划拨 and beyond: supplied.
SUPPLIED_STATUSES = frozenset(
    s.value
    for s in (
        ParcelStatus.SUPPLIED,
        ParcelStatus.HANDED_OVER,
        ParcelStatus.STARTED,
        ParcelStatus.IN_PRODUCTION,
    )
)
STARTED_STATUSES = frozenset({ParcelStatus.STARTED.value, ParcelStatus.IN_PRODUCTION.value})
IN_PRODUCTION = ParcelStatus.IN_PRODUCTION.value


def period_end(start: date, years: int) -> date:
    """The last day of a period of ``years`` years counted from ``start`` (see above)."""
    return anniversary(start, years)


def full_from(start: date, years: int) -> date:
    """The first day on which ``years`` years from ``start`` are full (满): the day after
    :func:`period_end`."""
    return period_end(start, years) + timedelta(days=1)


@dataclass(frozen=True)
class YearFigures:
    """What a landed project reported for a calendar year (万元)."""

    year: int
    tax_wan: float | None = None
    output_wan: float | None = None


@dataclass(frozen=True)
class ParcelLife:
    """A parcel's figures over its life. Dates not yet reached are None; a date after the day
    of the assessment is read as not yet happened.

    Investment figures for 国土资源部令第53号 exclude the land price (its 第三十条); the
    services subtract ``price_wan`` when a ledger's 总投资 includes it.
    """

    id: int
    code: str
    county: str
    area_mu: float
    status: str  # ParcelStatus value
    approval_date: date | None = None  # 农用地转用/土地征收 批准日期
    reserve_date: date | None = None  # 收储日期: the land actually taken in
    price_wan: float | None = None  # 出让/划拨价款
    actual_handover_date: date | None = None
    agreed_start_date: date | None = None
    actual_start_date: date | None = None
    agreed_completion_date: date | None = None
    actual_completion_date: date | None = None
    production_start_date: date | None = None  # 投产日期
    developed_area_mu: float | None = None  # 已动工开发建设用地面积
    investment_made_wan: float | None = None  # 已完成投资 (不含土地价款)
    total_investment_wan: float | None = None  # 总投资 (不含土地价款)
    stopped_since: date | None = None  # 中止开发建设之日 (None again once work resumes)
    government_cause: bool = False  # delay caused by government (53号 第八条)
    built_floor_area_m2: float | None = None  # 计容建筑面积 as built
    far_min: float | None = None  # 容积率下限 of its planning conditions
    committed_intensity_wan_per_mu: float | None = None  # 投资强度 it committed to (含地价)
    committed_tax_per_mu_wan: float | None = None  # 亩均税收 it committed to
    reported: tuple[YearFigures, ...] = ()

    @property
    def hectares(self) -> float:
        return self.area_mu / MU_PER_HECTARE

    @property
    def supplied(self) -> bool:
        return self.status in SUPPLIED_STATUSES

    def happened(self, day: date | None, as_of: date) -> bool:
        return day is not None and day <= as_of

    def started(self, as_of: date) -> bool:
        """Started by ``as_of``: an actual start date on or before it, or (undated) a status of
        已开工/已竣工投产."""
        if self.actual_start_date is not None:
            return self.actual_start_date <= as_of
        return self.status in STARTED_STATUSES

    def completed(self, as_of: date) -> bool:
        return self.happened(self.actual_completion_date, as_of)

    def in_production(self, as_of: date) -> bool:
        """In production by ``as_of``: a 投产日期 on or before it, or (undated) 已竣工投产."""
        if self.production_start_date is not None:
            return self.production_start_date <= as_of
        return self.status == IN_PRODUCTION


def fmt_date(day: date) -> str:
    return day.isoformat()
