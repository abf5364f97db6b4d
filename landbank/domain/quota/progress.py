"""Annual quota arithmetic (issue 5): what counts toward a year, the calendar's pace, progress
per region, the monthly series and the ranking — and :func:`build_city_report`, which puts
them together with the 三率, park targets and pipeline (:mod:`landbank.domain.quota.projects`)
and the alerts and stock (:mod:`landbank.domain.quota.alerts`). Pure Python, no I/O:
:mod:`landbank.services.quota.report` loads the facts (:mod:`landbank.domain.quota.facts`);
a dashboard and printed reports draw from the result.

Every figure keeps the ids of the records behind it (``record_ids``, ``parcel_ids`` …), so a
click on it can open them.

Rules, as decided here (DOMAIN.md, 篇3 二 and 四(三)):

Year attribution
    A parcel counts toward its 计入年度 (``count_year``) when set, else the year of its
    收储日期; only parcels actually reserved count, i.e. every readiness past 拟收储
    (已收储(毛地) … 净地), whatever the commercial status (a parcel sold since was still
    reserved). The area counted is 收储面积 (``area_mu``). A factory counts toward the year of
    its 竣工日期 unless it is still 在建; the area counted is 建筑面积.
    In the monthly series a parcel sits in the month of its 收储日期; when 计入年度 moves it
    into another year, it sits in January (reserved earlier) or December (reserved later), and
    in January when it has no 收储日期. Records dated later in the year than ``as_of`` still
    count: the ledger is the truth, the chart shows where they fall.
Targets
    An explicit 年度指标 row for the region and year, else the city's own default for the kind
    of region (table ``quota_default``), else the policy default of
    :mod:`landbank.domain.quota.targets` (县 2,000 亩 / 120,000 m², 区 1,200 亩 / 60,000 m², 市 0).
Pace
    Linear by day of the year: on day d of a year of n days, d/n of the target is expected
    (31 Dec: 100 %). A past year expects 100 %, a future year 0 %. Nothing is judged during
    the first :data:`GRACE_DAYS` days of the year (status 未到考核时点).
Status of one indicator
    done ≥ target → 已完成; done ≥ 90 % of what the pace expects → 正常; ≥ 70 % → 滞后;
    below → 严重滞后. Once the year is over, a target not reached is at best 滞后 (never
    正常). A target of 0 → 无指标. A region's status is the worst of its indicators.
Ranking
    By the mean of the land and factory completion rates, each capped at 100 % (over-achieving
    one indicator does not make up for the other); ties broken by the uncapped mean; regions
    still equal share a rank (1, 1, 3). Indicators without a target are left out of the mean;
    a region with no target at all (the city itself, 市本级, unless it was given a quota) is
    not ranked.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from landbank.domain.quota.alerts import RESERVATION_WARNING_DAYS, Alert, Stock, alerts, stock
from landbank.domain.quota.facts import (
    COUNTED_READINESS,
    UNDER_CONSTRUCTION,
    FactoryFact,
    ParcelFact,
    ParkInfo,
    ProjectFact,
    RegionInfo,
    days_in_year,
)
from landbank.domain.quota.projects import (
    ParkTargetProgress,
    PipelineStage,
    ThreeRates,
    park_targets,
    percent,
    pipeline,
    three_rates,
)
from landbank.domain.quota.targets import QuotaTargets, default_targets

GRACE_DAYS = 31  # no pace status during January: nothing is due yet
ON_TRACK_RATIO = 0.9  # done ≥ 90 % of the expected pace: 正常
BEHIND_RATIO = 0.7  # ≥ 70 %: 滞后; below: 严重滞后
_EPSILON = 1e-9


# ---------------------------------------------------------------- year attribution


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


# ---------------------------------------------------------------- targets


class TargetSource(StrEnum):
    EXPLICIT = "年度指标"
    CITY_DEFAULT = "市定默认"
    POLICY_DEFAULT = "政策默认"
    SUM = "合计"


@dataclass(frozen=True)
class ResolvedTargets:
    land_mu: float
    factory_m2: float
    source: TargetSource


def resolve_targets(
    kind: str,
    explicit: QuotaTargets | None = None,
    city_defaults: Mapping[str, QuotaTargets] | None = None,
) -> ResolvedTargets:
    """The targets of a region: its 年度指标 row, else the city's default for its kind, else
    the policy default."""
    if explicit is not None:
        return ResolvedTargets(explicit.land_mu, explicit.factory_m2, TargetSource.EXPLICIT)
    city = (city_defaults or {}).get(kind)
    if city is not None:
        return ResolvedTargets(city.land_mu, city.factory_m2, TargetSource.CITY_DEFAULT)
    try:
        policy = default_targets(kind)
    except ValueError:  # an unknown kind of region: no policy target
        policy = QuotaTargets(0.0, 0.0)
    return ResolvedTargets(policy.land_mu, policy.factory_m2, TargetSource.POLICY_DEFAULT)


# ---------------------------------------------------------------- pace


class PaceStatus(StrEnum):
    DONE = "已完成"
    ON_TRACK = "正常"
    BEHIND = "滞后"
    FAR_BEHIND = "严重滞后"
    NOT_DUE = "未到考核时点"
    NO_TARGET = "无指标"

    @property
    def light(self) -> str | None:
        """Traffic light for reports: green / amber / red, ``None`` when there is nothing to
        judge."""
        return _LIGHTS.get(self)

    @property
    def severity(self) -> int:
        """Higher is worse; a region's status is its indicators' worst."""
        return _STATUS_SEVERITY[self]


_LIGHTS = {
    PaceStatus.DONE: "green",
    PaceStatus.ON_TRACK: "green",
    PaceStatus.BEHIND: "amber",
    PaceStatus.FAR_BEHIND: "red",
}
_STATUS_SEVERITY = {
    PaceStatus.NO_TARGET: 0,
    PaceStatus.DONE: 1,
    PaceStatus.NOT_DUE: 2,
    PaceStatus.ON_TRACK: 3,
    PaceStatus.BEHIND: 4,
    PaceStatus.FAR_BEHIND: 5,
}


@dataclass(frozen=True)
class Pace:
    """How much of a year's target the calendar expects by ``as_of``."""

    year: int
    as_of: date
    fraction: float  # 0 … 1
    due: bool  # past the grace days: progress can be judged
    closed: bool  # the year is over

    @property
    def percent(self) -> float:
        return self.fraction * 100

    def month_end_fraction(self, month: int) -> float:
        """The share expected by the end of ``month`` (the pace line of a monthly chart)."""
        return month_end_fraction(self.year, month)

    def describe(self) -> str:
        if self.closed:
            return f"{self.year} 年度已结束，应完成全年目标"
        if self.as_of.year < self.year:
            return f"{self.year} 年度尚未开始"
        return f"截至 {self.as_of.isoformat()}，时序进度 {format_pct(self.percent)}"


