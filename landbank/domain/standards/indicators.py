"""The indicators of 标准地 (issue 16): key, Chinese label, unit, kind of bound, and what each is
judged on.

Kinds of bound
    FLOOR (≥: 投资强度, 亩均税收 …), CEILING (≤: 绿地率, 行政办公及生活服务设施用地比例) and RANGE
    (下限–上限: 容积率). A RANGE may have either bound blank.
Sides
    PROJECT indicators are figures of the project on the parcel it would get (总投资 ÷ the
    parcel's 亩, 增加值 ÷ 能耗 …): matching judges them as hard constraints. PLAN indicators
    (容积率, 建筑系数, 绿地率, 行政办公) describe the buildings still to be designed: matching
    reports them as the project's commitments, and judges them only when the project gives its
    design figures (see :mod:`landbank.domain.standards.checks`).
National floors
    《工业项目建设用地控制指标》: 建筑系数 ≥ 30 %, 行政办公及生活服务设施用地 ≤ 7 %, 绿地率 ≤ 20 %
    (:data:`NATIONAL_DEFAULTS`). They are the law, so a county may set them stricter, never
    looser: the resolution keeps the stricter of the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class BoundKind(StrEnum):
    FLOOR = "下限"  # the figure must be ≥ the value
    CEILING = "上限"  # the figure must be ≤ the value
    RANGE = "区间"  # 下限 ≤ figure ≤ 上限


class Side(StrEnum):
    PROJECT = "项目"  # computed from the project's figures on the parcel's area
    PLAN = "规划"  # the buildings' design: 容积率, 建筑系数, 绿地率, 行政办公


@dataclass(frozen=True)
class _Spec:
    key: str
    label: str
    unit: str
    kind: BoundKind
    side: Side
    decimals: int


class Indicator(Enum):
    """Every indicator a standards row can set; ``value`` is its spec."""

    INVESTMENT_INTENSITY = _Spec(
        "investment_intensity_wan_per_mu",
        "固定资产投资强度",
        "万元/亩",
        BoundKind.FLOOR,
        Side.PROJECT,
        2,
    )
    FLOOR_AREA_RATIO = _Spec("far", "容积率", "", BoundKind.RANGE, Side.PLAN, 2)
    TAX_PER_MU = _Spec("tax_per_mu_wan", "亩均税收", "万元/亩", BoundKind.FLOOR, Side.PROJECT, 2)
    OUTPUT_PER_MU = _Spec(
        "output_per_mu_wan", "亩均产出", "万元/亩", BoundKind.FLOOR, Side.PROJECT, 2
    )
    VALUE_ADDED_PER_ENERGY = _Spec(
        "value_added_per_tce_wan",
        "单位能耗增加值",
        "万元/吨标煤",
        BoundKind.FLOOR,
        Side.PROJECT,
        2,
    )
    VALUE_ADDED_PER_EMISSION = _Spec(
        "value_added_per_emission_wan",
        "单位排放增加值",
        "万元/吨",
        BoundKind.FLOOR,
        Side.PROJECT,
        2,
    )
    RD_SHARE = _Spec("rd_share_pct", "研发经费占比", "%", BoundKind.FLOOR, Side.PROJECT, 1)
    LABOUR_PRODUCTIVITY = _Spec(
        "labour_productivity_wan",
        "全员劳动生产率",
        "万元/人·年",
        BoundKind.FLOOR,
        Side.PROJECT,
        2,
    )
    BUILDING_COVERAGE = _Spec(
        "building_coverage_pct", "建筑系数", "%", BoundKind.FLOOR, Side.PLAN, 1
    )
    GREEN_RATIO = _Spec("green_ratio_pct", "绿地率", "%", BoundKind.CEILING, Side.PLAN, 1)
    ADMIN_SHARE = _Spec(
        "admin_share_pct",
        "行政办公及生活服务设施用地比例",
        "%",
        BoundKind.CEILING,
        Side.PLAN,
        1,
    )

    @property
    def key(self) -> str:
        return self.value.key

    @property
    def label(self) -> str:
        return self.value.label

    @property
    def unit(self) -> str:
        return self.value.unit

    @property
    def kind(self) -> BoundKind:
        return self.value.kind

    @property
    def side(self) -> Side:
        return self.value.side

    @property
    def decimals(self) -> int:
        return self.value.decimals

    def format(self, figure: float) -> str:
        """The figure as every text shows it: "1,250.00", "30.0", "1.20"."""
        text = f"{figure:,.{self.decimals}f}"
        if text.startswith("-") and not text.strip("-0.,"):
            text = text[1:]
        return text

    def with_unit(self, figure: float) -> str:
        """As shown: "250.00 万元/亩", "20.0 %", "1.20" (容积率 has no unit)."""
        text = self.format(figure)
        return f"{text} {self.unit}" if self.unit else text

    def shown(self, figure: float) -> float:
        """The figure at the precision it is shown with: a check decides on this, so a reason
        never reads “250.00 < 250.00”."""
        return float(f"{figure:.{self.decimals}f}")

    @classmethod
    def by_key(cls, key: str) -> Indicator:
        for indicator in cls:
            if indicator.key == key:
                return indicator
        raise KeyError(key)


@dataclass(frozen=True)
class Threshold:
    """The bound(s) of one indicator: ``low`` for a floor, ``high`` for a ceiling, either or both
    for a range. ``None``: not set."""

    low: float | None = None
    high: float | None = None

    @property
    def is_blank(self) -> bool:
        return self.low is None and self.high is None


# 《工业项目建设用地控制指标》: the floors every county starts from.
NATIONAL_DEFAULTS: dict[Indicator, Threshold] = {
    Indicator.BUILDING_COVERAGE: Threshold(low=30.0),
    Indicator.ADMIN_SHARE: Threshold(high=7.0),
    Indicator.GREEN_RATIO: Threshold(high=20.0),
}
NATIONAL_SOURCE = "国家标准"


def requirement_text(indicator: Indicator, threshold: Threshold) -> str:
    """As shown: "≥250.00 万元/亩", "≤20.0 %", "1.00–2.00", "≥1.00" (a range with one bound)."""
    low, high = threshold.low, threshold.high
    unit = f" {indicator.unit}" if indicator.unit else ""
    if low is not None and high is not None:
        return f"{indicator.format(low)}–{indicator.format(high)}{unit}"
    if low is not None:
        return f"≥{indicator.format(low)}{unit}"
    if high is not None:
        return f"≤{indicator.format(high)}{unit}"
    return "未设定"
