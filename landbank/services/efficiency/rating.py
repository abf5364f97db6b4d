"""亩均效益评价 of a county's landed firms for one year (issue 16 item 6), read from the ledger.

The firms are the supplied parcels with yearly figures (``land_yield``) for the year: the firm
is the parcel's 受让单位 (its code when none is recorded), its area the parcel's 亩, its figures
the year's. Each county is rated by its own scheme (:mod:`.scheme`); the base value of an
indicator is the scheme's fixed one, else the county's aggregate average of the previous year
(Σ税收 ÷ Σ亩 over the firms reporting both) × the scheme's multiple — the domain's
:func:`~landbank.domain.land_life.efficiency.county_bases`. An indicator with no base (nobody
reported it the year before and none is fixed) scores 0 for everyone and is said. T class:
in production under two full years on 31 December of the year.

The investor of a firm — for the D-class flag in matching — is the 投资方 of the project the
parcel is reserved for, else its 受让单位; the project's 统一社会信用代码 comes along when known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session, col

from landbank.domain.land_life.efficiency import (
    FirmRating,
    FirmYear,
    Measure,
    county_bases,
    measure,
    rate_firms,
)
from landbank.domain.land_life.facts import SUPPLIED_STATUSES
from landbank.services.efficiency.scheme import CountyScheme, scheme_for
from landbank.store.models import LandParcel, LandYield, Project, Region

_P = LandParcel.__table__.c  # type: ignore[attr-defined]
_Y = LandYield.__table__.c  # type: ignore[attr-defined]
_J = Project.__table__.c  # type: ignore[attr-defined]
_PARCELS = LandParcel.__table__  # type: ignore[attr-defined]
_YIELDS = LandYield.__table__  # type: ignore[attr-defined]
_PROJECTS = Project.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FirmInfo:
    """What the list shows of a firm besides its figures."""

    parcel_id: int
    code: str
    holder: str
    investor: str
    credit_code: str | None


@dataclass(frozen=True)
class RatedFirm:
    info: FirmInfo
    rating: FirmRating

    def measures(self, which: Sequence[Measure]) -> dict[Measure, float | None]:
        return {m: measure(self.rating.firm, m) for m in which}


@dataclass(frozen=True)
class CountyEvaluation:
    region_id: int
    county: str
    year: int
    scheme: CountyScheme
    bases: dict[Measure, float]
    firms: list[RatedFirm] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for f in self.firms:
            found[f.rating.cls.value] += 1
        return dict(found)


def _firm_rows(
    session: Session, region_ids: Sequence[int], year: int
) -> dict[int, list[tuple[FirmInfo, FirmYear]]]:
    """region id → the firms with figures for ``year`` (parcel order)."""
    names = {rid: name for rid, name in session.execute(select(col(Region.id), col(Region.name)))}
    stmt = (
        select(
            _P.id, _P.code, _P.region_id, _P.area_mu, _P.holder, _P.production_start_date,
            _J.investor, _J.credit_code, _Y.tax_wan, _Y.revenue_wan, _Y.value_added_wan,
            _Y.energy_tce, _Y.emission_t, _Y.employees, _Y.rd_expense_wan,
        )
        .select_from(_PARCELS)
        .join(_YIELDS, _Y.parcel_id == _P.id)
        .outerjoin(_PROJECTS, _J.id == _P.reserved_project_id)
        .where(_Y.year == year, col(_P.status).in_(sorted(SUPPLIED_STATUSES)))
        .where(col(_P.region_id).in_(list(region_ids)))
        .order_by(_P.region_id, _P.code, _P.id)
    )  # fmt: skip
    found: dict[int, list[tuple[FirmInfo, FirmYear]]] = defaultdict(list)
    for r in session.execute(stmt):
        holder = (r.holder or "").strip()
        firm_name = holder or r.code
        investor = (r.investor or "").strip() or holder
        info = FirmInfo(r.id, r.code, holder, investor, r.credit_code)
        firm = FirmYear(
            firm=firm_name, county=names.get(r.region_id, ""), area_mu=float(r.area_mu or 0.0),
            tax_wan=r.tax_wan, value_added_wan=r.value_added_wan, sales_wan=r.revenue_wan,
            energy_tce=r.energy_tce, emission_t=r.emission_t,
            employees=None if r.employees is None else float(r.employees),
            rd_wan=r.rd_expense_wan, production_start=r.production_start_date,
            investor=investor,
        )  # fmt: skip
        found[r.region_id].append((info, firm))
    return found


def evaluate_county(session: Session, region_id: int, year: int) -> CountyEvaluation:
    """The county's firms of ``year`` rated by its scheme (best first, then the T ones)."""
    return evaluate(session, year, [region_id])[0]


