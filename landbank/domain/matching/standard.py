"""标准地 in matching (issue 16 item 2): a land site judged by the standard that applies to it.

Which standard
    A parcel's standard is resolved from the table's rows of its **county and park** for the
    **project's industry** (the parcel's 目标产业 is what the park would like there, not what the
    project is: the bounds are those of the project's industry), each bound from the most
    specific row setting it (:func:`~landbank.domain.standards.table.applicable_standard`). The
    parcel's own thresholds (投资强度≥, 亩均税收≥, 容积率, 绿地率 of its record) are its override
    of the table (:func:`~landbank.domain.standards.table.with_parcel_override`); the national
    floors bind whatever either says.
Hard constraint
    Every indicator that applies is judged on the area the parcel supplies (总投资 ÷ the
    parcel's 亩 …, :mod:`landbank.domain.standards.checks`): any 不符 ✗ rejects the parcel, the
    reason naming the indicator, the required and the offered value; 需补充 △ (the project lacks
    a figure) keeps it but never as 优先推荐; 承诺 ○ (a planning indicator without the project's
    design) is listed as what the project commits to. Buildings are not judged by 标准地: it is a
    condition of land supply, and floor space let or sold is no land of the project's.
Speed
    The standards are resolved once per distinct (county, park) of the table and per industry
    (kept on the table), and the figures per 亩 are computed over the parcels' area column at
    once; a figure within one shown digit of a bound is decided by the domain's own
    :func:`~landbank.domain.standards.checks.meets` (judged as shown), so the arrays and the
    reasons (written by :func:`site_checks` for the candidates shown) always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from landbank.domain.enums import RecordKind
from landbank.domain.matching.table import BoolArray, FloatArray, IntArray, SiteTable
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.standards.checks import (
    M2_PER_MU,
    CheckStatus,
    IndicatorCheck,
    ProjectFigures,
    check_indicator,
    check_project_on_parcel,
    meets,
)
from landbank.domain.standards.indicators import NATIONAL_DEFAULTS, Indicator, Side, Threshold
from landbank.domain.standards.table import (
    StandardRow,
    applicable_standard,
    parcel_override,
    with_parcel_override,
)

# The parcel's own thresholds: the table's columns of its 下限 and 上限 ("": none).
_OWN_COLUMNS: dict[Indicator, tuple[str, str]] = {
    Indicator.INVESTMENT_INTENSITY: ("own_intensity", ""),
    Indicator.TAX_PER_MU: ("own_tax", ""),
    Indicator.FLOOR_AREA_RATIO: ("own_far_min", "own_far_max"),
    Indicator.GREEN_RATIO: ("", "own_green"),
}
STANDARD_LABEL = "标准地指标"
STANDARD_REJECTION = "未达标准地指标"
INCOMPLETE_CAP_REASON = "需补充前结论最高为“可以考虑”"
# What an indicator is computed from: the project's figure (numerator), and the denominator —
# "mu" the parcel's 亩, "m2" its area in m², else the project's figure named.
_FORMULA: dict[Indicator, tuple[str, str, float]] = {
    Indicator.INVESTMENT_INTENSITY: ("total_investment_wan", "mu", 1.0),
    Indicator.TAX_PER_MU: ("expected_tax_wan", "mu", 1.0),
    Indicator.OUTPUT_PER_MU: ("expected_output_wan", "mu", 1.0),
    Indicator.VALUE_ADDED_PER_ENERGY: ("value_added_wan", "energy_tce", 1.0),
    Indicator.VALUE_ADDED_PER_EMISSION: ("value_added_wan", "emission_t", 1.0),
    Indicator.RD_SHARE: ("rd_expense_wan", "revenue_wan", 100.0),
    Indicator.LABOUR_PRODUCTIVITY: ("value_added_wan", "jobs", 1.0),
    Indicator.FLOOR_AREA_RATIO: ("floor_area_m2", "m2", 1.0),
    Indicator.BUILDING_COVERAGE: ("footprint_m2", "m2", 100.0),
    Indicator.GREEN_RATIO: ("green_area_m2", "m2", 100.0),
    Indicator.ADMIN_SHARE: ("admin_land_m2", "m2", 100.0),
}


def site_override(site: Site) -> dict[Indicator, Threshold]:
    """The thresholds the parcel's record sets itself (its override of the table)."""
    return parcel_override(
        {
            "min_investment_intensity_wan_per_mu": site.min_intensity_wan_per_mu,
            "min_tax_per_mu_wan": site.min_tax_per_mu_wan,
            "far_min": site.far_min,
            "far_max": site.far_max,
            "green_ratio_pct": site.green_ratio_pct,
        }
    )


