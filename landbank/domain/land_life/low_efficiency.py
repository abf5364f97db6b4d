"""低效用地: the five classes along a parcel's life, for one parcel on a day.

One class a parcel at most: the earliest stage it is stuck at (a parcel both built below its
容积率 and not in production is 用而未尽). 闲置 under 53号 is counted apart
(:mod:`landbank.domain.land_life.idle`): a 供而未用 parcel becomes 闲置 a year later.

批而未供
    Not supplied (可供, 意向锁定, 已挂牌), two full years after its approval (农用地转用/征收
    批准日期) or, without one, after it was taken in (收储日期). An approval never carried out
    (no 收储日期 by then) lapses instead (:func:`approval_lapsed`, 增存挂钩) and is not
    counted here.
供而未用
    Supplied, not started, from the day after the agreed start date (without one: after one
    full year from the actual handover, the usual term of a contract).
用而未尽
    Started and not completed, and either past the agreed completion date (from the next day)
    or construction stopped (中止); or completed with a built 容积率 (计容建筑面积 ÷ 用地面积,
    two decimals) below the floor of its planning conditions.
建而未投
    Completed (实际竣工), not in production one full year after completion.
投而未达标
    In production, and below what it committed: its 投资强度 ((已完成投资 + 地价) ÷ 亩, land price
    included as the 控制指标 count it) or the 亩均税收 of its latest reported calendar year
    after the year production began (a first, partial year is not judged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from landbank.domain.land_life.facts import ParcelLife, YearFigures, fmt_date, full_from
from landbank.domain.units import MU_PER_HECTARE

M2_PER_MU = 10_000.0 / MU_PER_HECTARE
APPROVAL_YEARS = 2  # 批而未供 and the approval's lapse: two full years
PRODUCTION_GRACE_YEARS = 1  # 建而未投: a year after completion


class LowEfficiency(StrEnum):
    APPROVED_NOT_SUPPLIED = "批而未供"
    SUPPLIED_NOT_USED = "供而未用"
    USED_NOT_FULLY = "用而未尽"
    BUILT_NOT_PRODUCING = "建而未投"
    BELOW_COMMITMENT = "投而未达标"


@dataclass(frozen=True)
class LowEfficiencyAssessment:
    kind: LowEfficiency
    since: date  # first day of the class
    reason: str


def approval_lapse_date(approved: date) -> date:
    """The first day an approval not carried out is void (two full years)."""
    return full_from(approved, APPROVAL_YEARS)


def approval_lapsed(p: ParcelLife, as_of: date) -> bool:
    """An approval (批准日期) not carried out — the land not taken in (收储) before it lapsed
    and not supplied — two full years on (增存挂钩: 批准文件自动失效)."""
    if p.approval_date is None or p.supplied:
        return False
    lapse = approval_lapse_date(p.approval_date)
    taken_in = p.reserve_date is not None and p.reserve_date < lapse
    return as_of >= lapse and not taken_in


def low_efficiency(p: ParcelLife, as_of: date) -> LowEfficiencyAssessment | None:
    """The 低效 class of ``p`` on ``as_of`` (see the module docstring), or None."""
    if not p.supplied:
        return _not_supplied(p, as_of)
    if not p.started(as_of):
        return _not_used(p, as_of)
    if not p.completed(as_of):
        return _not_completed(p, as_of)
    built = _below_far(p)
    if built is not None:
        return built
    if not p.in_production(as_of):
        assert p.actual_completion_date is not None
        since = full_from(p.actual_completion_date, PRODUCTION_GRACE_YEARS)
        if as_of < since:
            return None
        return LowEfficiencyAssessment(
            LowEfficiency.BUILT_NOT_PRODUCING,
            since,
            f"{fmt_date(p.actual_completion_date)} 竣工，满一年未投产",
        )
    return _below_commitment(p, as_of)


def _not_supplied(p: ParcelLife, as_of: date) -> LowEfficiencyAssessment | None:
    start = p.approval_date or p.reserve_date
    if start is None or approval_lapsed(p, as_of):
        return None
    since = full_from(start, APPROVAL_YEARS)
    if as_of < since:
        return None
    what = "批准" if p.approval_date is not None else "收储"
    return LowEfficiencyAssessment(
        LowEfficiency.APPROVED_NOT_SUPPLIED,
        since,
        f"{fmt_date(start)} {what}，满两年未供地（{p.status}）",
    )


def _not_used(p: ParcelLife, as_of: date) -> LowEfficiencyAssessment | None:
    if p.agreed_start_date is not None:
        since = p.agreed_start_date + timedelta(days=1)
        basis = f"约定 {fmt_date(p.agreed_start_date)} 动工"
    elif p.actual_handover_date is not None:
        since = full_from(p.actual_handover_date, 1)
        basis = f"{fmt_date(p.actual_handover_date)} 交地满一年"
    else:
        return None
    if as_of < since:
        return None
    return LowEfficiencyAssessment(
        LowEfficiency.SUPPLIED_NOT_USED, since, f"已供地，{basis}，至今未动工"
    )


def _not_completed(p: ParcelLife, as_of: date) -> LowEfficiencyAssessment | None:
    if p.stopped_since is not None and p.stopped_since <= as_of:
        return LowEfficiencyAssessment(
            LowEfficiency.USED_NOT_FULLY,
            p.stopped_since,
            f"已动工，{fmt_date(p.stopped_since)} 起中止建设",
        )
    agreed = p.agreed_completion_date
    if agreed is not None and as_of > agreed:
        return LowEfficiencyAssessment(
            LowEfficiency.USED_NOT_FULLY,
            agreed + timedelta(days=1),
            f"约定 {fmt_date(agreed)} 竣工，逾期未竣工",
        )
    return None


def built_far(p: ParcelLife) -> float | None:
    """容积率 as built: 计容建筑面积 ÷ 用地面积 (m²), None without the figures."""
    if p.built_floor_area_m2 is None or p.area_mu <= 0:
        return None
    return p.built_floor_area_m2 / (p.area_mu * M2_PER_MU)


def _below_far(p: ParcelLife) -> LowEfficiencyAssessment | None:
    far = built_far(p)
    if far is None or p.far_min is None or round(far, 2) >= p.far_min:
        return None
    assert p.actual_completion_date is not None
    return LowEfficiencyAssessment(
        LowEfficiency.USED_NOT_FULLY,
        p.actual_completion_date,
        f"建成容积率 {far:.2f}（计容建筑面积 {p.built_floor_area_m2:,.0f} m² ÷ 用地 "
        f"{p.area_mu * M2_PER_MU:,.0f} m²）低于规划下限 {p.far_min:.2f}",
    )


def _below_commitment(p: ParcelLife, as_of: date) -> LowEfficiencyAssessment | None:
    if p.area_mu <= 0:
        return None
    since = p.production_start_date or p.actual_completion_date or as_of
    shortfalls: list[str] = []
    committed = p.committed_intensity_wan_per_mu
    if committed is not None and p.investment_made_wan is not None:
        invested = p.investment_made_wan + (p.price_wan or 0.0)
        intensity = invested / p.area_mu
        if round(intensity, 2) < committed:
            price = f" + 地价 {p.price_wan:,.2f} 万元" if p.price_wan else ""
            shortfalls.append(
                f"投资强度 {intensity:,.2f} 万元/亩（已完成投资 {p.investment_made_wan:,.2f} 万元"
                f"{price} ÷ {p.area_mu:,.2f} 亩）低于承诺 {committed:,.2f} 万元/亩"
            )
    year = latest_judged_year(p, as_of)
    committed_tax = p.committed_tax_per_mu_wan
    if year is not None and committed_tax is not None and year.tax_wan is not None:
        tax = year.tax_wan / p.area_mu
        if round(tax, 2) < committed_tax:
            shortfalls.append(
                f"{year.year} 年亩均税收 {tax:,.2f} 万元/亩（税收 {year.tax_wan:,.2f} 万元 ÷ "
                f"{p.area_mu:,.2f} 亩）低于承诺 {committed_tax:,.2f} 万元/亩"
            )
            since = max(since, date(year.year + 1, 1, 1))
    if not shortfalls:
        return None
    return LowEfficiencyAssessment(LowEfficiency.BELOW_COMMITMENT, since, "；".join(shortfalls))


def latest_judged_year(p: ParcelLife, as_of: date) -> YearFigures | None:
    """The latest reported calendar year that is over by ``as_of`` and after the year
    production began."""
    began = p.production_start_date or p.actual_completion_date
    years = [
        y for y in p.reported if y.year < as_of.year and (began is None or y.year > began.year)
    ]
    return max(years, key=lambda y: y.year, default=None)
