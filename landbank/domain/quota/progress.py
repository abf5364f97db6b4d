"""Progress of a region in a year (issue 5): each indicator against its target and the
calendar's pace (:mod:`landbank.domain.quota.pace`), the monthly series, the 三率, the ranking
and the city's total. What counts toward a year is decided by
:mod:`landbank.domain.quota.attribution`, the targets by
:mod:`landbank.domain.quota.region_targets`; :mod:`landbank.domain.quota.city_report` puts the
city's year together.

Every figure keeps the ids of the records behind it (``record_ids``, ``parcel_ids`` …), so a
click on it can open them.

Ranking (DOMAIN.md, 篇3 四(三))
    By the mean of the land and factory completion rates, each capped at 100 % (over-achieving
    one indicator does not make up for the other); ties broken by the uncapped mean; regions
    still equal share a rank (1, 1, 3). Indicators without a target are left out of the mean;
    a region with no target at all (the city itself, 市本级, unless it was given a quota) is
    not ranked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from landbank.domain.quota.attribution import parcel_month
from landbank.domain.quota.facts import FactoryFact, ParcelFact, ProjectFact, RegionInfo
from landbank.domain.quota.pace import Pace, PaceStatus, month_end_fraction, pace_status
from landbank.domain.quota.projects import ThreeRates, percent, three_rates
from landbank.domain.quota.region_targets import ResolvedTargets, TargetSource


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator (land in 亩 or factory floor space in m²) of one region."""

    target: float
    done: float
    expected: float  # what the pace expects by ``as_of``
    status: PaceStatus
    record_ids: tuple[int, ...] = ()

    @property
    def percent(self) -> float | None:
        """Done / target × 100 (``None`` without a target)."""
        return percent(self.done, self.target)

    @property
    def remaining(self) -> float:
        return max(0.0, self.target - self.done)

    @property
    def shortfall(self) -> float:
        """How far behind the pace (0 when ahead of it)."""
        return max(0.0, self.expected - self.done)


def indicator(done: float, target: float, pace: Pace, ids: Sequence[int] = ()) -> IndicatorProgress:
    return IndicatorProgress(
        target=target,
        done=done,
        expected=target * pace.fraction,
        status=pace_status(done, target, pace),
        record_ids=tuple(ids),
    )


@dataclass(frozen=True)
class MonthlyPoint:
    """One month of a region's (or the city's) year: what was added, the cumulative total and
    the calendar pace at the month's end."""

    month: int
    land_mu: float
    land_cumulative_mu: float
    land_expected_mu: float
    factory_m2: float
    factory_cumulative_m2: float
    factory_expected_m2: float
    parcel_ids: tuple[int, ...] = ()
    factory_ids: tuple[int, ...] = ()


def monthly_series(
    year: int,
    targets: ResolvedTargets,
    parcels: Iterable[ParcelFact],
    factories: Iterable[FactoryFact],
) -> tuple[MonthlyPoint, ...]:
    """Twelve points from the records counted toward ``year`` (callers pass only those)."""
    land = [0.0] * 13
    floor = [0.0] * 13
    parcel_ids: list[list[int]] = [[] for _ in range(13)]
    factory_ids: list[list[int]] = [[] for _ in range(13)]
    for p in parcels:
        m = parcel_month(p, year)
        land[m] += p.area_mu
        parcel_ids[m].append(p.id)
    for f in factories:
        m = f.completion_date.month if f.completion_date is not None else 12
        floor[m] += f.floor_area_m2
        factory_ids[m].append(f.id)
    points = []
    land_total = floor_total = 0.0
    for m in range(1, 13):
        land_total += land[m]
        floor_total += floor[m]
        share = month_end_fraction(year, m)
        points.append(
            MonthlyPoint(
                month=m,
                land_mu=land[m],
                land_cumulative_mu=land_total,
                land_expected_mu=targets.land_mu * share,
                factory_m2=floor[m],
                factory_cumulative_m2=floor_total,
                factory_expected_m2=targets.factory_m2 * share,
                parcel_ids=tuple(parcel_ids[m]),
                factory_ids=tuple(factory_ids[m]),
            )
        )
    return tuple(points)


