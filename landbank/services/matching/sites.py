"""Matching use cases: load sites and projects, rank them, both directions.

Sites are read with one lean query per kind (no ORM objects: a city may hold 100,000 of them)
and turned into :class:`~landbank.domain.site_facts.Site` values; the ranking itself is
:mod:`landbank.domain.matching`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import ParcelStatus, ProjectStage, RecordKind
from landbank.domain.matching import (
    MatchResult,
    ProjectMatch,
    SiteTable,
    match_projects,
    match_sites,
)
from landbank.domain.site_facts import (
    Requirements,
    Site,
    available_floor_area,
    requirements_of_project,
)
from landbank.domain.standards.table import StandardRow
from landbank.domain.validation import MAX_INT
from landbank.services.records.saving import RecordNotFound, get_record, record_values
from landbank.services.standards.rows import load_entries
from landbank.store.models import Factory, LandParcel, Project, Region
from landbank.store.queries import load_names

# Projects still looking for a site.
OPEN_STAGES = (
    ProjectStage.LEAD.value,
    ProjectStage.NEGOTIATING.value,
    ProjectStage.SIGNED.value,
    ProjectStage.ABOUT_TO_START.value,
)
# Parcels that may still be offered (others are out of the running for good).
OFFERABLE_PARCEL_STATUSES = (ParcelStatus.AVAILABLE.value, ParcelStatus.RESERVED.value)


class NotFoundError(ValueError):
    """A project or site named by the clerk was not found (str() is the Chinese reason)."""


_PARCEL_COLUMNS = ["id", "code", "name", "region_id", "park_id", "area_mu", "status", "version", "readiness", "target_industry", "min_investment_intensity_wan_per_mu", "min_tax_per_mu_wan", "far_min", "far_max", "green_ratio_pct", "price_wan", "reserved_project_id", "reserved_until"]
_FACTORY_COLUMNS = ["id", "code", "name", "region_id", "park_id", "floor_area_m2", "idle_area_m2", "status", "version", "target_industry", "price_wan", "rent_yuan_m2_month", "ceiling_height_m", "floor_load_kn_m2", "power_kva", "completion_date", "reserved_project_id", "reserved_until"]


def load_sites(
    session: Session,
    kinds: Iterable[RecordKind] = (RecordKind.PARCEL, RecordKind.FACTORY),
    *,
    offerable_only: bool = True,
    ids: dict[RecordKind, list[int]] | None = None,
) -> list[Site]:
    """Parcels and buildings as matching sees them. ``offerable_only`` skips parcels already
    listed, supplied or built on and fully let buildings (they cannot be offered); ``ids``
    loads the given records whatever their status."""
    names = load_names(session)
    regions, parks, projects = names.regions, names.parks, names.projects
    sites: list[Site] = []
    wanted = set(kinds)
    # Rows are unpacked by position: attribute access on 100,000 result rows costs a second.
    if RecordKind.PARCEL in wanted:
        stmt = select(*(getattr(LandParcel, c) for c in _PARCEL_COLUMNS))
        if ids is not None:
            stmt = stmt.where(col(LandParcel.id).in_(ids.get(RecordKind.PARCEL, [])))
        elif offerable_only:
            stmt = stmt.where(col(LandParcel.status).in_(OFFERABLE_PARCEL_STATUSES))
        for (
            id_, code, name, region_id, park_id, area_mu, status, version, readiness, industry,
            min_intensity, min_tax, far_min, far_max, green, price, project_id, until,
        ) in session.connection().execute(stmt):  # fmt: skip
            sites.append(
                Site(
                    RecordKind.PARCEL, id_, code, name or "", region_id, park_id,
                    float(area_mu), status, version,
                    region_name=regions.get(region_id, ""),
                    park_name=parks.get(park_id, "") if park_id else "",
                    readiness=readiness, target_industry=industry,
                    min_intensity_wan_per_mu=min_intensity, min_tax_per_mu_wan=min_tax,
                    far_min=far_min, far_max=far_max, green_ratio_pct=green, price_wan=price, reserved_project_id=project_id,
                    reserved_project_name=projects.get(project_id) if project_id else None,
                    reserved_until=until,
                )
            )
    if RecordKind.FACTORY in wanted:
        stmt = select(*(getattr(Factory, c) for c in _FACTORY_COLUMNS))
        if ids is not None:
            stmt = stmt.where(col(Factory.id).in_(ids.get(RecordKind.FACTORY, [])))
        for (
            id_, code, name, region_id, park_id, floor_area, idle_area, status, version,
            industry, price, rent, ceiling, load, power, completion, project_id, until,
        ) in session.connection().execute(stmt):  # fmt: skip
            area = available_floor_area(status, floor_area, idle_area)
            if offerable_only and ids is None and area <= 0:
                continue
            sites.append(
                Site(
                    RecordKind.FACTORY, id_, code, name or "", region_id, park_id, area,
                    status, version,
                    region_name=regions.get(region_id, ""),
                    park_name=parks.get(park_id, "") if park_id else "",
                    target_industry=industry, price_wan=price, rent_yuan_m2_month=rent,
                    ceiling_height_m=ceiling, floor_load_kn_m2=load, power_kva=power,
                    ready_date=completion, reserved_project_id=project_id,
                    reserved_project_name=projects.get(project_id) if project_id else None,
                    reserved_until=until,
                )
            )
    return sites


def standard_rows(session: Session) -> list[StandardRow]:
    """The 标准地 table, every county's rows by name (matching resolves each parcel's standard
    from them for the project's industry: :mod:`landbank.domain.matching.standard`)."""
    return [entry.domain_row() for entry in load_entries(session)]


