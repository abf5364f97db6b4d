"""The entry points: :func:`match_sites` (a project → its best sites, with the rejected
counted), :func:`match_projects` (a site → the projects that could take it) and
:func:`explain` (every criterion of one site, to say why it is or is not offered).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from landbank.domain.enums import IndustryClass
from landbank.domain.matching.combinations import _combination, _combinations
from landbank.domain.matching.constraints import REJECTION_LABELS, _evaluate, _Evaluation
from landbank.domain.matching.reasons import _candidate
from landbank.domain.matching.results import (
    _LABEL_ORDER,
    INDUSTRY_MISMATCH,
    STRONG_SCORE,
    Candidate,
    MatchResult,
    ProjectMatch,
    _label_order,
)
from landbank.domain.matching.table import BoolArray, FloatArray, SiteTable
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.standards.table import StandardRow


def explain(
    req: Requirements, site: Site, today: date, *, standards: Sequence[StandardRow] = ()
) -> Candidate:
    """Every criterion for one site, hard failures included (why a site is or is not offered);
    ``standards``: the 标准地 table's rows."""
    table = SiteTable([site], standards)
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
        order = _label_order(scores, ev.soft("industry", idx), ev.incomplete[idx])
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
    industry = ev.soft_rows.get("industry")
    capped = ev.incomplete[idx].copy()
    if industry is not None:
        capped |= industry[fit_pos] < INDUSTRY_MISMATCH  # NaN: False
    rank_key = _rank_key(scores, capped)
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


def _rank_key(scores: FloatArray, capped: BoolArray) -> FloatArray:
    """Smaller is better: the label's order, then the score. Scores are rounded to 0.1, so a
    优先推荐 keys at most -75 and a 可以考虑 at least -74.9; a site capped at 可以考虑 (another
    industry, :data:`INDUSTRY_MISMATCH`, or 标准地 需补充) takes a key between the two, its
    score keeping the order among the capped."""
    key = -scores
    strong = np.flatnonzero((scores >= STRONG_SCORE) & capped)
    key[strong] = -74.95 - (scores[strong] - STRONG_SCORE) / (100.0 - STRONG_SCORE) * 0.04
    return key


def match_projects(
    site: Site,
    projects: Iterable[Requirements],
    today: date,
    *,
    top: int = 10,
    standards: Sequence[StandardRow] = (),
) -> tuple[list[ProjectMatch], dict[str, int]]:
    """Rank the open projects that could take ``site`` (best first) and count the others by
    the first hard constraint they fail. Projects wanting only the other kind of site (land
    for a building, floor space for a parcel) are left out. ``standards``: the 标准地
    table's rows (a parcel is judged by the standard of each project's industry)."""
    table = SiteTable([site], standards)
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