@dataclass(frozen=True)
class RegionProgress:
    """A region's year: targets, land and factory progress, the monthly series, 三率 and its
    rank. The city's total is a RegionProgress too, with ``region_id`` ``None``."""

    region_id: int | None
    name: str
    kind: str
    targets: ResolvedTargets
    land: IndicatorProgress  # 亩
    factory: IndicatorProgress  # m²
    monthly: tuple[MonthlyPoint, ...]
    rates: ThreeRates
    rank: int | None = None

    @property
    def indicators(self) -> tuple[IndicatorProgress, ...]:
        return tuple(i for i in (self.land, self.factory) if i.target > 0)

    @property
    def ranked(self) -> bool:
        return bool(self.indicators)

    @property
    def score_pct(self) -> float | None:
        """The ranking score: mean of the completion rates, each capped at 100 %."""
        rates = [min(100.0, i.percent or 0.0) for i in self.indicators]
        return sum(rates) / len(rates) if rates else None

    @property
    def uncapped_score_pct(self) -> float | None:
        rates = [i.percent or 0.0 for i in self.indicators]
        return sum(rates) / len(rates) if rates else None

    @property
    def status(self) -> PaceStatus:
        """The worst status of its indicators (无指标 when it has none)."""
        return max((self.land.status, self.factory.status), key=lambda s: s.severity)


def region_progress(
    region: RegionInfo,
    targets: ResolvedTargets,
    pace: Pace,
    parcels: Sequence[ParcelFact],
    factories: Sequence[FactoryFact],
    projects: Iterable[ProjectFact] = (),
) -> RegionProgress:
    """Progress of one region from the parcels and factories counted toward ``pace.year``
    (callers pass only those; see
    :func:`landbank.domain.quota.attribution.counted_parcels`) and its projects."""
    return RegionProgress(
        region_id=region.id,
        name=region.name,
        kind=region.kind,
        targets=targets,
        land=indicator(
            sum(p.area_mu for p in parcels), targets.land_mu, pace, [p.id for p in parcels]
        ),
        factory=indicator(
            sum(f.floor_area_m2 for f in factories),
            targets.factory_m2,
            pace,
            [f.id for f in factories],
        ),
        monthly=monthly_series(pace.year, targets, parcels, factories),
        rates=three_rates(projects, pace.year, pace.as_of),
    )


def _rank_key(progress: RegionProgress) -> tuple[float, float]:
    return (round(progress.score_pct or 0.0, 6), round(progress.uncapped_score_pct or 0.0, 6))


def rank_regions(progresses: Iterable[RegionProgress]) -> tuple[RegionProgress, ...]:
    """Regions with their rank, best first (ties share a rank: 1, 1, 3; then by name); regions
    without any target follow, unranked, by name."""
    items = list(progresses)
    ranked = sorted((p for p in items if p.ranked), key=lambda p: (_negate(_rank_key(p)), p.name))
    result: list[RegionProgress] = []
    previous: tuple[float, float] | None = None
    rank = 0
    for position, progress in enumerate(ranked, start=1):
        key = _rank_key(progress)
        if key != previous:
            rank, previous = position, key
        result.append(replace(progress, rank=rank))
    result += sorted((replace(p, rank=None) for p in items if not p.ranked), key=lambda p: p.name)
    return tuple(result)


def _negate(key: tuple[float, float]) -> tuple[float, float]:
    return (-key[0], -key[1])


def city_total(
    name: str, progresses: Sequence[RegionProgress], pace: Pace, rates: ThreeRates
) -> RegionProgress:
    """The sum of every region (targets, done, months), as a RegionProgress without id."""
    targets = ResolvedTargets(
        sum(p.targets.land_mu for p in progresses),
        sum(p.targets.factory_m2 for p in progresses),
        TargetSource.SUM,
    )
    land_ids = [i for p in progresses for i in p.land.record_ids]
    factory_ids = [i for p in progresses for i in p.factory.record_ids]
    months = []
    for m in range(12):
        points = [p.monthly[m] for p in progresses]
        months.append(
            MonthlyPoint(
                month=m + 1,
                land_mu=sum(x.land_mu for x in points),
                land_cumulative_mu=sum(x.land_cumulative_mu for x in points),
                land_expected_mu=sum(x.land_expected_mu for x in points),
                factory_m2=sum(x.factory_m2 for x in points),
                factory_cumulative_m2=sum(x.factory_cumulative_m2 for x in points),
                factory_expected_m2=sum(x.factory_expected_m2 for x in points),
                parcel_ids=tuple(i for x in points for i in x.parcel_ids),
                factory_ids=tuple(i for x in points for i in x.factory_ids),
            )
        )
    return RegionProgress(
        region_id=None,
        name=name,
        kind="",
        targets=targets,
        land=indicator(sum(p.land.done for p in progresses), targets.land_mu, pace, land_ids),
        factory=indicator(
            sum(p.factory.done for p in progresses), targets.factory_m2, pace, factory_ids
        ),
        monthly=tuple(months),
        rates=rates,
    )
