"""Projects against the year (issue 5): the 三率 of the county 考核表, the parks' big-project
targets (篇3 二: each park ≥1 new project ≥5亿元 and ≥3 of ≥1亿元 a year) and the pipeline by
stage. Pure Python, no I/O; every figure keeps the ids of its projects.

三率 (published county 考核表 formulas, DOMAIN.md)
    The projects in scope are the year's 新签合同项目: a signing date in the year and a stage
    of 签约 or later — 终止 included (a signed contract that failed still counts against the
    rates). 履约项目 = not 终止, and started (开工/竣工投产, or an actual start date) or its
    agreed start date not yet passed (not before ``as_of``). 合同履约率 = 履约 / 新签合同;
    项目开工率 = (开工 + 竣工) / 合同项目数; 资金到位率 = 到位资金 (cumulative) / 合同投资额,
    over the contract projects with a contract investment. A zero denominator gives no rate
    (``None``, shown “—”, never 0 %).
Park targets
    ≥ 5亿元 means 总投资 ≥ 50,000 万元; ≥ 1亿元 means ≥ 10,000 万元 and includes the ≥ 5亿
    projects. Signed: stage 签约 … 竣工投产 (not 终止) with a signing date in the year.
    Landed: stage 开工/竣工投产 with an actual start date in the year (a project signed and
    started in the same year counts in both). Targets: the park's own, else 1 and 3. Projects
    without a park count for no park.
Pipeline
    Every project by its current stage (not limited to a year), in ladder order, 终止 last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from landbank.domain.enums import ProjectStage
from landbank.domain.quota.facts import (
    CONTRACT_STAGES,
    SIGNED_STAGES,
    STARTED_STAGES,
    TERMINATED,
    ParkInfo,
    ProjectFact,
)

BIG_PROJECT_WAN = 50_000.0  # ≥ 5亿元
LARGE_PROJECT_WAN = 10_000.0  # ≥ 1亿元
DEFAULT_PARK_TARGET_500M = 1
DEFAULT_PARK_TARGET_100M = 3


def percent(part: float, whole: float) -> float | None:
    """part / whole × 100, or ``None`` when there is nothing to divide by."""
    return part / whole * 100 if whole > 0 else None


@dataclass(frozen=True)
class ThreeRates:
    """三率 of a set of projects for a year (see the module notes for the definitions)."""

    contract_ids: tuple[int, ...] = ()  # 新签合同项目
    performing_ids: tuple[int, ...] = ()  # 履约项目
    started_ids: tuple[int, ...] = ()  # 开工 + 竣工投产
    overdue_ids: tuple[int, ...] = ()  # agreed start passed, not started (not 履约)
    terminated_ids: tuple[int, ...] = ()
    funded_ids: tuple[int, ...] = ()  # contract projects with a contract investment
    contract_investment_wan: float = 0.0
    funds_in_place_wan: float = 0.0
    funds_in_place_year_wan: float = 0.0

    @property
    def contracts(self) -> int:
        return len(self.contract_ids)

    @property
    def performance_pct(self) -> float | None:
        """合同履约率 = 履约项目数 / 新签合同项目数."""
        return percent(len(self.performing_ids), self.contracts)

    @property
    def start_pct(self) -> float | None:
        """项目开工率 = (开工 + 竣工) / 合同项目数."""
        return percent(len(self.started_ids), self.contracts)

    @property
    def funds_pct(self) -> float | None:
        """资金到位率 = 到位资金 / 合同投资总额."""
        return percent(self.funds_in_place_wan, self.contract_investment_wan)


def is_started(project: ProjectFact) -> bool:
    return project.stage in STARTED_STAGES or (
        project.stage != TERMINATED and project.actual_start_date is not None
    )


def is_start_overdue(project: ProjectFact, as_of: date) -> bool:
    """Agreed start date passed (before ``as_of``), not started, not terminated."""
    return (
        project.agreed_start_date is not None
        and project.agreed_start_date < as_of
        and project.stage != TERMINATED
        and not is_started(project)
    )


def three_rates(projects: Iterable[ProjectFact], year: int, as_of: date) -> ThreeRates:
    contract: list[int] = []
    performing: list[int] = []
    started: list[int] = []
    overdue: list[int] = []
    terminated: list[int] = []
    funded: list[int] = []
    investment = funds = funds_year = 0.0
    for p in projects:
        if p.stage not in CONTRACT_STAGES or p.signed_date is None or p.signed_date.year != year:
            continue
        contract.append(p.id)
        if p.stage == TERMINATED:
            terminated.append(p.id)
        elif is_started(p):
            started.append(p.id)
            performing.append(p.id)
        elif p.agreed_start_date is not None and p.agreed_start_date < as_of:
            overdue.append(p.id)
        else:
            performing.append(p.id)
        if p.contract_investment_wan:
            funded.append(p.id)
            investment += p.contract_investment_wan
            funds += p.funds_in_place_wan or 0.0
            funds_year += p.funds_in_place_year_wan or 0.0
    return ThreeRates(
        contract_ids=tuple(contract),
        performing_ids=tuple(performing),
        started_ids=tuple(started),
        overdue_ids=tuple(overdue),
        terminated_ids=tuple(terminated),
        funded_ids=tuple(funded),
        contract_investment_wan=investment,
        funds_in_place_wan=funds,
        funds_in_place_year_wan=funds_year,
    )


# ---------------------------------------------------------------- park targets


@dataclass(frozen=True)
class ParkTargetProgress:
    """A park's year against 篇3's targets: ≥1 new project ≥5亿元, ≥3 of ≥1亿元 (the ≥1亿
    counts include the ≥5亿 projects), signed and landed kept apart."""

    park_id: int
    name: str
    region_id: int
    target_500m: int
    target_100m: int
    signed_500m_ids: tuple[int, ...] = ()
    signed_100m_ids: tuple[int, ...] = ()
    landed_500m_ids: tuple[int, ...] = ()
    landed_100m_ids: tuple[int, ...] = ()

    @property
    def signed_met(self) -> bool:
        return (
            len(self.signed_500m_ids) >= self.target_500m
            and len(self.signed_100m_ids) >= self.target_100m
        )

    @property
    def landed_met(self) -> bool:
        return (
            len(self.landed_500m_ids) >= self.target_500m
            and len(self.landed_100m_ids) >= self.target_100m
        )


def park_targets(
    parks: Iterable[ParkInfo], projects: Iterable[ProjectFact], year: int
) -> tuple[ParkTargetProgress, ...]:
    signed: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    landed: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for p in projects:
        amount = p.total_investment_wan or 0.0
        if p.park_id is None or amount < LARGE_PROJECT_WAN:
            continue
        buckets: list[tuple[list[int], list[int]]] = []
        if p.stage in SIGNED_STAGES and p.signed_date is not None and p.signed_date.year == year:
            buckets.append(signed[p.park_id])
        if (
            p.stage in STARTED_STAGES
            and p.actual_start_date is not None
            and p.actual_start_date.year == year
        ):
            buckets.append(landed[p.park_id])
        for big, large in buckets:
            large.append(p.id)
            if amount >= BIG_PROJECT_WAN:
                big.append(p.id)
    result = []
    for park in parks:
        s_big, s_large = signed.get(park.id, ([], []))
        l_big, l_large = landed.get(park.id, ([], []))
        result.append(
            ParkTargetProgress(
                park_id=park.id,
                name=park.name,
                region_id=park.region_id,
                target_500m=(
                    DEFAULT_PARK_TARGET_500M
                    if park.target_projects_500m is None
                    else park.target_projects_500m
                ),
                target_100m=(
                    DEFAULT_PARK_TARGET_100M
                    if park.target_projects_100m is None
                    else park.target_projects_100m
                ),
                signed_500m_ids=tuple(s_big),
                signed_100m_ids=tuple(s_large),
                landed_500m_ids=tuple(l_big),
                landed_100m_ids=tuple(l_large),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class PipelineStage:
    stage: str  # ProjectStage value
    project_ids: tuple[int, ...]
    total_investment_wan: float

    @property
    def count(self) -> int:
        return len(self.project_ids)


def pipeline(projects: Iterable[ProjectFact]) -> tuple[PipelineStage, ...]:
    """Every stage in ladder order (终止 last), with its projects and their total investment."""
    ids: dict[str, list[int]] = {s.value: [] for s in ProjectStage}
    money: dict[str, float] = dict.fromkeys(ids, 0.0)
    for p in projects:
        if p.stage in ids:
            ids[p.stage].append(p.id)
            money[p.stage] += p.total_investment_wan or 0.0
    return tuple(PipelineStage(stage, tuple(ids[stage]), money[stage]) for stage in ids)
