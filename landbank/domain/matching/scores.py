"""How the sites still in the running are scored against a project (精准匹配): the soft
criteria and their weights.

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
价格/租金   10     cheapest of the candidates 1.0, dearest 0.5 (per 亩 / per m²)
========== ====== ==============================================================

A criterion without data on either side does not count (its weight is left out). The score is
the weighted mean × 100; 75 and above is 优先推荐, 55–75 可以考虑, below 勉强 — except that a
site whose target industry is another than the project's (产业 under 0.5, marked ✗) is never
优先推荐: its label stops at 可以考虑 whatever its score, and its 产业 reason says so.
Candidates are listed by label, then by score (a capped site comes after every 优先推荐 one).

The parcel's own 准入门槛 (投资强度, 亩均税收) were a soft criterion of weight 10 until issue 16:
they are now the parcel's override of the 标准地 table, judged with it as a hard constraint
(:mod:`landbank.domain.matching.standard`: 不符 rejects, 需补充 caps the label at 可以考虑), so
the weights of the other five are unchanged and the score is their weighted mean (a site
without thresholds scores as before; one that met them lost a perfect 10 of 100).

The arithmetic runs on NumPy arrays over all sites at once (one project against 100,000 sites
in milliseconds); the reasons are written only for the candidates shown, from the same arrays
(:mod:`landbank.domain.matching.reasons`).
"""

from __future__ import annotations

import re

import numpy as np

from landbank.domain.enums import RentOrBuy
from landbank.domain.matching.table import _NET_LAND_RANK, BoolArray, FloatArray, SiteTable
from landbank.domain.site_facts import Requirements

WEIGHTS: dict[str, float] = {
    "area": 30.0,
    "industry": 20.0,
    "location": 15.0,
    "timing": 15.0,
    "cost": 10.0,
}
SOFT_LABELS = {
    "area": "面积",
    "industry": "产业",
    "location": "区位",
    "timing": "交付时间",
    "cost": "价格/租金",
}

TOO_SMALL = 0.9  # a single site under 90 % of the need is out
_WORDS = re.compile(r"[、，,;；/\s及和与]+")


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


# The columns the soft criteria read.
_SOFT_COLUMNS = ["is_parcel", "area", "region", "park", "under_construction", "readiness", "ready_date", "price_per_unit", "rent", "industry"]


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
