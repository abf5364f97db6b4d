"""A project judged by the standard of a parcel (issue 16 item 2), indicator by indicator.

Every figure is computed on the area the parcel supplies (its whole 亩), not on the project's
own land need: 30 亩 offered to a project of 5,400 万元 is 180 万元/亩 whatever it asked for.

Project indicators (the figure, and what it is computed from)
    固定资产投资强度 = 总投资 ÷ 地块亩数 (总投资 includes 厂房, 设备 and 地价款, as the national
    控制指标 define it); 亩均税收 = 预计年税收 ÷ 亩; 亩均产出 = 预计年产值 ÷ 亩; 单位能耗增加值 =
    增加值 ÷ 能耗 (吨标煤); 单位排放增加值 = 增加值 ÷ 排放量 (吨); 研发经费占比 = 研发经费 ÷
    营业收入 × 100 %; 全员劳动生产率 = 增加值 ÷ 就业人数.
Statuses
    通过 ✓ — the figure meets the bound; 不符 ✗ — a hard rejection, its reason naming the
    indicator, the required and the offered value with units and the arithmetic; 需补充 △ —
    the project lacks a figure (or its denominator is 0): not rejected, not recommended first;
    承诺 ○ — a PLAN indicator (容积率, 建筑系数, 绿地率, 行政办公) the project has no design
    for: what it must build to, as the 出让合同 will say. A project that gives its design
    figures (计容建筑面积, 基底面积, 绿地面积, 行政办公及生活服务设施用地面积) has them judged
    like the others, on the parcel's area in m² (1 亩 = 10,000/15 m²). A project at the
    matching stage seldom has a design: marking every one △ for it would make △ meaningless.
Precision
    A figure is judged as it is shown (two decimals, one for percentages), so a reason never
    reads “250.00 < 250.00”.

:func:`parcel_condition_notes` compares the parcel's own planning conditions with the table:
a divergence is a note for the clerk (the parcel's conditions are what its contract will
say), never a rejection of a project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from landbank.domain.standards.indicators import Indicator, Side, Threshold, requirement_text
from landbank.domain.standards.table import ResolvedIndicator, Standard
from landbank.domain.units import MU_PER_HECTARE, format_quantity

M2_PER_MU = 10_000.0 / MU_PER_HECTARE


class CheckStatus(StrEnum):
    PASSED = "通过"
    FAILED = "不符"
    MISSING = "需补充"
    COMMITMENT = "承诺"

    @property
    def mark(self) -> str:
        return _MARKS[self]


_MARKS = {
    CheckStatus.PASSED: "✓",
    CheckStatus.FAILED: "✗",
    CheckStatus.MISSING: "△",
    CheckStatus.COMMITMENT: "○",
}


class Verdict(StrEnum):
    """A parcel for a project, all indicators taken together."""

    MEETS = "符合"
    REJECTED = "不符"  # at least one indicator 不符: a hard rejection
    INCOMPLETE = "需补充"  # none 不符, at least one △: shown, not recommended first


@dataclass(frozen=True)
class ProjectFigures:
    """What a project declares (万元 a year for money flows). Design figures in m², optional."""

    total_investment_wan: float | None = None
    expected_tax_wan: float | None = None
    expected_output_wan: float | None = None
    value_added_wan: float | None = None
    energy_tce: float | None = None
    emission_t: float | None = None
    rd_expense_wan: float | None = None
    revenue_wan: float | None = None
    jobs: float | None = None
    floor_area_m2: float | None = None  # 计容建筑面积 (a storey over 8 m counts twice)
    footprint_m2: float | None = None  # 建筑物、构筑物基底及露天堆场
    green_area_m2: float | None = None
    admin_land_m2: float | None = None  # 行政办公及生活服务设施用地


def project_figures(values: Mapping[str, Any]) -> ProjectFigures:
    """A project's figures from its record (keys of the field catalogue; the ones the catalogue
    lacks yet — 增加值, 排放量 … — are read when present)."""

    def number(key: str) -> float | None:
        value = values.get(key)
        return None if value is None or value == "" else float(value)

    return ProjectFigures(
        total_investment_wan=number("total_investment_wan"),
        expected_tax_wan=number("expected_tax_wan"),
        expected_output_wan=number("expected_output_wan"),
        value_added_wan=number("expected_value_added_wan"),
        energy_tce=number("energy_tce"),
        emission_t=number("emission_t"),
        rd_expense_wan=number("rd_expense_wan"),
        revenue_wan=number("expected_revenue_wan"),
        jobs=number("expected_jobs"),
        floor_area_m2=number("design_floor_area_m2"),
        footprint_m2=number("design_footprint_m2"),
        green_area_m2=number("design_green_area_m2"),
        admin_land_m2=number("design_admin_land_m2"),
    )


@dataclass(frozen=True)
class _Term:
    label: str  # "" for the parcel's area: "30.00 亩"
    value: float | None
    unit: str

    def text(self) -> str:
        amount = format_quantity(self.value, self.unit) if self.value is not None else "—"
        if self.unit == "人":
            amount = f"{self.value:,.0f}" if self.value is not None else "—"
        return f"{self.label} {amount} {self.unit}".strip()


@dataclass(frozen=True)
class Computation:
    """A figure and what it was computed from (numerator ÷ denominator × scale)."""

    numerator: _Term
    denominator: _Term
    scale: float = 1.0

    @property
    def missing(self) -> tuple[str, ...]:
        """The inputs not given, or a denominator of 0, by label."""
        gaps = []
        if self.numerator.value is None:
            gaps.append(self.numerator.label)
        if self.denominator.value is None or self.denominator.value <= 0:
            gaps.append(self.denominator.label or "地块面积")
        return tuple(gaps)

    @property
    def figure(self) -> float | None:
        if self.missing:
            return None
        assert self.numerator.value is not None
        assert self.denominator.value is not None
        return self.numerator.value / self.denominator.value * self.scale

    def arithmetic(self) -> str:
        """As shown: "总投资 5,400.00 万元 ÷ 30.00 亩"."""
        tail = " × 100%" if self.scale == 100.0 else ""
        return f"{self.numerator.text()} ÷ {self.denominator.text()}{tail}"


def computation(indicator: Indicator, p: ProjectFigures, area_mu: float) -> Computation | None:
    """How ``indicator`` is computed for project ``p`` on a parcel of ``area_mu``; None for a
    PLAN indicator without the project's design figure."""
    mu = _Term("", area_mu, "亩")
    site_m2 = _Term("用地", area_mu * M2_PER_MU, "m²")
    va = _Term("增加值", p.value_added_wan, "万元")
    terms: dict[Indicator, tuple[_Term, _Term, float]] = {
        Indicator.INVESTMENT_INTENSITY: (_Term("总投资", p.total_investment_wan, "万元"), mu, 1.0),
        Indicator.TAX_PER_MU: (_Term("预计年税收", p.expected_tax_wan, "万元"), mu, 1.0),
        Indicator.OUTPUT_PER_MU: (_Term("预计年产值", p.expected_output_wan, "万元"), mu, 1.0),
        Indicator.VALUE_ADDED_PER_ENERGY: (va, _Term("能耗", p.energy_tce, "吨标煤"), 1.0),
        Indicator.VALUE_ADDED_PER_EMISSION: (va, _Term("排放量", p.emission_t, "吨"), 1.0),
        Indicator.RD_SHARE: (
            _Term("研发经费", p.rd_expense_wan, "万元"),
            _Term("营业收入", p.revenue_wan, "万元"),
            100.0,
        ),
        Indicator.LABOUR_PRODUCTIVITY: (va, _Term("就业人数", p.jobs, "人"), 1.0),
        Indicator.FLOOR_AREA_RATIO: (_Term("计容建筑面积", p.floor_area_m2, "m²"), site_m2, 1.0),
        Indicator.BUILDING_COVERAGE: (_Term("基底面积", p.footprint_m2, "m²"), site_m2, 100.0),
        Indicator.GREEN_RATIO: (_Term("绿地面积", p.green_area_m2, "m²"), site_m2, 100.0),
        Indicator.ADMIN_SHARE: (
            _Term("行政办公及生活服务设施用地", p.admin_land_m2, "m²"),
            site_m2,
            100.0,
        ),
    }
    numerator, denominator, scale = terms[indicator]
    if indicator.side is Side.PLAN and numerator.value is None:
        return None
    return Computation(numerator, denominator, scale)


