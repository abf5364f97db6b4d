"""The printed reports of issue 5 as A4 pages: HTML builders (:mod:`.report_html` for the
年度指标 通报 and 县区明细, :mod:`.catalogue_html` for the 招商手册, :mod:`.projects_html` for the
招商项目报告, on the pieces of :mod:`.html_parts`), the QtCharts chart images
(:mod:`.report_chart`) and the paginated painter and PDF writer (:mod:`.report_pdf`).

Each ``*_printout`` function turns the service's dataclasses into a :class:`Printout` (HTML,
title, images); :func:`write_printout` writes one as a PDF and
:func:`landbank.ui.reports.report_pdf.paint_report` paints it on any printer — the print
preview paints exactly what the PDF holds. They need a QApplication
(:func:`landbank.ui.app.create_application`: it also picks the CJK font).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from landbank.domain.quota_progress import CityQuotaReport
from landbank.services.quota_catalogue import Catalogue
from landbank.services.quota_report import ProjectsReport, RegionDetail
from landbank.ui.reports.catalogue_html import catalogue_html, catalogue_title
from landbank.ui.reports.projects_html import projects_html, projects_title
from landbank.ui.reports.report_chart import quota_chart
from landbank.ui.reports.report_html import quota_html, quota_title, region_html, region_title
from landbank.ui.reports.report_pdf import paint_report, write_report_pdf

QUOTA_CHART = "chart://quota"


@dataclass(frozen=True)
class Printout:
    """A report ready to lay out: its HTML, its title (the PDF's name and every page's
    footer) and the images the HTML names."""

    html: str
    title: str
    images: Mapping[str, QImage] = field(default_factory=dict)

    def paint(self, printer: QPrinter) -> int:
        """Paint every page on ``printer``; returns the pages."""
        return paint_report(printer, self.html, title=self.title, images=self.images)


def quota_printout(report: CityQuotaReport, *, city: str | None = None) -> Printout:
    return Printout(
        quota_html(report, city=city, chart_src=QUOTA_CHART),
        quota_title(report, city),
        {QUOTA_CHART: quota_chart(report)},
    )


def region_printout(detail: RegionDetail) -> Printout:
    return Printout(region_html(detail), region_title(detail))


def catalogue_printout(catalogue: Catalogue, *, place: str | None = None) -> Printout:
    """The 招商手册; ``place`` (the city, or the region it is limited to) heads the title."""
    return Printout(catalogue_html(catalogue, place=place), catalogue_title(place))


def projects_printout(report: ProjectsReport, *, place: str | None = None) -> Printout:
    return Printout(projects_html(report, place=place), projects_title(report, place))


def write_printout(path: str | os.PathLike[str], printout: Printout) -> int:
    """The report as an A4 PDF at ``path``; returns its pages. Raises :class:`OSError`."""
    return write_report_pdf(path, printout.html, title=printout.title, images=printout.images)


def write_quota_pdf(
    path: str | os.PathLike[str], report: CityQuotaReport, *, city: str | None = None
) -> int:
    """The 年度指标进度通报 as a PDF; returns its pages."""
    return write_printout(path, quota_printout(report, city=city))


def write_region_pdf(path: str | os.PathLike[str], detail: RegionDetail) -> int:
    """One region's 指标进度明细 as a PDF; returns its pages."""
    return write_printout(path, region_printout(detail))


def write_catalogue_pdf(
    path: str | os.PathLike[str], catalogue: Catalogue, *, place: str | None = None
) -> int:
    """The 招商手册 (净地 and idle factories) as a PDF; returns its pages."""
    return write_printout(path, catalogue_printout(catalogue, place=place))


def write_projects_pdf(
    path: str | os.PathLike[str], report: ProjectsReport, *, place: str | None = None
) -> int:
    """The 招商项目报告 as a PDF; returns its pages."""
    return write_printout(path, projects_printout(report, place=place))


__all__ = [
    "Printout",
    "catalogue_printout",
    "projects_printout",
    "quota_printout",
    "region_printout",
    "write_catalogue_pdf",
    "write_printout",
    "write_projects_pdf",
    "write_quota_pdf",
    "write_region_pdf",
]
