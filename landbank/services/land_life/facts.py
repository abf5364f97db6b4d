"""The after-supply facts of parcels read from the ledger (issue 16 items 4–5): lean Core selects
of the columns :class:`~landbank.domain.land_life.facts.ParcelLife` needs (never ORM objects),
filtered in SQL to the parcels the rules can judge on the day, with the yearly figures of
``land_yield`` as :class:`~landbank.domain.land_life.facts.YearFigures`.

Which figures the rules get
    总投资 for 国土资源部令第53号 is the parcel's 合同约定投资 (without the land price). Without it,
    the project the parcel is reserved for (or the one project of its county whose 投资方 is
    the parcel's 受让单位) gives it — its 总投资 minus the land price — only when that project
    holds no other parcel and both figures are known; else the 25 % rule is not judged and the
    parcel's notes say why. 承诺投资强度 / 承诺亩均税收 are the parcel's; without them its 出让
    conditions (投资强度≥, 亩均税收≥) stand in, said in the notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlmodel import Session, col

from landbank.domain.land_life.facts import SUPPLIED_STATUSES, ParcelLife, YearFigures
from landbank.store.models import LandParcel, LandYield, Project, Region

_P = LandParcel.__table__.c  # type: ignore[attr-defined]
_Y = LandYield.__table__.c  # type: ignore[attr-defined]
_J = Project.__table__.c  # type: ignore[attr-defined]
_CHUNK = 900  # ids per IN (…): below SQLite's oldest limit of 999 variables
_ONE_READ = 9_000  # more parcels than this: read the yearly figures' table once
# Two full years are at least 730 days: a start later than this many days before the day
# cannot have made a parcel 批而未供 or lapsed yet (the domain decides the exact day).
_TWO_YEARS_DAYS = 729

COLUMNS = (
    _P.id, _P.code, _P.region_id, _P.area_mu, _P.status, _P.approval_date, _P.reserve_date,
    _P.price_wan, _P.actual_handover_date, _P.agreed_start_date, _P.actual_start_date,
    _P.agreed_completion_date, _P.actual_completion_date, _P.production_start_date,
    _P.developed_area_mu, _P.investment_made_wan, _P.contract_investment_wan,
    _P.stopped_since, _P.government_cause, _P.built_floor_area_m2, _P.far_min,
    _P.committed_intensity_wan_per_mu, _P.committed_tax_per_mu_wan,
    _P.min_investment_intensity_wan_per_mu, _P.min_tax_per_mu_wan, _P.reserved_project_id,
    _P.holder,
)  # fmt: skip


@dataclass
class LoadedLife:
    """Parcels as the rules see them, with what the services had to say about their figures."""

    parcels: list[ParcelLife] = field(default_factory=list)
    region_ids: dict[int, int] = field(default_factory=dict)  # parcel id → region id
    notes: dict[int, list[str]] = field(default_factory=dict)  # parcel id → notes


def _judgeable(as_of: date) -> ColumnElement[bool]:
    """Parcels the rules can judge on ``as_of``: supplied ones, and unsupplied ones approved
    or taken in long enough ago."""
    cutoff = as_of - timedelta(days=_TWO_YEARS_DAYS)
    return or_(
        col(_P.status).in_(sorted(SUPPLIED_STATUSES)),
        and_(col(_P.approval_date).is_not(None), col(_P.approval_date) <= cutoff),
        and_(col(_P.reserve_date).is_not(None), col(_P.reserve_date) <= cutoff),
    )


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def yearly_figures(session: Session, parcel_ids: Sequence[int]) -> dict[int, list[YearFigures]]:
    """The reported years of these parcels, oldest first: by 900 ids at a time, or — for many
    parcels — in one read of the table, kept for these parcels."""
    found: dict[int, list[YearFigures]] = defaultdict(list)
    columns = (_Y.parcel_id, _Y.year, _Y.tax_wan, _Y.output_wan)
    if len(parcel_ids) > _ONE_READ:
        wanted = set(parcel_ids)
        for parcel_id, year, tax, output in session.execute(
            select(*columns).order_by(_Y.parcel_id, _Y.year)
        ):
            if parcel_id in wanted:
                found[parcel_id].append(YearFigures(year, tax, output))
        return found
    for part in _chunks(parcel_ids):
        stmt = select(*columns).where(col(_Y.parcel_id).in_(part)).order_by(_Y.parcel_id, _Y.year)
        for parcel_id, year, tax, output in session.execute(stmt):
            found[parcel_id].append(YearFigures(year, tax, output))
    return found


def _project_investments(
    session: Session, project_ids: set[int]
) -> dict[int, tuple[float | None, int, str]]:
    """project id → (总投资, parcels reserved for it or held by its investor, its name)."""
    result: dict[int, tuple[float | None, int, str]] = {}
    ids = sorted(project_ids)
    for part in _chunks(ids):
        held = (
            select(func.count())
            .select_from(LandParcel)
            .where(col(_P.reserved_project_id) == _J.id)
            .scalar_subquery()
        )
        stmt = select(_J.id, _J.total_investment_wan, held, _J.name).where(col(_J.id).in_(part))
        for pid, total, n, name in session.execute(stmt):
            result[pid] = (total, int(n), name)
    return result


def _holder_projects(
    session: Session, holders: set[tuple[int, str]]
) -> dict[tuple[int, str], tuple[int, int]]:
    """(region, 受让单位) → (the one project of that county whose 投资方 is that name, how many
    parcels of the county that 受让单位 holds); nothing when several projects are."""
    if not holders:
        return {}
    names = sorted({name for _r, name in holders})
    projects: dict[tuple[int, str], list[int]] = defaultdict(list)
    held: dict[tuple[int, str], int] = {}
    for part in _chunks(names):
        stmt = select(_J.id, _J.region_id, _J.investor).where(col(_J.investor).in_(part))
        for pid, rid, investor in session.execute(stmt):
            projects[(rid, investor)].append(pid)
        count = (
            select(_P.region_id, _P.holder, func.count())
            .where(col(_P.holder).in_(part))
            .group_by(_P.region_id, _P.holder)
        )
        held.update({(rid, name): int(n) for rid, name, n in session.execute(count)})
    return {
        key: (ids[0], held.get(key, 1))
        for key, ids in projects.items()
        if len(ids) == 1 and key in holders
    }


def _investment(
    row: Any, linked: tuple[float | None, int, str] | None, notes: list[str]
) -> float | None:
    """The total investment without land price the 25 % rule compares with (see the module
    doc), or None with a note."""
    if row.contract_investment_wan is not None:
        return float(row.contract_investment_wan)
    if row.investment_made_wan is None:
        return None  # nothing to compare: the rule says what it misses
    if row.stopped_since is None:
        notes = []  # the 25 % rule is for a stopped parcel: nothing to say otherwise
    if linked is None:
        notes.append("合同约定投资未登记，且无可靠关联的项目，投资比例（25%）未判定")
        return None
    total, held, name = linked
    if held > 1:
        notes.append(f"合同约定投资未登记；项目“{name}”涉及 {held} 宗地块，投资比例（25%）未判定")
        return None
    if total is None or row.price_wan is None:
        missing = "项目总投资" if total is None else "出让价款"
        notes.append(f"合同约定投资未登记，{missing}未登记，投资比例（25%）未判定")
        return None
    notes.append(
        f"合同约定投资未登记，按项目“{name}”总投资 {total:,.2f} 万元扣除地价 "
        f"{row.price_wan:,.2f} 万元计"
    )
    return float(total) - float(row.price_wan)


def _commitments(row: Any, notes: list[str]) -> tuple[float | None, float | None]:
    intensity, tax = row.committed_intensity_wan_per_mu, row.committed_tax_per_mu_wan
    if intensity is None and row.min_investment_intensity_wan_per_mu:
        intensity = row.min_investment_intensity_wan_per_mu
        notes.append(f"承诺投资强度未登记，按出让条件 投资强度≥{intensity:,.2f} 万元/亩")
    if tax is None and row.min_tax_per_mu_wan:
        tax = row.min_tax_per_mu_wan
        notes.append(f"承诺亩均税收未登记，按出让条件 亩均税收≥{tax:,.2f} 万元/亩")
    return intensity, tax


def load_lives(
    session: Session,
    as_of: date,
    *,
    region_ids: Sequence[int] | None = None,
    parcel_ids: Sequence[int] | None = None,
) -> LoadedLife:
    """The parcels (of ``region_ids`` or ``parcel_ids`` when given) the rules can judge on
    ``as_of`` (every one of ``parcel_ids``), as :class:`ParcelLife`."""
    names: dict[int, str] = {
        rid: name for rid, name in session.execute(select(col(Region.id), col(Region.name)))
    }
    where: ColumnElement[bool] = true() if parcel_ids is not None else _judgeable(as_of)
    if region_ids is not None:
        where = and_(where, col(_P.region_id).in_(list(region_ids)))
    if parcel_ids is not None:
        where = and_(where, col(_P.id).in_(list(parcel_ids)))
    rows = session.execute(select(*COLUMNS).where(where).order_by(_P.region_id, _P.id)).all()
    loaded = LoadedLife()
    years = yearly_figures(session, [r[0] for r in rows if r[4] in SUPPLIED_STATUSES])
    needing = [r for r in rows if r[16] is None and r[15] is not None]  # contract, made
    holder_of = _holder_projects(
        session,
        {(r.region_id, r.holder) for r in needing if r.holder and r.reserved_project_id is None},
    )
    link: dict[int, tuple[int, int | None]] = {}  # parcel → (project, parcels of its holder)
    for r in needing:
        if r.reserved_project_id is not None:
            link[r.id] = (r.reserved_project_id, None)
        elif (r.region_id, r.holder) in holder_of:
            link[r.id] = holder_of[(r.region_id, r.holder)]
    projects = _project_investments(session, {p for p, _n in link.values()})
    empty: tuple[YearFigures, ...] = ()
    for row in rows:  # unpacked, not read by attribute: 300,000 rows
        (pid, code, region_id, area, status, approval, reserve, price, handover, agreed_start,
         actual_start, agreed_done, actual_done, production, developed, made, contract, stopped,
         government, built, far_min, intensity, tax, min_intensity, min_tax, _project,
         _holder) = row  # fmt: skip
        notes: list[str] = []
        total = contract
        if contract is None and made is not None:
            linked = None
            if pid in link:
                project, holder_parcels = link[pid]
                total_inv, reserved, name = projects[project]
                linked = (total_inv, max(reserved, holder_parcels or 0), name)
            total = _investment(row, linked, notes)
        if (intensity is None and min_intensity) or (tax is None and min_tax):
            intensity, tax = _commitments(row, notes)
        reported = years.get(pid)
        loaded.parcels.append(
            ParcelLife(
                pid, code, names.get(region_id, ""), float(area or 0.0), status, approval,
                reserve, price, handover, agreed_start, actual_start, agreed_done, actual_done,
                production, developed, made, total, stopped, bool(government), built, far_min,
                intensity, tax, tuple(reported) if reported else empty,
            )
        )  # fmt: skip
        loaded.region_ids[pid] = region_id
        if notes:
            loaded.notes[pid] = notes
    return loaded