def evaluate(
    session: Session, year: int, region_ids: Sequence[int] | None = None
) -> list[CountyEvaluation]:
    """Every county's (or those of ``region_ids``) evaluation for ``year``, by name."""
    stmt = select(col(Region.id), col(Region.name)).order_by(col(Region.name))
    if region_ids is not None:
        stmt = stmt.where(col(Region.id).in_(list(region_ids)))
    regions = [(int(rid), str(name)) for rid, name in session.execute(stmt)]
    ids = [rid for rid, _n in regions]
    this_year = _firm_rows(session, ids, year)
    last_year = _firm_rows(session, ids, year - 1)
    result = []
    for rid, name in regions:
        county_scheme = scheme_for(session, rid)
        scheme = county_scheme.scheme
        previous = [firm for _info, firm in last_year.get(rid, [])]
        bases = county_bases(previous, scheme)
        bases.update({m: v for m, v in county_scheme.fixed_bases.items() if m in scheme.weights})
        notes = [
            f"{m.value}：{year - 1} 年无企业报送，且未设固定基准值，本项各企业计 0 分"
            for m in scheme.weights
            if m not in bases
        ]
        rows = this_year.get(rid, [])
        infos = {id(firm): info for info, firm in rows}
        ratings = rate_firms([firm for _info, firm in rows], scheme, date(year, 12, 31), bases)
        firms = [RatedFirm(infos[id(r.firm)], r) for r in ratings]
        result.append(CountyEvaluation(rid, name, year, county_scheme, bases, firms, tuple(notes)))
    return result


def latest_year(session: Session, region_id: int | None = None) -> int | None:
    """The latest year any (or this county's) firm reported figures for."""
    stmt = select(func.max(_Y.year))
    if region_id is not None:
        stmt = stmt.where(_Y.region_id == region_id)
    value = session.execute(stmt).scalar()
    return None if value is None else int(value)


@dataclass(frozen=True)
class DClassFlag:
    """An investor holding a D-class firm in a county's latest evaluated year."""

    investor: str
    credit_code: str | None
    county: str
    year: int
    firm: str

    @property
    def text(self) -> str:
        """The mark matching shows: “投资方在获嘉县亩均效益评价为D类（2025 年，某公司）”."""
        return f"投资方在{self.county}亩均效益评价为D类（{self.year} 年，{self.firm}）"


def d_class_flags(session: Session) -> list[DClassFlag]:
    """The D-class firms' investors, each county in its latest year with reported figures."""
    years = session.execute(select(_Y.region_id, func.max(_Y.year)).group_by(_Y.region_id))
    flags: list[DClassFlag] = []
    for region_id, year in years:
        evaluation = evaluate_county(session, int(region_id), int(year))
        flags += [
            DClassFlag(
                f.info.investor,
                f.info.credit_code,
                evaluation.county,
                evaluation.year,
                f.rating.firm.firm,
            )
            for f in evaluation.firms
            if f.rating.cls.value == "D" and f.info.investor
        ]
    return flags


def flag_for(flags: Sequence[DClassFlag], investor: str | None, credit_code: str | None) -> list[str]:
    """The marks of a project: its 投资方 by name, or its 统一社会信用代码 when both are known."""
    name = (investor or "").strip()
    code = (credit_code or "").strip().upper()
    return [
        f.text
        for f in flags
        if (name and name in (f.investor, f.firm))
        or (code and (f.credit_code or "").upper() == code)
    ]


def investor_marks(session: Session, investor: str | None, credit_code: str | None) -> list[str]:
    """The marks of a project whose 投资方 (by name, or 统一社会信用代码 when known) holds a
    D-class firm in a county's latest evaluated year — matching shows them as a warning. Only
    the counties where that investor has a firm reporting figures are rated (one select when
    it has none)."""
    name = (investor or "").strip()
    code = (credit_code or "").strip().upper()
    if not name and not code:
        return []
    held = col(_P.holder) == name if name else None
    by_project = (col(_J.investor) == name) if name else None
    if code:
        by_code = func.upper(_J.credit_code) == code
        by_project = by_code if by_project is None else (by_project | by_code)
    where = by_project if held is None else (held | by_project)
    assert where is not None
    stmt = (
        select(_P.region_id)
        .distinct()
        .select_from(_PARCELS)
        .join(_YIELDS, _Y.parcel_id == _P.id)
        .outerjoin(_PROJECTS, _J.id == _P.reserved_project_id)
        .where(where)
    )
    marks: list[str] = []
    for (region_id,) in session.execute(stmt):
        year = latest_year(session, int(region_id))
        if year is None:
            continue
        evaluation = evaluate_county(session, int(region_id), year)
        flags = [
            DClassFlag(f.info.investor, f.info.credit_code, evaluation.county, year,
                       f.rating.firm.firm)
            for f in evaluation.firms
            if f.rating.cls.value == "D"
        ]  # fmt: skip
        marks += flag_for(flags, name, code)
    return marks