def month_end_fraction(year: int, month: int) -> float:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last.timetuple().tm_yday / days_in_year(year)


def pace_for(year: int, as_of: date, *, grace_days: int = GRACE_DAYS) -> Pace:
    if as_of.year > year:
        return Pace(year, as_of, 1.0, due=True, closed=True)
    if as_of.year < year:
        return Pace(year, as_of, 0.0, due=False, closed=False)
    day = as_of.timetuple().tm_yday
    return Pace(year, as_of, day / days_in_year(year), due=day > grace_days, closed=False)


def pace_status(done: float, target: float, pace: Pace) -> PaceStatus:
    if target <= 0:
        return PaceStatus.NO_TARGET
    if done >= target - _EPSILON:
        return PaceStatus.DONE
    if not pace.due:
        return PaceStatus.NOT_DUE
    ratio = done / (target * pace.fraction)
    if ratio >= ON_TRACK_RATIO - _EPSILON and not pace.closed:
        return PaceStatus.ON_TRACK
    if ratio >= BEHIND_RATIO - _EPSILON:
        return PaceStatus.BEHIND
    return PaceStatus.FAR_BEHIND


def format_pct(value: float | None, decimals: int = 1) -> str:
    """87.5 → "87.5%"; no rate (zero denominator) → "—"."""
    if value is None:
        return "—"
    return f"{value:.{decimals}f}%"


