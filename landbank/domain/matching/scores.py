"""Matching a project's requirements against sites (精准匹配), with reasons.

Every site goes through the hard constraints first; a site failing one is out, and the reason
is counted ("面积不足 412 个"). The rest are scored on soft criteria, each 0–1 with a weight:

========== ====== ==============================================================
criterion  weight how it scores
========== ====== ==============================================================
面积        30     1.0 from the need to 10 % above it (or to the top of the range);
                  too small (90–100 % of the need) 0.3–0.6; too large decays to 0.6
                  at +50 %, 0.2 at 3× and less beyond — too small is worse
产业        20     1.0 same or containing industry, 0.8 a shared word, 0.6 site has
                  no target industry, 0.2 another industry
区位        15     preferred park 1.0, preferred county 0.8, 承办县区 0.6, other 0.3
                  (no preference given: 承办县区 1.0, other 0.4)
交付时间    15     ready now 1.0; a building finished by the needed date 0.9; later
                  or unknown 0.3; a parcel still being prepared 0.5 minus 0.1 a rung
准入门槛    10     parcels: the project's 投资强度 and 亩均税收 on the parcel supplied
                  against the parcel's thresholds, 1.0 when met, (x / threshold)² × 0.6
                  below (the lower of the two where both are set)
价格/租金   10     cheapest of the candidates 1.0, dearest 0.5 (per 亩 / per m²)
========== ====== ==============================================================

A criterion without data on either side does not count (its weight is left out). The score is
the weighted mean × 100; 75 and above is 优先推荐, 55–75 可以考虑, below 勉强 — except that a
site whose target industry is another than the project's (产业 under 0.5, marked ✗) is never
优先推荐: its label stops at 可以考虑 whatever its score, and its 产业 reason says so.
Candidates are listed by label, then by score (a capped site comes after every 优先推荐 one).

准入门槛 are judged on the area actually supplied, not on the project's need: a parcel is
supplied whole, so 投资强度 = 总投资 ÷ the parcel's 亩 and 亩均税收 = 预计年税收 ÷ the
parcel's 亩 (an 11 亩 project offered a 15 亩 parcel is judged on 15 亩). The totals are the
plan's per-亩 figures × the land need where the clerk gave them, else the project's recorded
总投资 and 预计年税收 (:attr:`Requirements.threshold_investment_wan`). The reason names the
figure and the area, e.g. “亩均税收 24.67 万元/亩（按地块 15.00 亩计）< 门槛 30.00”.
Buildings are not judged on 准入门槛: the ledger records thresholds on parcels only (they are
conditions of land supply) and not the land under a building, and investment per m² of floor
space let or sold is no figure per 亩 of land to hold against a parcel's threshold — so for a
project taking floor space the criterion is left out rather than computed on an area that is
not land.

Every mark has a meaning (:data:`MARK_LEGEND`, :func:`legend_lines`, shown wherever marks are):
✓ met, △ partly met, ✗ not met, — cannot be judged (the site lacks the figure); a soft
criterion is ✓ from 80 %, △ from 50 %, else ✗.

The arithmetic runs on NumPy arrays over all sites at once (one project against 100,000 sites
in milliseconds); the reasons are written only for the candidates shown, from the same arrays.
A need for floor space larger than any single building of a park may be met by several
buildings of that park together: such combinations are proposed too.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from landbank.domain.enums import (
    FactoryStatus,
    IndustryClass,
    ParcelReadiness,
    ParcelStatus,
    RecordKind,
    RentOrBuy,
)
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.units import format_quantity

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

WEIGHTS: dict[str, float] = {
    "area": 30.0,
    "industry": 20.0,
    "location": 15.0,
    "timing": 15.0,
    "thresholds": 10.0,
    "cost": 10.0,
}
SOFT_LABELS = {
    "area": "面积",
    "industry": "产业",
    "location": "区位",
    "timing": "交付时间",
    "thresholds": "准入门槛",
    "cost": "价格/租金",
}
HARD_LABELS = {
    "catalogue": "产业目录",
    "status": "供应状态",
    "readiness": "整理程度",
    "size": "面积下限",
    "ceiling": "层高",
    "load": "楼面承重",
    "power": "电力容量",
    "tenure": "租购方式",
}
# Why sites were left out, as counted in a result.
REJECTION_LABELS = {
    "catalogue": "产业属于禁止类",
    "status": "已锁定、已出让或无空余面积",
    "readiness": "尚未达到净地",
    "size": "面积不足",
    "ceiling": "层高不足",
    "load": "承重不足",
    "power": "电力容量不足",
    "tenure": "项目只租赁，地块须出让",
}

TOO_SMALL = 0.9  # a single site under 90 % of the need is out
NET_LAND_LEAD = timedelta(days=180)  # a parcel not yet 净地 counts only this far ahead
STRONG_SCORE = 75.0
CLOSE_CALL_SCORE = 55.0
INDUSTRY_MISMATCH = 0.5  # an 产业 value below this (another industry) caps the label
PARTLY_MET = 0.5  # a soft criterion under this is ✗, from it △
FULLY_MET = 0.8  # … and from this ✓
MAX_COMBINATION = 4  # buildings in one combination
COMBINATION_POOL = 8  # largest buildings of a park tried in combinations

_READINESS_RANK = {r.value: i for i, r in enumerate(ParcelReadiness)}
_NET_LAND_RANK = _READINESS_RANK[ParcelReadiness.NET_LAND.value]
_WORDS = re.compile(r"[、，,;；/\s及和与]+")


class MatchLabel(StrEnum):
    STRONG = "优先推荐"
    CLOSE_CALL = "可以考虑"
    WEAK = "勉强"


_LABEL_ORDER = {MatchLabel.STRONG: 0, MatchLabel.CLOSE_CALL: 1, MatchLabel.WEAK: 2}


def label_for(score: float, *, industry_mismatch: bool = False) -> MatchLabel:
    """The label of a score; a site of another industry than the project's is at best
    可以考虑."""
    if score >= STRONG_SCORE and not industry_mismatch:
        return MatchLabel.STRONG
    if score >= CLOSE_CALL_SCORE:
        return MatchLabel.CLOSE_CALL
    return MatchLabel.WEAK


def _label_order(scores: FloatArray, industry: FloatArray) -> IntArray:
    """:func:`label_for` of many (rounded) scores at once, as its rank in ``_LABEL_ORDER``;
    ``industry`` NaN where it is not judged."""
    mismatch = industry < INDUSTRY_MISMATCH  # NaN: False
    strong = (scores >= STRONG_SCORE) & ~mismatch
    order: IntArray = np.where(strong, 0, np.where(scores >= CLOSE_CALL_SCORE, 1, 2))
    return order


# What the marks mean, in the order they are explained.
MARK_LEGEND: tuple[tuple[str, str], ...] = (
    ("✓", "满足"),
    ("△", "部分满足"),
    ("✗", "不满足"),
    ("—", "无法判断（场地未登记该项）"),
)
INDUSTRY_CAP_REASON = "产业不符，结论最高为“可以考虑”"


def legend_lines(*, blank: bool = False) -> tuple[str, str]:
    """The legend of the marks and of the labels, one line each; ``blank`` adds the empty cell
    of a table (a criterion that does not apply to that candidate)."""
    marks = "　".join(f"{mark} {meaning}" for mark, meaning in MARK_LEGEND)
    if blank:
        marks += "　空白 不涉及"
    scored = (
        f"评分项 ✓ ≥ {FULLY_MET:.0%}，△ {PARTLY_MET:.0%}–{FULLY_MET:.0%}，✗ < {PARTLY_MET:.0%}"
    )
    labels = (
        f"结论：{STRONG_SCORE:g} 分及以上{MatchLabel.STRONG.value}（目标产业不符的除外），"
        f"{CLOSE_CALL_SCORE:g} 分及以上{MatchLabel.CLOSE_CALL.value}，其余{MatchLabel.WEAK.value}"
    )
    return f"图例：{marks}；{scored}", labels


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    hard: bool
    passed: bool | None  # None: no requirement or no data — does not count
    score: float | None  # soft criteria: 0–1
    weight: float
    reason: str

    @property
    def mark(self) -> str:
        """✓ met, ✗ not met (hard) or poor (soft, under 0.5), △ partly, — not assessed
        (:data:`MARK_LEGEND`)."""
        if self.passed is None:
            return "—"
        if not self.passed:
            return "✗"
        if self.score is not None and self.score < FULLY_MET:
            return "△" if self.score >= PARTLY_MET else "✗"
        return "✓"


@dataclass(frozen=True)
class Candidate:
    sites: tuple[Site, ...]  # one site, or several buildings of one park
    score: float  # 0–100
    label: MatchLabel
    criteria: tuple[CriterionResult, ...]

    @property
    def is_combination(self) -> bool:
        return len(self.sites) > 1

    @property
    def kind(self) -> RecordKind:
        return self.sites[0].kind

    @property
    def area(self) -> float:
        return sum(s.area for s in self.sites)

    @property
    def title(self) -> str:
        if not self.is_combination:
            return self.sites[0].title
        return f"{self.sites[0].park_name}组合：" + "＋".join(s.code for s in self.sites)

    def criterion(self, key: str) -> CriterionResult:
        return next(c for c in self.criteria if c.key == key)

    @property
    def hard_failures(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.hard and c.passed is False]


@dataclass(frozen=True)
class MatchResult:
    requirements: Requirements
    candidates: tuple[Candidate, ...]
    considered: int  # sites of the wanted kinds looked at
    fitting: int  # sites passing every hard constraint (before the top-N cut)
    rejected: dict[str, int] = field(default_factory=dict)  # REJECTION_LABELS → count
    notes: tuple[str, ...] = ()


# ------------------------------------------------------------------ the site table


def _floats(values: Iterable[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _ints(values: Iterable[int | None]) -> IntArray:
    return np.array([-1 if v is None else int(v) for v in values], dtype=np.int64)


def _ordinals(values: Iterable[date | None]) -> IntArray:
    return np.array([0 if v is None else v.toordinal() for v in values], dtype=np.int64)


class SiteTable:
    """The sites as columns, built once and matched against many projects."""

    def __init__(self, sites: Sequence[Site]) -> None:
        self.sites = list(sites)
        s = self.sites
        self.is_parcel: BoolArray = np.array([x.kind is RecordKind.PARCEL for x in s], dtype=bool)
        self.area = _floats(x.area for x in s)
        self.region = _ints(x.region_id for x in s)
        self.park = _ints(x.park_id for x in s)
        self.site_id = _ints(x.id for x in s)
        self.parcel_available: BoolArray = np.array(
            [x.status == ParcelStatus.AVAILABLE.value for x in s], dtype=bool
        )
        self.parcel_locked: BoolArray = np.array(
            [x.status == ParcelStatus.RESERVED.value for x in s], dtype=bool
        )
        self.under_construction: BoolArray = np.array(
            [x.status == FactoryStatus.UNDER_CONSTRUCTION.value for x in s], dtype=bool
        )
        self.readiness = np.array(
            [_READINESS_RANK.get(x.readiness or "", _NET_LAND_RANK) for x in s], dtype=np.int64
        )
        self.reserved_for = _ints(x.reserved_project_id for x in s)
        self.reserved_until = _ordinals(x.reserved_until for x in s)
        self.ready_date = _ordinals(x.ready_date for x in s)
        self.ceiling = _floats(x.ceiling_height_m for x in s)
        self.load = _floats(x.floor_load_kn_m2 for x in s)
        self.power = _floats(x.power_kva for x in s)
        # 准入门槛 as the totals a parcel asks for on its own 亩 (threshold × 亩): a project's
        # total against them is its figure per 亩 of the parcel against the threshold.
        self.min_investment_total = _floats(
            x.min_intensity_wan_per_mu * x.area if x.min_intensity_wan_per_mu else None for x in s
        )
        self.min_tax_total = _floats(
            x.min_tax_per_mu_wan * x.area if x.min_tax_per_mu_wan else None for x in s
        )
        self.price_per_unit = _floats(
            x.price_wan / x.area if x.price_wan is not None and x.area > 0 else None for x in s
        )
        self.rent = _floats(x.rent_yuan_m2_month for x in s)
        # What does not depend on the project: out for good, and the sites with a lock.
        self.not_offered: BoolArray = np.where(
            self.is_parcel, ~(self.parcel_available | self.parcel_locked), self.area <= 0
        )
        self.has_lock: BoolArray = (self.reserved_for >= 0) | (self.is_parcel & self.parcel_locked)
        self.not_net: BoolArray = self.is_parcel & (self.readiness < _NET_LAND_RANK)
        industries = sorted({x.target_industry or "" for x in s})
        self.industries = industries
        index = {name: i for i, name in enumerate(industries)}
        self.industry = np.array([index[x.target_industry or ""] for x in s], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.area)

    def park_order(self) -> IntArray:
        """Buildings in parks, by park and largest first (the order combinations are tried
        in); computed once."""
        if "_park_order" not in self.__dict__:
            in_park = np.flatnonzero(~self.is_parcel & (self.park >= 0))
            self.__dict__["_park_order"] = in_park[
                np.lexsort((-self.area[in_park], self.park[in_park]))
            ]
        order: IntArray = self.__dict__["_park_order"]
        return order

    def only(self, kind: RecordKind) -> SiteTable:
        """The parcels or the buildings alone (kept: a project wanting one kind of site skips
        the arrays of the other)."""
        cache: dict[RecordKind, SiteTable] = self.__dict__.setdefault("_parts", {})
        if kind not in cache:
            idx = np.flatnonzero(self.is_parcel == (kind is RecordKind.PARCEL))
            part = self.take(idx)
            part.sites = [self.sites[i] for i in idx]
            cache[kind] = part
        return cache[kind]

    def take(self, idx: IntArray, columns: Iterable[str] | None = None) -> SiteTable:
        """The rows ``idx`` as a table of their own (arrays only — all, or ``columns``;
        ``sites`` is not kept)."""
        part = SiteTable.__new__(SiteTable)
        part.sites = []
        part.industries = self.industries
        names = columns if columns is not None else [
            name
            for name, value in vars(self).items()
            if isinstance(value, np.ndarray) and not name.startswith("_")
        ]
        for name in names:
            setattr(part, name, getattr(self, name)[idx])
        return part


# ------------------------------------------------------------------ evaluation


@dataclass
class _Evaluation:
    """Hard masks and soft scores of every site of a table for one set of requirements."""

    considered: BoolArray
    hard_fail: dict[str, BoolArray]
    hard_known: dict[str, BoolArray]  # the check applied to the site (else: —)
    fits: BoolArray  # passes every hard check
    fits_but_size: BoolArray  # passes every hard check except the size of a single site
    # Soft scores exist for the sites ``rows`` only (ascending): those still in the running.
    rows: IntArray
    soft_rows: dict[str, FloatArray]  # NaN: does not count
    score_rows: FloatArray

    def _positions(self, idx: IntArray) -> tuple[IntArray, BoolArray]:
        if len(self.rows) == 0:
            return np.zeros(len(idx), dtype=np.int64), np.zeros(len(idx), dtype=bool)
        pos = np.minimum(np.searchsorted(self.rows, idx), len(self.rows) - 1)
        return pos, self.rows[pos] == idx

    def soft(self, key: str, idx: IntArray) -> FloatArray:
        if key not in self.soft_rows:
            return np.full(len(idx), np.nan)
        pos, found = self._positions(idx)
        values = self.soft_rows[key][pos] if len(self.rows) else np.zeros(len(idx))
        return np.where(found, values, np.nan)

    def soft_at(self, i: int) -> dict[str, float]:
        """Every soft value of one site (NaN where it does not count)."""
        pos = int(np.searchsorted(self.rows, i))
        nan = float("nan")
        values = dict.fromkeys(SOFT_LABELS, nan)
        if pos < len(self.rows) and self.rows[pos] == i:
            values.update({key: float(v[pos]) for key, v in self.soft_rows.items()})
        return values

    def score(self, idx: IntArray) -> FloatArray:
        pos, found = self._positions(idx)
        values = self.score_rows[pos] if len(self.rows) else np.zeros(len(idx))
        return np.where(found, values, np.nan)


def _area_score(ratio: FloatArray, upper_ratio: FloatArray | float) -> FloatArray:
    """ratio = area / need; upper_ratio = top of the ideal band / need (≥ 1).

    Too small (90–100 % of the need): 0.3–0.6. In the band: 1.0. Above it, by how far above
    the band's top: 0.6 at +50 %, 0.2 at 3×, then 0.6 / (area / top)."""
    over = ratio / upper_ratio
    # Above the band the score falls along two lines (steep to +50 %, then gentler to 3×): a
    # convex curve, so it is the larger of the two lines, capped at 1.
    falling = np.maximum(1.0 - 0.8 * (over - 1.0), 0.6 - 0.4 / 1.5 * (over - 1.5))
    large = np.where(over <= 3.0, np.minimum(falling, 1.0), 0.6 / np.maximum(over, 3.0))
    small = 0.3 + (np.clip(ratio, TOO_SMALL, 1.0) - TOO_SMALL) / (1.0 - TOO_SMALL) * 0.3
    return np.where(ratio < 1.0, small, large)


