"""The hard constraints (产业目录, 供应状态, 整理程度, 面积下限, 层高, 承重, 电力, 租购方式,
标准地指标 — :mod:`landbank.domain.matching.standard`) as
masks over a site table, and the evaluation of one project: the masks, then the soft scores
of the sites still in the running (:mod:`landbank.domain.matching.scores`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from landbank.domain.enums import IndustryClass, RecordKind, RentOrBuy
from landbank.domain.matching.scores import (
    _SOFT_COLUMNS,
    SOFT_LABELS,
    TOO_SMALL,
    _soft_scores,
    _weighted_scores,
)
from landbank.domain.matching.standard import STANDARD_LABEL, STANDARD_REJECTION, standard_masks
from landbank.domain.matching.table import BoolArray, FloatArray, IntArray, SiteTable
from landbank.domain.site_facts import Requirements

HARD_LABELS = {
    "catalogue": "产业目录",
    "status": "供应状态",
    "readiness": "整理程度",
    "size": "面积下限",
    "ceiling": "层高",
    "load": "楼面承重",
    "power": "电力容量",
    "tenure": "租购方式",
    "standard": STANDARD_LABEL,
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
    "standard": STANDARD_REJECTION,
}

NET_LAND_LEAD = timedelta(days=180)  # a parcel not yet 净地 counts only this far ahead


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
    # 标准地: a parcel not rejected by it but lacking a project's figure (△, never 优先推荐).
    incomplete: BoolArray

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
    # 标准地 last, on the parcels passing the other checks but the size (the rest are out
    # already, and counted by the first check they fail).
    standard = standard_masks(req, t, considered & ~fails_but_size)
    hard_fail["standard"] = standard.failed
    hard_known["standard"] = standard.known
    fails_but_size |= standard.failed
    fits_but_size = considered & ~fails_but_size
    fits = fits_but_size & ~hard_fail["size"]

    idx = np.arange(n) if every_site else np.flatnonzero(fits_but_size)
    part = _soft_scores(req, t.take(idx, _SOFT_COLUMNS), ratio[idx], fits_but_size[idx])
    score = _weighted_scores(part, len(idx))
    return _Evaluation(
        considered, hard_fail, hard_known, fits, fits_but_size, idx, part, score,
        standard.missing,
    )  # fmt: skip
