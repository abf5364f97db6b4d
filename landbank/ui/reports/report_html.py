"""HTML of the printed 年度指标 reports (issue 5): pure functions from the report dataclasses
of :mod:`landbank.services.quota_report` to HTML strings for a :class:`QTextDocument`.

No Qt here: :mod:`landbank.ui.reports.report_pdf` lays the HTML out on A4 pages and paints the
footer (page n of N); a chart is an ``<img>`` whose ``src`` names an image the PDF writer adds
to the document as a resource. Tables put their header rows in ``<thead>``: QTextDocument
repeats them on every page a table runs onto.

The figures are formatted as ``landbank quota`` prints them (:func:`format_pct`,
:func:`format_number`), so a test can compare the PDF's text with the service's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from landbank.domain.quota_progress import (
    CityQuotaReport,
    IndicatorProgress,
    MonthlyPoint,
    PaceStatus,
    RegionProgress,
    format_pct,
)
from landbank.services.quota_report import FactoryRow, ParcelRow, RegionDetail
from landbank.ui.reports.html_parts import (
    LIGHT_COLOURS,
    TOTAL_BG,
    cell,
    day,
    heading,
    n,
    para,
    status_cell,
    table,
    title,
)

CHART_WIDTH_PX = 660  # the chart's width on the page, in CSS pixels (1/96 inch): ≈ 175 mm
CHART_HEIGHT_PX = 330


# ---------------------------------------------------------------- 年度指标进度通报


def quota_title(report: CityQuotaReport, city: str | None = None) -> str:
    return f"{city or '全市'} {report.year} 年度收储工业用地和标准厂房建设指标进度通报"


QUOTA_HEADERS = (
    "县区",
    "收储目标(亩)",
    "已收储(亩)",
    "完成率",
    "厂房目标(m²)",
    "已建成(m²)",
    "完成率",
    "进度",
    "排名",
)
_QUOTA_WIDTHS = (12, 12, 12, 9, 13, 13, 9, 12, 8)


def _rate_cell(item: IndicatorProgress) -> str:
    return status_cell(item.status, format_pct(item.percent), right=True)


def quota_row(progress: RegionProgress, *, total: bool = False) -> str:
    """One region's row (or the total row) of the progress table."""
    rank = "" if progress.rank is None or total else str(progress.rank)
    cells = [
        cell(progress.name, bold=total),
        cell(n(progress.land.target), right=True),
        cell(n(progress.land.done), right=True),
        _rate_cell(progress.land),
        cell(n(progress.factory.target, 0), right=True),
        cell(n(progress.factory.done, 0), right=True),
        _rate_cell(progress.factory),
        status_cell(progress.status),
        cell(rank, right=True),
    ]
    row = "".join(cells)
    return f'<tr bgcolor="{TOTAL_BG}">{row}</tr>' if total else f"<tr>{row}</tr>"


def quota_html(report: CityQuotaReport, *, city: str | None = None,
               chart_src: str | None = None) -> str:  # fmt: skip
    """The 年度指标进度通报: pace, every region's progress with its light and rank, the total,
    the chart (when ``chart_src`` names one), the notes and the alerts' count."""
    parts = [
        title(quota_title(report, city), report.as_of, report.pace.describe()),
        table(
            QUOTA_HEADERS,
            [quota_row(p) for p in report.regions] + [quota_row(report.total, total=True)],
            widths=_QUOTA_WIDTHS,
        ),
        '<p style="font-size:small">进度：完成进度达到应完成的 90% 为正常（绿），70% 以上为滞后'
        "（黄），以下为严重滞后（红）；县区进度取两项中较差者。排名按收储与厂房完成率（各以 100% "
        "封顶）的平均值。</p>",
    ]
    if chart_src:
        parts.append(
            f'<p align="center"><img src="{escape(chart_src)}" width="{CHART_WIDTH_PX}" '
            f'height="{CHART_HEIGHT_PX}"></p>'
        )
    red = [p.name for p in report.regions if p.status is PaceStatus.FAR_BEHIND]
    if red:
        parts.append(para(f"严重滞后的县区：{'、'.join(red)}。"))
    parts.append(para(_alerts_line(report)))
    return "".join(parts)


def _alerts_line(report: CityQuotaReport) -> str:
    if not report.alerts:
        return "预警：无。"
    return f"预警：共 {len(report.alerts)} 条（详见各县区进度明细）。"


# ---------------------------------------------------------------- one region


def region_title(detail: RegionDetail) -> str:
    return f"{detail.progress.name} {detail.year} 年度收储工业用地和标准厂房建设指标进度明细"


MONTH_HEADERS = (
    "月份",
    "当月收储(亩)",
    "累计收储(亩)",
    "应完成(亩)",
    "当月建成(m²)",
    "累计建成(m²)",
    "应完成(m²)",
)