def site_table(
    session: Session, kinds: Iterable[RecordKind] = (RecordKind.PARCEL, RecordKind.FACTORY)
) -> SiteTable:
    """The offerable sites of ``kinds`` as matching's columns, with the 标准地 table."""
    return SiteTable(load_sites(session, kinds), standard_rows(session))


def project_requirements(session: Session, project_id: int) -> Requirements:
    values = record_values(RecordKind.PROJECT, get_record(session, RecordKind.PROJECT, project_id))
    return requirements_of_project({**values, "id": project_id})


def open_project_requirements(session: Session) -> list[Requirements]:
    """Requirements of every project still looking for a site (线索 … 拟开工)."""
    rows = session.execute(select(Project).where(col(Project.stage).in_(OPEN_STAGES)))
    result = []
    for (project,) in rows:
        values = record_values(RecordKind.PROJECT, project)
        result.append(requirements_of_project({**values, "id": project.id}))
    return result


def _record_id(text: str) -> int | None:
    """``text`` as a record id, or ``None`` when it is none (not decimal digits, or more than
    the databases' INTEGER holds: such a number is a name or a code to look up, never a crash
    converting it)."""
    if not text.isdecimal() or len(text) > 10 or int(text) > MAX_INT:
        return None
    return int(text)


def find_project(session: Session, key: str) -> int:
    """A project by id or by name (exact, else the only one containing it)."""
    text = key.strip()
    if (project_id := _record_id(text)) is not None:
        found = session.execute(select(col(Project.id)).where(col(Project.id) == project_id)).scalar()
        if found is not None:
            return int(found)
    exact = list(session.execute(select(col(Project.id)).where(col(Project.name) == text)).scalars())
    if len(exact) == 1:
        return int(exact[0])
    rows = session.execute(
        select(col(Project.id), col(Project.name)).where(col(Project.name).contains(text)).limit(6)
    ).all()
    if len(exact) > 1:
        raise NotFoundError(f"有 {len(exact)} 个项目名为“{text}”，请用项目 ID 指定")
    if len(rows) == 1:
        return int(rows[0][0])
    if not rows:
        raise NotFoundError(f"没有名为“{text}”的项目")
    names = "、".join(f"{name}（ID {pid}）" for pid, name in rows[:5])
    raise NotFoundError(f"“{text}”对应多个项目：{names}，请写全名或用 ID")


def find_site(session: Session, code: str, region_id: int | None = None) -> tuple[RecordKind, int]:
    """A parcel or building by its code (地块编号 / 厂房编号), or ``parcel:ID`` / ``factory:ID``."""
    text = code.strip()
    for kind in (RecordKind.PARCEL, RecordKind.FACTORY):
        prefix = f"{kind.value}:"
        record_id = _record_id(text[len(prefix) :]) if text.startswith(prefix) else None
        if record_id is not None:
            try:
                get_record(session, kind, record_id)
            except RecordNotFound:
                raise NotFoundError(f"没有 ID 为 {record_id} 的{kind.label}") from None
            return kind, record_id
    hits: list[tuple[RecordKind, int, str]] = []
    tables: tuple[tuple[RecordKind, Any], ...] = (
        (RecordKind.PARCEL, LandParcel),
        (RecordKind.FACTORY, Factory),
    )
    for kind, table in tables:
        stmt = select(table.id, col(Region.name)).join(Region, col(Region.id) == table.region_id)
        stmt = stmt.where(table.code == text)
        if region_id is not None:
            stmt = stmt.where(table.region_id == region_id)
        hits.extend((kind, int(rid), rname) for rid, rname in session.execute(stmt))
    if not hits:
        raise NotFoundError(f"没有编号为“{text}”的地块或厂房")
    if len(hits) > 1:
        where = "、".join(f"{rname}的{kind.label}" for kind, _, rname in hits)
        raise NotFoundError(f"编号“{text}”有多处：{where}，请指定县区")
    return hits[0][0], hits[0][1]


