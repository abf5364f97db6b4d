"""The 标准地指标承诺书 of a project on a parcel (issue 16 item 3): what the printed pledge says.

The parcel (编号, 坐落, 面积, 县区/园区), the project (名称, 投资方, 统一社会信用代码, 产业), and
every indicator of the parcel's standard for the project's industry (the parcel's own
thresholds over the table's, :func:`landbank.domain.matching.standard.site_checks`) with the
requirement, the project's figure on this parcel and its arithmetic, and where the bound came
from (“城关县·全部产业”, “国家标准”, “地块”). A parcel on which the project fails an indicator
still gets its pledge — the clerk may need it to negotiate (a larger investment, a smaller
parcel) — with the failing lines marked 不符 and a note at the top saying it cannot be signed
as it stands; a figure the project lacks is marked 需补充. Buildings have no 标准地 (the
pledge is refused for one, in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.matching.standard import site_checks
from landbank.domain.site_facts import Requirements, Site, requirements_of_project
from landbank.domain.standards.checks import (
    CheckStatus,
    IndicatorCheck,
    ProjectFigures,
    Verdict,
    computation,
    verdict,
)
from landbank.domain.units import format_quantity
from landbank.services.identity import BureauIdentity, ledger_identity
from landbank.services.matching.sites import (
    NotFoundError,
    find_project,
    find_site,
    site_of,
    standard_rows,
)
from landbank.services.records.saving import get_record, record_values

PLEDGE_TITLE = "标准地指标承诺书"


@dataclass(frozen=True)
class PledgeLine:
    """One indicator as the pledge lists it."""

    label: str  # 固定资产投资强度
    requirement: str  # ≥250.00 万元/亩
    committed: str  # 300.00 万元/亩（总投资 6,000.00 万元 ÷ 20.00 亩）, or what is still due
    source: str  # 城关县·全部产业 / 国家标准 / 地块
    status: CheckStatus

    @property
    def mark(self) -> str:
        return self.status.mark


@dataclass(frozen=True)
class Pledge:
    identity: BureauIdentity
    parcel_code: str
    parcel_name: str
    location: str
    area_mu: float
    county: str
    park: str
    project_name: str
    investor: str
    credit_code: str
    industry: str
    lines: tuple[PledgeLine, ...]
    verdict: Verdict
    printed: date

    @property
    def place(self) -> str:
        """县区/园区 as printed: “辉县市·孟庄园”."""
        return "·".join(p for p in (self.county, self.park) if p)

    @property
    def failing(self) -> tuple[PledgeLine, ...]:
        return tuple(line for line in self.lines if line.status is CheckStatus.FAILED)

    @property
    def missing(self) -> tuple[PledgeLine, ...]:
        return tuple(line for line in self.lines if line.status is CheckStatus.MISSING)

    def warning(self) -> str:
        """The note at the top of a pledge that cannot be signed as it stands ("" if none)."""
        if self.failing:
            names = "、".join(line.label for line in self.failing)
            return (
                f"注意：本项目在该地块的{names}未达到标准（标“不符”），本承诺书仅供洽谈参考；"
                "签署前须调整项目指标或用地面积。"
            )
        if self.missing:
            names = "、".join(line.label for line in self.missing)
            return f"注意：项目尚未填报{names}所需数据（标“需补充”），请补充后再签署。"
        return ""


def _committed(check: IndicatorCheck, site: Site, figures: ProjectFigures) -> str:
    """The project's figure on this parcel with its arithmetic, or what is still due."""
    if check.status is CheckStatus.COMMITMENT:
        return f"按设计承诺达到 {check.requirement}"
    if check.status is CheckStatus.MISSING or check.figure is None:
        return check.reason.split("，", 1)[-1]  # “项目未填预计年产值，需补充”
    how = computation(check.indicator, figures, site.area)
    shown = check.indicator.with_unit(check.figure)
    return f"{shown}（{how.arithmetic()}）" if how is not None else shown


def pledge_of(
    session: Session,
    project_id: int,
    parcel_id: int,
    printed: date,
    *,
    requirements: Requirements | None = None,
) -> Pledge:
    """The pledge of project ``project_id`` on parcel ``parcel_id``: on the project's recorded
    figures, or on ``requirements`` (the figures the matching dialog judged the parcel on,
    which the clerk may have changed to see what would meet the standard)."""
    project = record_values(RecordKind.PROJECT, get_record(session, RecordKind.PROJECT, project_id))
    req = requirements or requirements_of_project({**project, "id": project_id})
    site = site_of(session, RecordKind.PARCEL, parcel_id)
    parcel = record_values(RecordKind.PARCEL, get_record(session, RecordKind.PARCEL, parcel_id))
    checks = site_checks(req, site, standard_rows(session))
    figures = req.standard_figures()
    lines = tuple(
        PledgeLine(c.label, c.requirement, _committed(c, site, figures), c.source, c.status)
        for c in checks
    )
    return Pledge(
        identity=ledger_identity(session),
        parcel_code=site.code,
        parcel_name=site.name,
        location=str(parcel.get("location") or ""),
        area_mu=site.area,
        county=site.region_name,
        park=site.park_name,
        project_name=req.project_name,
        investor=str(project.get("investor") or ""),
        credit_code=str(project.get("credit_code") or ""),
        industry=req.industry or "",
        lines=lines,
        verdict=verdict(checks),
        printed=printed,
    )


def find_pledge(
    session: Session,
    project: str,
    parcel_code: str,
    printed: date,
    *,
    region_id: int | None = None,
) -> Pledge:
    """The pledge of a project named (or its id) on a parcel by its code (of county
    ``region_id`` when codes repeat across counties). Raises :class:`NotFoundError` with the
    Chinese reason (a building: no 标准地)."""
    project_id = find_project(session, project)
    kind, site_id = find_site(session, parcel_code, region_id)
    if kind is not RecordKind.PARCEL:
        raise NotFoundError(f"“{parcel_code.strip()}”是厂房，标准地指标承诺书只用于地块")
    return pledge_of(session, project_id, site_id, printed)


def area_text(area_mu: float) -> str:
    return f"{format_quantity(area_mu, '亩')} 亩"