def _month_row(m: MonthlyPoint, as_of: date, year: int) -> str:
    future = (year == as_of.year and m.month > as_of.month) or year > as_of.year
    judged = not future and m.month > 1  # January is not judged (the pace's grace days)
    cum_land = "" if future else n(m.land_cumulative_mu)
    cum_factory = "" if future else n(m.factory_cumulative_m2, 0)
    land_bg = (
        LIGHT_COLOURS["red"][0]
        if judged and m.land_cumulative_mu + 1e-9 < m.land_expected_mu * 0.7
        else None
    )
    factory_bg = (
        LIGHT_COLOURS["red"][0]
        if judged and m.factory_cumulative_m2 + 1e-9 < m.factory_expected_m2 * 0.7
        else None
    )
    cells = [
        cell(f"{m.month}月"),
        cell("" if future else n(m.land_mu), right=True),
        cell(cum_land, right=True, bg=land_bg),
        cell(n(m.land_expected_mu), right=True),
        cell("" if future else n(m.factory_m2, 0), right=True),
        cell(cum_factory, right=True, bg=factory_bg),
        cell(n(m.factory_expected_m2, 0), right=True),
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _indicator_line(name: str, unit: str, item: IndicatorProgress, decimals: int) -> str:
    if item.target <= 0:
        return f"{name}：无指标，已完成 {n(item.done, decimals)} {unit}。"
    return (
        f"{name}：目标 {n(item.target, decimals)} {unit}，已完成 {n(item.done, decimals)} "
        f"{unit}（完成率 {format_pct(item.percent)}），应完成 {n(item.expected, decimals)} "
        f"{unit}，尚差 {n(item.remaining, decimals)} {unit}，{item.status.value}。"
    )


def _parcel_rows(rows: Sequence[ParcelRow]) -> list[str]:
    return [
        "<tr>"
        + cell(r.code)
        + cell(r.name or "")
        + cell(r.park)
        + cell(f"{n(r.area_mu)} 亩", right=True)
        + cell(r.readiness)
        + cell(day(r.reserve_date))
        + "</tr>"
        for r in rows
    ]


def _factory_rows(rows: Sequence[FactoryRow]) -> list[str]:
    return [
        "<tr>"
        + cell(r.code)
        + cell(r.name)
        + cell(r.park)
        + cell(f"{n(r.floor_area_m2, 0)} m²", right=True)
        + cell(r.status)
        + cell(day(r.completion_date))
        + "</tr>"
        for r in rows
    ]


_PARCEL_HEADERS = ("编号", "名称", "园区", "面积", "整理状态", "收储日期")
_FACTORY_HEADERS = ("编号", "名称", "园区", "建筑面积", "状态", "竣工日期")
_LIST_WIDTHS = (16, 26, 18, 14, 12, 14)


def region_html(detail: RegionDetail) -> str:
    """One region's year: progress, month by month (cumulative against the pace), the parcels
    and factories counted, and what remains (gap and candidates, stock)."""
    p = detail.progress
    rank = (
        f"第 {p.rank} 名（共 {detail.ranked_regions} 个县区）"
        if p.rank is not None
        else "不参加排名"
    )
    parts = [
        title(region_title(detail), detail.as_of, detail.pace.describe()),
        para(f"排名：{rank}；综合进度：{p.status.value}；指标来源：{p.targets.source.value}。"),
        para(_indicator_line("收储土地", "亩", p.land, 2)),
        para(_indicator_line("标准厂房", "m²", p.factory, 0)),
        heading("一、逐月进度（累计与时序应完成）"),
        table(
            MONTH_HEADERS,
            [_month_row(m, detail.as_of, detail.year) for m in p.monthly],
            widths=(10, 15, 15, 15, 15, 15, 15),
        ),
        '<p style="font-size:small">应完成：按日历线性分解的全年目标（至月末）。'
        "累计不足应完成 70% 的月份标红（1 月份不作评价）。</p>",
        heading(f"二、计入本年度的收储地块（{len(detail.parcels)} 宗，{n(p.land.done)} 亩）"),
    ]
    parts.append(
        table(_PARCEL_HEADERS, _parcel_rows(detail.parcels), widths=_LIST_WIDTHS)
        if detail.parcels
        else para("无。")
    )
    parts.append(
        heading(
            f"三、计入本年度的标准厂房（{len(detail.factories)} 栋，{n(p.factory.done, 0)} m²）"
        )
    )
    parts.append(
        table(_FACTORY_HEADERS, _factory_rows(detail.factories), widths=_LIST_WIDTHS)
        if detail.factories
        else para("无。")
    )
    parts.append(heading("四、剩余任务"))
    parts.append(
        para(
            f"收储尚差 {n(p.land.remaining)} 亩；拟收储地块 {len(detail.candidate_parcels)} 宗 "
            f"{n(detail.candidate_land_mu)} 亩可计入。标准厂房尚差 {n(p.factory.remaining, 0)} "
            f"m²；在建厂房 {len(detail.candidate_factories)} 栋 "
            f"{n(detail.candidate_factory_m2, 0)} m² 可计入。"
        )
    )
    if detail.candidate_parcels:
        parts.append(para("可计入的拟收储地块："))
        parts.append(
            table(_PARCEL_HEADERS, _parcel_rows(detail.candidate_parcels), widths=_LIST_WIDTHS)
        )
    if detail.candidate_factories:
        parts.append(para("可计入的在建厂房："))
        parts.append(
            table(_FACTORY_HEADERS, _factory_rows(detail.candidate_factories), widths=_LIST_WIDTHS)
        )
    parts.append(
        para(
            f"待招商：净地 {len(detail.stock.parcels)} 宗 {n(detail.stock.land_mu)} 亩，"
            f"闲置厂房 {len(detail.stock.factories)} 栋 {n(detail.stock.idle_m2, 0)} m²。"
            f"预警 {len(detail.alerts)} 条。"
        )
    )
    return "".join(parts)