@dataclass(frozen=True)
class IndicatorCheck:
    """One indicator of one parcel for one project."""

    indicator: Indicator
    status: CheckStatus
    requirement: str  # "≥250.00 万元/亩"
    figure: float | None  # the project's figure on this parcel (None: not computed)
    reason: str
    source: str = ""  # the row (or 地块 / 国家标准) the bound came from

    @property
    def mark(self) -> str:
        return self.status.mark

    @property
    def label(self) -> str:
        return self.indicator.label


def meets(indicator: Indicator, figure: float, threshold: Threshold) -> bool:
    """Whether ``figure`` (as shown) is within the bound(s)."""
    shown = indicator.shown(figure)
    if threshold.low is not None and shown < threshold.low:
        return False
    return not (threshold.high is not None and shown > threshold.high)


def check_indicator(
    resolved: ResolvedIndicator, figures: ProjectFigures, area_mu: float
) -> IndicatorCheck:
    indicator, threshold = resolved.indicator, resolved.threshold
    label, need = indicator.label, requirement_text(indicator, threshold)
    how = computation(indicator, figures, area_mu)
    if how is None:
        reason = f"{label} 需{need}，由项目在设计中承诺（出让合同约定）"
        return IndicatorCheck(
            indicator, CheckStatus.COMMITMENT, need, None, reason, resolved.source
        )
    figure = how.figure
    if figure is None:
        reason = f"{label} 需{need}，项目未填{'、'.join(how.missing)}，需补充"
        return IndicatorCheck(indicator, CheckStatus.MISSING, need, None, reason, resolved.source)
    offered = indicator.with_unit(figure)
    if meets(indicator, figure, threshold):
        reason = f"{label} {offered}，符合 {need}（{how.arithmetic()}）"
        status = CheckStatus.PASSED
    else:
        reason = f"{label} 需{need}，本项目在该地块为 {offered}（{how.arithmetic()}）"
        status = CheckStatus.FAILED
    return IndicatorCheck(indicator, status, need, figure, reason, resolved.source)


