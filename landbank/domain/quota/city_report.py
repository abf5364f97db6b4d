"""The city's year of quota figures (issue 5): :func:`build_city_report` puts together the
progress and rank of every region (:mod:`landbank.domain.quota.progress`), the 三率, park
targets and pipeline (:mod:`landbank.domain.quota.projects`) and the alerts and stock
(:mod:`landbank.domain.quota.alerts`). Pure Python, no I/O:
:mod:`landbank.services.quota.fact_queries` loads the facts (:mod:`landbank.domain.quota.facts`);
a dashboard and printed reports draw from the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from landbank.domain.quota.alerts import RESERVATION_WARNING_DAYS, Alert, Stock, alerts, stock
from landbank.domain.quota.attribution import factory_year, parcel_year
from landbank.domain.quota.facts import FactoryFact, ParcelFact, ParkInfo, ProjectFact, RegionInfo
from landbank.domain.quota.pace import Pace, pace_for
from landbank.domain.quota.progress import RegionProgress, city_total, rank_regions, region_progress
from landbank.domain.quota.projects import (
    ParkTargetProgress,
    PipelineStage,
    park_targets,
    pipeline,
    three_rates,
)
from landbank.domain.quota.region_targets import resolve_targets
from landbank.domain.quota.targets import QuotaTargets


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