def site_of(session: Session, kind: RecordKind, record_id: int) -> Site:
    sites = load_sites(session, (kind,), ids={kind: [record_id]})
    if not sites:
        raise NotFoundError(f"没有 ID 为 {record_id} 的{kind.label}")
    return sites[0]


@dataclass(frozen=True)
class ProjectMatchReport:
    """Sites for one project, as the dialog, the CLI and the printout show them."""

    project_id: int | None
    project_name: str
    result: MatchResult


def match_project(
    session: Session,
    project_id: int | None,
    today: date,
    *,
    top: int = 10,
    requirements: Requirements | None = None,
    table: SiteTable | None = None,
) -> ProjectMatchReport:
    """Rank the sites for a project; ``requirements`` overrides what the record says (the
    dialog lets the clerk try other figures without saving them)."""
    if requirements is None:
        if project_id is None:
            raise ValueError("project_id or requirements")
        requirements = project_requirements(session, project_id)
    elif project_id is not None and requirements.project_id != project_id:
        requirements = replace(requirements, project_id=project_id)
    if table is None:
        table = site_table(session, requirements.site_kinds())
    result = match_sites(requirements, table, today, top=top)
    if project_id is not None:  # a warning, not a rejection (docs/standards.md, 亩均效益评价)
        marks = d_class_marks(session, [project_id]).get(project_id, ())
        result = replace(result, notes=result.notes + marks) if marks else result
    return ProjectMatchReport(project_id, requirements.project_name, result)


def d_class_marks(session: Session, project_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """“投资方在获嘉县亩均效益评价为D类（…）” per project whose 投资方 (or 统一社会信用代码)
    holds a D-class firm in a county's latest evaluated year (issue 16 item 6); projects without
    a mark are left out. Each distinct investor is looked up once — matching by project and by
    site both show these marks (a warning, not a rejection: docs/standards.md, 亩均效益评价)."""
    from landbank.services.efficiency.rating import investor_marks

    ids = sorted(set(project_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(col(Project.id), col(Project.investor), col(Project.credit_code)).where(
            col(Project.id).in_(ids)
        )
    ).all()
    seen: dict[tuple[str, str], tuple[str, ...]] = {}
    result: dict[int, tuple[str, ...]] = {}
    for project_id, investor, code in rows:
        key = ((investor or "").strip(), (code or "").strip().upper())
        if key not in seen:
            seen[key] = tuple(investor_marks(session, investor, code))
        if seen[key]:
            result[int(project_id)] = seen[key]
    return result


@dataclass(frozen=True)
class SiteMatchReport:
    site: Site
    projects: list[ProjectMatch]
    rejected: dict[str, int]
    considered: int
    # project id → its investor's D-class marks (only the ranked projects that have one)
    marks: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def notes_of(self, match: ProjectMatch) -> tuple[str, ...]:
        """The warnings of a ranked project (its investor's D-class marks)."""
        project_id = match.requirements.project_id
        return self.marks.get(project_id, ()) if project_id is not None else ()


def match_site(
    session: Session, kind: RecordKind, site_id: int, today: date, *, top: int = 10
) -> SiteMatchReport:
    """Rank the open projects that could take a site (which project for this idle building?)."""
    site = site_of(session, kind, site_id)
    projects = open_project_requirements(session)
    ranked, rejected = match_projects(
        site, projects, today, top=top, standards=standard_rows(session)
    )
    considered = sum(1 for p in projects if site.kind in p.site_kinds())
    ids = (m.requirements.project_id for m in ranked)
    marks = d_class_marks(session, (i for i in ids if i is not None))
    return SiteMatchReport(site, ranked, rejected, considered, marks)