def check_project_on_parcel(
    standard: Standard | Iterable[ResolvedIndicator],
    figures: ProjectFigures,
    parcel_area_mu: float,
) -> list[IndicatorCheck]:
    """Every indicator of the standard (in :class:`Indicator` order), judged for the project on
    a parcel of ``parcel_area_mu`` 亩 (see the module docstring)."""
    return [check_indicator(resolved, figures, parcel_area_mu) for resolved in standard]


def verdict(checks: Iterable[IndicatorCheck]) -> Verdict:
    statuses = {check.status for check in checks}
    if CheckStatus.FAILED in statuses:
        return Verdict.REJECTED
    if CheckStatus.MISSING in statuses:
        return Verdict.INCOMPLETE
    return Verdict.MEETS


def rejection_reason(checks: Iterable[IndicatorCheck]) -> str:
    """The reasons of every 不符 indicator, joined: the text of a hard rejection ("" if none)."""
    return "；".join(c.reason for c in checks if c.status is CheckStatus.FAILED)


def parcel_condition_notes(
    standard: Standard,
    *,
    far_min: float | None = None,
    far_max: float | None = None,
    green_ratio_pct: float | None = None,
) -> list[str]:
    """Where a parcel's planning conditions allow what the table (before the parcel's override)
    does not: a 容积率 range reaching outside the standard's, a 绿地率 above its ceiling."""
    notes: list[str] = []
    far = standard.get(Indicator.FLOOR_AREA_RATIO)
    if far is not None:
        low, high = far.threshold.low, far.threshold.high
        below = low is not None and far_min is not None and far_min < low
        above = high is not None and far_max is not None and far_max > high
        if below or above:
            own = requirement_text(Indicator.FLOOR_AREA_RATIO, Threshold(far_min, far_max))
            notes.append(
                f"地块规划条件容积率 {own} 超出标准 {far.requirement}（{far.source}），"
                "以地块规划条件为准"
            )
    green = standard.get(Indicator.GREEN_RATIO)
    if green is not None and green_ratio_pct is not None:
        high = green.threshold.high
        if high is not None and green_ratio_pct > high:
            notes.append(
                f"地块规划条件绿地率 {Indicator.GREEN_RATIO.with_unit(green_ratio_pct)} 高于"
                f"上限 {green.requirement}（{green.source}）"
            )
    return notes
