"""The 招商项目 report's data: the pipeline, 三率, park targets and the projects past their
agreed start, for the city or one region (printed by landbank.ui.reports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.quota.alerts import AlertKind
from landbank.domain.quota.city_report import CityQuotaReport
from landbank.domain.quota.facts import ProjectFact
from landbank.domain.quota.progress import RegionProgress
from landbank.domain.quota.projects import ParkTargetProgress, PipelineStage, pipeline
from landbank.services.quota.fact_queries import PROJECT_FACT_COLUMNS, chunks
from landbank.services.quota.report import city_report
from landbank.store.models import Project

_J = Project.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ProjectRow:
    """A project past its agreed start, as the 招商项目 report lists it."""

    id: int
    name: str
    investor: str | None
    region: str
    park: str
    industry: str | None
    stage: str
    total_investment_wan: float | None
    signed_date: date | None
    agreed_start_date: date | None
    days_overdue: int
    responsible_unit: str | None
    responsible_leader: str | None
    problems: str | None


@dataclass(frozen=True)
class ProjectsReport:
    """Pipeline, 三率 (the city's or the region's, and per region), park targets and the
    projects past their agreed start date, longest overdue first."""

    year: int
    as_of: date
    region_id: int | None
    pipeline: tuple[PipelineStage, ...]
    total: RegionProgress  # its ``rates`` are the city's (or the region's) 三率
    regions: tuple[RegionProgress, ...]  # each region's ``rates``
    parks: tuple[ParkTargetProgress, ...]
    overdue: tuple[ProjectRow, ...]


def projects_report(
    session: Session,
    year: int,
    *,
    region_id: int | None = None,
    as_of: date | None = None,
    report: CityQuotaReport | None = None,
) -> ProjectsReport:
    as_of = as_of or date.today()
    if report is None or report.year != year or report.as_of != as_of:
        report = city_report(session, year, as_of=as_of)
    regions = report.regions
    total = report.total
    stages = report.pipeline
    if region_id is not None:
        total = report.region(region_id)
        regions = (total,)
        projects = [
            ProjectFact(*row)
            for row in session.execute(
                select(*PROJECT_FACT_COLUMNS).where(_J.region_id == region_id)
            )
        ]
        stages = pipeline(projects)
    overdue_days = {
        a.record_id: a.days
        for a in report.alerts
        if a.kind is AlertKind.PROJECT_START_OVERDUE
        and (region_id is None or a.region_id == region_id)
    }
    rows: list[ProjectRow] = []
    ids = sorted(overdue_days)
    for chunk in chunks(ids):
        for r in session.execute(
            select(
                _J.id,
                _J.name,
                _J.investor,
                _J.region_id,
                _J.park_id,
                _J.industry,
                _J.stage,
                _J.total_investment_wan,
                _J.signed_date,
                _J.agreed_start_date,
                _J.responsible_unit,
                _J.responsible_leader,
                _J.problems,
            ).where(_J.id.in_(chunk))
        ):
            rows.append(
                ProjectRow(
                    r.id,
                    r.name,
                    r.investor,
                    report.region_names.get(r.region_id, ""),
                    report.park_names.get(r.park_id, "") if r.park_id else "",
                    r.industry,
                    r.stage,
                    r.total_investment_wan,
                    r.signed_date,
                    r.agreed_start_date,
                    overdue_days[r.id],
                    r.responsible_unit,
                    r.responsible_leader,
                    r.problems,
                )
            )
    rows.sort(key=lambda r: (-r.days_overdue, r.name))
    return ProjectsReport(
        year=year,
        as_of=as_of,
        region_id=region_id,
        pipeline=stages,
        total=total,
        regions=regions,
        parks=tuple(p for p in report.parks if region_id is None or p.region_id == region_id),
        overdue=tuple(rows),
    )
