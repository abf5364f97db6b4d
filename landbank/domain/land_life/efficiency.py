"""亩均效益评价 of landed projects (issue 16 item 6): a score per firm and the classes A/B/C/D/T
within one county.

Score
    Σ (figure ÷ base value) × weight over the scheme's indicators (weights sum to 100). A
    figure the firm did not report, or cannot be computed (a denominator of 0), scores 0 and is
    listed as missing: a firm that reports nothing must not rank above one that does. A
    negative figure (a tax refund) counts as 0. ``max_ratio`` optionally caps figure ÷ base
    (the published schemes do not; none by default). An indicator whose base is 0 or unknown
    scores 0 for every firm.
Base values
    Given by the county, or the county's aggregate average of the previous year (Σ税收 ÷ Σ亩,
    Σ增加值 ÷ Σ能耗 …) times the scheme's multiple: 1× for 黄岩, about 2× for 淮安 2024
    (:func:`county_bases`).
Presets
    黄岩: 亩均税收 30, 亩均增加值 20, 单位能耗增加值 20, 单位排放增加值 10, 全员劳动生产率 10,
    研发经费占比 10. 淮安 2024: 亩均税收 45, 亩均销售收入 35, green 20 (单位能耗增加值).
Classes
    T: in production for less than two full years on the day (投产日期 + 2 years, periods as in
    :mod:`.facts`), not ranked. The others are ranked by score (equal scores share the better
    rank) and placed by the midpoint of their rank, p = (rank − ½) ÷ n: A p ≤ 20 %, B ≤ 60 %,
    C ≤ 95 %, D above — 20 firms give 4 A, 8 B, 7 C, 1 D; a county of one firm has a B, not
    a D. A D firm's investor is flagged in matching (南京: a D firm may not bid for
    industrial land).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from landbank.domain.land_life.facts import fmt_date, full_from

T_YEARS = 2


class Measure(StrEnum):
    TAX_PER_MU = "亩均税收"
    VALUE_ADDED_PER_MU = "亩均增加值"
    SALES_PER_MU = "亩均销售收入"
    VALUE_ADDED_PER_ENERGY = "单位能耗增加值"
    VALUE_ADDED_PER_EMISSION = "单位排放增加值"
    LABOUR_PRODUCTIVITY = "全员劳动生产率"
    RD_SHARE = "研发经费占比"

    @property
    def unit(self) -> str:
        return _UNITS[self]


_UNITS = {
    Measure.TAX_PER_MU: "万元/亩",
    Measure.VALUE_ADDED_PER_MU: "万元/亩",
    Measure.SALES_PER_MU: "万元/亩",
    Measure.VALUE_ADDED_PER_ENERGY: "万元/吨标煤",
    Measure.VALUE_ADDED_PER_EMISSION: "万元/吨",
    Measure.LABOUR_PRODUCTIVITY: "万元/人",
    Measure.RD_SHARE: "%",
}


class EfficiencyClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    T = "T"  # in production under two years: not ranked


@dataclass(frozen=True)
class FirmYear:
    """A landed firm's reported figures for one year (万元, 吨标煤, 吨, 人)."""

    firm: str
    county: str
    area_mu: float
    tax_wan: float | None = None
    value_added_wan: float | None = None
    sales_wan: float | None = None
    energy_tce: float | None = None
    emission_t: float | None = None
    employees: float | None = None
    rd_wan: float | None = None
    production_start: date | None = None
    investor: str = ""


Getter = Callable[[FirmYear], float | None]
_PARTS: dict[Measure, tuple[Getter, Getter, float]] = {
    Measure.TAX_PER_MU: (lambda f: f.tax_wan, lambda f: f.area_mu, 1.0),
    Measure.VALUE_ADDED_PER_MU: (lambda f: f.value_added_wan, lambda f: f.area_mu, 1.0),
    Measure.SALES_PER_MU: (lambda f: f.sales_wan, lambda f: f.area_mu, 1.0),
    Measure.VALUE_ADDED_PER_ENERGY: (lambda f: f.value_added_wan, lambda f: f.energy_tce, 1.0),
    Measure.VALUE_ADDED_PER_EMISSION: (lambda f: f.value_added_wan, lambda f: f.emission_t, 1.0),
    Measure.LABOUR_PRODUCTIVITY: (lambda f: f.value_added_wan, lambda f: f.employees, 1.0),
    Measure.RD_SHARE: (lambda f: f.rd_wan, lambda f: f.sales_wan, 100.0),
}


def measure(firm: FirmYear, which: Measure) -> float | None:
    """The firm's figure for one indicator; None when it cannot be computed."""
    num, den, scale = _PARTS[which]
    top, bottom = num(firm), den(firm)
    if top is None or bottom is None or bottom <= 0:
        return None
    return top / bottom * scale


@dataclass(frozen=True)
class Scheme:
    name: str
    weights: Mapping[Measure, float]
    base_multiple: float = 1.0  # base = multiple × the county's previous-year average
    max_ratio: float | None = None  # cap of figure ÷ base (None: no cap)


