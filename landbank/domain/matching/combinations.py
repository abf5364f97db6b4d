"""Several buildings of one park together, for a floor-space need no single building of that
park meets: the combination with the fewest buildings and the least area to spare, scored
on their sum (面积) and their area-weighted values (the other criteria).
"""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np

from landbank.domain.matching.constraints import HARD_LABELS, _Evaluation
from landbank.domain.matching.reasons import _area_reason, _labelled, _num, _soft_reason
from landbank.domain.matching.results import Candidate, CriterionResult, _label_order
from landbank.domain.matching.scores import SOFT_LABELS, WEIGHTS, _area_score, _weighted_scores
from landbank.domain.matching.table import FloatArray, SiteTable
from landbank.domain.site_facts import Requirements

MAX_COMBINATION = 4  # buildings in one combination
COMBINATION_POOL = 8  # largest buildings of a park tried in combinations


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
    for key in ("industry", "location", "timing", "cost"):
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
