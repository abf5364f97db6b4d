"""The printed reports of issue 5 as A4 pages (re-exported by :mod:`landbank.ui.reports`): the parts of each report (:mod:`.report_html`
for the 年度指标 通报 and 县区明细, :mod:`.catalogue_html` for the 招商手册, :mod:`.projects_html`
for the 招商项目报告, on the pieces of :mod:`.html_parts`), the QtCharts chart images
(:mod:`.report_chart`), the tables fitted to the page (:mod:`.table_fit`) and the pages
broken and painted (:mod:`.report_pdf`).

Each ``*_printout`` function turns the service's dataclasses into a :class:`Printout` (parts,
title, images): every title names the ledger's place (:class:`BureauIdentity`), a line under
it names the 制表单位, 制表人 and 联系电话 with the 制表日期, and the report ends with the 落款.
:func:`write_printout` writes one as a PDF and :meth:`Printout.paint` paints it on any printer
— the print preview paints exactly what the PDF holds. They need a QApplication
(:func:`landbank.ui.app.create_application`: it also picks the CJK font).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from landbank.domain.quota.city_report import CityQuotaReport
from landbank.services.identity import BureauIdentity
from landbank.services.land_life.status import LandLifeReport
from landbank.services.quota.catalogue import Catalogue
from landbank.services.quota.projects import ProjectsReport
from landbank.services.quota.region_detail import RegionDetail
from landbank.ui.reports.catalogue_html import (
    SiteDossier,
    SiteKey,
    catalogue_parts,
    catalogue_title,
)
from landbank.ui.reports.html_parts import Audience, Part
from landbank.ui.reports.projects_html import projects_parts, projects_title
from landbank.ui.reports.report_chart import quota_chart
from landbank.ui.reports.report_html import quota_parts, quota_title, region_parts, region_title
from landbank.ui.reports.report_pdf import paint_report, write_report_pdf

QUOTA_CHART = "chart://quota"


@dataclass(frozen=True)
class Printout:
    """A report ready to lay out: its parts, its title (the PDF's name and every page's
    footer), the images its parts name and whom it is for."""

    parts: tuple[Part, ...]
    title: str
    images: Mapping[str, QImage] = field(default_factory=dict)
    audience: Audience = Audience.INTERNAL

    def paint(self, printer: QPrinter) -> int:
        """Paint every page on ``printer``; returns the pages."""
        return paint_report(printer, self.parts, title=self.title, images=self.images)


def _place(identity: BureauIdentity, place: str | None) -> str:
    """The place a title names: the one asked for, else the ledger's city (“全市” unknown)."""
    return (place or "").strip() or identity.place


def _regional(identity: BureauIdentity, region: str | None) -> str | None:
    """A region a report is limited to, after its city: “新乡市辉县市”."""
    if not region:
        return None
    city = identity.city
    return region if not city or region.startswith(city) else city + region


def quota_printout(report: CityQuotaReport, *, identity: BureauIdentity | None = None,
                   printed: date | None = None, city: str | None = None,
                   land_life: LandLifeReport | None = None) -> Printout:  # fmt: skip
    """The 年度指标进度通报; ``city`` overrides the place the title names; ``land_life`` adds
    the 闲置与低效用地 section."""
    identity = identity or BureauIdentity()
    place = _place(identity, city)
    printed = printed or date.today()
    return Printout(
        tuple(
            quota_parts(
                report, place=place, identity=identity, printed=printed, chart_src=QUOTA_CHART,
                land_life=land_life,
            )
        ),
        quota_title(report, place),
        {QUOTA_CHART: quota_chart(report)},
    )


def region_printout(detail: RegionDetail, *, identity: BureauIdentity | None = None,
                    printed: date | None = None) -> Printout:  # fmt: skip
    identity = identity or BureauIdentity()
    printed = printed or date.today()
    return Printout(
        tuple(region_parts(detail, identity=identity, printed=printed)),
        region_title(detail, identity.city),
    )


def catalogue_printout(
    catalogue: Catalogue,
    *,
    identity: BureauIdentity | None = None,
    printed: date | None = None,
    place: str | None = None,
    region: str | None = None,
    audience: Audience = Audience.INVESTOR,
    dossiers: Mapping[SiteKey, SiteDossier] | None = None,
    images: Mapping[str, QImage] | None = None,
    omit_incomplete: bool = False,
) -> Printout:
    """The 招商手册 for ``audience``; ``region`` (the region it is limited to) or ``place``
    heads the title, else the ledger's city. ``dossiers`` (and the ``images`` they name): each
    site's pictures and what it misses, read by :mod:`.catalogue_dossier`; an incomplete site
    is marked, or left out with ``omit_incomplete``."""
    identity = identity or BureauIdentity()
    where = _regional(identity, region) or _place(identity, place)
    printed = printed or date.today()
    parts = catalogue_parts(
        catalogue, place=where, identity=identity, printed=printed, audience=audience,
        dossiers=dossiers, omit_incomplete=omit_incomplete,
    )  # fmt: skip
    return Printout(
        tuple(parts), catalogue_title(where, audience), dict(images or {}), audience=audience
    )


def projects_printout(
    report: ProjectsReport,
    *,
    identity: BureauIdentity | None = None,
    printed: date | None = None,
    place: str | None = None,
    region: str | None = None,
) -> Printout:
    identity = identity or BureauIdentity()
    where = _regional(identity, region) or _place(identity, place)
    printed = printed or date.today()
    return Printout(
        tuple(projects_parts(report, place=where, identity=identity, printed=printed)),
        projects_title(report, where),
    )


def write_printout(path: str | os.PathLike[str], printout: Printout) -> int:
    """The report as an A4 PDF at ``path``; returns its pages. Raises :class:`OSError`."""
    return write_report_pdf(path, printout.parts, title=printout.title, images=printout.images)


__all__ = [
    "Audience",
    "Printout",
    "catalogue_printout",
    "projects_printout",
    "quota_printout",
    "region_printout",
    "write_printout",
]