HUANGYAN = Scheme(
    "黄岩",
    {
        Measure.TAX_PER_MU: 30.0,
        Measure.VALUE_ADDED_PER_MU: 20.0,
        Measure.VALUE_ADDED_PER_ENERGY: 20.0,
        Measure.VALUE_ADDED_PER_EMISSION: 10.0,
        Measure.LABOUR_PRODUCTIVITY: 10.0,
        Measure.RD_SHARE: 10.0,
    },
)
HUAIAN = Scheme(
    "淮安2024",
    {
        Measure.TAX_PER_MU: 45.0,
        Measure.SALES_PER_MU: 35.0,
        Measure.VALUE_ADDED_PER_ENERGY: 20.0,
    },
    base_multiple=2.0,
)
PRESETS = {scheme.name: scheme for scheme in (HUANGYAN, HUAIAN)}


def county_bases(previous_year: Iterable[FirmYear], scheme: Scheme) -> dict[Measure, float]:
    """Base values from the county's previous year: the aggregate average (Σ numerator ÷ Σ
    denominator over the firms reporting both) × the scheme's multiple; an indicator no firm
    reported is left out."""
    firms = list(previous_year)
    bases: dict[Measure, float] = {}
    for which in scheme.weights:
        num, den, scale = _PARTS[which]
        pairs = [(num(f), den(f)) for f in firms]
        known = [(a, b) for a, b in pairs if a is not None and b is not None and b > 0]
        total = sum(b for _, b in known)
        if known and total > 0:
            bases[which] = sum(max(a, 0.0) for a, _ in known) / total * scale
            bases[which] *= scheme.base_multiple
    return bases


@dataclass(frozen=True)
class FirmScore:
    firm: FirmYear
    score: float
    parts: Mapping[Measure, float]  # points per indicator
    missing: tuple[Measure, ...]


def score_firm(firm: FirmYear, scheme: Scheme, bases: Mapping[Measure, float]) -> FirmScore:
    parts: dict[Measure, float] = {}
    missing: list[Measure] = []
    for which, weight in scheme.weights.items():
        value = measure(firm, which)
        base = bases.get(which)
        if value is None:
            missing.append(which)
        if value is None or not base or base <= 0:
            parts[which] = 0.0
            continue
        ratio = max(value, 0.0) / base
        if scheme.max_ratio is not None:
            ratio = min(ratio, scheme.max_ratio)
        parts[which] = ratio * weight
    return FirmScore(firm, sum(parts.values()), parts, tuple(missing))


@dataclass(frozen=True)
class FirmRating:
    firm: FirmYear
    cls: EfficiencyClass
    reason: str
    score: FirmScore | None = None  # None for T
    rank: int | None = None  # 1 = best; equal scores share it
    ranked: int = 0  # firms ranked in the county
    notes: tuple[str, ...] = field(default=())


# Upper bounds of each class on p = (rank − ½) ÷ n, as integers: (2·rank − 1) × 100 ≤ 2n × pct.
_CLASS_PERCENT = ((EfficiencyClass.A, 20), (EfficiencyClass.B, 60), (EfficiencyClass.C, 95))


def class_of_rank(rank: int, n: int) -> EfficiencyClass:
    """A/B/C/D by the midpoint percentile of ``rank`` among ``n`` (see the module docstring)."""
    for cls, pct in _CLASS_PERCENT:
        if (2 * rank - 1) * 100 <= 2 * n * pct:
            return cls
    return EfficiencyClass.D


def rate_firms(
    firms: Sequence[FirmYear],
    scheme: Scheme,
    as_of: date,
    bases: Mapping[Measure, float],
) -> list[FirmRating]:
    """The classes of one county's firms on ``as_of``: ranked firms best first, then the T
    ones. Raises ValueError when the firms are of several counties (a class is relative to
    the county)."""
    counties = {f.county for f in firms}
    if len(counties) > 1:
        raise ValueError(f"亩均效益按县区分别评价，收到多个县区：{'、'.join(sorted(counties))}")
    young: list[FirmRating] = []
    scored: list[FirmScore] = []
    for f in firms:
        if f.production_start is not None and as_of < full_from(f.production_start, T_YEARS):
            ranked_from = full_from(f.production_start, T_YEARS)
            reason = (
                f"{fmt_date(f.production_start)} 投产，不满两年，{fmt_date(ranked_from)} 起参评"
            )
            young.append(FirmRating(f, EfficiencyClass.T, reason))
        else:
            scored.append(score_firm(f, scheme, bases))
    scored.sort(key=lambda s: -s.score)
    n = len(scored)
    rated: list[FirmRating] = []
    rank = 0
    for i, s in enumerate(scored):
        if i == 0 or s.score != scored[i - 1].score:
            rank = i + 1
        cls = class_of_rank(rank, n)
        reason = f"得分 {s.score:.2f}，县内第 {rank}/{n} 名，{cls.value} 类"
        notes = tuple(f"{m.value}未报送，计 0 分" for m in s.missing)
        rated.append(FirmRating(s.firm, cls, reason, s, rank, n, notes))
    return rated + young


D_CLASS_NOTE = "亩均效益评价 D 类企业：不得参与工业用地竞买，审慎推介"


def investor_flags(ratings: Iterable[FirmRating]) -> dict[str, str]:
    """Investors (or firms, when the investor is not given) rated D, with the note matching
    shows next to their projects."""
    return {
        (r.firm.investor or r.firm.firm): D_CLASS_NOTE
        for r in ratings
        if r.cls is EfficiencyClass.D
    }