# ---------------------------------------------------------------- progress of a region


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
    (callers pass only those; see :func:`counted_parcels`) and its projects."""
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


def counted_parcels(parcels: Iterable[ParcelFact], year: int) -> list[ParcelFact]:
    return [p for p in parcels if parcel_year(p) == year]


def counted_factories(factories: Iterable[FactoryFact], year: int) -> list[FactoryFact]:
    return [f for f in factories if factory_year(f) == year]


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


# ---------------------------------------------------------------- the city's year


@dataclass(frozen=True)
class CityQuotaReport:
    """Everything the 年度指标 dashboard and the 进度通报 show for one year."""

    year: int
    as_of: date
    pace: Pace
    regions: tuple[RegionProgress, ...]  # ranked regions best first, then the unranked
    total: RegionProgress  # the city's sum (region_id None)
    parks: tuple[ParkTargetProgress, ...]
    pipeline: tuple[PipelineStage, ...]
    stock: Stock
    alerts: tuple[Alert, ...]
    region_names: Mapping[int, str] = field(default_factory=dict)
    park_names: Mapping[int, str] = field(default_factory=dict)

    def region(self, region_id: int) -> RegionProgress:
        for progress in self.regions:
            if progress.region_id == region_id:
                return progress
        raise KeyError(region_id)


def build_city_report(
    *,
    year: int,
    as_of: date,
    regions: Sequence[RegionInfo],
    parks: Sequence[ParkInfo] = (),
    quotas: Mapping[int, QuotaTargets] | None = None,
    city_defaults: Mapping[str, QuotaTargets] | None = None,
    parcels: Iterable[ParcelFact] = (),
    factories: Iterable[FactoryFact] = (),
    projects: Iterable[ProjectFact] = (),
    city_name: str = "全市合计",
    expiry_days: int = RESERVATION_WARNING_DAYS,
) -> CityQuotaReport:
    """The whole year of the city. The facts may include any records (the rules above decide
    what counts); records of regions not in ``regions`` are ignored."""
    parcel_list = list(parcels)
    factory_list = list(factories)
    project_list = list(projects)
    pace = pace_for(year, as_of)
    known = {r.id for r in regions}
    parcels_by_region: dict[int, list[ParcelFact]] = defaultdict(list)
    for p in parcel_list:
        if parcel_year(p) == year:
            parcels_by_region[p.region_id].append(p)
    factories_by_region: dict[int, list[FactoryFact]] = defaultdict(list)
    for f in factory_list:
        if factory_year(f) == year:
            factories_by_region[f.region_id].append(f)
    projects_by_region: dict[int, list[ProjectFact]] = defaultdict(list)
    for project in project_list:
        projects_by_region[project.region_id].append(project)
    progresses = []
    for region in regions:
        targets = resolve_targets(region.kind, (quotas or {}).get(region.id), city_defaults)
        progresses.append(
            region_progress(
                region,
                targets,
                pace,
                parcels_by_region.get(region.id, []),
                factories_by_region.get(region.id, []),
                projects_by_region.get(region.id, []),
            )
        )
    in_city = [p for p in project_list if p.region_id in known]
    total = city_total(city_name, progresses, pace, three_rates(in_city, year, as_of))
    return CityQuotaReport(
        year=year,
        as_of=as_of,
        pace=pace,
        regions=rank_regions(progresses),
        total=total,
        parks=park_targets([p for p in parks if p.region_id in known], in_city, year),
        pipeline=pipeline(in_city),
        stock=stock(
            (p for p in parcel_list if p.region_id in known),
            (f for f in factory_list if f.region_id in known),
            as_of,
        ),
        alerts=alerts(
            (p for p in parcel_list if p.region_id in known),
            (f for f in factory_list if f.region_id in known),
            in_city,
            as_of,
            expiry_days=expiry_days,
        ),
        region_names={r.id: r.name for r in regions},
        park_names={p.id: p.name for p in parks},
    )