def site_checks(
    req: Requirements,
    site: Site,
    rows: Sequence[StandardRow],
    cache: dict[Any, Any] | None = None,
) -> list[IndicatorCheck]:
    """Every indicator that applies to ``site`` for the project of ``req``, judged (none for
    a building); ``cache`` keeps the table's standard of each place and industry (a site
    table's)."""
    if site.kind is not RecordKind.PARCEL:
        return []
    key = ("standard", site.region_name, site.park_name or None, req.industry)
    standard = cache.get(key) if cache is not None else None
    if standard is None:
        standard = applicable_standard(rows, key[1], key[2], req.industry)
        if cache is not None:
            cache[key] = standard
    override = site_override(site)
    if override:
        own_key = (key, frozenset(override.items()))
        found = cache.get(own_key) if cache is not None else None
        if found is None:
            found = with_parcel_override(standard, override)
            if cache is not None:
                cache[own_key] = found
        standard = found
    figures = req.standard_figures()
    if cache is None:
        return check_project_on_parcel(standard, figures, site.area)
    checks = []
    for resolved in standard:
        indicator = resolved.indicator
        if indicator.side is Side.PLAN and getattr(figures, _FORMULA[indicator][0]) is None:
            # A commitment reads nothing of the site: judged once per bound and source.
            commitment_key = ("commitment", resolved)
            check = cache.get(commitment_key)
            if check is None:
                check = cache[commitment_key] = check_indicator(resolved, figures, site.area)
            checks.append(check)
        else:
            checks.append(check_indicator(resolved, figures, site.area))
    return checks


@dataclass(frozen=True)
class StandardMasks:
    """The table's parcels for one project: an indicator applies (``known``), one is 不符
    (``failed``), none is but one needs a figure (``missing``)."""

    known: BoolArray
    failed: BoolArray
    missing: BoolArray


def _bounds_of_places(
    t: SiteTable, industry: str | None
) -> dict[Indicator, tuple[FloatArray, FloatArray]]:
    """Each indicator's 下限/上限 (NaN: none) per place of the table, from its rows, for a
    project of ``industry``; resolved once per industry and kept on the table."""
    cache = t.standard_cache
    key = ("bounds", (industry or "").strip())
    if key not in cache:
        n = len(t.places)
        bounds = {i: (np.full(n, np.nan), np.full(n, np.nan)) for i in Indicator}
        for p, (county, park) in enumerate(t.places):
            standard = applicable_standard(t.standard_rows, county, park, industry)
            for resolved in standard:
                low, high = bounds[resolved.indicator]
                if resolved.threshold.low is not None:
                    low[p] = resolved.threshold.low
                if resolved.threshold.high is not None:
                    high[p] = resolved.threshold.high
        cache[key] = bounds
    found: dict[Indicator, tuple[FloatArray, FloatArray]] = cache[key]
    return found


