"""Counted where the county is judged (issue 16 item 5): per county, the 闲置 land and each
低效 class in parcels and hectares, and the 增存挂钩 effect on next year's plan.

增存挂钩 (自然资规〔2018〕1号, as landbank applies it)
    A county whose 批而未供 and 闲置 land are both cleared (none left on the day) gets its next
    year's new construction-land plan raised by 10 %; one with either left gets it cut by 20 %.
    An approval not carried out for two full years lapses (批准文件自动失效): counted apart as
    ``lapsed``, neither 批而未供 nor a cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from landbank.domain.land_life.facts import ParcelLife
from landbank.domain.land_life.idle import IdleState, idle_state
from landbank.domain.land_life.low_efficiency import (
    LowEfficiency,
    approval_lapsed,
    low_efficiency,
)
from landbank.domain.units import MU_PER_HECTARE

PLAN_BONUS = 0.10  # both cleared
PLAN_CUT = 0.20  # either left


@dataclass
class Tally:
    """Parcels counted under one heading: how many, their area, their ids."""

    count: int = 0
    area_mu: float = 0.0
    ids: list[int] = field(default_factory=list)

    @property
    def hectares(self) -> float:
        return self.area_mu / MU_PER_HECTARE

    @property
    def cleared(self) -> bool:
        return self.count == 0

    def add(self, p: ParcelLife) -> None:
        self.count += 1
        self.area_mu += p.area_mu
        self.ids.append(p.id)

    def text(self) -> str:
        """As shown: "2 宗 3.00 公顷"."""
        return f"{self.count} 宗 {self.hectares:,.2f} 公顷"


@dataclass
class CountySummary:
    county: str
    idle: Tally = field(default_factory=Tally)  # 闲置, 应收回 included
    take_back: Tally = field(default_factory=Tally)  # of which 应收回
    idle_unknown: Tally = field(default_factory=Tally)  # 无法判定: a figure is missing
    fees_wan: float = 0.0  # 土地闲置费 due on the parcels 闲置 now (price known)
    low: dict[LowEfficiency, Tally] = field(
        default_factory=lambda: {kind: Tally() for kind in LowEfficiency}
    )
    lapsed: Tally = field(default_factory=Tally)  # approvals lapsed

    @property
    def approved_not_supplied(self) -> Tally:
        return self.low[LowEfficiency.APPROVED_NOT_SUPPLIED]


def county_summaries(parcels: Iterable[ParcelLife], as_of: date) -> dict[str, CountySummary]:
    """Every county's tallies on ``as_of``, in the order counties first appear."""
    summaries: dict[str, CountySummary] = {}
    for p in parcels:
        summary = summaries.get(p.county)
        if summary is None:  # not setdefault: that would build a summary for every parcel
            summary = summaries[p.county] = CountySummary(p.county)
        idle = idle_state(p, as_of)
        if idle.is_idle:
            summary.idle.add(p)
            summary.fees_wan += idle.fee_wan or 0.0
        if idle.state is IdleState.TAKE_BACK:
            summary.take_back.add(p)
        if idle.state is IdleState.UNKNOWN:
            summary.idle_unknown.add(p)
        low = low_efficiency(p, as_of)
        if low is not None:
            summary.low[low.kind].add(p)
        if approval_lapsed(p, as_of):
            summary.lapsed.add(p)
    return summaries


@dataclass(frozen=True)
class PlanEffect:
    county: str
    cleared: bool
    factor: float  # 1.10 or 0.80
    base_ha: float | None  # next year's plan before the effect (None: not known)
    reason: str

    @property
    def adjusted_ha(self) -> float | None:
        return None if self.base_ha is None else self.base_ha * self.factor

    @property
    def change_text(self) -> str:
        """As shown: "+10%" or "−20%"."""
        return f"+{PLAN_BONUS:.0%}" if self.cleared else f"−{PLAN_CUT:.0%}"


def plan_effect(summary: CountySummary, base_ha: float | None = None) -> PlanEffect:
    """The 增存挂钩 effect on the county's next year's new construction-land plan."""
    stock = summary.approved_not_supplied
    idle = summary.idle
    cleared = stock.cleared and idle.cleared
    factor = 1.0 + PLAN_BONUS if cleared else 1.0 - PLAN_CUT
    if cleared:
        head = "批而未供、闲置土地均已清零"
    else:
        left = [
            f"{label} {tally.text()}"
            for label, tally in (("批而未供", stock), ("闲置土地", idle))
            if not tally.cleared
        ]
        head = "、".join(left) + " 未清零"
    tail = ""
    if base_ha is not None:
        tail = f"（{base_ha:,.2f} → {base_ha * factor:,.2f} 公顷）"
    effect = PlanEffect(summary.county, cleared, factor, base_ha, "")
    reason = f"{summary.county}：{head}，下一年度新增建设用地计划 {effect.change_text}{tail}"
    return PlanEffect(summary.county, cleared, factor, base_ha, reason)
