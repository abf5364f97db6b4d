"""The printed 年度指标 reports (issue 5) as A4 PDFs: HTML builders (:mod:`.report_html`), the
QtCharts chart images (:mod:`.report_chart`) and the paginated PDF writer (:mod:`.report_pdf`).

:func:`write_quota_pdf` and :func:`write_region_pdf` take the service's report dataclasses and
need a QApplication (:func:`landbank.ui.app.create_application`: it also picks the CJK font).
"""

from __future__ import annotations

import os

from landbank.domain.quota_progress import CityQuotaReport
from landbank.services.quota_report import RegionDetail
from landbank.ui.reports.report_chart import quota_chart
from landbank.ui.reports.report_html import quota_html, quota_title, region_html, region_title
from landbank.ui.reports.report_pdf import write_report_pdf

QUOTA_CHART = "chart://quota"


def write_quota_pdf(
    path: str | os.PathLike[str], report: CityQuotaReport, *, city: str | None = None
) -> int:
    """The 年度指标进度通报 as a PDF; returns its pages."""
    image = quota_chart(report)
    return write_report_pdf(
        path,
        quota_html(report, city=city, chart_src=QUOTA_CHART),
        title=quota_title(report, city),
        images={QUOTA_CHART: image},
    )


def write_region_pdf(path: str | os.PathLike[str], detail: RegionDetail) -> int:
    """One region's 指标进度明细 as a PDF; returns its pages."""
    return write_report_pdf(path, region_html(detail), title=region_title(detail))


__all__ = ["write_quota_pdf", "write_region_pdf"]