def _site_bounds(
    t: SiteTable, rows: IntArray | None, indicator: Indicator, low: FloatArray, high: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The parcels' own thresholds (of ``rows``, else all) laid over the table's, as
    :func:`site_override` and :func:`with_parcel_override` do, the national floors binding."""
    own_low, own_high = _OWN_COLUMNS[indicator]
    if own_low:
        mine = getattr(t, own_low)
        mine = mine if rows is None else mine[rows]
        low = np.where(np.isnan(mine), low, mine)
    if own_high:
        mine = getattr(t, own_high)
        mine = mine if rows is None else mine[rows]
        high = np.where(np.isnan(mine), high, mine)
    national = NATIONAL_DEFAULTS.get(indicator)
    if national is not None and national.low is not None:
        low = np.where(np.isnan(low) | (low < national.low), national.low, low)
    if national is not None and national.high is not None:
        high = np.where(np.isnan(high) | (high > national.high), national.high, high)
    return low, high


def _fails(
    indicator: Indicator, figure: FloatArray, low: FloatArray | None, high: FloatArray | None
) -> BoolArray:
    """Outside the bounds as shown (None: no such bound): clear cases by the arrays, a figure
    within one shown digit of a bound by the domain's :func:`meets`."""
    step = 10.0 ** -indicator.decimals
    failed: BoolArray = np.zeros(len(figure), dtype=bool)
    near: BoolArray = np.zeros(len(figure), dtype=bool)
    with np.errstate(invalid="ignore"):
        if low is not None:
            failed |= figure < low - step
            near |= np.abs(figure - low) <= step
        if high is not None:
            failed |= figure > high + step
            near |= np.abs(figure - high) <= step
    for i in np.flatnonzero(near).tolist():
        lo = float(low[i]) if low is not None else float("nan")
        hi = float(high[i]) if high is not None else float("nan")
        bound = Threshold(None if lo != lo else lo, None if hi != hi else hi)
        failed[i] = not meets(indicator, float(figure[i]), bound)
    return failed


def standard_masks(req: Requirements, t: SiteTable, candidates: BoolArray) -> StandardMasks:
    """:func:`site_checks` for every parcel of ``t`` among ``candidates`` at once (the
    verdicts only; reasons are written for the candidates shown). A planning indicator without
    the project's design is a commitment: it neither rejects nor wants a figure, so it is not
    computed; a figure that does not depend on the parcel (增加值 ÷ 能耗 …) is judged once per
    place."""
    n = len(t)
    known = candidates & t.is_parcel
    failed = np.zeros(n, dtype=bool)
    missing = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(known)
    if len(rows) == 0:
        return StandardMasks(known, failed, missing)
    figures: ProjectFigures = req.standard_figures()
    by_place = _bounds_of_places(t, req.industry)
    place: IntArray | None = None
    area: FloatArray | None = None
    for indicator, (numerator, denominator, scale) in _FORMULA.items():
        top: float | None = getattr(figures, numerator)
        if top is None and indicator.side is Side.PLAN:
            continue  # 承诺 ○
        place_low, place_high = by_place[indicator]
        place_applies = ~np.isnan(place_low) | ~np.isnan(place_high)
        own = _OWN_COLUMNS.get(indicator)
        if own is None and not place_applies.any():
            continue
        if own is None and denominator not in ("mu", "m2"):
            # The same figure on every parcel: judged per place, then spread to the parcels.
            if place is None:
                place = t.place[rows]
            value: float | None = getattr(figures, denominator)
            if top is None or value is None or not value > 0:
                missing[rows[place_applies[place]]] = True
                continue
            figure = np.full(len(place_low), top / value * scale)
            out = place_applies & _fails(indicator, figure, place_low, place_high)
            failed[rows[out[place]]] = True
            continue
        low, high, applies_all = _table_bounds(t, req.industry, indicator, place_low, place_high)
        applies = applies_all[rows]
        if top is None:
            missing[rows[applies]] = True
            continue
        if area is None:
            area = t.area[rows]
        usable = area > 0
        missing[rows[applies & ~usable]] = True
        judged = np.flatnonzero(applies & usable)
        if len(judged):
            at = rows[judged]
            per = area[judged] if denominator == "mu" else area[judged] * M2_PER_MU
            with np.errstate(over="ignore"):
                figure = top / per * scale
            out = _fails(
                indicator,
                figure,
                None if low is None else low[at],
                None if high is None else high[at],
            )
            failed[at[out]] = True
    return StandardMasks(known, failed, missing & ~failed)


def _table_bounds(
    t: SiteTable,
    industry: str | None,
    indicator: Indicator,
    place_low: FloatArray,
    place_high: FloatArray,
) -> tuple[FloatArray | None, FloatArray | None, BoolArray]:
    """An indicator's 下限/上限 of every site of ``t`` (None: none anywhere) and where one
    applies — the places' bounds with each parcel's own laid over — kept on the table per
    industry (a project of the same industry reuses them)."""
    cache: dict[tuple[str, Indicator], Any] = t.__dict__.setdefault("_site_bounds", {})
    key = ((industry or "").strip(), indicator)
    if key not in cache:
        low, high = place_low[t.place], place_high[t.place]
        if indicator in _OWN_COLUMNS:
            low, high = _site_bounds(t, None, indicator, low, high)
        has_low, has_high = ~np.isnan(low), ~np.isnan(high)
        cache[key] = (
            low if has_low.any() else None,
            high if has_high.any() else None,
            has_low | has_high,
        )
    found: tuple[FloatArray | None, FloatArray | None, BoolArray] = cache[key]
    return found


def standard_reason(checks: Sequence[IndicatorCheck]) -> tuple[str, str]:
    """The mark and the reason of the 标准地 criterion of a parcel: ✗ with every 不符 reason;
    △ “需补充：…”; ✓ with the figures met; ○ when only commitments apply. Commitments
    follow as “承诺：容积率 1.00–2.00、…”."""
    by = {s: [c for c in checks if c.status is s] for s in CheckStatus}
    parts: list[str]
    if by[CheckStatus.FAILED]:
        mark, parts = "✗", [c.reason for c in by[CheckStatus.FAILED]]
    elif by[CheckStatus.MISSING]:
        gaps = "；".join(c.reason.removesuffix("，需补充") for c in by[CheckStatus.MISSING])
        mark, parts = "△", [f"需补充：{gaps}"]
        parts += [c.reason for c in by[CheckStatus.PASSED]]
    elif by[CheckStatus.PASSED]:
        mark, parts = "✓", [c.reason for c in by[CheckStatus.PASSED]]
    else:
        mark, parts = "○", []
    if by[CheckStatus.COMMITMENT]:
        promised = "、".join(f"{c.label} {c.requirement}" for c in by[CheckStatus.COMMITMENT])
        parts.append(f"承诺：{promised}（由项目在设计中承诺，出让合同约定）")
    return mark, "；".join(parts)