def _words(text: str) -> set[str]:
    return {w for w in _WORDS.split(text) if w}


def industry_fit(wanted: str, offered: str) -> float:
    """How a site's target industry fits the project's industry (see the module table)."""
    if not offered:
        return 0.6
    a, b = wanted.strip(), offered.strip()
    if a == b or a in b or b in a:
        return 1.0
    return 0.8 if _words(a) & _words(b) else 0.2


def _weighted_scores(soft: dict[str, FloatArray], n: int) -> FloatArray:
    """0–100 for ``n`` candidates: the weighted mean of the soft values that count (NaN: not
    assessed); 50 where none does."""
    total = np.zeros(n)
    weight = np.zeros(n)
    for key, values in soft.items():
        known = ~np.isnan(values)
        total += np.where(known, values, 0.0) * WEIGHTS[key]
        weight += np.where(known, WEIGHTS[key], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(weight > 0, total / np.where(weight > 0, weight, 1.0) * 100, 50.0)
    return np.asarray(score, dtype=np.float64)


def _evaluate(
    req: Requirements, t: SiteTable, today: date, *, every_site: bool = False
) -> _Evaluation:
    """Hard checks on every site; soft scores on the sites still in the running (on all of
    them with ``every_site``, to explain a rejected site too)."""
    n = len(t)
    kinds = req.site_kinds()
    considered = np.zeros(n, dtype=bool)
    if RecordKind.PARCEL in kinds:
        considered |= t.is_parcel
    if RecordKind.FACTORY in kinds:
        considered |= ~t.is_parcel
    is_factory = ~t.is_parcel
    today_ord = today.toordinal()
    me = -2 if req.project_id is None else req.project_id
    hard_fail: dict[str, BoolArray] = {}
    hard_known: dict[str, BoolArray] = {}
    always = np.ones(n, dtype=bool)
    never = np.zeros(n, dtype=bool)

    forbidden = req.industry_class == IndustryClass.FORBIDDEN.value
    hard_fail["catalogue"] = always.copy() if forbidden else never
    hard_known["catalogue"] = always if req.industry_class else never

    # A lock still running, of another project (or of none registered), keeps the site out.
    rows = np.flatnonzero(t.has_lock)
    until = t.reserved_until[rows]
    live = (t.reserved_for[rows] != me) & ((until == 0) | (until >= today_ord))
    status_fail = t.not_offered.copy()
    status_fail[rows[live]] = True
    hard_fail["status"] = status_fail
    hard_known["status"] = always

    far_enough = req.needed_by is not None and req.needed_by >= today + NET_LAND_LEAD
    hard_fail["readiness"] = never if far_enough else t.not_net
    hard_known["readiness"] = t.is_parcel

    land, floor = req.land_mu or np.nan, req.factory_m2 or np.nan
    need = np.where(t.is_parcel, land, floor) if land == land or floor == floor else None
    if need is None:  # no area asked
        has_need = never
        ratio = np.full(n, np.nan)
    else:
        has_need = ~np.isnan(need)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = t.area / need
    hard_fail["size"] = has_need & (ratio < TOO_SMALL)
    hard_known["size"] = has_need

    for key, wanted, offered in (
        ("ceiling", req.ceiling_height_m, t.ceiling),
        ("load", req.floor_load_kn_m2, t.load),
        ("power", req.power_kva, t.power),
    ):
        if wanted:
            known = is_factory & ~np.isnan(offered)
            hard_fail[key] = known & (offered < wanted)
            hard_known[key] = known
        else:
            hard_fail[key] = never
            hard_known[key] = never

    rent_only = req.rent_or_buy == RentOrBuy.RENT.value
    hard_fail["tenure"] = t.is_parcel & rent_only
    hard_known["tenure"] = t.is_parcel & bool(req.rent_or_buy)

    fails_but_size = np.zeros(n, dtype=bool)
    for key, mask in hard_fail.items():
        if key != "size" and mask is not never:
            fails_but_size |= mask
    fits_but_size = considered & ~fails_but_size
    fits = fits_but_size & ~hard_fail["size"]

    idx = np.arange(n) if every_site else np.flatnonzero(fits_but_size)
    part = _soft_scores(req, t.take(idx, _SOFT_COLUMNS), ratio[idx], fits_but_size[idx])
    score = _weighted_scores(part, len(idx))
    return _Evaluation(
        considered, hard_fail, hard_known, fits, fits_but_size, idx, part, score
    )


# The columns the soft criteria read.
_SOFT_COLUMNS = ["is_parcel", "area", "region", "park", "under_construction", "readiness", "ready_date", "min_investment_total", "min_tax_total", "price_per_unit", "rent", "industry"]


def _soft_scores(
    req: Requirements, t: SiteTable, ratio: FloatArray, in_running: BoolArray
) -> dict[str, FloatArray]:
    """The soft criteria that apply to ``req`` (a criterion nobody can be judged on is left
    out; NaN marks a site it does not apply to)."""
    n = len(t)
    parcels = bool(t.is_parcel.any())
    buildings = not bool(t.is_parcel.all())
    soft: dict[str, FloatArray] = {}
    # 面积
    if req.land_mu or req.factory_m2:
        if req.land_max_mu and req.land_mu:
            upper: FloatArray | float = np.where(
                t.is_parcel, max(req.land_max_mu / req.land_mu, 1.0), 1.1
            )
        else:
            upper = 1.1
        has_need = ~np.isnan(ratio)
        area = _area_score(np.nan_to_num(ratio, nan=1.0), upper)
        soft["area"] = area if has_need.all() else np.where(has_need, area, np.nan)
    # 产业
    if req.industry:
        wanted_industry = req.industry
        table = np.array([industry_fit(wanted_industry, name) for name in t.industries])
        soft["industry"] = table[t.industry] if n else np.zeros(0)
    # 区位
    location = _location_scores(req, t)
    if location is not None:
        soft["location"] = location
    # 交付时间
    parcel_timing = building_timing = None
    if parcels:
        parcel_timing = np.clip(
            np.where(
                t.readiness >= _NET_LAND_RANK, 1.0, 0.5 - 0.1 * (_NET_LAND_RANK - 1 - t.readiness)
            ),
            0.0,
            1.0,
        )
    if buildings:
        needed = req.needed_by.toordinal() if req.needed_by else 0
        building_timing = np.where(
            ~t.under_construction,
            1.0,
            np.where(
                (t.ready_date > 0) & (needed > 0) & (t.ready_date <= needed),
                0.9,
                0.3 if needed > 0 else 0.5,
            ),
        )
    if parcel_timing is not None and building_timing is not None:
        soft["timing"] = np.where(t.is_parcel, parcel_timing, building_timing)
    else:
        timing = parcel_timing if parcel_timing is not None else building_timing
        if timing is not None:
            soft["timing"] = timing
    # 准入门槛 (parcels only)
    if parcels:
        thresholds = _threshold_scores(req, t)
        if thresholds is not None:
            soft["thresholds"] = thresholds
    # 价格/租金: relative among the sites still in the running, per kind
    soft["cost"] = _cost_scores(req, t, in_running, parcels=parcels, buildings=buildings)
    return soft


def _location_scores(req: Requirements, t: SiteTable) -> FloatArray | None:
    home = -2 if req.home_region_id is None else req.home_region_id
    if req.preferred_park_id is None and req.preferred_region_id is None:
        if req.home_region_id is None:
            return None
        return np.where(t.region == home, 1.0, 0.4)
    result = np.where(t.region == home, 0.6, 0.3)
    if req.preferred_region_id is not None:
        result = np.where(t.region == req.preferred_region_id, 0.8, result)
    if req.preferred_park_id is not None:
        result = np.where(t.park == req.preferred_park_id, 1.0, result)
    return result.astype(np.float64)


def _threshold_scores(req: Requirements, t: SiteTable) -> FloatArray | None:
    """准入门槛 of parcels, on each parcel's own 亩 (the area supplied; see the module)."""
    parts: list[FloatArray] = []
    for total, asked in (
        (req.threshold_investment_wan, t.min_investment_total),
        (req.threshold_tax_wan, t.min_tax_total),
    ):
        if total is None:
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = total / asked
        part = np.where(ratio >= 1.0, 1.0, np.clip(ratio, 0.0, 1.0) ** 2 * 0.6)
        parts.append(np.where(t.is_parcel & (asked > 0), part, np.nan))
    if not parts:
        return None
    # The lower of the two where both apply (fmin skips a NaN: a threshold not set).
    return parts[0] if len(parts) == 1 else np.fmin(parts[0], parts[1])


def building_cost_measure(rent_or_buy: str | None, has_rent: bool, has_price: bool) -> str | None:
    """What a building's cost is judged by for a project: its rent for a project that rents,
    its price for one that buys, else the rent where there is one, else the price; ``None``:
    not judged (a renting project and a building for sale only, say)."""
    if rent_or_buy == RentOrBuy.RENT.value:
        return "rent" if has_rent else None
    if rent_or_buy == RentOrBuy.BUY.value:
        return "price" if has_price else None
    return "rent" if has_rent else "price" if has_price else None


def _cost_scores(
    req: Requirements, t: SiteTable, pool: BoolArray, *, parcels: bool, buildings: bool
) -> FloatArray:
    """Cheapest 1.0, dearest 0.5 among ``pool``, within each measure: parcels by price per
    亩, buildings by rent (元/m²/月) or by price per m² (:func:`building_cost_measure`) —
    never one measure against the other."""
    result = np.full(len(t), np.nan)
    groups: list[tuple[BoolArray, FloatArray]] = []
    if parcels:
        groups.append((t.is_parcel, t.price_per_unit))
    if buildings:
        has_rent, has_price = ~np.isnan(t.rent), ~np.isnan(t.price_per_unit)
        never = np.zeros(len(t), dtype=bool)
        if req.rent_or_buy == RentOrBuy.RENT.value:
            by_rent, by_price = has_rent, never
        elif req.rent_or_buy == RentOrBuy.BUY.value:
            by_rent, by_price = never, has_price
        else:
            by_rent, by_price = has_rent, ~has_rent & has_price
        building = ~t.is_parcel
        groups.append((building & by_rent, t.rent))
        groups.append((building & by_price, t.price_per_unit))
    for mask, cost in groups:
        known = mask & pool & ~np.isnan(cost)
        if np.count_nonzero(known) < 2:
            continue
        values = cost[known]
        low, high = values.min(), values.max()
        if high <= low:
            result[known] = 1.0
        else:
            result[known] = 1.0 - (values - low) / (high - low) * 0.5
    return result


# ------------------------------------------------------------------ reasons


def _num(value: float, unit: str) -> str:
    """A quantity in the one format of its unit (亩 and 万元 two decimals, m² whole)."""
    return format_quantity(value, unit)


def _percent(fraction: float) -> str:
    return f"{abs(fraction) * 100:.0f}%"


def _hard_reason(key: str, req: Requirements, site: Site, failed: bool, today: date) -> str:
    if key == "catalogue":
        return "产业属于禁止类" if failed else f"{req.industry_class}类产业"
    if key == "status":
        return _status_reason(req, site, failed, today)
    if key == "readiness":
        if not failed and site.readiness == ParcelReadiness.NET_LAND.value:
            return "已达净地"
        if failed:
            return f"地块尚未达到净地（现为“{site.readiness}”）"
        return f"现为“{site.readiness}”，需在 {req.needed_by} 前达到净地"
    if key == "size":
        need = req.land_mu if site.kind is RecordKind.PARCEL else req.factory_m2
        assert need
        if failed:
            u = site.unit
            return f"{_num(site.area, u)} {u}，不足需求 {_num(need, u)} {u} 的 90%"
        return f"{_num(site.area, site.unit)} {site.unit}，为需求的 {site.area / need * 100:.0f}%"
    if key == "tenure":
        return "项目只租赁，地块须出让" if failed else f"项目{req.rent_or_buy}"
    wanted, offered, label, unit = {
        "ceiling": (req.ceiling_height_m, site.ceiling_height_m, "层高", "m"),
        "load": (req.floor_load_kn_m2, site.floor_load_kn_m2, "承重", "kN/m²"),
        "power": (req.power_kva, site.power_kva, "电力", "kVA"),
    }[key]
    if offered is None:
        return f"{label}未登记（要求 {_num(wanted or 0, unit)} {unit}）"
    sign = "<" if failed else "≥"
    return f"{label} {_num(offered, unit)} {unit} {sign} 要求 {_num(wanted or 0, unit)} {unit}"


def _status_reason(req: Requirements, site: Site, failed: bool, today: date) -> str:
    holder = site.reserved_project_name or "（未登记项目）"
    until = f"（至 {site.reserved_until}）" if site.reserved_until else ""
    if site.reserved_project_id is not None and site.reserved_project_id == req.project_id:
        return f"已为本项目意向锁定{until}"
    if failed:
        if site.kind is RecordKind.FACTORY and site.area <= 0:
            return f"{site.status}，无空余面积"
        if site.reserved_project_id is not None or site.status == ParcelStatus.RESERVED.value:
            return f"已为项目“{holder}”意向锁定{until}"
        return f"{site.status}，不再可供"
    if site.reserved_until is not None and site.reserved_until < today:
        return f"原为项目“{holder}”锁定，已于 {site.reserved_until} 过期"
    return "可供" if site.status == ParcelStatus.AVAILABLE.value else f"{site.status}，可供"


def _soft_reason(key: str, req: Requirements, site: Site, score: float) -> str:
    if key == "area":
        return _area_reason(req, site)
    if key == "industry":
        if not site.target_industry:
            return f"未限定入驻产业（项目：{req.industry}）"
        if score >= 1.0:
            return f"产业相符：{site.target_industry}"
        if score >= 0.8:
            return f"产业相近：{site.target_industry} / 项目 {req.industry}"
        return f"目标产业“{site.target_industry}”，项目为“{req.industry}”"
    if key == "location":
        place = f"{site.region_name}{site.park_name and '·' + site.park_name}"
        if site.park_id is not None and site.park_id == req.preferred_park_id:
            return f"位于意向园区 {place}"
        if site.region_id == req.preferred_region_id:
            return f"位于意向县区 {place}"
        if site.region_id == req.home_region_id:
            return f"位于承办县区 {place}"
        if req.preferred_park_id is None and req.preferred_region_id is None:
            return f"位于 {place}（非承办县区）"
        return f"位于 {place}（非意向地）"
    if key == "timing":
        if site.kind is RecordKind.PARCEL:
            if score >= 1.0:
                return "净地，可即供地"
            return f"现为“{site.readiness}”，尚需整理"
        if site.status != FactoryStatus.UNDER_CONSTRUCTION.value:
            return f"{site.status}，可即入驻"
        if site.ready_date is None:
            return "在建，竣工日期未定"
        if req.needed_by is not None and site.ready_date > req.needed_by:
            return f"在建，预计 {site.ready_date} 竣工，晚于需用日期 {req.needed_by}"
        return f"在建，预计 {site.ready_date} 竣工"
    if key == "thresholds":
        return _threshold_reason(req, site)
    if key == "cost":
        measure = building_cost_measure(
            req.rent_or_buy, site.rent_yuan_m2_month is not None, site.price_wan is not None
        )
        if site.kind is RecordKind.PARCEL and site.price_wan is not None and site.area > 0:
            text = f"地价 {_num(site.price_wan / site.area, '万元/亩')} 万元/亩"
        elif site.kind is RecordKind.FACTORY and measure == "rent":
            text = f"租金 {_num(site.rent_yuan_m2_month or 0, '元/m²/月')} 元/m²/月"
        elif site.kind is RecordKind.FACTORY and measure == "price":
            text = f"售价 {_num(site.price_wan or 0, '万元')} 万元"
        else:
            text = "价格未登记"
        return text + ("，候选中较低" if score >= 0.85 else "，候选中较高" if score < 0.65 else "")
    raise AssertionError(key)


def _threshold_reason(req: Requirements, site: Site) -> str:
    """“亩均税收 24.67 万元/亩（按地块 15.00 亩计）< 门槛 30.00”: the figure, the area it was
    computed on and the parcel's threshold."""
    per_mu = "万元/亩"
    basis = f"（按地块 {_num(site.area, '亩')} 亩计）"
    parts = []
    for name, total, need in (
        ("投资强度", req.threshold_investment_wan, site.min_intensity_wan_per_mu),
        ("亩均税收", req.threshold_tax_wan, site.min_tax_per_mu_wan),
    ):
        if total is None or not need or site.area <= 0:
            continue
        plan = total / site.area
        sign = "≥" if total / (need * site.area) >= 1.0 else "<"  # as the score compares
        parts.append(
            f"{name} {_num(plan, per_mu)} {per_mu}{basis}{sign} 门槛 {_num(need, per_mu)}"
        )
    return "；".join(parts)


def _area_reason(req: Requirements, site: Site, area: float | None = None) -> str:
    area = site.area if area is None else area
    need = req.land_mu if site.kind is RecordKind.PARCEL else req.factory_m2
    assert need
    unit = site.unit
    top = req.land_max_mu if site.kind is RecordKind.PARCEL and req.land_max_mu else None
    span = f"{_num(need, unit)}{'–' + _num(top, unit) if top else ''}"
    head = f"{_num(area, unit)} {unit}，需 {span} {unit}"
    if area < need:
        return f"{head}：面积偏小 {_percent(1 - area / need)}"
    upper = top if top else need
    if area <= upper * (1.0 if top else 1.1):
        return f"{head}：面积合适"
    return f"{head}：面积偏大 {_percent(area / upper - 1)}"


def _criteria(
    req: Requirements, site: Site, ev: _Evaluation, i: int, today: date
) -> list[CriterionResult]:
    result = []
    for key, label in HARD_LABELS.items():
        if not ev.hard_known[key][i]:
            if key in ("ceiling", "load", "power") and site.kind is RecordKind.FACTORY:
                wanted = {
                    "ceiling": req.ceiling_height_m,
                    "load": req.floor_load_kn_m2,
                    "power": req.power_kva,
                }[key]
                if wanted:
                    reason = _hard_reason(key, req, site, False, today)
                    result.append(CriterionResult(key, label, True, None, None, 0.0, reason))
            continue
        failed = bool(ev.hard_fail[key][i])
        reason = _hard_reason(key, req, site, failed, today)
        result.append(CriterionResult(key, label, True, not failed, None, 0.0, reason))
    soft = ev.soft_at(i)
    for key, label in SOFT_LABELS.items():
        value = soft[key]
        if value != value:  # NaN: not assessed
            continue
        reason = _soft_reason(key, req, site, value)
        result.append(CriterionResult(key, label, False, True, value, WEIGHTS[key], reason))
    return result


def _labelled(
    sites: tuple[Site, ...], score: float, criteria: Sequence[CriterionResult]
) -> Candidate:
    """The candidate with its label: at best 可以考虑 for a site of another industry, the 产业
    reason then saying why."""
    industry = next((c for c in criteria if c.key == "industry"), None)
    mismatch = industry is not None and (industry.score or 0.0) < INDUSTRY_MISMATCH
    label = label_for(score, industry_mismatch=mismatch)
    if industry is not None and label is not label_for(score):
        capped = replace(industry, reason=f"{industry.reason}；{INDUSTRY_CAP_REASON}")
        criteria = [capped if c is industry else c for c in criteria]
    return Candidate(sites, score, label, tuple(criteria))


def _candidate(req: Requirements, t: SiteTable, ev: _Evaluation, i: int, today: date) -> Candidate:
    score = round(float(ev.score(np.array([i]))[0]), 1)  # one site: one lookup
    return _labelled((t.sites[i],), score, _criteria(req, t.sites[i], ev, i, today))


# ------------------------------------------------------------------ public API


def explain(req: Requirements, site: Site, today: date) -> Candidate:
    """Every criterion for one site, hard failures included (why a site is or is not offered)."""
    table = SiteTable([site])
    ev = _evaluate(req, table, today, every_site=True)
    return _candidate(req, table, ev, 0, today)


def match_sites(
    req: Requirements,
    sites: SiteTable | Sequence[Site],
    today: date,
    *,
    top: int = 10,
    combinations: bool = True,
) -> MatchResult:
    """Rank the sites that meet every hard constraint of ``req``; best first.

    Best first means by label (优先推荐, 可以考虑, 勉强), then by score; ties keep the closer
    area fit, then the site code. Combinations of buildings in one park are proposed for a
    floor-space need no single building of that park meets.
    """
    t = sites if isinstance(sites, SiteTable) else SiteTable(sites)
    kinds = req.site_kinds()
    if len(kinds) == 1:
        t = t.only(kinds[0])
    ev = _evaluate(req, t, today)
    considered = int(np.count_nonzero(ev.considered))
    rejected: Counter[str] = Counter()
    remaining = ev.considered.copy()
    for key, mask in ev.hard_fail.items():
        hit = remaining & mask
        count = int(np.count_nonzero(hit))
        if count:
            rejected[REJECTION_LABELS[key]] += count
        remaining &= ~mask
    notes: list[str] = []
    if req.industry_class == IndustryClass.FORBIDDEN.value:
        notes.append("项目属于禁止类产业（招商项目产业目录），不予匹配。")
    fitting = int(np.count_nonzero(ev.fits))
    ranked = _rank(t, ev, top)
    # (label order, score, members): single sites in their ranked order, then combinations; a
    # stable sort keeps that order among equals (a single building before a combination).
    entries: list[tuple[int, float, tuple[int, ...]]] = []
    if ranked:
        idx = np.array(ranked)
        scores = np.round(ev.score(idx), 1)
        order = _label_order(scores, ev.soft("industry", idx))
        entries = [
            (o, s, (i,)) for o, s, i in zip(order.tolist(), scores.tolist(), ranked, strict=True)
        ]
    if combinations and req.factory_m2:
        entries.extend(_combinations(req, t, ev, top))
        entries.sort(key=lambda entry: (entry[0], -entry[1]))
    candidates = [
        _candidate(req, t, ev, members[0], today)
        if len(members) == 1
        else _combination(req, t, ev, members, today)
        for _, _, members in entries[:top]
    ]
    if not candidates and not notes:
        notes.append("没有满足全部硬性条件的地块或厂房。")
    return MatchResult(
        req, tuple(candidates), considered, fitting, dict(rejected), tuple(notes)
    )


def _rank(t: SiteTable, ev: _Evaluation, top: int) -> list[int]:
    """The ``top`` sites passing every hard check, best first (by label, then score)."""
    fit_pos = np.flatnonzero(ev.fits[ev.rows])  # the fitting sites are among those scored
    idx = ev.rows[fit_pos]
    if len(idx) == 0 or top <= 0:
        return []
    scores = np.round(ev.score_rows[fit_pos], 1)
    rank_key = _rank_key(scores, ev.soft_rows.get("industry"), fit_pos)
    if len(idx) > top:
        # Keep every site ranking at least as the top-th (ties at the cut stay in the race).
        cut = np.partition(rank_key, top - 1)[top - 1]
        keep = rank_key <= cut
        idx, rank_key = idx[keep], rank_key[keep]
    area_fit = np.nan_to_num(np.abs(ev.soft("area", idx) - 1.0), nan=0.0)
    order = sorted(
        range(len(idx)), key=lambda k: (rank_key[k], area_fit[k], t.sites[idx[k]].code)
    )
    return [int(idx[k]) for k in order[:top]]


def _rank_key(scores: FloatArray, industry: FloatArray | None, pos: IntArray) -> FloatArray:
    """Smaller is better: the label's order, then the score. Scores are rounded to 0.1, so a
    优先推荐 keys at most -75 and a 可以考虑 at least -74.9; a site capped for its industry
    (:data:`INDUSTRY_MISMATCH`) takes a key between the two, its score keeping the order among
    the capped. Only the sites scoring 75 or more are looked at (``industry[pos]``: theirs)."""
    key = -scores
    if industry is None:
        return key  # no industry judged: the label follows the score
    strong = np.flatnonzero(scores >= STRONG_SCORE)
    if len(strong):
        capped = strong[industry[pos[strong]] < INDUSTRY_MISMATCH]
        key[capped] = -74.95 - (scores[capped] - STRONG_SCORE) / (100.0 - STRONG_SCORE) * 0.04
    return key


def _combinations(
    req: Requirements, t: SiteTable, ev: _Evaluation, top: int
) -> list[tuple[int, float, tuple[int, ...]]]:
    """The best combination of each park whose single buildings all fall short, scored; the
    ``top`` best."""
    need = req.factory_m2
    assert need
    # Buildings still in the running, grouped by park, largest first within each park.
    order = t.park_order()
    pool = order[ev.fits_but_size[order] & (t.area[order] > 0)]
    if len(pool) == 0:
        return []
    parks = t.park[pool]
    groups = np.split(pool, np.flatnonzero(np.diff(parks)) + 1)
    combos: list[tuple[int, ...]] = []
    for group in groups:
        areas = t.area[group[:COMBINATION_POOL]].tolist()
        if areas[0] >= need:
            continue  # a single building of this park does: it is offered on its own
        combo = _least_excess(areas, need)
        if combo is not None:
            combos.append(tuple(int(group[k]) for k in combo))
    if not combos:
        return []
    values = _combination_values(req, t, ev, combos)
    scores = np.round(_weighted_scores(values, len(combos)), 1)
    industry = values.get("industry", np.full(len(combos), np.nan))
    order = _label_order(scores, industry).tolist()
    found = sorted(
        zip(order, scores.tolist(), combos, strict=True),
        key=lambda item: (item[0], -item[1], len(item[2])),
    )
    return found[:top]


def _least_excess(areas: list[float], need: float) -> tuple[int, ...] | None:
    """The fewest buildings (largest first, ``areas`` sorted descending) whose sum covers the
    need, with the least area to spare among combinations of that many."""
    for size in range(2, min(MAX_COMBINATION, len(areas)) + 1):
        if sum(areas[:size]) < need:
            continue  # even the largest ``size`` buildings fall short
        if size == 2:
            return _least_excess_pair(areas, need)
        best: tuple[float, tuple[int, ...]] | None = None
        for combo in itertools.combinations(range(len(areas)), size):
            total = sum(map(areas.__getitem__, combo))
            if total >= need and (best is None or total < best[0]):
                best = (total, combo)
        return None if best is None else best[1]
    return None


def _least_excess_pair(areas: list[float], need: float) -> tuple[int, ...] | None:
    """Two buildings covering the need with the least to spare (``areas`` descending)."""
    best: tuple[float, tuple[int, ...]] | None = None
    for i, first in enumerate(areas):
        for j in range(i + 1, len(areas)):
            total = first + areas[j]
            if total < need:
                break  # the rest are smaller still
            if best is None or total < best[0]:
                best = (total, (i, j))
    return None if best is None else best[1]


def _combination_values(
    req: Requirements, t: SiteTable, ev: _Evaluation, combos: list[tuple[int, ...]]
) -> dict[str, FloatArray]:
    """Soft values of many combinations at once: area on the sum, the others weighted by each
    building's area (NaN where no building of a combination has data for a criterion)."""
    width = max(len(c) for c in combos)
    members = np.array([c + (-1,) * (width - len(c)) for c in combos], dtype=np.int64)
    valid = members >= 0
    areas = np.where(valid, t.area[members], 0.0)
    values = {"area": _area_score(areas.sum(axis=1) / (req.factory_m2 or 1.0), 1.1)}
    for key in ("industry", "location", "timing", "thresholds", "cost"):
        each = ev.soft(key, members.ravel()).reshape(members.shape)
        known = valid & ~np.isnan(each)
        known_area = np.where(known, areas, 0.0).sum(axis=1)
        summed = np.where(known, np.nan_to_num(each) * areas, 0.0).sum(axis=1)
        has = known_area > 0
        values[key] = np.where(has, summed / np.where(has, known_area, 1.0), np.nan)
    return values


def _combination(
    req: Requirements, t: SiteTable, ev: _Evaluation, combo: tuple[int, ...], today: date
) -> Candidate:
    sites = tuple(t.sites[i] for i in combo)
    total = float(sum(s.area for s in sites))
    need = req.factory_m2 or 0.0
    head = "、".join(f"{s.code} {_num(s.area, 'm²')} m²" for s in sites)
    size_reason = f"{len(sites)} 栋合计 {_num(total, 'm²')} m² ≥ 需 {_num(need, 'm²')} m²（{head}）"
    criteria = [CriterionResult("size", HARD_LABELS["size"], True, True, None, 0.0, size_reason)]
    for key, label in HARD_LABELS.items():
        checked = ev.hard_known[key][list(combo)]
        if key == "size" or not checked.any():
            continue
        if checked.all():
            reason = f"{len(sites)} 栋均满足"
            criteria.append(CriterionResult(key, label, True, True, None, 0.0, reason))
        else:
            unknown = "、".join(s.code for s, k in zip(sites, checked, strict=True) if not k)
            reason = f"{unknown} 未登记{label}，其余满足"
            criteria.append(CriterionResult(key, label, True, None, None, 0.0, reason))
    soft = _combination_values(req, t, ev, [combo])
    for key, column in soft.items():
        value = float(column[0])
        if value != value:  # NaN: no building has data for it
            continue
        if key == "area":
            reason = _area_reason(req, sites[0], total) + f"（{len(sites)} 栋同园区组合）"
        else:
            each = ev.soft(key, np.array(combo)).tolist()
            known = [(v, k) for k, v in enumerate(each) if v == v]
            worst_value, worst = min(known)
            reason = _soft_reason(key, req, sites[worst], worst_value)
            if key != "location" and max(v for v, _ in known) > worst_value:
                reason = f"最弱一栋 {sites[worst].code}：{reason}"
        criteria.append(
            CriterionResult(key, SOFT_LABELS[key], False, True, value, WEIGHTS[key], reason)
        )
    score = round(float(_weighted_scores(soft, 1)[0]), 1)
    return _labelled(sites, score, criteria)


@dataclass(frozen=True)
class ProjectMatch:
    """One project as a taker of a given site (the site → projects direction)."""

    requirements: Requirements
    candidate: Candidate  # the site's criteria against this project

    @property
    def fits(self) -> bool:
        return not self.candidate.hard_failures


def match_projects(
    site: Site, projects: Iterable[Requirements], today: date, *, top: int = 10
) -> tuple[list[ProjectMatch], dict[str, int]]:
    """Rank the open projects that could take ``site`` (best first) and count the others by
    the first hard constraint they fail. Projects wanting only the other kind of site (land
    for a building, floor space for a parcel) are left out."""
    table = SiteTable([site])
    fitting: list[ProjectMatch] = []
    rejected: Counter[str] = Counter()
    for req in projects:
        if site.kind not in req.site_kinds():
            continue
        ev = _evaluate(req, table, today)
        if ev.fits[0]:
            fitting.append(ProjectMatch(req, _candidate(req, table, ev, 0, today)))
            continue
        first = next(k for k, mask in ev.hard_fail.items() if mask[0])
        rejected[REJECTION_LABELS[first]] += 1
    # By label, then score; equal scores: the project whose fit rests on more criteria first.
    fitting.sort(
        key=lambda m: (
            _LABEL_ORDER[m.candidate.label],
            -m.candidate.score,
            -sum(1 for c in m.candidate.criteria if not c.hard),
            m.requirements.project_name,
        )
    )
    return fitting[:top], dict(rejected)
